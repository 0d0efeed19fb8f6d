"""The one-page learning briefing: fitting the summary into its boxes."""

import textwrap
from dataclasses import dataclass

from reviews.learning.models import LearningSummary
from reviews.models import Review

# What a box holds at the briefing's type size (8.6pt in a box 64mm high and 65mm wide), with a
# little to spare: lines of text, and characters to a line in one column (paragraphs, bulleted
# items) or in the double-width box.
BOX_LINES = 14


PARAGRAPH_CHARACTERS = 44


ITEM_CHARACTERS = 41


WIDE_ITEM_CHARACTERS = 95


# The space between paragraphs or list items, as a share of a line.
PARAGRAPH_GAP = 0.4


ITEM_GAP = 0.2


@dataclass
class Box:
    """What one box shows: its paragraphs or list items, and how many items did not fit."""

    items: list[str]
    more: int = 0

    @property
    def is_list(self) -> bool:
        return len(self.items) > 1


def _lines(text: str, width: int) -> int:
    return max(1, len(textwrap.wrap(text, width)))


def _cut(text: str, width: int, lines: int) -> str:
    """`text` cut at a word, with an ellipsis, to fit in `lines` lines of `width`."""
    words = text.split()
    while words and _lines(" ".join(words) + "…", width) > lines:
        words.pop()
    return " ".join(words).rstrip(",;:.") + "…" if words else ""


def fit(items: list[str], *, width: int, lines: float = BOX_LINES, gap: float = ITEM_GAP) -> Box:
    """As many of `items` as fit in `lines` lines (the last one cut short if need be), keeping
    a line for "and N more" when some are left out."""
    items = [" ".join(item.split()) for item in items if item.strip()]
    total = sum(_lines(item, width) + gap for item in items)
    room = lines if total <= lines else lines - 1
    shown: list[str] = []
    for item in items:
        needed = _lines(item, width)
        if needed <= room:
            shown.append(item)
            room -= needed + gap
            continue
        if room >= 1:
            cut = _cut(item, width, int(room))
            if cut:
                shown.append(cut)
        break
    return Box(shown, len(items) - len(shown))


def _paragraphs(text: str) -> list[str]:
    return [line for line in (text or "").splitlines() if line.strip()]


def briefing_context(review: Review, summary: LearningSummary | None, recommendations) -> dict:
    """Everything the briefing template shows, fitted to its boxes."""

    def field(name: str) -> str:
        return getattr(summary, name) if summary is not None else ""

    primary = [t.name for t in summary.primary_themes.all()] if summary else []
    other = [t.name for t in summary.other_themes.all()] if summary else []
    # The themes box: a "Primary:" and an "Also:" line, then the theme names as list items.
    labels = (1 if primary else 0) + (1 if other else 0)
    primary_box = fit(primary, width=ITEM_CHARACTERS, lines=BOX_LINES - labels)
    used = sum(_lines(t, ITEM_CHARACTERS) + ITEM_GAP for t in primary_box.items)
    other_box = fit(other, width=ITEM_CHARACTERS, lines=BOX_LINES - labels - used)
    return {
        "review": review,
        "background": fit(
            _paragraphs(field("background")), width=PARAGRAPH_CHARACTERS, gap=PARAGRAPH_GAP
        ),
        "why_it_matters": fit(
            _paragraphs(field("why_it_matters")), width=PARAGRAPH_CHARACTERS, gap=PARAGRAPH_GAP
        ),
        "findings": fit(_paragraphs(field("findings")), width=ITEM_CHARACTERS),
        "primary_themes": primary_box,
        "other_themes": other_box,
        "recommendations": fit(
            [f"{r.number}. {r.text}" for r in recommendations], width=WIDE_ITEM_CHARACTERS
        ),
        "questions": fit(_paragraphs(field("reflective_questions")), width=ITEM_CHARACTERS),
        "reading": fit(_paragraphs(field("further_reading")), width=ITEM_CHARACTERS),
    }
