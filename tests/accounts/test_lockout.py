"""Lockout after repeated failures (django-axes): five wrong answers for one account lock it
for 15 minutes, whoever asks and whether or not the account exists."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tests.accounts.helpers import add_authenticator, code_for, wrong_code

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
VERIFY = reverse("accounts:two_factor_verify")
LOCKED = "Your account is locked for 15 minutes"


def attempt(client, email, password):
    return client.post(LOGIN, {"username": email, "password": password})


def signed_in(client):
    return "_auth_user_id" in client.session


def test_five_wrong_passwords_lock_the_account_even_for_the_right_password(
    client, manager, password
):
    for _ in range(4):
        response = attempt(client, manager.email, "not-the-password")
        assert "Enter a correct e-mail address and password." in response.content.decode()
    fifth = attempt(client, manager.email, "not-the-password")
    assert fifth.status_code == 429
    assert LOCKED in fifth.content.decode()

    sixth = attempt(client, manager.email, password)
    assert sixth.status_code == 429
    body = sixth.content.decode()
    assert LOCKED in body
    assert "Try again after 15 minutes." in body
    assert not signed_in(client)


def test_an_unknown_address_locks_the_same_way(client):
    for _ in range(5):
        response = attempt(client, "nobody@northbridge-scp.example", "guess-number-one")
    assert response.status_code == 429
    assert LOCKED in response.content.decode()


def test_the_lockout_page_gives_no_hint_whether_the_account_exists(client, manager):
    for _ in range(5):
        real = attempt(client, manager.email, "not-the-password")
        unknown = attempt(client, "nobody@northbridge-scp.example", "not-the-password")
    assert real.status_code == unknown.status_code == 429

    def main(response):
        return response.content.decode().split('id="main-content"')[1]

    assert main(real) == main(unknown)


def test_changing_the_case_of_the_address_does_not_get_more_attempts(client, manager, password):
    variants = [manager.email, manager.email.upper(), manager.email.title(), "  " + manager.email]
    for email in variants + [manager.email.capitalize()]:
        attempt(client, email, "not-the-password")
    assert attempt(client, manager.email.upper(), password).status_code == 429


def test_after_the_cool_off_the_right_password_works(client, manager, password):
    for _ in range(5):
        attempt(client, manager.email, "not-the-password")
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=16), tick=False):
        response = attempt(client, manager.email, password)
        assert response.status_code == 302
        assert signed_in(client)


def test_a_successful_sign_in_resets_the_count(client, manager, password):
    for _ in range(4):
        attempt(client, manager.email, "not-the-password")
    assert attempt(client, manager.email, password).status_code == 302
    client.post(reverse("accounts:logout"))
    for _ in range(4):
        attempt(client, manager.email, "not-the-password")
    assert attempt(client, manager.email, password).status_code == 302
    assert signed_in(client)


def test_locking_one_account_leaves_others_alone(client, manager, subgroup_member, password):
    for _ in range(5):
        attempt(client, manager.email, "not-the-password")
    assert attempt(client, subgroup_member.email, password).status_code == 302


def test_force_login_in_tests_is_not_affected_by_a_lockout(client, manager):
    for _ in range(5):
        attempt(client, manager.email, "not-the-password")
    client.force_login(manager)
    assert client.get(reverse("core:home")).status_code == 200


# --- codes count too -----------------------------------------------------------------------------


@pytest.fixture
def two_factor_on(settings):
    settings.TWO_FACTOR_REQUIRED = True


def test_five_wrong_codes_sign_the_user_out_and_lock_the_account(
    client, manager, password, two_factor_on
):
    device = add_authenticator(manager)
    attempt(client, manager.email, password)
    for _ in range(4):
        device.refresh_from_db()
        device.throttling_failure_count = 0  # the app's own short waits are tested elsewhere
        device.save()
        assert client.post(VERIFY, {"otp_token": wrong_code(device)}).status_code == 200
    device.throttling_failure_count = 0
    device.save()
    response = client.post(VERIFY, {"otp_token": wrong_code(device)})
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert not signed_in(client)
    # The right password and a right code are refused until the cool-off ends.
    assert attempt(client, manager.email, password).status_code == 429


def test_a_right_password_does_not_clear_wrong_codes_still_to_come(
    client, manager, password, two_factor_on
):
    device = add_authenticator(manager)
    for _ in range(3):
        attempt(client, manager.email, "not-the-password")
    assert attempt(client, manager.email, password)["Location"] == VERIFY
    client.post(VERIFY, {"otp_token": wrong_code(device)})
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.save()
    response = client.post(VERIFY, {"otp_token": wrong_code(device)})
    assert response.status_code == 429
    assert not signed_in(client)


def test_a_right_code_clears_the_count(client, manager, password, two_factor_on):
    device = add_authenticator(manager)
    for _ in range(4):
        attempt(client, manager.email, "not-the-password")
    attempt(client, manager.email, password)
    assert client.post(VERIFY, {"otp_token": code_for(device)}).status_code == 302
    client.post(reverse("accounts:logout"))
    for _ in range(4):
        attempt(client, manager.email, "not-the-password")
    assert attempt(client, manager.email, password).status_code == 302
