"""The "Referral" and "Notification" sections of the review's task list, declared: the case
details, children and criteria check, closing a referral that does not meet the criteria (or
holding a learning review instead), and the notifications that follow (the National Panel,
the safeguarding partners, and the DfE and Ofsted after a looked-after child's death)."""

from dataclasses import dataclass

from lcspr.core.text import long_date
from reviews.clocks.models import DeadlineKind
from reviews.models import Review, Stage
from reviews.other_learning.models import OtherLearningReview
from reviews.referral import services as referral_services
from reviews.referral.models import LookedAfterDeathNotice, Notification
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


@dataclass(frozen=True)
class ReferralContext:
    review: Review
    notification: Notification | None
    children: int
    death_notice: LookedAfterDeathNotice | None = None
    other: OtherLearningReview | None = None  # a learning review, from the decision or instead

    @property
    def is_referral(self) -> bool:
        return self.review.stage == Stage.REFERRAL

    @property
    def closed(self) -> bool:
        return self.review.stage == Stage.CLOSED

    @property
    def learning_instead(self) -> bool:
        """A learning review held instead of a notification (the criteria were not met)."""
        return self.notification is None and self.other is not None

    @property
    def closed_unnotified(self) -> bool:
        """Closed at the referral stage, as not notifiable."""
        return self.closed and self.notification is None and not self.learning_instead

    @property
    def not_notified(self) -> bool:
        """The referral left without a notification: none is due any more."""
        return self.closed_unnotified or self.learning_instead

    @property
    def may_notify(self) -> bool:
        return self.is_referral and bool(self.review.criteria_met)

    @property
    def dfe_told(self) -> bool:
        return self.death_notice is not None


def referral_context(page: dict) -> ReferralContext:
    review = page["review"]
    return ReferralContext(
        review,
        page["notification"],
        len(review.children.all()),
        death_notice=page.get("looked_after_death_notice"),
        other=page.get("other_learning"),
    )


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _children_hint(ctx: ReferralContext) -> str:
    if not ctx.children:
        return "No children recorded yet"
    return _count(ctx.children, "child recorded", "children recorded")


def _criteria_hint(ctx: ReferralContext) -> str:
    if not ctx.review.criteria_checked:
        return ""
    return "The criteria are met" if ctx.review.criteria_met else "The criteria are not met"


def _closing_shown(ctx: ReferralContext) -> bool:
    review = ctx.review
    return (review.criteria_checked and not review.criteria_met) or ctx.closed_unnotified


def _closing_status(ctx: ReferralContext) -> str:
    if ctx.closed_unnotified:
        return COMPLETED
    return NOT_NEEDED if ctx.learning_instead else NOT_STARTED


def _learning_status(ctx: ReferralContext) -> str:
    if ctx.other is not None:
        return COMPLETED if ctx.other.closed_on else IN_PROGRESS
    return NOT_NEEDED if ctx.closed else NOT_STARTED


def _learning_hint(ctx: ReferralContext) -> str:
    other = ctx.other
    if other is None:
        return "" if ctx.closed else "A reflective learning session or practice review"
    if other.closed_on:
        return f"{other.get_kind_display()} closed on {long_date(other.closed_on)}"
    if other.held_on:
        return f"{other.get_kind_display()} held on {long_date(other.held_on)}"
    if other.scope_sent_on:
        return (
            f"{other.get_kind_display()}; scope sent to the practitioners on "
            f"{long_date(other.scope_sent_on)}"
        )
    return f"{other.get_kind_display()}; send the scope to the practitioners next"


REFERRAL_STEPS = (
    Step(
        "Case details",
        COMPLETED,
        action="manage",
        url_name="reviews:edit",
        open=lambda ctx, user: not ctx.closed,
        hint=lambda ctx: (
            f"{ctx.review.get_trigger_display()}; referred by {ctx.review.referring_agency}"
        ),
    ),
    Step(
        "Children",
        lambda ctx: COMPLETED if ctx.children else NOT_STARTED,
        action="manage",
        url_name="reviews:child_add",
        open=lambda ctx, user: not ctx.closed and ctx.children < referral_services.MAX_CHILDREN,
        hint=_children_hint,
    ),
    Step(
        "Criteria check",
        lambda ctx: COMPLETED if ctx.review.criteria_checked else NOT_STARTED,
        action="manage",
        url_name="reviews:criteria",
        open=lambda ctx, user: ctx.is_referral,
        hint=_criteria_hint,
    ),
    Step(
        "Close the referral",
        _closing_status,
        action="manage",
        url_name="reviews:close",
        open=lambda ctx, user: ctx.is_referral,
        hint=lambda ctx: ctx.review.closed_reason if ctx.closed_unnotified else "",
        shown=_closing_shown,
    ),
    # The other way out of a referral that does not meet the criteria: its learning is still
    # wanted. Once started, the row follows the learning review to its own pages.
    Step(
        "Hold a learning review instead",
        _learning_status,
        action="manage",
        url_name="reviews:learning_review_start",
        open=lambda ctx, user: ctx.is_referral,
        hint=_learning_hint,
        shown=lambda ctx: _closing_shown(ctx) and not ctx.learning_instead,
    ),
    Step(
        "Hold a learning review instead",
        _learning_status,
        action="manage",
        url_name="reviews:other_learning",
        open=lambda ctx, user: ctx.review.stage == Stage.OTHER_LEARNING,
        hint=_learning_hint,
        shown=lambda ctx: ctx.learning_instead,
    ),
)


def _notification_status(ctx: ReferralContext, done: bool) -> str:
    if done:
        return COMPLETED
    if ctx.closed or ctx.not_notified:
        return NOT_NEEDED
    return NOT_STARTED if ctx.review.criteria_met else CANNOT_START


def _panel_hint(ctx: ReferralContext) -> str:
    notification = ctx.notification
    if notification is None:
        met_or_over = ctx.review.criteria_met or ctx.closed or ctx.not_notified
        return "" if met_or_over else "Record that the criteria are met first"
    hint = f"Sent on {long_date(notification.sent_on)}"
    if notification.panel_reference:
        hint += f"; the Panel's reference is {notification.panel_reference}"
    return hint


def _partners_status(ctx: ReferralContext) -> str:
    if ctx.review.partners_informed_on:
        return COMPLETED
    return NOT_NEEDED if ctx.not_notified else NOT_STARTED


def _partners_hint(ctx: ReferralContext) -> str:
    informed_on = ctx.review.partners_informed_on
    return f"Informed on {long_date(informed_on)}" if informed_on else ""


def _dfe_hint(ctx: ReferralContext) -> str:
    if not ctx.dfe_told:
        return "Whatever the cause of death, whether or not the National Panel is notified"
    notice = ctx.death_notice
    return (
        f"DfE notified on {long_date(notice.dfe_notified_on)}; Ofsted notified on "
        f"{long_date(notice.ofsted_notified_on)}"
    )


def _dfe_status(ctx: ReferralContext) -> str:
    return COMPLETED if ctx.dfe_told else NOT_STARTED


NOTIFICATION_STEPS = (
    Step(
        "Notify the National Panel",
        lambda ctx: _notification_status(ctx, ctx.notification is not None),
        action="manage",
        url_name="reviews:notification",
        open=lambda ctx, user: ctx.may_notify,
        hint=_panel_hint,
        clock=DeadlineKind.NOTIFICATION,
    ),
    Step(
        "Inform the safeguarding partners",
        _partners_status,
        action="manage",
        url_name="reviews:partners_informed",
        # Still recordable on a closed review while not recorded: its clock must stay closable.
        open=lambda ctx, user: (
            not ctx.not_notified and not (ctx.closed and ctx.review.partners_informed_on)
        ),
        hint=_partners_hint,
        clock=DeadlineKind.PARTNERS_INFORMED,
    ),
    Step(
        "Notify the DfE and Ofsted of a looked-after child's death",
        _dfe_status,
        action="manage",
        url_name="reviews:looked_after_death",
        hint=_dfe_hint,
        clock=DeadlineKind.LOOKED_AFTER_DEATH,
        shown=lambda ctx: ctx.review.is_looked_after_death,
    ),
)

REFERRAL = Section("Referral", 10, referral_context, REFERRAL_STEPS)
NOTIFICATION = Section("Notification", 20, referral_context, NOTIFICATION_STEPS)

register_section(REFERRAL)
register_section(NOTIFICATION)
