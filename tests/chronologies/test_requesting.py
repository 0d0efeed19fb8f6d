"""Asking the agencies for their chronologies: the service's refusals (nothing is asked and
nobody is told), a later version of the Terms of Reference that brings a new agency into scope,
and who is told by e-mail."""

import datetime

import pytest
from django.utils import timezone

from chronologies import services
from chronologies.models import ChronologyRequest
from lcspr.accounts.models import Role
from lcspr.core.exceptions import WorkflowError
from lcspr.core.models import OutboundEmail
from reviews.models import Review, Stage
from reviews.terms import services as tor
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

IN_FOUR_WEEKS = timezone.localdate() + datetime.timedelta(days=28)


def ask(review, by, due_date=IN_FOUR_WEEKS):
    return services.requests_create_from_terms(review=review, by=by, due_date=due_date)


def assert_nothing_asked(review):
    assert not ChronologyRequest.objects.filter(review=review).exists()
    assert not OutboundEmail.objects.filter(kind="chronology_requested").exists()
    assert not review.events.filter(kind="chronologies_requested").exists()


def test_it_refuses_to_ask_before_the_review_is_an_lcspr(in_rapid_review, manager, agency_author):
    with pytest.raises(WorkflowError, match="while an LCSPR is in progress"):
        ask(in_rapid_review, manager)
    assert_nothing_asked(in_rapid_review)


def test_it_refuses_to_ask_once_the_review_is_closed(agreed_review, manager, agency_author):
    Review.objects.filter(pk=agreed_review.pk).update(stage=Stage.CLOSED)
    with pytest.raises(WorkflowError, match="while an LCSPR is in progress"):
        ask(agreed_review, manager)
    assert_nothing_asked(agreed_review)


def test_it_refuses_to_ask_before_the_terms_of_reference_are_agreed(
    lcspr_review, manager, school, agency_author
):
    terms = tor.tor_start(review=lcspr_review, by=manager)
    tor.tor_update(terms=terms, by=manager, agencies=[school])
    with pytest.raises(WorkflowError, match="Agree the Terms of Reference first"):
        ask(lcspr_review, manager)
    assert_nothing_asked(lcspr_review)


def test_it_refuses_agreed_terms_without_a_period_under_review(
    agreed_review, manager, agency_author
):
    agreed_review.tor_versions.update(period_start=None, period_end=None)
    with pytest.raises(WorkflowError, match="no period under review"):
        ask(agreed_review, manager)
    assert_nothing_asked(agreed_review)


@pytest.mark.parametrize("days", [0, -1])
def test_it_refuses_a_due_date_today_or_past_on_the_field(
    agreed_review, manager, agency_author, days
):
    with pytest.raises(WorkflowError) as refused:
        ask(agreed_review, manager, timezone.localdate() + datetime.timedelta(days=days))
    assert refused.value.message_dict == {"due_date": ["The due date must be in the future."]}
    assert_nothing_asked(agreed_review)


def test_each_request_carries_the_due_date_period_and_key_lines_of_the_terms(
    chronology_requests, agreed_review, manager
):
    for request in chronology_requests.values():
        assert request.due_date == IN_FOUR_WEEKS
        assert (request.period_start, request.period_end) == (
            datetime.date(2025, 1, 1),
            datetime.date(2026, 3, 2),
        )
        assert request.requested_by == manager
        assert request.status == "draft" and request.is_editable
        assert request.history.first().history_user == manager
    [event] = agreed_review.events.filter(kind="chronologies_requested")
    assert event.actor == manager
    assert "Northbridge Constabulary, Riverside Primary School" in event.summary


def _agree_a_new_version(review, manager, chair, agencies, kloes):
    terms = tor.tor_new_version(review=review, by=manager, reason="The ICB holds records too.")
    tor.tor_update(terms=terms, by=manager, agencies=agencies)
    tor.kloes_set(terms=terms, by=manager, texts=kloes)
    tor.tor_share(terms=terms, by=manager)
    return tor.tor_agree(terms=terms, by=chair)


def test_a_new_version_of_the_terms_asks_only_the_agency_it_brings_into_scope(
    chronology_requests, agreed_review, manager, subgroup_member, school, police, icb
):
    _agree_a_new_version(
        agreed_review,
        manager,
        subgroup_member,
        [school, police, icb],
        ["Voice of the child", "Escalation", "Health oversight"],
    )
    [created] = ask(agreed_review, manager)
    assert created.agency == icb
    assert created.kloes == [[1, "Voice of the child"], [2, "Escalation"], [3, "Health oversight"]]
    assert agreed_review.chronologies.count() == 3
    # The requests already made keep what they were asked.
    school_request = agreed_review.chronologies.get(agency=school)
    assert school_request.kloes == [[1, "Voice of the child"], [2, "Escalation"]]


def test_asking_again_with_nobody_new_in_scope_changes_nothing(
    chronology_requests, agreed_review, manager
):
    before = list(agreed_review.chronologies.values_list("pk", "due_date"))
    with pytest.raises(WorkflowError, match="already been asked"):
        ask(agreed_review, manager, IN_FOUR_WEEKS + datetime.timedelta(days=7))
    assert list(agreed_review.chronologies.values_list("pk", "due_date")) == before
    assert agreed_review.events.filter(kind="chronologies_requested").count() == 1


def test_only_the_agencys_active_representatives_are_told(agreed_review, manager, school):
    told = UserFactory(full_name="Tia Told", agency=school, roles=[Role.AGENCY_REPRESENTATIVE])
    UserFactory(
        full_name="Lee Left", agency=school, roles=[Role.AGENCY_REPRESENTATIVE], is_active=False
    )
    UserFactory(full_name="Nia Notrep", agency=school, roles=[Role.SUBGROUP_MEMBER])
    ask(agreed_review, manager)
    emails = OutboundEmail.objects.filter(kind="chronology_requested")
    assert [e.recipient for e in emails] == [told]
    [email] = emails
    assert agreed_review.reference in email.subject
    assert f"{IN_FOUR_WEEKS.day} {IN_FOUR_WEEKS:%B %Y}" in email.subject
