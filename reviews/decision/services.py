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
from lcspr.core.text import in_sentence, long_date
from lcspr.core.versions import require_version
from reviews import waiting
from reviews.clocks import deadlines
from reviews.decision.models import (
    Decision,
    DecisionStatus,
    NationalNotice,
    Outcome,
    PartnerAgreement,
)
from reviews.models import Review, Stage
from reviews.rapid_review.models import RapidReview, Recommendation
from reviews.rapid_review.services import missing_sign_offs, statutory_partners
from reviews.workflow import set_stage

# What a changed decision replaces: someone else's change of these since the page was read
# refuses it.
DECISION_FIELDS = ("outcome", "rationale", "decided_on")

OUTCOME_STAGE = {
    Outcome.LCSPR: Stage.LCSPR,
    Outcome.OTHER_LEARNING: Stage.OTHER_LEARNING,
    Outcome.NO_FURTHER_ACTION: Stage.CLOSED,
    Outcome.NATIONAL_REVIEW: Stage.NATIONAL_REVIEW,
}


# The outcome each recommendation of the partners asks for.
RECOMMENDED_OUTCOME = {
    Recommendation.LCSPR: Outcome.LCSPR,
    Recommendation.OTHER_LEARNING: Outcome.OTHER_LEARNING,
    Recommendation.NO_FURTHER_REVIEW: Outcome.NO_FURTHER_ACTION,
    Recommendation.NATIONAL: Outcome.NATIONAL_REVIEW,
}

AWAITING_BLOCKER = (
    "A decision is awaiting the agreement of the three statutory partners. Another decision "
    "can be recorded once they have agreed to it or one of them has disagreed."
)


def _apply_outcome(review: Review, outcome: str, by) -> None:
    set_stage(review, OUTCOME_STAGE[outcome], by)
    deadlines.refresh(review, by=by)


def recommended_outcome(review: Review) -> str | None:
    """The outcome the partners' signed-off recommendation asks for (None without one)."""
    rapid_review = RapidReview.objects.filter(review=review).first()
    if rapid_review is None or not rapid_review.recommendation:
        return None
    return RECOMMENDED_OUTCOME[rapid_review.recommendation]


def awaiting_partners(review: Review) -> Decision | None:
    """The decision waiting for the statutory partners' agreement, if there is one."""
    return next((d for d in review.decisions.all() if d.is_awaiting_partners), None)


def _take_effect_or_wait(review: Review, decision: Decision, by, current) -> bool:
    """Save `decision`: in force at once when it is what the partners recommended (superseding
    `current`), else awaiting their agreement. Whether it took effect."""
    agreed = decision.outcome == recommended_outcome(review)
    if agreed:
        decision.supersedes = current
    else:
        decision.status = DecisionStatus.AWAITING_PARTNERS
    save_with_history(decision, by)
    if agreed:
        _apply_outcome(review, decision.outcome, by)
    return agreed


def _awaiting_event(review: Review, decision: Decision, by) -> None:
    recommended = Outcome(recommended_outcome(review)).label
    timeline_event(
        review,
        by,
        "decision_awaiting_partners",
        f"The Independent Chair's decision ({decision.get_outcome_display()}) differs from the "
        f"partners' recommendation ({recommended}): it awaits the agreement of the three "
        "statutory partners before it takes effect",
    )
    waiting.tell_partner_leads_to_agree(review, statutory_partners())


def decision_blocker(review: Review) -> str:
    """Why the Independent Chair cannot record a first decision now ("" when they can); the
    decision page shows it before the Chair fills anything in."""
    if awaiting_partners(review) is not None:
        return AWAITING_BLOCKER
    if deadlines.current_decision(review) is not None:
        return (
            "A decision is already recorded. To change it, record a new decision "
            "with the reason for the change."
        )
    if review.stage not in (Stage.RAPID_REVIEW, Stage.AWAITING_DECISION):
        return (
            f"You cannot record the decision now: the review is at the "
            f"{in_sentence(review.get_stage_display())} stage, and this can only be done at the "
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
    decision = Decision(
        review=review, outcome=outcome, rationale=rationale, decided_on=decided_on, recorded_by=by
    )
    if _take_effect_or_wait(review, decision, by, current=None):
        timeline_event(
            review,
            by,
            "decision",
            f"Independent Chair's decision: {decision.get_outcome_display()}",
        )
    else:
        _awaiting_event(review, decision, by)
    return decision


@transaction.atomic
def decision_change(
    *,
    review: Review,
    by,
    outcome: str,
    rationale: str,
    decided_on: datetime.date,
    reason: str,
    version: int | None = None,
) -> Decision:
    """A changed decision: a new decision that supersedes the one in force; both stay visible.
    An outcome the partners did not recommend supersedes it only once they agree. Refused
    when the page was read at an older `version` of the decision in force (someone has
    changed or corrected it since)."""
    review = lock_row(review)
    if awaiting_partners(review) is not None:
        raise WorkflowError(AWAITING_BLOCKER)
    current = deadlines.current_decision(review)
    if current is None:
        raise WorkflowError("There is no decision to change yet.")
    if review.stage == Stage.CLOSED and current.outcome != Outcome.NO_FURTHER_ACTION:
        raise WorkflowError("The review is closed; its decision can no longer change.")
    require_version(current, version, fields=DECISION_FIELDS)
    if not reason.strip():
        raise WorkflowError({"reason": "Enter why the decision has changed"})
    if not rationale.strip():
        raise WorkflowError({"rationale": "Enter the reasons for the decision"})
    if decided_on < current.decided_on:
        raise WorkflowError({"decided_on": "A new decision cannot predate the one it replaces."})
    require_not_future(decided_on, "decided_on")
    decision = Decision(
        review=review,
        outcome=outcome,
        rationale=rationale,
        decided_on=decided_on,
        recorded_by=by,
        change_reason=reason,
    )
    if _take_effect_or_wait(review, decision, by, current=current):
        timeline_event(
            review,
            by,
            "decision_changed",
            f"Decision changed to: {decision.get_outcome_display()}",
            reason=reason,
        )
    else:
        _awaiting_event(review, decision, by)
    return decision


def missing_agreements(decision: Decision) -> list:
    """The statutory partners who have not yet answered a decision awaiting their agreement."""
    answered = {a.agency_id for a in decision.agreements.all()}
    return [a for a in statutory_partners() if a.pk not in answered]


@transaction.atomic
def decision_agreement_record(*, review: Review, by, agrees: bool, reasons: str = "") -> Decision:
    """A statutory partner lead answers, for their agency, a decision whose outcome differs from
    the partners' recommendation. Once all three agree it takes effect; one disagreement means
    it is not agreed and is escalated, and the review stays where it was."""
    review = lock_row(review)
    decision = awaiting_partners(review)
    if decision is None:
        raise WorkflowError("There is no decision awaiting the partners' agreement.")
    agency = by.agency
    if agency is None or not agency.is_statutory_partner:
        raise WorkflowError("Only a lead of one of the three statutory partners can answer.")
    if decision.agreements.filter(agency=agency).exists():
        raise WorkflowError(f"{agency} has already answered this decision.")
    if not agrees and not reasons.strip():
        raise WorkflowError({"reasons": "Enter why your agency does not agree"})
    save_with_history(
        PartnerAgreement(
            decision=decision, agency=agency, agrees=agrees, reasons=reasons, recorded_by=by
        ),
        by,
    )
    outcome = decision.get_outcome_display()
    timeline_event(
        review,
        by,
        "decision_agreement",
        f"{agency} {'agrees' if agrees else 'does not agree'} with the decision: {outcome}",
        reasons=reasons,
    )
    if not agrees:
        decision.status = DecisionStatus.NOT_AGREED
        save_with_history(decision, by)
        timeline_event(
            review,
            by,
            "decision_not_agreed",
            f"The statutory partners do not agree with the decision ({outcome}): escalated for "
            "the partners and the Independent Chair to resolve. The decision does not take "
            "effect; the Independent Chair may record a new decision.",
        )
    elif not missing_agreements(decision):
        decision.supersedes = deadlines.current_decision(review)
        decision.status = DecisionStatus.IN_FORCE
        save_with_history(decision, by)
        _apply_outcome(review, decision.outcome, by)
        timeline_event(
            review,
            by,
            "decision_agreed",
            f"The three statutory partners agreed with the decision: {outcome}. It is in force.",
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
