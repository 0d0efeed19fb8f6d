import datetime

import pytest
from django.utils import timezone

from lcspr.core.exceptions import WorkflowError
from reviews.clocks.models import DeadlineKind
from reviews.decision import services as decision_services
from reviews.decision.models import Outcome
from reviews.models import Stage
from reviews.other_learning import services as other_learning_services
from reviews.rapid_review import services as rapid_review_services
from reviews.rapid_review.models import Recommendation
from reviews.referral import services as referral_services
from tests.reviews.conftest import AWARE, DECIDED, NOTIFIED, SENT, open_referral, to_agreed, to_sent

pytestmark = pytest.mark.django_db


def _due(review):
    return {d.kind: (d.due_date, d.met_on) for d in review.deadlines.all()}


def test_a_referral_gets_a_reference_and_the_notification_clocks(referral):
    assert referral.reference == f"CSPR-{timezone.localdate().year}-001"
    assert referral.stage == Stage.REFERRAL
    # Aware Tuesday 3 March 2026 + 5 working days = Tuesday 10 March.
    assert _due(referral)[DeadlineKind.NOTIFICATION] == (datetime.date(2026, 3, 10), None)
    assert _due(referral)[DeadlineKind.PARTNERS_INFORMED] == (datetime.date(2026, 3, 10), None)
    assert DeadlineKind.RAPID_REVIEW not in _due(referral)
    assert referral.events.get().kind == "review_opened"


def test_references_count_up_within_the_year(referral, manager, local_authority):
    second = open_referral(manager, local_authority, pseudonym="Child U")
    assert second.reference.endswith("-002")


def test_the_notification_cannot_be_recorded_before_the_criteria_are_met(referral, manager):
    with pytest.raises(WorkflowError, match="criteria are met"):
        referral_services.notification_record(review=referral, by=manager, sent_on=NOTIFIED)


def test_the_notification_starts_the_rapid_review_clock(in_rapid_review):
    assert in_rapid_review.stage == Stage.RAPID_REVIEW
    due = _due(in_rapid_review)
    assert due[DeadlineKind.NOTIFICATION] == (datetime.date(2026, 3, 10), NOTIFIED)
    # Notified Friday 6 March + 15 working days = Friday 27 March.
    assert due[DeadlineKind.RAPID_REVIEW] == (datetime.date(2026, 3, 27), None)


def test_a_referral_that_does_not_meet_the_criteria_is_closed_with_a_reason(referral, manager):
    referral_services.criteria_record(
        review=referral,
        by=manager,
        abuse_or_neglect="no",
        died_or_seriously_harmed="yes",
        note="Accidental injury.",
    )
    referral_services.review_close_not_notifiable(
        review=referral, by=manager, reason="Not abuse or neglect."
    )
    referral.refresh_from_db()
    assert referral.stage == Stage.CLOSED
    assert not referral.deadlines.exists()


def test_the_rapid_review_cannot_be_sent_before_every_partner_signs_off(
    in_rapid_review, manager, partner_lead
):
    rapid_review_services.recommendation_record(
        review=in_rapid_review,
        by=manager,
        recommendation=Recommendation.LCSPR,
        rationale="Learning.",
    )
    rapid_review_services.partner_sign_off(review=in_rapid_review, by=partner_lead)
    with pytest.raises(WorkflowError, match="Still to sign off"):
        rapid_review_services.rapid_review_send(review=in_rapid_review, by=manager, sent_on=SENT)


def test_a_changed_recommendation_withdraws_the_sign_offs(signed_off, manager):
    rapid_review_services.recommendation_record(
        review=signed_off,
        by=manager,
        recommendation=Recommendation.NO_FURTHER_REVIEW,
        rationale="On reflection, no new learning.",
    )
    assert not signed_off.rapid_review.sign_offs.exists()


def test_a_partner_lead_signs_off_only_once_for_their_agency(signed_off, partner_lead):
    with pytest.raises(WorkflowError, match="already signed off"):
        rapid_review_services.partner_sign_off(review=signed_off, by=partner_lead)


def test_sending_meets_the_rapid_review_clock(awaiting_decision):
    assert awaiting_decision.stage == Stage.AWAITING_DECISION
    assert _due(awaiting_decision)[DeadlineKind.RAPID_REVIEW][1] == SENT


def test_an_lcspr_decision_opens_the_three_national_notices_and_the_completion_clock(
    lcspr_review,
):
    assert lcspr_review.stage == Stage.LCSPR
    due = _due(lcspr_review)
    # Decided Wednesday 25 March 2026 + 5 working days = Wednesday 1 April.
    for kind in (DeadlineKind.NOTICE_DFE, DeadlineKind.NOTICE_OFSTED, DeadlineKind.NOTICE_PANEL):
        assert due[kind] == (datetime.date(2026, 4, 1), None)
    # Six months after 25 March 2026 is Friday 25 September.
    assert due[DeadlineKind.COMPLETION] == (datetime.date(2026, 9, 25), None)
    assert decision_services.outstanding_notices(lcspr_review) == [
        "dfe",
        "ofsted",
        "national_panel",
    ]


def test_a_notice_recorded_meets_its_clock(lcspr_review, manager):
    decision_services.national_notice_record(
        review=lcspr_review, by=manager, recipient="dfe", sent_on=DECIDED, reference="DFE-1"
    )
    assert _due(lcspr_review)[DeadlineKind.NOTICE_DFE][1] == DECIDED
    assert decision_services.outstanding_notices(lcspr_review) == ["ofsted", "national_panel"]


def test_a_decision_is_recorded_once_and_changed_only_by_a_new_decision(
    lcspr_review, independent_chair, partner_leads
):
    with pytest.raises(WorkflowError, match="already recorded"):
        decision_services.decision_record(
            review=lcspr_review,
            by=independent_chair,
            outcome=Outcome.NO_FURTHER_ACTION,
            rationale="x",
            decided_on=DECIDED,
        )
    decision_services.decision_change(
        review=lcspr_review,
        by=independent_chair,
        outcome=Outcome.OTHER_LEARNING,
        rationale="A practice review will suffice.",
        decided_on=DECIDED,
        reason="Panel challenge.",
    )
    to_agreed(lcspr_review, partner_leads)  # not the outcome the partners recommended
    assert lcspr_review.stage == Stage.OTHER_LEARNING
    assert lcspr_review.decisions.count() == 2
    assert DeadlineKind.NOTICE_DFE not in _due(lcspr_review)


def test_correcting_the_awareness_date_moves_the_clocks_that_count_from_it(referral, manager):
    referral_services.review_update_details(
        review=referral, by=manager, la_aware_date=datetime.date(2026, 3, 4)
    )
    assert _due(referral)[DeadlineKind.NOTIFICATION][0] == datetime.date(2026, 3, 11)
    assert referral.events.filter(kind="details_corrected").exists()


def test_a_decision_needs_a_signed_off_recommendation(in_rapid_review, independent_chair):
    with pytest.raises(WorkflowError, match="not made a recommendation"):
        decision_services.decision_record(
            review=in_rapid_review,
            by=independent_chair,
            outcome=Outcome.LCSPR,
            rationale="x",
            decided_on=DECIDED,
        )


def test_the_other_learning_review_closes_once_held_and_learning_recorded(
    signed_off, manager, independent_chair, partner_leads
):
    to_sent(signed_off, manager)
    decision_services.decision_record(
        review=signed_off,
        by=independent_chair,
        outcome=Outcome.OTHER_LEARNING,
        rationale="Reflective session.",
        decided_on=DECIDED,
    )
    to_agreed(signed_off, partner_leads)  # the partners recommended an LCSPR
    with pytest.raises(WorkflowError, match="Record the date"):
        other_learning_services.other_learning_close(review=signed_off, by=manager)
    other_learning_services.other_learning_update(
        review=signed_off,
        by=manager,
        kind="reflective_session",
        scope="Information sharing.",
        scope_sent_on=DECIDED,
        held_on=DECIDED,
        participants="Health visitor",
        learning="Share sooner.",
    )
    other_learning_services.other_learning_close(review=signed_off, by=manager)
    signed_off.refresh_from_db()
    assert signed_off.stage == Stage.CLOSED


def test_history_records_who_made_each_change(in_rapid_review, manager):
    record = in_rapid_review.history.latest()
    assert record.history_user == manager
    assert in_rapid_review.la_aware_date == AWARE
