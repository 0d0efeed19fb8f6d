"""The reminders' clocks: the registry every domain app adds its providers of due items to.

Each domain app registers a *clock provider* from its AppConfig.ready():
`register_clock(name, provider)`, where `provider(today) -> Iterable[Due]` lists every open
obligation it knows (a statutory deadline, a request's due date, an action's due date, an action
without an update). The reminders app imports no domain app: the daily scan
(lcspr.reminders.services.scan) and the manager's list of what is due ask every provider.
"""

import datetime
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Due:
    """One open obligation, as a provider reports it.

    key: stable identity of the obligation, unique across providers, e.g. "deadline:42",
        "summary-request:7", "action:310", "action-stale:310".
    title: what must be done, e.g. "Send the rapid review to the National Panel". No case
        detail beyond the review reference and pseudonym ever goes into a reminder.
    due_date: the date it is due (for stale items: the date the update became overdue).
    url: the path of the page where it is done (e.g. "/reviews/12/"); made absolute with
        SITE_URL in e-mails.
    responsible: ids of the users who should act (the first step of the escalation chain).
    review_label: "CSPR-2026-004 (Child T)" or "" when not about one review.
    review_id: the review's id, or None.
    escalates: False for purely informative items (e.g. a takedown date) that remind the
        responsible people but never escalate.
    kind: a short label for the sent-log and filters, e.g. "Statutory deadline", "Action".
    extra: anything else; the mechanism reads one key, "daily": True for obligations reminded
        every working day until done (the national notices after an LCSPR decision, the
        pre-publication sending) instead of only at the usual thresholds.
    """

    key: str
    title: str
    due_date: datetime.date
    url: str
    responsible: tuple[int, ...]
    review_label: str = ""
    review_id: int | None = None
    escalates: bool = True
    kind: str = ""
    extra: dict = field(default_factory=dict, compare=False, hash=False)


ClockProvider = Callable[[datetime.date], Iterable[Due]]
_providers: dict[str, ClockProvider] = {}


def register_clock(name: str, provider: ClockProvider) -> None:
    """Add a provider of due items (one per kind of clock); the name appears in the sent-log."""
    _providers[name] = provider


def unregister_clock(name: str) -> None:
    """Remove a provider (tests register their own and take it away afterwards)."""
    _providers.pop(name, None)


def providers() -> dict[str, ClockProvider]:
    """The registered providers, by name."""
    return dict(_providers)


def clock_label(name: str) -> str:
    """ "statutory_deadlines" as "Statutory deadlines"."""
    return name.replace("_", " ").replace("-", " ").capitalize()


def ask_providers(today: datetime.date, errors: list[str] | None = None):
    """(name, items) for each provider, by name; a provider that fails is logged, added to
    `errors` and skipped."""
    for name, provider in sorted(providers().items()):
        try:
            items = list(provider(today))
        except Exception:  # one broken clock must not silence the others
            logger.exception("The reminder clock %r failed", name)
            if errors is not None:
                errors.append(name)
            continue
        yield name, items
