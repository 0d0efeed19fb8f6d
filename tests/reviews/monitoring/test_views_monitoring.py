"""The sub-group's time and quality monitoring pages (SI 2018/789 reg. 14): the checkpoint and
completion clocks, recording checkpoints and written requests to the author, and who may."""

import datetime

import pytest
from django.urls import reverse

from lcspr.access_log.models import AccessLog
from lcspr.accounts.models import Role
from panels.models import MemberRole
from panels.services import membership_add
from reviews.models import Review, Stage
from reviews.monitoring import services as terms
from reviews.monitoring.models import Checkpoint, WrittenRequest
from tests.factories import UserFactory
from tests.reviews.conftest import (
    open_referral,
    to_decided,
    to_rapid_review,
    to_sent,
    to_signed_off,
)

pytestmark = pytest.mark.django_db


def another_lcspr(manager, agency, leads, chair):
    """A second review that is an LCSPR, with a panel of its own."""
    review = to_rapid_review(open_referral(manager, agency, pseudonym="Child U"), manager)
    return to_decided(to_sent(to_signed_off(review, manager, leads), manager), chair)


# The fixtures' LCSPR decision is on 25 March 2026: the first checkpoint falls a month later,
# on Monday 27 April 2026 (the 25th is a Saturday).
FIRST_DUE = "27 April 2026"
HELD = datetime.date(2026, 4, 20)
NEXT_DUE = "20 May 2026"


def seat(review, manager, user, role):
    return membership_add(review=review, by=manager, user=user, role=role)


@pytest.fixture
def panel_chair(lcspr_review, manager):
    user = UserFactory(full_name="Cara Chair", roles=[Role.SUBGROUP_MEMBER])
    seat(lcspr_review, manager, user, MemberRole.PANEL_CHAIR)
    return user


@pytest.fixture
def panel_member(lcspr_review, manager, school):
    user = UserFactory(full_name="Penny Panel", agency=school, roles=[Role.AGENCY_REPRESENTATIVE])
    seat(lcspr_review, manager, user, MemberRole.PANEL_MEMBER)
    return user


@pytest.fixture
def author(lcspr_review, manager, independent_author):
    seat(lcspr_review, manager, independent_author, MemberRole.AUTHOR)
    return independent_author


@pytest.fixture
def other_review_member(manager, local_authority, police, partner_leads, independent_chair):
    other = another_lcspr(manager, local_authority, partner_leads, independent_chair)
    user = UserFactory(
        full_name="Nina Elsewhere", agency=police, roles=[Role.AGENCY_REPRESENTATIVE]
    )
    seat(other, manager, user, MemberRole.PANEL_MEMBER)
    return user


@pytest.fixture
def written(lcspr_review, subgroup_member):
    return terms.written_request_record(
        review=lcspr_review,
        by=subgroup_member,
        sent_on=datetime.date(2026, 5, 1),
        request="Please send the first draft.",
    )


def url(name, review, *more):
    return reverse(f"reviews:{name}", args=[review.pk, *more])


def date_fields(name, value: datetime.date) -> dict:
    return {f"{name}_0": value.day, f"{name}_1": value.month, f"{name}_2": value.year}


def signed_in(client, user):
    client.force_login(user)
    return client


PAGES = ["monitoring", "checkpoint_add", "request_add", "request_answer"]


def page_url(name, review, request):
    if name == "request_answer":
        return url(name, review, request.getfixturevalue("written").pk)
    return url(name, review)


# --- who may reach which page --------------------------------------------------------------------


@pytest.mark.parametrize("name", PAGES)
def test_every_page_is_hidden_from_outsiders_agencies_and_members_of_other_reviews(
    client, lcspr_review, outsider, agency_author, other_review_member, name, request
):
    target = page_url(name, lcspr_review, request)
    for user in (outsider, agency_author, other_review_member):
        assert signed_in(client, user).get(target).status_code == 404, user


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("persona", ["subgroup_member", "panel_chair", "manager"])
def test_the_sub_group_the_panel_chair_and_the_manager_open_every_page(
    client, lcspr_review, name, persona, request
):
    user = request.getfixturevalue(persona)
    assert signed_in(client, user).get(page_url(name, lcspr_review, request)).status_code == 200


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("persona", ["author", "panel_member"])
def test_the_author_and_panel_members_may_not_monitor_the_review(
    client, lcspr_review, name, persona, request
):
    client = signed_in(client, request.getfixturevalue(persona))
    target = page_url(name, lcspr_review, request)
    assert client.get(target).status_code == 403
    if name != "monitoring":
        assert client.post(target, {}).status_code == 403


@pytest.mark.parametrize("name", PAGES)
def test_every_page_refuses_the_wrong_method(client, lcspr_review, manager, name, request):
    target = page_url(name, lcspr_review, request)
    client = signed_in(client, manager)
    assert client.put(target).status_code == 405
    if name == "monitoring":
        assert client.post(target).status_code == 405


# --- the monitoring page and checkpoints ------------------------------------------------------


def test_the_page_shows_the_checkpoint_and_completion_clocks(client, lcspr_review, subgroup_member):
    response = signed_in(client, subgroup_member).get(url("monitoring", lcspr_review))
    page = response.content.decode()
    assert FIRST_DUE in page
    assert "overdue by" in page  # the fixtures' dates are in the past
    assert "25 September 2026" in page  # six months from the decision
    assert "No checkpoint has been held yet." in page
    assert AccessLog.objects.filter(
        user=subgroup_member, what="Time and quality monitoring"
    ).exists()


def test_a_checkpoint_moves_the_next_checkpoint_date_shown(client, lcspr_review, subgroup_member):
    client = signed_in(client, subgroup_member)
    response = client.post(
        url("checkpoint_add", lcspr_review),
        {
            **date_fields("held_on", HELD),
            "progress": "at_risk",
            "progress_notes": "Two chronologies are late.",
            "quality_concerns": "The police chronology lacks analysis.",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == url("monitoring", lcspr_review)
    page = response.content.decode()
    assert "The checkpoint was recorded." in page
    assert NEXT_DUE in page and FIRST_DUE not in page
    assert "At risk of delay" in page and "govuk-tag--yellow" in page
    assert "The police chronology lacks analysis." in page
    assert Checkpoint.objects.get().recorded_by == subgroup_member


def test_a_checkpoint_needs_its_date_and_progress(client, lcspr_review, subgroup_member):
    response = signed_in(client, subgroup_member).post(url("checkpoint_add", lcspr_review), {})
    page = response.content.decode()
    assert "Enter date of the checkpoint" in page
    assert "Select progress against the timescale" in page
    assert not Checkpoint.objects.exists()


def test_a_checkpoint_cannot_be_in_the_future(client, lcspr_review, subgroup_member):
    response = signed_in(client, subgroup_member).post(
        url("checkpoint_add", lcspr_review),
        {**date_fields("held_on", datetime.date(2099, 1, 1)), "progress": "on_track"},
    )
    assert "The date must be today or in the past." in response.content.decode()
    assert not Checkpoint.objects.exists()


def test_nothing_is_recorded_once_the_lcspr_is_over(client, lcspr_review, manager):
    Review.objects.filter(pk=lcspr_review.pk).update(stage=Stage.CLOSED)
    client = signed_in(client, manager)
    page = client.get(url("checkpoint_add", lcspr_review)).content.decode()
    assert "recorded while an LCSPR is in progress" in page
    response = client.post(
        url("checkpoint_add", lcspr_review),
        {**date_fields("held_on", HELD), "progress": "on_track"},
    )
    assert "Checkpoints are held while an LCSPR is in progress." in response.content.decode()
    assert not Checkpoint.objects.exists()


# --- written requests to the author -----------------------------------------------------------


def test_the_sub_group_records_a_written_request(client, lcspr_review, subgroup_member):
    response = signed_in(client, subgroup_member).post(
        url("request_add", lcspr_review),
        {**date_fields("sent_on", HELD), "request": "Please send a draft by 1 June."},
        follow=True,
    )
    page = response.content.decode()
    assert "The written request to the author was recorded." in page
    assert "Please send a draft by 1 June." in page and "Awaiting a response" in page
    written = WrittenRequest.objects.get()
    assert url("request_answer", lcspr_review, written.pk) in page


def test_a_written_request_says_what_was_asked(client, lcspr_review, subgroup_member):
    response = signed_in(client, subgroup_member).post(
        url("request_add", lcspr_review), date_fields("sent_on", HELD)
    )
    assert "Enter what was asked for" in response.content.decode()
    assert not WrittenRequest.objects.exists()


def test_the_response_is_recorded_once(client, lcspr_review, written, panel_chair):
    client = signed_in(client, panel_chair)
    response = client.post(
        url("request_answer", lcspr_review, written.pk),
        {**date_fields("response_on", datetime.date(2026, 5, 8)), "response": "Draft sent."},
        follow=True,
    )
    page = response.content.decode()
    assert "The author&#x27;s response was recorded." in page
    assert "8 May 2026" in page and "Draft sent." in page
    again = client.get(url("request_answer", lcspr_review, written.pk)).content.decode()
    assert "The response to this request is already recorded." in again


def test_a_response_cannot_predate_the_request(client, lcspr_review, written, subgroup_member):
    response = signed_in(client, subgroup_member).post(
        url("request_answer", lcspr_review, written.pk),
        {**date_fields("response_on", datetime.date(2026, 4, 1)), "response": "Early."},
    )
    assert "The response cannot predate the request." in response.content.decode()
    written.refresh_from_db()
    assert written.response_on is None


def test_a_request_of_another_review_is_not_found(
    client, lcspr_review, written, manager, local_authority
):
    other = open_referral(manager, local_authority, pseudonym="Child U")
    response = signed_in(client, manager).get(url("request_answer", other, written.pk))
    assert response.status_code == 404
