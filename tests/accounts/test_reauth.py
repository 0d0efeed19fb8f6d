"""Re-authentication before sensitive actions: an old sign-in is sent to "Confirm it's you"
first, then straight back to the page; a fresh one goes straight through."""

import pytest
from django.urls import reverse

from lcspr.accounts.models import Role
from lcspr.core import form_tokens
from reviews.decision.models import Decision
from tests.accounts.helpers import add_authenticator, code_for, make_sign_in_old, wrong_code
from tests.factories import UserFactory
from tests.reviews.conftest import open_referral, to_rapid_review, to_sent, to_signed_off
from tests.reviews.decision.test_views_decision import _decision

pytestmark = pytest.mark.django_db

CONFIRM = reverse("accounts:confirm_password")


@pytest.fixture
def awaiting_decision(manager, partner_lead, local_authority, icb):
    """A review waiting for the Independent Chair's decision (as in tests/reviews)."""
    leads = [
        partner_lead,
        UserFactory(agency=local_authority, roles=[Role.STATUTORY_PARTNER_LEAD]),
        UserFactory(agency=icb, roles=[Role.STATUTORY_PARTNER_LEAD]),
    ]
    review = to_rapid_review(open_referral(manager, local_authority), manager)
    return to_sent(to_signed_off(review, manager, leads), manager)


def decision_url(review):
    return reverse("reviews:decision", args=[review.pk])


def test_a_fresh_sign_in_goes_straight_to_the_decision(
    client, independent_chair, awaiting_decision
):
    client.force_login(independent_chair)
    assert client.get(decision_url(awaiting_decision)).status_code == 200


def test_an_old_sign_in_confirms_first_then_returns_and_the_decision_is_recorded(
    client, independent_chair, awaiting_decision, password
):
    client.force_login(independent_chair)
    make_sign_in_old(client)
    url = decision_url(awaiting_decision)

    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{CONFIRM}?next={url.replace('/', '%2F')}"
    page = client.get(response["Location"])
    assert "Confirm it’s you" in page.content.decode()

    response = client.post(response["Location"], {"password": password})
    assert response.status_code == 302
    assert response["Location"] == url
    assert client.get(url).status_code == 200
    client.post(url, _decision())
    client.post(url, {**_decision(), "confirm": "yes"})
    assert Decision.objects.filter(review=awaiting_decision).exists()


def test_an_old_sign_in_never_acts_on_a_post(client, independent_chair, awaiting_decision):
    client.force_login(independent_chair)
    make_sign_in_old(client)
    url = decision_url(awaiting_decision)
    response = client.post(
        url, {**_decision(), "confirm": "yes"}, HTTP_REFERER="http://testserver" + url
    )
    assert response.status_code == 302
    assert response["Location"].startswith(CONFIRM)
    assert "next=" in response["Location"]
    assert not Decision.objects.exists()


def test_a_form_sent_before_confirming_can_be_sent_again_with_its_token(
    client, independent_chair, awaiting_decision, password
):
    client.force_login(independent_chair)
    make_sign_in_old(client)
    url = decision_url(awaiting_decision)
    data = {**_decision(), "confirm": "yes", "form_token": form_tokens.new_token()}
    response = client.post(url, data)
    assert response["Location"].startswith(CONFIRM)
    client.post(response["Location"], {"password": password})
    # Nothing was saved on the way to "Confirm it's you": the same form is not "already saved".
    assert client.post(url, data).status_code == 302
    assert Decision.objects.filter(review=awaiting_decision).exists()


def test_a_post_goes_back_to_the_page_it_came_from(client, manager, agency_author):
    add_authenticator(agency_author)
    client.force_login(manager)
    make_sign_in_old(client)
    url = reverse("accounts:two_factor_reset", args=[agency_author.pk])
    people = "http://testserver" + reverse("accounts:people")
    response = client.post(url, HTTP_REFERER=people)
    assert response["Location"] == f"{CONFIRM}?next=http%3A%2F%2Ftestserver%2Faccount%2Fpeople%2F"
    # Without a usable referrer it returns to the same address (its GET page).
    response = client.post(url, HTTP_REFERER="https://evil.example/")
    assert response["Location"] == f"{CONFIRM}?next={url.replace('/', '%2F')}"


def test_a_wrong_password_is_refused_naming_the_field(client, manager):
    client.force_login(manager)
    response = client.post(CONFIRM + "?next=/reviews/", {"password": "not-the-password"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Enter your correct password" in body
    assert 'href="#id_password"' in body


def test_an_empty_password_is_refused(client, manager):
    client.force_login(manager)
    response = client.post(CONFIRM, {"password": ""})
    assert "Enter your password" in response.content.decode()


def test_wrong_passwords_here_count_towards_the_lockout(client, manager, password):
    client.force_login(manager)
    for _ in range(4):
        assert client.post(CONFIRM, {"password": "not-the-password"}).status_code == 200
    response = client.post(CONFIRM, {"password": "not-the-password"})
    assert response.status_code == 429
    assert "Your account is locked for 15 minutes" in response.content.decode()
    assert "_auth_user_id" not in client.session
    login = client.post(
        reverse("accounts:login"), {"username": manager.email, "password": password}
    )
    assert login.status_code == 429


def test_an_unsafe_next_goes_home(client, manager, password):
    client.force_login(manager)
    response = client.post(CONFIRM + "?next=https://evil.example/", {"password": password})
    assert response["Location"] == reverse("core:home")


def test_the_confirm_page_needs_a_sign_in_and_get_or_post(client, manager):
    assert client.get(CONFIRM)["Location"].startswith(reverse("accounts:login"))
    client.force_login(manager)
    assert client.put(CONFIRM).status_code == 405


def test_with_two_factor_on_it_asks_for_a_code_too(client, manager, password, settings):
    settings.TWO_FACTOR_REQUIRED = True
    device = add_authenticator(manager)
    client.force_login(manager)
    client.post(reverse("accounts:two_factor_verify"), {"otp_token": code_for(device)})
    make_sign_in_old(client)

    page = client.get(CONFIRM).content.decode()
    assert "Password" in page and "Code" in page
    response = client.post(CONFIRM, {"password": password, "otp_token": wrong_code(device)})
    assert "The code is not correct" in response.content.decode()
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.save()
    response = client.post(
        CONFIRM + "?next=/account/people/",
        {"password": password, "otp_token": code_for(device, steps_ahead=1)},
    )
    assert response["Location"] == "/account/people/"
    assert client.get("/account/people/").status_code == 200
