"""The pages of a learning review held instead of a notification: starting it from the review
page when the criteria are not met, then the other learning review's own pages."""

import datetime

import pytest
from django.urls import reverse

from reviews.clocks.models import Deadline
from reviews.models import Stage
from reviews.other_learning.models import OtherLearningReview
from reviews.referral import services as referral_services

pytestmark = pytest.mark.django_db

START = {"kind": "reflective_session", "scope": "How agencies shared worries about the baby."}


def _date(name, value: datetime.date) -> dict:
    return {f"{name}_0": value.day, f"{name}_1": value.month, f"{name}_2": value.year}


def _url(name, review):
    return reverse(f"reviews:{name}", args=[review.pk])


@pytest.fixture
def not_met(referral, manager):
    referral_services.criteria_record(
        review=referral, by=manager, abuse_or_neglect="no", died_or_seriously_harmed="yes"
    )
    referral.refresh_from_db()
    return referral


def test_the_review_page_offers_a_learning_review_beside_closing(client, manager, not_met):
    client.force_login(manager)
    body = client.get(_url("detail", not_met)).content.decode()
    assert "Hold a learning review instead" in body
    assert _url("learning_review_start", not_met) in body
    assert _url("close", not_met) in body


def test_the_manager_starts_a_learning_review_instead(client, manager, not_met):
    client.force_login(manager)
    url = _url("learning_review_start", not_met)
    page = client.get(url)
    assert page.status_code == 200
    assert "Reflective learning session" in page.content.decode()

    response = client.post(url, START)
    assert response.status_code == 302
    assert response["Location"] == _url("detail", not_met)
    not_met.refresh_from_db()
    assert not_met.stage == Stage.OTHER_LEARNING
    other = OtherLearningReview.objects.get(review=not_met)
    assert (other.kind, other.scope) == (START["kind"], START["scope"])
    followed = client.get(response["Location"]).content.decode()
    assert (
        "The reflective learning session has started. Send its scope to the practitioners "
        "before it is held."
    ) in followed
    assert _url("other_learning", not_met) in followed


def test_bad_input_names_each_field(client, manager, not_met):
    client.force_login(manager)
    body = client.post(_url("learning_review_start", not_met), {"scope": " "}).content.decode()
    assert "There is a problem" in body
    assert "Select type of learning review" in body
    assert "Enter scope or terms of reference" in body
    body = client.post(
        _url("learning_review_start", not_met), {**START, "kind": "lcspr"}
    ).content.decode()
    assert "Select a valid choice" in body
    not_met.refresh_from_db()
    assert not_met.stage == Stage.REFERRAL
    assert not OtherLearningReview.objects.exists()


@pytest.mark.parametrize(
    "abuse_or_neglect, reason",
    [
        (None, "Check the criteria before starting a learning review instead."),
        ("yes", "The criteria are met: notify the National Panel instead."),
    ],
)
def test_the_page_says_why_a_learning_review_cannot_start(
    client, manager, referral, abuse_or_neglect, reason
):
    if abuse_or_neglect:
        referral_services.criteria_record(
            review=referral, by=manager, abuse_or_neglect="yes", died_or_seriously_harmed="yes"
        )
    client.force_login(manager)
    url = _url("learning_review_start", referral)
    assert reason in client.get(url).content.decode()
    response = client.post(url, START)
    assert response.status_code == 200
    assert reason in response.content.decode()
    referral.refresh_from_db()
    assert referral.stage == Stage.REFERRAL


def test_the_independent_chair_sees_the_review_but_may_not_start_it(
    client, independent_chair, partner_lead, not_met
):
    for user in (independent_chair, partner_lead):
        client.force_login(user)
        url = _url("learning_review_start", not_met)
        assert client.get(url).status_code == 403
        assert client.post(url, START).status_code == 403
    not_met.refresh_from_db()
    assert not_met.stage == Stage.REFERRAL


def test_an_outsider_is_told_the_review_does_not_exist(client, outsider, agency_author, not_met):
    for user in (outsider, agency_author):
        client.force_login(user)
        assert client.get(_url("learning_review_start", not_met)).status_code == 404
        assert client.post(_url("learning_review_start", not_met), START).status_code == 404
    assert not OtherLearningReview.objects.exists()


def test_signing_in_is_needed(client, not_met):
    response = client.get(_url("learning_review_start", not_met))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_page_accepts_only_get_and_post(client, manager, not_met):
    client.force_login(manager)
    assert client.patch(_url("learning_review_start", not_met)).status_code == 405


def test_the_learning_review_pages_then_run_it_to_its_close(client, manager, not_met):
    client.force_login(manager)
    client.post(_url("learning_review_start", not_met), START)
    url = _url("other_learning", not_met)
    body = client.get(url).content.decode()
    assert START["scope"] in body  # the form shows the scope set when it started

    held = datetime.date(2026, 3, 24)
    body = client.post(url, {**START, **_date("held_on", held)}).content.decode()
    assert "Enter the date the scope was sent to the practitioners" in body
    body = client.post(
        url, {**START, **_date("scope_sent_on", held), **_date("held_on", held.replace(day=20))}
    ).content.decode()
    assert "The session cannot be held before the scope was sent" in body

    response = client.post(
        url,
        {
            **START,
            **_date("scope_sent_on", held.replace(day=10)),
            **_date("held_on", held),
            "participants": "Health visitor, ICB",
            "learning": "Share worries at the first strategy discussion.",
        },
    )
    assert response.status_code == 302
    close = _url("other_learning_close", not_met)
    assert close in client.get(url).content.decode()
    assert "10 March 2026" in client.get(close).content.decode()
    assert client.post(close).status_code == 302
    not_met.refresh_from_db()
    assert not_met.stage == Stage.CLOSED
    assert not Deadline.objects.filter(review=not_met, met_on=None).exists()
    timeline = client.get(_url("timeline", not_met)).content.decode()
    assert "Learning review started although the criteria for notification are not met" in (
        timeline
    )
