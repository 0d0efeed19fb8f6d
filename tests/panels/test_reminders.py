"""The commissioning clocks of an LCSPR as reminder items: the Terms of Reference for
the managers and the panel chair, the checkpoint for the managers and the LCSPR sub-group, the
completion for the managers, the panel chair and the author."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lcspr.accounts.models import Role
from lcspr.reminders.clocks import providers
from panels.models import MemberRole
from panels.reminders import commissioning_items
from panels.services import membership_add, membership_end
from reviews.models import Stage
from reviews.monitoring import services as monitoring_services
from reviews.monitoring.models import Checkpoint
from reviews.terms import services as terms_services
from tests.factories import UserFactory
from tests.reviews.conftest import (
    open_referral,
    to_decided,
    to_rapid_review,
    to_sent,
    to_signed_off,
)
from tests.reviews.report_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2026, 4, 20)
TOR = "Agree the Terms of Reference"
CHECKPOINT = "Hold the sub-group's time and quality checkpoint"
COMPLETION = "Complete the LCSPR"


def _by_title(items):
    return {item.title: item for item in items}


@pytest.fixture
def panel(lcspr_review, manager, panel_chair, author, panel_member, subgroup_member):
    return lcspr_review


def test_the_provider_is_registered():
    assert providers()["commissioning_deadlines"] is commissioning_items


def test_the_terms_of_reference_are_due_from_the_managers_and_the_panel_chair(
    panel, manager, panel_chair
):
    item = _by_title(commissioning_items(TODAY))[TOR]
    # Twenty working days after the decision of Wednesday 25 March, skipping Easter.
    assert item.due_date == D(2026, 4, 24)
    assert item.responsible == (manager.pk, panel_chair.pk)
    assert item.url == f"/reviews/{panel.pk}/terms/"
    assert item.review_label == f"{panel.reference} (Child T)"
    assert item.review_id == panel.pk
    assert item.kind == "Statutory deadline"
    assert item.escalates is True
    assert item.extra["daily"] is False
    assert item.key == f"deadline:{panel.deadlines.get(kind='tor_agreement').pk}"


def test_the_checkpoint_is_due_from_the_managers_and_the_subgroup(
    panel, manager, panel_chair, subgroup_member
):
    item = _by_title(commissioning_items(TODAY))[CHECKPOINT]
    # A month after the decision is Saturday 25 April: the next working day.
    assert item.due_date == D(2026, 4, 27)
    assert item.responsible == (manager.pk, panel_chair.pk, subgroup_member.pk)
    assert item.url == f"/reviews/{panel.pk}/monitoring/"


def test_the_completion_is_due_from_the_managers_the_panel_chair_and_the_author(
    panel, manager, panel_chair, author, panel_member
):
    item = _by_title(commissioning_items(TODAY))[COMPLETION]
    assert item.due_date == D(2026, 9, 25)  # six months after the decision
    assert item.responsible == (manager.pk, panel_chair.pk, author.pk)
    assert panel_member.pk not in item.responsible
    assert item.url == f"/reviews/{panel.pk}/report/"


def test_someone_who_left_the_panel_is_no_longer_reminded(panel, manager, panel_chair):
    membership = panel.memberships.get(user=panel_chair, role=MemberRole.PANEL_CHAIR)
    membership_end(membership=membership, by=manager, reason="Moved to another partnership.")
    successor = UserFactory(full_name="Nia Newchair", roles=[Role.SUBGROUP_MEMBER])
    membership_add(review=panel, by=manager, user=successor, role=MemberRole.PANEL_CHAIR)

    assert _by_title(commissioning_items(TODAY))[TOR].responsible == (manager.pk, successor.pk)


def test_agreed_terms_are_no_longer_reminded_and_a_checkpoint_moves_the_next(
    panel, manager, panel_chair, school
):
    terms = terms_services.tor_start(review=panel, by=manager)
    terms_services.tor_update(
        terms=terms,
        by=manager,
        agencies=[school],
        period_start=D(2025, 1, 1),
        period_end=D(2026, 3, 2),
        methodology="Systems review.",
    )
    terms_services.kloes_set(terms=terms, by=manager, texts=["Voice of the child"])
    terms_services.tor_share(terms=terms, by=manager)
    terms_services.tor_agree(terms=terms, by=panel_chair)
    first = _by_title(commissioning_items(TODAY))[CHECKPOINT]

    monitoring_services.checkpoint_record(
        review=panel, by=manager, held_on=D(2026, 5, 1), progress=Checkpoint.Progress.values[0]
    )
    items = _by_title(commissioning_items(D(2026, 5, 4)))
    assert TOR not in items
    # The same obligation, rolled on: a month after the checkpoint held on 1 May.
    assert items[CHECKPOINT].key == first.key
    assert items[CHECKPOINT].due_date == D(2026, 6, 1)


def test_a_closed_review_reminds_nobody(panel):
    panel.stage = Stage.CLOSED
    panel.save()
    assert commissioning_items(TODAY) == []


def test_nothing_is_due_before_an_lcspr_decision(awaiting_decision):
    assert commissioning_items(TODAY) == []


def _queries(today):
    with CaptureQueriesContext(connection) as captured:
        items = commissioning_items(today)
    return len(captured), items


def test_the_same_queries_for_one_review_or_many(
    panel, manager, local_authority, partner_leads, independent_chair, independent_author
):
    small, items = _queries(TODAY)
    assert len(items) == 3
    for n in range(3):
        review = to_rapid_review(
            open_referral(manager, local_authority, pseudonym=f"Child {n}"), manager
        )
        review = to_decided(
            to_sent(to_signed_off(review, manager, partner_leads), manager), independent_chair
        )
        chair = UserFactory(roles=[Role.SUBGROUP_MEMBER])
        membership_add(review=review, by=manager, user=chair, role=MemberRole.PANEL_CHAIR)
        membership_add(review=review, by=manager, user=independent_author, role=MemberRole.AUTHOR)
    large, items = _queries(TODAY)
    assert len(items) == 12
    assert small == large == 4
