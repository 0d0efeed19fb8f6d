"""Review fixtures: a case at each stage, and the three statutory partner leads."""

import datetime

import pytest

from lcspr.accounts.models import Role
from reviews.decision import services as decision_services
from reviews.decision.models import Outcome
from reviews.models import Trigger
from reviews.rapid_review import services as rapid_review_services
from reviews.rapid_review.models import Recommendation
from reviews.referral import services as referral_services
from tests.factories import UserFactory

INCIDENT = datetime.date(2026, 3, 2)  # a Monday
AWARE = datetime.date(2026, 3, 3)
NOTIFIED = datetime.date(2026, 3, 6)
SENT = datetime.date(2026, 3, 20)
DECIDED = datetime.date(2026, 3, 25)


@pytest.fixture
def la_lead(db, local_authority):
    return UserFactory(
        full_name="Lena Lead", agency=local_authority, roles=[Role.STATUTORY_PARTNER_LEAD]
    )


@pytest.fixture
def icb_lead(db, icb):
    return UserFactory(full_name="Ian Lead", agency=icb, roles=[Role.STATUTORY_PARTNER_LEAD])


@pytest.fixture
def partner_leads(partner_lead, la_lead, icb_lead):
    """One lead for each of the three statutory partners (police, local authority, ICB)."""
    return [partner_lead, la_lead, icb_lead]


def open_referral(manager, agency, *, pseudonym="Child T", trigger=Trigger.SERIOUS_HARM):
    return referral_services.review_open(
        by=manager,
        pseudonym=pseudonym,
        incident_date=INCIDENT,
        la_aware_date=AWARE,
        trigger=trigger,
        referring_agency=agency,
        what_is_known="A fictional infant was admitted to hospital with injuries.",
        incident_location="Northbridge",
    )


def to_rapid_review(review, manager):
    referral_services.criteria_record(
        review=review, by=manager, abuse_or_neglect="yes", died_or_seriously_harmed="yes"
    )
    referral_services.notification_record(
        review=review, by=manager, sent_on=NOTIFIED, panel_reference="NP-0001"
    )
    review.refresh_from_db()
    return review


def to_signed_off(review, manager, leads, recommendation=Recommendation.LCSPR):
    rapid_review_services.recommendation_record(
        review=review,
        by=manager,
        recommendation=recommendation,
        rationale="The fictional case shows learning for agencies.",
    )
    for lead in leads:
        rapid_review_services.partner_sign_off(review=review, by=lead)
    review.refresh_from_db()
    return review


def to_sent(review, manager):
    rapid_review_services.rapid_review_send(review=review, by=manager, sent_on=SENT)
    review.refresh_from_db()
    return review


def to_agreed(review, leads):
    """Each statutory partner lead agrees to the decision awaiting their agreement."""
    for lead in leads:
        decision_services.decision_agreement_record(review=review, by=lead, agrees=True)
    review.refresh_from_db()
    return review


def to_decided(review, chair, outcome=Outcome.LCSPR, leads=()):
    """The Chair decides; an outcome other than the partners' recommendation takes effect once
    `leads` (the three statutory partner leads) agree."""
    decision_services.decision_record(
        review=review,
        by=chair,
        outcome=outcome,
        rationale="The criteria for an LCSPR are met.",
        decided_on=DECIDED,
    )
    review.refresh_from_db()
    return to_agreed(review, leads) if leads else review


@pytest.fixture
def referral(manager, local_authority, police, icb):
    return open_referral(manager, local_authority)


@pytest.fixture
def in_rapid_review(referral, manager):
    return to_rapid_review(referral, manager)


@pytest.fixture
def signed_off(in_rapid_review, manager, partner_leads):
    return to_signed_off(in_rapid_review, manager, partner_leads)


@pytest.fixture
def awaiting_decision(signed_off, manager):
    return to_sent(signed_off, manager)


@pytest.fixture
def lcspr_review(awaiting_decision, independent_chair):
    return to_decided(awaiting_decision, independent_chair)
