"""The invariant every review keeps: each open clock has an action in the service that can still
meet it or remove it. A clock that nothing can close stays overdue for ever, with escalating
reminders, and misstates the record. Each rule below names the step that closes the clock and
the condition under which its service accepts it."""

from collections.abc import Callable

from lcspr.core.text import in_sentence
from reviews.clocks import deadlines
from reviews.clocks.models import DeadlineKind
from reviews.decision.models import Outcome
from reviews.models import Review, Stage


def _at_referral(review: Review) -> bool:
    # Notify (notification_record), close (review_close_not_notifiable) or hold a learning review
    # instead (learning_review_start): each is taken at the referral stage.
    return review.stage == Stage.REFERRAL


def _always(review: Review) -> bool:
    # partners_informed_record and looked_after_death_notice_record accept a first recording at
    # any stage.
    return True


def _at_rapid_review(review: Review) -> bool:
    # rapid_review_send, once the recommendation is signed off (sign-offs are taken at this stage).
    return review.stage == Stage.RAPID_REVIEW


def _lcspr_decided(review: Review) -> bool:
    # national_notice_record needs the decision in force to be an LCSPR, at any stage; a changed
    # decision removes the clocks.
    decision = deadlines.current_decision(review)
    return decision is not None and decision.outcome == Outcome.LCSPR


def _at_lcspr(review: Review) -> bool:
    # tor_agree, checkpoint_record and report_sign_off are taken while the LCSPR is in progress.
    return review.stage == Stage.LCSPR


def _publication_open(review: Review) -> bool:
    # publication_sent_record until publication; publication_removed_record after it.
    return _lcspr_decided(review)


CLOSERS: dict[str, tuple[str, Callable[[Review], bool]]] = {
    DeadlineKind.NOTIFICATION: ("notify, close or hold a learning review", _at_referral),
    DeadlineKind.PARTNERS_INFORMED: ("record the date the partners were informed", _always),
    DeadlineKind.LOOKED_AFTER_DEATH: ("record the notice to the DfE and Ofsted", _always),
    DeadlineKind.RAPID_REVIEW: ("send the rapid review", _at_rapid_review),
    DeadlineKind.NOTICE_DFE: ("record the notice", _lcspr_decided),
    DeadlineKind.NOTICE_OFSTED: ("record the notice", _lcspr_decided),
    DeadlineKind.NOTICE_PANEL: ("record the notice", _lcspr_decided),
    DeadlineKind.COMPLETION: ("sign off the final report", _at_lcspr),
    DeadlineKind.TOR_AGREEMENT: ("agree the Terms of Reference", _at_lcspr),
    DeadlineKind.CHECKPOINT: ("hold the checkpoint", _at_lcspr),
    DeadlineKind.PRE_PUBLICATION: ("record the sendings", _publication_open),
    DeadlineKind.TAKEDOWN: ("record the report coming down", _publication_open),
}


def stranded_clocks(review: Review) -> list[str]:
    """The open clocks of `review` that no action can close now, each as "kind: why"."""
    stranded = []
    for deadline in review.deadlines.filter(met_on__isnull=True):
        step, possible = CLOSERS[deadline.kind]
        if not possible(review):
            stranded.append(
                f"{deadline.get_kind_display()}: open at the "
                f"{in_sentence(review.get_stage_display())} stage, where nothing can {step}"
            )
    return stranded
