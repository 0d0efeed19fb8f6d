"""The "Chronologies" section of a review's task list, declared: asking the agencies, each
agency's chronology with its status and lateness in working days, and the merged chronology.
Two queries whatever the number of agencies; each row links to its page only for those who may
see it."""

from types import SimpleNamespace

from django.db.models import Count, Prefetch, prefetch_related_objects
from django.utils import timezone

from chronologies.models import ChronologyRequest, RequestStatus
from chronologies.permissions import may_know_request
from lcspr.core.permissions import can
from lcspr.core.text import long_date
from reviews.models import Stage
from reviews.tasklist import (
    CANNOT_START,
    COMPLETED,
    IN_PROGRESS,
    NOT_STARTED,
    Section,
    Step,
    pages_where,
    register_section,
)
from reviews.terms.models import TermsOfReference

# Chronologies are asked for once the decision is an LCSPR; the review keeps them after.
LATER_STAGES = tuple(
    set(Stage.values) - {Stage.REFERRAL, Stage.RAPID_REVIEW, Stage.AWAITING_DECISION}
)

STATUS = {
    RequestStatus.DRAFT: NOT_STARTED,
    RequestStatus.SUBMITTED: IN_PROGRESS,
    RequestStatus.RETURNED: IN_PROGRESS,
    RequestStatus.ACCEPTED: COMPLETED,
}


class ChronologiesContext:
    """The review's chronologies with their entry counts, and which of them each user may
    open (from the permission facts loaded once per request)."""

    def __init__(self, review, chronologies: list[ChronologyRequest], today, cal):
        self.review, self.chronologies = review, chronologies
        self.today, self.calendar = today, cal
        self._visible: dict[int, set[int]] = {}

    @property
    def accepted(self) -> int:
        return sum(1 for c in self.chronologies if c.status == RequestStatus.ACCEPTED)

    def visible_to(self, user) -> set[int]:
        if user.pk not in self._visible:
            self._visible[user.pk] = {c.pk for c in self.chronologies if may_know_request(user, c)}
        return self._visible[user.pk]


def chronologies_load(pages: list[dict]) -> None:
    """Every page's chronologies with their entry counts, and the Terms of Reference of the
    LCSPRs (to know whether chronologies can be asked for): none before the decision."""
    reviews = pages_where(pages, lambda page: page["review"].stage in LATER_STAGES)
    if reviews:
        prefetch_related_objects(
            reviews,
            Prefetch(
                "chronologies",
                queryset=ChronologyRequest.objects.select_related("agency").annotate(
                    entry_count=Count("entries")
                ),
            ),
            "tor_versions",
        )


def chronologies_context(page: dict) -> ChronologiesContext | None:
    """None until chronologies have been asked for, or can be (an LCSPR with agreed Terms of
    Reference)."""
    review = page["review"]
    if review.stage not in LATER_STAGES:
        return None
    chronologies = list(review.chronologies.all())
    for chronology in chronologies:
        chronology.review = review
    agreed = any(t.status == TermsOfReference.Status.AGREED for t in review.tor_versions.all())
    if not chronologies and not (review.stage == Stage.LCSPR and agreed):
        return None
    return ChronologiesContext(review, chronologies, page["today"], page["calendar"])


def _hint(chronology) -> str:
    entries = f"{chronology.entry_count} {'entry' if chronology.entry_count == 1 else 'entries'}"
    if chronology.status == RequestStatus.ACCEPTED:
        return f"Accepted on {long_date(timezone.localtime(chronology.accepted_at))}; {entries}"
    if chronology.status == RequestStatus.SUBMITTED:
        return f"Submitted, waiting for a decision; {entries}"
    if chronology.status == RequestStatus.RETURNED:
        return f"Returned to the agency for changes; {entries}"
    return f"Not yet submitted; {entries}"


def _clock(ctx: ChronologiesContext, chronology):
    """The agency's due date, counted in working days, until the chronology is accepted."""
    if chronology.status == RequestStatus.ACCEPTED:
        return None
    countdown = ctx.calendar.count_between(ctx.today, chronology.due_date)
    return SimpleNamespace(due_date=chronology.due_date, countdown=countdown)


def _chronology_to_do(chronology, user) -> bool:
    """Writing it is the agency's while it is a draft or returned; once submitted, accepting or
    returning it is the manager's or the panel chair's. Everyone else reads it."""
    if chronology.status in (RequestStatus.DRAFT, RequestStatus.RETURNED):
        return can(user, "edit", chronology)
    return chronology.status == RequestStatus.SUBMITTED and can(user, "decide", chronology)


def _chronology_step(chronology) -> Step:
    """An agency's chronology: open to those who may see that request (action None: the
    request, not the review, decides)."""
    return Step(
        f"{chronology.agency} chronology",
        STATUS[chronology.status],
        url_name="chronologies:request",
        url_args=lambda ctx: [chronology.pk],
        open=lambda ctx, user: chronology.pk in ctx.visible_to(user),
        hint=_hint(chronology),
        clock=lambda ctx: _clock(ctx, chronology),
        to_do=lambda ctx, user: _chronology_to_do(chronology, user),
    )


def _asked_hint(ctx: ChronologiesContext) -> str:
    n = len(ctx.chronologies)
    if not n:
        return "Every agency in scope of the agreed Terms of Reference"
    return f"{n} {'agency' if n == 1 else 'agencies'} asked"


def _merged_status(ctx: ChronologiesContext) -> str:
    if not ctx.accepted:
        return CANNOT_START
    return COMPLETED if ctx.accepted == len(ctx.chronologies) else IN_PROGRESS


def _merged_hint(ctx: ChronologiesContext) -> str:
    if not ctx.chronologies:
        return "Built from the accepted agency chronologies"
    return f"{ctx.accepted} of {len(ctx.chronologies)} agency chronologies accepted"


ASK = Step(
    "Ask the agencies for their chronologies",
    lambda ctx: COMPLETED if ctx.chronologies else NOT_STARTED,
    action="request_chronologies",
    url_name="chronologies:review_requests",
    hint=_asked_hint,
)
MERGED = Step(
    "Merged chronology",
    _merged_status,
    action="view_merged",
    url_name="chronologies:merged",
    hint=_merged_hint,
    to_do=False,
)


def chronologies_steps(ctx: ChronologiesContext) -> list[Step]:
    """Asking, then a row per agency's chronology, then the merged chronology."""
    return [ASK, *(_chronology_step(c) for c in ctx.chronologies), MERGED]


SECTION = Section(
    "Chronologies", 200, chronologies_context, chronologies_steps, load=chronologies_load
)

register_section(SECTION)
