"""The "Decision" section of the review's task list, declared: the Independent Chair's decision
(with the statutory partners' agreement when it differs from their recommendation) and what
follows it (the three notices of an LCSPR, or another learning review). "Complete the
LCSPR" and its clock belong to the Commissioning section (panels/)."""

from dataclasses import dataclass

from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone

from lcspr.accounts.models import Agency
from lcspr.core.text import long_date
from reviews.clocks import deadlines
from reviews.clocks.models import DeadlineKind
from reviews.decision import services as decision_services
from reviews.decision.models import (
    Decision,
    NationalNotice,
    NoticeRecipient,
    Outcome,
    PartnerAgreement,
)
from reviews.models import Review, Stage
from reviews.other_learning.models import OtherLearningReview
from reviews.tasklist import (
    CANNOT_START,
    COMPLETED,
    IN_PROGRESS,
    NOT_NEEDED,
    NOT_STARTED,
    Section,
    Step,
    register_section,
)

DECIDING_STAGES = (Stage.RAPID_REVIEW, Stage.AWAITING_DECISION)


@dataclass(frozen=True)
class DecisionContext:
    review: Review
    current: Decision | None  # the decision in force
    ready: bool  # the signed-off recommendation, sent to the National Panel, to decide on
    other: OtherLearningReview | None
    sent: dict[str, NationalNotice]
    rapid: object = None  # the rapid review, if there is one
    pending: Decision | None = None  # a decision awaiting the statutory partners' agreement
    not_agreed: Decision | None = None  # the latest decision, when the partners did not agree
    answers: dict[int, PartnerAgreement] | None = None  # by agency, to the pending decision
    partners: tuple[Agency, ...] = ()
    signed_off: bool = False  # the recommendation, signed off by every statutory partner

    @property
    def outcome(self) -> str | None:
        return self.current.outcome if self.current is not None else None


def _signed_off(review: Review, rapid, partners) -> bool:
    signed = {s.agency_id for s in rapid.sign_offs.all()} if rapid is not None else set()
    return (
        rapid is not None
        and bool(rapid.recommendation)
        and review.stage in DECIDING_STAGES
        and all(partner.pk in signed for partner in partners)
    )


def _ready(review: Review, rapid, partners) -> bool:
    """The decision service's rule (decision_blocker), read from what the page loaded: the
    signed-off recommendation, sent to the National Panel."""
    return _signed_off(review, rapid, partners) and rapid.sent_to_panel_on is not None


def decision_load(pages: list[dict]) -> None:
    """The partners' answers to every page's decision awaiting their agreement (one query, none
    when no decision waits)."""
    pending = [
        decision
        for page in pages
        for decision in page["decisions"]
        if decision.is_awaiting_partners
    ]
    if pending:
        prefetch_related_objects(
            pending,
            Prefetch("agreements", queryset=PartnerAgreement.objects.select_related("recorded_by")),
        )


def decision_context(page: dict) -> DecisionContext:
    review = page["review"]
    current = deadlines.current_decision(review)
    sent = {n.recipient: n for n in review.notices.all()} if current is not None else {}
    partners = tuple(page.get("statutory_partners", ()))
    signed_off = _signed_off(review, page["rapid_review"], partners)
    ready = _ready(review, page["rapid_review"], partners)
    pending = decision_services.awaiting_partners(review)
    decisions = list(review.decisions.all())
    not_agreed = decisions[-1] if decisions and decisions[-1].is_not_agreed else None
    answers = {}
    if pending is not None:
        answers = {a.agency_id: a for a in pending.agreements.all()}
    return DecisionContext(
        review,
        current,
        ready,
        page["other_learning"],
        sent,
        page["rapid_review"],
        pending,
        not_agreed,
        answers,
        partners if pending is not None else (),
        signed_off,
    )


def _undecided_status(ctx: DecisionContext) -> str:
    if ctx.pending is not None:
        return IN_PROGRESS
    if ctx.ready:
        return NOT_STARTED
    # Undecided and closed, or at a learning review held instead of a notification: no
    # decision is due.
    over = ctx.review.stage in (Stage.CLOSED, Stage.OTHER_LEARNING)
    return NOT_NEEDED if over else CANNOT_START


def _pending_hint(ctx: DecisionContext) -> str:
    return f"{ctx.pending.get_outcome_display()}, awaiting the statutory partners' agreement"


def _undecided_hint(ctx: DecisionContext) -> str:
    if ctx.pending is not None:
        return _pending_hint(ctx)
    if ctx.not_agreed is not None:
        return (
            f"The statutory partners did not agree to {ctx.not_agreed.get_outcome_display()}: "
            "escalated to resolve; then record a new decision"
        )
    if ctx.ready or _undecided_status(ctx) == NOT_NEEDED:
        return ""
    if ctx.signed_off:
        return "Needs the rapid review sent to the National Panel first"
    return "Needs the signed-off recommendation first"


def _may_change(ctx: DecisionContext, user) -> bool:
    """A decision may change until the review closes, or after it closed with no further
    action (new information reopens it)."""
    if ctx.pending is not None:
        return False
    return ctx.review.stage != Stage.CLOSED or ctx.outcome == Outcome.NO_FURTHER_ACTION


def _decided_hint(ctx: DecisionContext) -> str:
    hint = f"{ctx.current.get_outcome_display()} ({long_date(ctx.current.decided_on)})"
    if ctx.pending is not None:
        hint += (
            f"; the change to {ctx.pending.get_outcome_display()} awaits the statutory "
            "partners' agreement"
        )
    elif ctx.not_agreed is not None:
        hint += (
            f"; the statutory partners did not agree to the change to "
            f"{ctx.not_agreed.get_outcome_display()}"
        )
    return hint


def _agreement_line(ctx: DecisionContext, partner: Agency) -> tuple[str, None]:
    answer = ctx.answers.get(partner.pk)
    if answer is None:
        return f"{partner}: not yet answered", None
    answered_on = long_date(timezone.localtime(answer.recorded_at))
    return f"{partner}: agreed by {answer.recorded_by} on {answered_on}", None


def _notice_hint(ctx: DecisionContext, recipient: str) -> str:
    notice = ctx.sent.get(recipient)
    if notice is None:
        return ""
    hint = f"{NoticeRecipient(recipient).label} told on {long_date(notice.sent_on)}"
    return hint + (f"; their reference is {notice.reference}" if notice.reference else "")


def _notice_step(recipient: str, kind: str) -> Step:
    """One of the three notices of an LCSPR, each with its own clock."""
    return Step(
        DeadlineKind(kind).label,
        lambda ctx: COMPLETED if recipient in ctx.sent else NOT_STARTED,
        action="manage",
        url_name="reviews:notice",
        url_args=lambda ctx: [ctx.review.pk, recipient],
        open=lambda ctx, user: recipient not in ctx.sent,
        hint=lambda ctx: _notice_hint(ctx, recipient),
        clock=kind,
        shown=lambda ctx: ctx.outcome == Outcome.LCSPR,
    )


def _other_learning_status(ctx: DecisionContext) -> str:
    if ctx.other is None:
        return NOT_STARTED
    return COMPLETED if ctx.other.closed_on else IN_PROGRESS


def _other_learning_hint(ctx: DecisionContext) -> str:
    if ctx.other is None:
        return "A reflective learning session or practice review"
    if ctx.other.closed_on:
        return f"Closed on {long_date(ctx.other.closed_on)}"
    return ctx.other.get_kind_display()


STEPS = (
    Step(
        "Independent Chair's decision",
        COMPLETED,
        action="decide",
        url_name="reviews:decision_change",
        open=_may_change,
        hint=_decided_hint,
        shown=lambda ctx: ctx.current is not None,
    ),
    Step(
        "Independent Chair's decision",
        _undecided_status,
        action="decide",
        url_name="reviews:decision",
        open=lambda ctx, user: ctx.ready and ctx.pending is None,
        hint=_undecided_hint,
        shown=lambda ctx: ctx.current is None,
    ),
    Step(
        "Partners' agreement to the decision",
        lambda ctx: IN_PROGRESS if ctx.answers else NOT_STARTED,
        action="sign_off",
        url_name="reviews:decision_agreement",
        # A lead answers once, for their own agency.
        open=lambda ctx, user: user.agency_id not in ctx.answers,
        hint="The decision differs from the partners' recommendation: it takes effect once all "
        "three statutory partners agree",
        lines=lambda ctx: [_agreement_line(ctx, partner) for partner in ctx.partners],
        shown=lambda ctx: ctx.pending is not None,
    ),
    Step(
        "Notices to the DfE, Ofsted and the National Panel, or another learning review",
        CANNOT_START,
        hint="Depends on the decision",
        shown=lambda ctx: ctx.current is None and _undecided_status(ctx) != NOT_NEEDED,
    ),
    *(_notice_step(recipient, kind) for recipient, kind in deadlines.NOTICE_KINDS.items()),
    Step(
        "Other learning review",
        _other_learning_status,
        action="manage",
        url_name="reviews:other_learning",
        open=lambda ctx, user: ctx.review.stage == Stage.OTHER_LEARNING,
        hint=_other_learning_hint,
        shown=lambda ctx: ctx.outcome == Outcome.OTHER_LEARNING,
    ),
)

DECISION = Section("Decision", 40, decision_context, STEPS, load=decision_load)

register_section(DECISION)
