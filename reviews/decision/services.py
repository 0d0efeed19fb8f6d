"""The decision and the notices that follow it."""

import datetime

from django.db import transaction

from lcspr.core.exceptions import WorkflowError
from lcspr.core.services import (
    lock_row,
    require_not_future,
    save_with_history,
    timeline_event,
)
from lcspr.core.text import long_date
from reviews.clocks import deadlines
from reviews.decision.models import Decision, NationalNotice, Outcome
from reviews.models import Review, Stage
from reviews.rapid_review.models import RapidReview
from reviews.rapid_review.services import missing_sign_offs
from reviews.workflow import set_stage

OUTCOME_STAGE = {
    Outcome.LCSPR: Stage.LCSPR,
    Outcome.OTHER_LEARNING: Stage.OTHER_LEARNING,
    Outcome.NO_FURTHER_ACTION: Stage.CLOSED,
    Outcome.NATIONAL_REVIEW: Stage.NATIONAL_REVIEW,
}


def _apply_outcome(review: Review, outcome: str, by) -> None:
    set_stage(review, OUTCOME_STAGE[outcome], by)
    deadlines.refresh(review, by=by)


def decision_blocker(review: Review) -> str:
    """Why the Independent Chair cannot record a first decision now ("" when they can); the
    decision page shows it before the Chair fills anything in."""
    if review.decisions.exists():
        return (
            "A decision is already recorded. To change it, record a new decision "
            "with the reason for the change."
        )
    if review.stage not in (Stage.RAPID_REVIEW, Stage.AWAITING_DECISION):
        return (
            f"You cannot record the decision now: the review is at the "
            f"{review.get_stage_display().lower()} stage, and this can only be done at the "
            "rapid review or awaiting decision stage."
        )
    rapid_review = RapidReview.objects.filter(review=review).first()
    if rapid_review is None or not rapid_review.recommendation:
        return "The partners have not made a recommendation yet."
    missing = missing_sign_offs(rapid_review)
    if missing:
        return (
            "The recommendation has not been signed off by every statutory partner. Still to "
            f"sign off: {', '.join(str(a) for a in missing)}."
        )
    if rapid_review.sent_to_panel_on is None:
        # The rapid review cannot be skipped: a decision taken before it was sent would leave
        # its clock open with nothing able to close it.
        return (
            "Record the date the rapid review was sent to the National Panel before the decision."
        )
    return ""


@transaction.atomic
def decision_record(
    *, review: Review, by, outcome: str, rationale: str, decided_on: datetime.date
) -> Decision:
    """The Independent Chair decides, on the partners' recommendation, whether a review goes
    ahead. Recorded once; a change is `decision_change`."""
    review = lock_row(review)
    blocker = decision_blocker(review)
    if blocker:
        raise WorkflowError(blocker)
    if not rationale.strip():
        raise WorkflowError({"rationale": "Enter the reasons for the decision"})
    require_not_future(decided_on, "decided_on")
    if decided_on < review.notification.sent_on:
        raise WorkflowError({"decided_on": "The decision cannot come before the notification."})
    sent_on = review.rapid_review.sent_to_panel_on
    if decided_on < sent_on:
        raise WorkflowError(
            {
                "decided_on": "The decision cannot come before the rapid review was sent to the "
                f"National Panel ({long_date(sent_on)})."
            }
        )
    decision = save_with_history(
        Decision(
            review=review,
            outcome=outcome,
            rationale=rationale,
            decided_on=decided_on,
            recorded_by=by,
        ),
        by,
    )
    _apply_outcome(review, outcome, by)
    timeline_event(
        review, by, "decision", f"Independent Chair's decision: {decision.get_outcome_display()}"
    )
    return decision


@transaction.atomic
def decision_change(
    *, review: Review, by, outcome: str, rationale: str, decided_on: datetime.date, reason: str
) -> Decision:
    """A changed decision: a new decision that supersedes the one in force; both stay visible."""
    review = lock_row(review)
    current = deadlines.current_decision(review)
    if current is None:
        raise WorkflowError("There is no decision to change yet.")
    if review.stage == Stage.CLOSED and current.outcome != Outcome.NO_FURTHER_ACTION:
        raise WorkflowError("The review is closed; its decision can no longer change.")
    if not reason.strip():
        raise WorkflowError({"reason": "Enter why the decision has changed"})
    if not rationale.strip():
        raise WorkflowError({"rationale": "Enter the reasons for the decision"})
    if decided_on < current.decided_on:
        raise WorkflowError({"decided_on": "A new decision cannot predate the one it replaces."})
    require_not_future(decided_on, "decided_on")
    decision = save_with_history(
        Decision(
            review=review,
            outcome=outcome,
            rationale=rationale,
            decided_on=decided_on,
            recorded_by=by,
            supersedes=current,
            change_reason=reason,
        ),
        by,
    )
    _apply_outcome(review, outcome, by)
    timeline_event(
        review,
        by,
        "decision_changed",
        f"Decision changed to: {decision.get_outcome_display()}",
        reason=reason,
    )
    return decision


@transaction.atomic
def national_notice_record(
    *, review: Review, by, recipient: str, sent_on: datetime.date, reference: str = ""
) -> NationalNotice:
    """Record that DfE, Ofsted or the National Panel was told an LCSPR will take place."""
    review = lock_row(review)
    current = deadlines.current_decision(review)
    if current is None or current.outcome != Outcome.LCSPR:
        raise WorkflowError("These notices are only needed once the decision is an LCSPR.")
    if review.notices.filter(recipient=recipient).exists():
        raise WorkflowError("This notice is already recorded.")
    if sent_on < current.decided_on:
        raise WorkflowError({"sent_on": "The notice cannot predate the decision."})
    require_not_future(sent_on, "sent_on")
    notice = save_with_history(
        NationalNotice(
            review=review, recipient=recipient, sent_on=sent_on, reference=reference, recorded_by=by
        ),
        by,
    )
    deadlines.refresh(review, by=by)
    timeline_event(
        review,
        by,
        "national_notice",
        f"{notice.get_recipient_display()} told on {long_date(sent_on)}",
    )
    return notice


def outstanding_notices(review: Review) -> list[str]:
    """The bodies still to be told that an LCSPR will take place."""
    current = deadlines.current_decision(review)
    if current is None or current.outcome != Outcome.LCSPR:
        return []
    sent = {n.recipient for n in review.notices.all()}
    return [r for r in deadlines.NOTICE_KINDS if r not in sent]
