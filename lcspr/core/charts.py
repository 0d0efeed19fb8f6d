"""Server-rendered SVG bar charts (the action-plan dashboard, the yearly report on reviews): no
JavaScript, no inline styles (colours come from CSS classes in static/src/_components.scss). A
chart is a picture for sighted readers; the table that follows each one carries the same
figures for everyone else."""

from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.utils.safestring import mark_safe

WIDTH = 960
LABEL_WIDTH = 300
VALUE_WIDTH = 60
BAR_HEIGHT = 22
ROW_GAP = 10
LEGEND_HEIGHT = 30
LABEL_CHARS = 40


@dataclass
class Segment:
    """Part of a bar: a count of one series (a status, a RAG rating)."""

    value: int
    series: str  # CSS modifier: app-chart__bar--<series>
    name: str  # what the series is, for the legend and the segment's tooltip


@dataclass
class Bar:
    label: str
    segments: list[Segment]

    @property
    def total(self) -> int:
        return sum(s.value for s in self.segments)


def _attr(text: str) -> str:
    return escape(text, {'"': "&quot;"})


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


def bar_chart(
    title: str,
    bars: list[Bar],
    *,
    legend: list[Segment] = (),
    describedby="",
    empty: str = "No actions",
):
    """A horizontal bar chart, one bar per row, each bar stacked by series, its total at the
    end; `empty` is said when there is no bar. Every label is XML-escaped before the markup is
    marked safe."""
    top = LEGEND_HEIGHT if legend else 0
    height = top + max(len(bars), 1) * (BAR_HEIGHT + ROW_GAP) + ROW_GAP
    plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    biggest = max((bar.total for bar in bars), default=0) or 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" aria-label="{_attr(title)}"'
        + (f' aria-describedby="{_attr(describedby)}"' if describedby else "")
        + ">",
        f"<title>{escape(title)}</title>",
    ]
    x = LABEL_WIDTH
    for item in legend:
        parts.append(
            f'<rect class="app-chart__bar app-chart__bar--{_attr(item.series)}" x="{x}" y="6" '
            f'width="14" height="14" />'
            f'<text class="app-chart__legend" x="{x + 20}" y="18">{escape(item.name)}</text>'
        )
        x += 34 + 8 * len(item.name)
    if not bars:
        parts.append(
            f'<text class="app-chart__label" x="0" y="{top + BAR_HEIGHT}">{escape(empty)}</text>'
        )
    for index, bar in enumerate(bars):
        y = top + ROW_GAP + index * (BAR_HEIGHT + ROW_GAP)
        baseline = y + BAR_HEIGHT / 2 + 5
        parts.append(
            f'<text class="app-chart__label" x="{LABEL_WIDTH - 8}" y="{baseline:.1f}" '
            f'text-anchor="end">{escape(_short(bar.label))}</text>'
        )
        x = float(LABEL_WIDTH)
        for segment in bar.segments:
            if not segment.value:
                continue
            width = plot * segment.value / biggest
            parts.append(
                f'<rect class="app-chart__bar app-chart__bar--{_attr(segment.series)}" '
                f'x="{x:.1f}" y="{y}" width="{width:.1f}" height="{BAR_HEIGHT}">'
                f"<title>{escape(bar.label)}: {segment.value} {escape(segment.name.lower())}"
                "</title></rect>"
            )
            x += width
        parts.append(
            f'<text class="app-chart__value" x="{x + 6:.1f}" y="{baseline:.1f}">{bar.total}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every label above is escaped
