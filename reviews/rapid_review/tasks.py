"""The "Rapid review" section of the review's task list, declared: findings, meetings, immediate
safety actions, agency summaries, the partners' recommendation and their sign-offs, sending it to
the National Panel and the Panel's response. Before the notification is recorded every row waits
(or is not needed once the referral closed)."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Max, Prefetch, prefetch_related_objects
from django.utils import timezone

from lcspr.accounts.models import Agency
from lcspr.core.text import long_date
from reviews.clocks.models import DeadlineKind
from reviews.models import Review, Stage
from reviews.rapid_review import services as rapid_review_services
from reviews.rapid_review.models import (
    AgencySummaryRequest,
    ImmediateAction,
    PartnerSignOff,
    RapidReview,
    RapidReviewMeeting,
)
from reviews.tasklist import (
    CANNOT_START,
    COMPLETED,
    IN_PROGRESS,
    NONE_RECORDED,
    NOT_NEEDED,
    NOT_STARTED,
    Section,
    Step,
    per_review,
    register_section,
)


@dataclass(frozen=True)
class RapidReviewContext:
    review: Review
    rapid: RapidReview | None
    meetings: int
    last_meeting: datetime.date | None
    actions: int
    requests: list[AgencySummaryRequest]
    sign_offs: dict[int, PartnerSignOff]
    partners: list[Agency]

    @property
    def in_stage(self) -> bool:
        return self.review.stage == Stage.RAPID_REVIEW

    @property
    def empty(self) -> str:
        """The status of an optional step with nothing recorded."""
        return NOT_STARTED if self.in_stage else NONE_RECORDED

    @property
    def received(self) -> list[AgencySummaryRequest]:
        return [r for r in self.requests if r.received_on]

    @property
    def missing(self) -> list[Agency]:
        return [p for p in self.partners if p.pk not in self.sign_offs]

    @property
    def ready_to_send(self) -> bool:
        return bool(self.rapid.recommendation) and not self.missing


def rapid_review_annotate(today) -> dict:
    """The rapid review's meetings and immediate actions, counted in the reviews' own query."""
    return {
        "rapid_meetings": per_review(
            RapidReviewMeeting.objects.all(), Count("pk"), review="rapid_review__review"
        ),
        "rapid_last_meeting": per_review(
            RapidReviewMeeting.objects.all(), Max("held_on"), review="rapid_review__review"
        ),
        "rapid_actions": per_review(
            ImmediateAction.objects.all(), Count("pk"), review="rapid_review__review"
        ),
    }


def rapid_review_load(pages: list[dict]) -> None:
    """The sign-offs of every page's rapid review, and the statutory partners (once)."""
    rapids = [page["rapid_review"] for page in pages if page["rapid_review"] is not None]
    if not rapids:
        return
    prefetch_related_objects(
        rapids, Prefetch("sign_offs", queryset=PartnerSignOff.objects.select_related("signed_by"))
    )
    partners = list(rapid_review_services.statutory_partners())
    for page in pages:
        page["statutory_partners"] = partners


def rapid_review_context(page: dict) -> RapidReviewContext:
    review, rapid = page["review"], page["rapid_review"]
    if rapid is None:
        return RapidReviewContext(review, None, 0, None, 0, [], {}, [])
    return RapidReviewContext(
        review,
        rapid,
        meetings=review.rapid_meetings,
        last_meeting=review.rapid_last_meeting,
        actions=review.rapid_actions,
        requests=list(review.agency_summaries.all()),
        sign_offs={s.agency_id: s for s in rapid.sign_offs.all()},
        partners=page["statutory_partners"],
    )


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _pending_status(ctx: RapidReviewContext) -> str:
    # No rapid review follows a referral closed, or sent to a learning review, unnotified.
    unnotified = ctx.review.stage in (Stage.CLOSED, Stage.OTHER_LEARNING)
    return NOT_NEEDED if unnotified else CANNOT_START


def _pending_hint(ctx: RapidReviewContext) -> str:
    return "" if _pending_status(ctx) == NOT_NEEDED else "Starts when the notification is recorded"


PENDING_STEPS = tuple(
    Step(name, _pending_status, hint=_pending_hint)
    for name in (
        "Findings",
        "Meetings",
        "Immediate safety actions",
        "Agency summaries",
        "Recommendation",
        "Partner sign-offs",
        "Send to the National Panel",
        "National Panel's response",
    )
)


def _findings_status(ctx: RapidReviewContext) -> str:
    rapid = ctx.rapid
    findings = [rapid.facts, rapid.emerging_learning]
    if all(findings):
        return COMPLETED
    if any(findings) or rapid.equality_context:
        return IN_PROGRESS
    return ctx.empty


def _meetings_hint(ctx: RapidReviewContext) -> str:
    hint = _count(ctx.meetings, "meeting", "meetings")
    return hint + (f", the latest on {long_date(ctx.last_meeting)}" if ctx.meetings else "")


def _summaries_status(ctx: RapidReviewContext) -> str:
    if not ctx.requests:
        return ctx.empty
    return COMPLETED if len(ctx.received) == len(ctx.requests) else IN_PROGRESS


def _summaries_hint(ctx: RapidReviewContext) -> str:
    if not ctx.requests:
        return "No agency has been asked yet"
    return f"{len(ctx.received)} of {len(ctx.requests)} received"


def _summary_lines(ctx: RapidReviewContext) -> list:
    return [
        (f"{r.agency}: received on {long_date(r.received_on)}", None)
        if r.received_on
        else (f"{r.agency}: due by {long_date(r.due_date)}", r.countdown)
        for r in ctx.requests
    ]


def _sign_off_status(ctx: RapidReviewContext) -> str:
    if not ctx.rapid.recommendation:
        return CANNOT_START
    if not ctx.missing:
        return COMPLETED
    return IN_PROGRESS if ctx.sign_offs else NOT_STARTED


def _sign_off_open(ctx: RapidReviewContext, user) -> bool:
    """A partner lead signs off once, for their own agency, while the rapid review is open."""
    return ctx.in_stage and bool(ctx.rapid.recommendation) and user.agency_id not in ctx.sign_offs


def _sign_off_line(ctx: RapidReviewContext, partner: Agency) -> tuple[str, None]:
    sign_off = ctx.sign_offs.get(partner.pk)
    if sign_off is None:
        return f"{partner}: not yet signed off", None
    signed_at = long_date(timezone.localtime(sign_off.signed_at))
    return f"{partner}: signed off by {sign_off.signed_by} on {signed_at}", None


def _send_status(ctx: RapidReviewContext) -> str:
    if ctx.rapid.sent_to_panel_on:
        return COMPLETED
    return NOT_STARTED if ctx.ready_to_send else CANNOT_START


def _send_hint(ctx: RapidReviewContext) -> str:
    if ctx.rapid.sent_to_panel_on:
        return f"Sent on {long_date(ctx.rapid.sent_to_panel_on)}"
    if ctx.ready_to_send:
        return ""
    return "Needs the recommendation signed off by every statutory partner"


def _response_status(ctx: RapidReviewContext) -> str:
    if ctx.rapid.panel_response:
        return COMPLETED
    return NOT_STARTED if ctx.rapid.sent_to_panel_on else CANNOT_START


def _response_hint(ctx: RapidReviewContext) -> str:
    rapid = ctx.rapid
    if not rapid.panel_response:
        return ""
    return f"{rapid.get_panel_response_display()} ({long_date(rapid.panel_response_on)})"


def _in_stage(ctx: RapidReviewContext, user) -> bool:
    return ctx.in_stage


STEPS = (
    Step(
        "Findings",
        _findings_status,
        action="manage",
        url_name="reviews:rapid_review",
        open=_in_stage,
        hint="Facts, emerging learning, equality context and the local-review criteria",
    ),
    Step(
        "Meetings",
        lambda ctx: COMPLETED if ctx.meetings else ctx.empty,
        action="manage",
        url_name="reviews:meeting_add",
        open=_in_stage,
        hint=_meetings_hint,
    ),
    Step(
        "Immediate safety actions",
        lambda ctx: COMPLETED if ctx.actions else ctx.empty,
        action="manage",
        url_name="reviews:immediate_action_add",
        open=_in_stage,
        hint=lambda ctx: _count(ctx.actions, "action recorded", "actions recorded"),
    ),
    Step(
        "Agency summaries",
        _summaries_status,
        action="manage",
        url_name="reviews:summary_request_add",
        open=_in_stage,
        hint=_summaries_hint,
        lines=_summary_lines,
    ),
    Step(
        "Recommendation",
        lambda ctx: COMPLETED if ctx.rapid.recommendation else NOT_STARTED,
        action="manage",
        url_name="reviews:recommendation",
        open=_in_stage,
        hint=lambda ctx: ctx.rapid.get_recommendation_display(),
    ),
    Step(
        "Partner sign-offs",
        _sign_off_status,
        action="sign_off",
        url_name="reviews:sign_off",
        open=_sign_off_open,
        hint=lambda ctx: (
            "" if ctx.rapid.recommendation else "Needs the partners' recommendation first"
        ),
        lines=lambda ctx: [_sign_off_line(ctx, partner) for partner in ctx.partners],
    ),
    Step(
        "Send to the National Panel",
        _send_status,
        action="manage",
        url_name="reviews:send",
        open=lambda ctx, user: (
            ctx.in_stage and ctx.ready_to_send and not ctx.rapid.sent_to_panel_on
        ),
        hint=_send_hint,
        clock=DeadlineKind.RAPID_REVIEW,
    ),
    Step(
        "National Panel's response",
        _response_status,
        action="manage",
        url_name="reviews:panel_response",
        open=lambda ctx, user: bool(ctx.rapid.sent_to_panel_on),
        hint=_response_hint,
        # Awaited while the decision is; after it, the row stays only to record a late reply.
        to_do=lambda ctx, user: ctx.review.stage in (Stage.RAPID_REVIEW, Stage.AWAITING_DECISION),
    ),
)

RAPID_REVIEW = Section(
    "Rapid review",
    30,
    rapid_review_context,
    lambda ctx: PENDING_STEPS if ctx.rapid is None else STEPS,
    annotate=rapid_review_annotate,
    load=rapid_review_load,
)

register_section(RAPID_REVIEW)
