"""The statutory partners' agreement to a decision whose outcome differs from the recommendation
they signed off: it waits for all three, takes effect when they agree, and is escalated when one
does not."""

import datetime

import pytest

from lcspr.core.exceptions import WorkflowError
from reviews.clocks import deadlines
from reviews.clocks.models import DeadlineKind
from reviews.decision import services as decision_services
from reviews.decision.models import DecisionStatus, Outcome
from reviews.models import Stage
from reviews.rapid_review.models import Recommendation
from tests.reviews.conftest import DECIDED, to_agreed, to_decided, to_sent, to_signed_off

pytestmark = pytest.mark.django_db


def _kinds(review) -> set[str]:
    return {d.kind for d in review.deadlines.all()}


def _agree(review, lead, agrees=True, reasons=""):
    return decision_services.decision_agreement_record(
        review=review, by=lead, agrees=agrees, reasons=reasons
    )


@pytest.fixture
def awaiting_partners(awaiting_decision, independent_chair):
    """The Chair decided no further action on a signed-off LCSPR recommendation."""
    return to_decided(awaiting_decision, independent_chair, Outcome.NO_FURTHER_ACTION)


def test_an_outcome_matching_the_recommendation_takes_effect_at_once(lcspr_review):
    decision = lcspr_review.decisions.get()
    assert decision.status == DecisionStatus.IN_FORCE
    assert lcspr_review.stage == Stage.LCSPR
    assert DeadlineKind.COMPLETION in _kinds(lcspr_review)


def test_a_differing_outcome_waits_for_the_partners(awaiting_partners):
    decision = awaiting_partners.decisions.get()
    assert decision.status == DecisionStatus.AWAITING_PARTNERS
    assert awaiting_partners.stage == Stage.AWAITING_DECISION
    assert deadlines.current_decision(awaiting_partners) is None
    assert awaiting_partners.events.filter(kind="decision_awaiting_partners").exists()
    assert not awaiting_partners.events.filter(kind="decision").exists()


def test_a_differing_lcspr_starts_no_clock_while_it_waits(
    manager, partner_leads, independent_chair, in_rapid_review
):
    review = to_sent(
        to_signed_off(in_rapid_review, manager, partner_leads, Recommendation.NO_FURTHER_REVIEW),
        manager,
    )
    review = to_decided(review, independent_chair, Outcome.LCSPR)
    assert deadlines.current_decision(review) is None
    assert not _kinds(review) & {DeadlineKind.COMPLETION, DeadlineKind.NOTICE_DFE}

    review = to_agreed(review, partner_leads)
    assert review.stage == Stage.LCSPR
    assert {DeadlineKind.COMPLETION, DeadlineKind.NOTICE_DFE} <= _kinds(review)


def test_it_takes_effect_once_all_three_partners_agree(awaiting_partners, partner_leads):
    first, second, third = partner_leads
    _agree(awaiting_partners, first)
    _agree(awaiting_partners, second)
    awaiting_partners.refresh_from_db()
    assert awaiting_partners.stage == Stage.AWAITING_DECISION

    decision = _agree(awaiting_partners, third)
    awaiting_partners.refresh_from_db()
    assert decision.status == DecisionStatus.IN_FORCE
    assert awaiting_partners.stage == Stage.CLOSED
    assert deadlines.current_decision(awaiting_partners) == decision
    assert awaiting_partners.events.filter(kind="decision_agreed").exists()
    assert awaiting_partners.events.filter(kind="decision_agreement").count() == 3
    assert decision.history.filter(status=DecisionStatus.IN_FORCE).exists()


def test_one_disagreement_escalates_and_moves_nothing(awaiting_partners, partner_leads):
    _agree(awaiting_partners, partner_leads[0])
    with pytest.raises(WorkflowError) as refused:
        _agree(awaiting_partners, partner_leads[1], agrees=False)
    assert refused.value.message_dict == {"reasons": ["Enter why your agency does not agree"]}

    decision = _agree(
        awaiting_partners, partner_leads[1], agrees=False, reasons="The criteria are met."
    )
    awaiting_partners.refresh_from_db()
    assert decision.status == DecisionStatus.NOT_AGREED
    assert awaiting_partners.stage == Stage.AWAITING_DECISION
    assert deadlines.current_decision(awaiting_partners) is None
    event = awaiting_partners.events.get(kind="decision_not_agreed")
    assert "escalated" in event.summary
    with pytest.raises(WorkflowError, match="no decision awaiting"):
        _agree(awaiting_partners, partner_leads[2])


def test_after_a_disagreement_the_chair_records_a_new_decision(
    awaiting_partners, partner_leads, independent_chair
):
    _agree(awaiting_partners, partner_leads[0], agrees=False, reasons="An LCSPR is needed.")
    assert decision_services.decision_blocker(awaiting_partners) == ""
    review = to_decided(awaiting_partners, independent_chair, Outcome.LCSPR)
    assert review.stage == Stage.LCSPR
    assert DeadlineKind.COMPLETION in _kinds(review)


def test_a_lead_answers_once_and_only_for_their_own_agency(
    awaiting_partners, partner_lead, manager
):
    _agree(awaiting_partners, partner_lead)
    with pytest.raises(WorkflowError, match="already answered"):
        _agree(awaiting_partners, partner_lead, agrees=False, reasons="Changed my mind.")
    with pytest.raises(WorkflowError, match="Only a lead"):
        _agree(awaiting_partners, manager)
    answer = awaiting_partners.decisions.get().agreements.get()
    assert (answer.agency, answer.agrees) == (partner_lead.agency, True)


def test_the_chair_cannot_decide_again_while_the_partners_are_asked(
    awaiting_partners, independent_chair
):
    assert "awaiting the agreement" in decision_services.decision_blocker(awaiting_partners)
    with pytest.raises(WorkflowError, match="awaiting the agreement"):
        to_decided(awaiting_partners, independent_chair, Outcome.LCSPR)


def test_a_change_to_a_differing_outcome_leaves_the_decision_in_force_until_agreed(
    lcspr_review, independent_chair, partner_leads
):
    first = lcspr_review.decisions.get()
    change = decision_services.decision_change(
        review=lcspr_review,
        by=independent_chair,
        outcome=Outcome.OTHER_LEARNING,
        rationale="A practice review will do.",
        decided_on=datetime.date(2026, 3, 26),
        reason="The National Panel's response.",
    )
    lcspr_review.refresh_from_db()
    assert change.status == DecisionStatus.AWAITING_PARTNERS
    assert change.supersedes is None
    assert lcspr_review.stage == Stage.LCSPR
    assert deadlines.current_decision(lcspr_review) == first
    assert DeadlineKind.COMPLETION in _kinds(lcspr_review)
    with pytest.raises(WorkflowError, match="awaiting the agreement"):
        decision_services.decision_change(
            review=lcspr_review,
            by=independent_chair,
            outcome=Outcome.LCSPR,
            rationale="x",
            decided_on=DECIDED,
            reason="y",
        )

    to_agreed(lcspr_review, partner_leads)
    change.refresh_from_db()
    assert change.supersedes == first
    assert lcspr_review.stage == Stage.OTHER_LEARNING
    assert DeadlineKind.COMPLETION not in _kinds(lcspr_review)


def test_a_change_back_to_the_recommendation_takes_effect_at_once(
    awaiting_partners, partner_leads, independent_chair
):
    review = to_agreed(awaiting_partners, partner_leads)
    assert review.stage == Stage.CLOSED
    decision_services.decision_change(
        review=review,
        by=independent_chair,
        outcome=Outcome.LCSPR,
        rationale="New information.",
        decided_on=datetime.date(2026, 3, 26),
        reason="The police shared new information.",
    )
    review.refresh_from_db()
    assert review.stage == Stage.LCSPR
