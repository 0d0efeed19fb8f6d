"""Two-factor sign-in: setting up an authenticator app at the first sign-in, a code at each
later one, the pages a half-signed-in user may reach, and the manager's reset."""

import re

import pytest
from django.conf import settings
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from lcspr.access_log.models import AccessLog
from lcspr.core.models import OutboundEmail
from tests.accounts.helpers import (
    add_authenticator,
    code_for,
    make_sign_in_old,
    setup_link_path,
    wrong_code,
)

pytestmark = pytest.mark.django_db

SETUP = reverse("accounts:two_factor_setup")
VERIFY = reverse("accounts:two_factor_verify")
LOGIN = reverse("accounts:login")


@pytest.fixture(autouse=True)
def two_factor_on(settings):
    settings.TWO_FACTOR_REQUIRED = True


def sign_in(client, user, password, next_url=""):
    data = {"username": user.email, "password": password}
    return client.post(LOGIN + (f"?next={next_url}" if next_url else ""), data)


# --- first sign-in: setting up the app ---------------------------------------------------------


def test_a_right_password_without_an_app_leads_to_the_setup_page_keeping_next(
    client, manager, password
):
    response = sign_in(client, manager, password, next_url="/reviews/")
    assert response.status_code == 302
    assert response["Location"] == f"{SETUP}?next=%2Freviews%2F"


def test_the_setup_page_shows_a_qr_code_and_the_key_in_groups_of_four(client, manager, password):
    sign_in(client, manager, password)
    client.get(setup_link_path(manager))
    body = client.get(SETUP).content.decode()
    device = TOTPDevice.objects.get(user=manager, confirmed=False)
    svg = re.search(r"<svg[^>]*>", body).group(0)
    assert 'role="img"' in svg and "aria-label=" in svg
    assert "style=" not in body.split("<svg", 1)[1].split("</svg>", 1)[0]
    key = re.search(r"data-secret-key>([A-Z2-7 ]+)<", body).group(1)
    assert all(len(group) == 4 for group in key.split())
    # Reloading keeps the key the user may already have scanned.
    client.get(SETUP)
    assert TOTPDevice.objects.filter(user=manager).count() == 1
    assert key in client.get(SETUP).content.decode()
    assert device.name == "Authenticator app"


def test_a_right_code_sets_up_the_app_and_goes_to_the_page_asked_for(client, manager, password):
    sign_in(client, manager, password, next_url="/notifications/")
    client.get(setup_link_path(manager))
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=manager)
    response = client.post(SETUP + "?next=/notifications/", {"otp_token": code_for(device)})
    assert response.status_code == 302
    assert response["Location"] == "/notifications/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/notifications/").status_code == 200
    assert AccessLog.objects.filter(
        user=manager, what="Set up two-factor authentication and signed in"
    ).exists()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter the code from your authenticator app"),
        ("12ab56", "The code must be 6 numbers, like 123456"),
        ("12345", "The code must be 6 numbers, like 123456"),
    ],
)
def test_a_missing_or_malformed_code_is_refused_naming_the_field(
    client, manager, password, typed, message
):
    sign_in(client, manager, password)
    client.get(setup_link_path(manager))
    client.get(SETUP)
    response = client.post(SETUP, {"otp_token": typed})
    body = response.content.decode()
    assert response.status_code == 200
    assert message in body
    assert 'href="#id_otp_token"' in body
    assert not TOTPDevice.objects.filter(confirmed=True).exists()


def test_a_wrong_code_at_setup_leaves_the_app_unconfirmed(client, manager, password):
    sign_in(client, manager, password)
    client.get(setup_link_path(manager))
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=manager)
    response = client.post(SETUP, {"otp_token": wrong_code(device)})
    assert "The code is not correct" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get(reverse("core:home"))["Location"].startswith(SETUP)


def test_spaces_in_a_typed_code_are_ignored(client, manager, password):
    sign_in(client, manager, password)
    client.get(setup_link_path(manager))
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=manager)
    code = code_for(device)
    response = client.post(SETUP, {"otp_token": f"{code[:3]} {code[3:]}"})
    assert response.status_code == 302


# --- later sign-ins: a code --------------------------------------------------------------------


def test_a_user_with_an_app_gives_a_code_after_the_password(client, manager, password):
    device = add_authenticator(manager)
    response = sign_in(client, manager, password)
    assert response["Location"] == VERIFY
    page = client.get(VERIFY)
    assert "Enter the code from your authenticator app" in page.content.decode()
    # The service navigation stays hidden until the code is given.
    assert 'aria-label="Menu"' not in page.content.decode()

    response = client.post(VERIFY, {"otp_token": code_for(device)})
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    assert client.get(reverse("core:home")).status_code == 200
    assert AccessLog.objects.filter(user=manager, what="Signed in").count() == 1


def test_a_wrong_code_is_refused_with_a_message_naming_the_field(client, manager, password):
    device = add_authenticator(manager)
    sign_in(client, manager, password)
    response = client.post(VERIFY, {"otp_token": wrong_code(device)})
    body = response.content.decode()
    assert response.status_code == 200
    assert "The code is not correct. Enter the code your authenticator app shows now" in body
    assert "Error: Enter the code from your authenticator app" in body
    assert client.get(reverse("core:home"))["Location"].startswith(VERIFY)


def test_a_code_right_after_a_wrong_one_asks_to_wait_a_moment(client, manager, password):
    device = add_authenticator(manager)
    sign_in(client, manager, password)
    client.post(VERIFY, {"otp_token": wrong_code(device)})
    response = client.post(VERIFY, {"otp_token": code_for(device)})
    assert re.search(r"Wait \d+ seconds?, then enter the code", response.content.decode())


def test_a_code_cannot_be_used_twice(client, manager, password):
    device = add_authenticator(manager)
    code = code_for(device, steps_ahead=1)
    sign_in(client, manager, password)
    assert client.post(VERIFY, {"otp_token": code}).status_code == 302
    client.post(reverse("accounts:logout"))
    sign_in(client, manager, password)
    response = client.post(VERIFY, {"otp_token": code})
    assert "The code is not correct" in response.content.decode()


def test_an_unsafe_next_address_is_ignored(client, manager, password):
    device = add_authenticator(manager)
    sign_in(client, manager, password)
    response = client.post(
        VERIFY + "?next=https://evil.example/steal", {"otp_token": code_for(device)}
    )
    assert response["Location"] == reverse("core:home")


def test_the_two_factor_pages_refuse_other_methods(client, manager):
    client.force_login(manager)
    assert client.put(SETUP).status_code == 405
    assert client.put(VERIFY).status_code == 405


def test_the_two_factor_pages_need_a_password_first(client):
    assert client.get(VERIFY)["Location"].startswith(LOGIN)
    assert client.get(SETUP)["Location"].startswith(LOGIN)


# --- the middleware ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["/", "/reviews/", "/notifications/", "/actions/", "/account/notifications/", "/django-admin/"],
)
def test_a_user_who_has_not_given_a_code_is_sent_to_the_code_page(client, manager, path):
    add_authenticator(manager)
    client.force_login(manager)
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY + "?next=")


def test_a_user_without_an_app_is_sent_to_set_one_up(client, manager):
    client.force_login(manager)
    assert client.get("/reviews/")["Location"] == f"{SETUP}?next=%2Freviews%2F"


def test_a_post_before_the_code_is_refused_without_acting(client, manager):
    add_authenticator(manager)
    client.force_login(manager)
    response = client.post(
        reverse("accounts:notification_preferences"), {"reminder_delivery": "digest"}
    )
    assert response["Location"] == VERIFY
    manager.refresh_from_db()
    assert manager.reminder_delivery == "immediate"


def test_sign_out_password_reset_and_the_health_check_stay_open(client, manager):
    client.force_login(manager)
    assert client.get(reverse("accounts:password_reset")).status_code == 200
    assert client.get(reverse("core:healthz")).status_code in (200, 503)
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_with_two_factor_off_a_password_is_enough(client, manager, password, settings):
    settings.TWO_FACTOR_REQUIRED = False
    add_authenticator(manager)
    response = sign_in(client, manager, password)
    assert response["Location"] == reverse("core:home")
    assert client.get("/reviews/").status_code == 200


# --- the manager resets a colleague's app --------------------------------------------------------


def reset_url(user):
    return reverse("accounts:two_factor_reset", args=[user.pk])


def verified_client(client, user):
    device = add_authenticator(user)
    client.force_login(user)
    client.post(VERIFY, {"otp_token": code_for(device)})
    return client


def test_the_manager_sees_who_has_set_up_two_factor(client, manager, agency_author):
    add_authenticator(agency_author)
    verified_client(client, manager)
    body = client.get(reverse("accounts:people")).content.decode()
    assert "Alex Agency" in body and "Set up" in body
    assert f'href="{reset_url(agency_author)}"' in body
    assert f'href="{reset_url(manager)}"' not in body


def test_only_the_manager_sees_the_people_page(client, subgroup_member):
    verified_client(client, subgroup_member)
    assert client.get(reverse("accounts:people")).status_code == 403


def test_the_people_page_is_read_only(client, manager):
    verified_client(client, manager)
    assert client.post(reverse("accounts:people")).status_code == 405


def test_the_manager_resets_a_lost_phone_and_the_colleague_sets_up_again(
    client, manager, agency_author, password, django_user_model
):
    from django.test import Client

    colleague = verified_client(Client(), agency_author)
    assert colleague.get("/").status_code == 200
    verified_client(client, manager)

    page = client.get(reset_url(agency_author))
    assert page.status_code == 200
    assert "Reset two-factor authentication for Alex Agency" in page.content.decode()
    response = client.post(reset_url(agency_author), follow=True)
    assert response.redirect_chain[-1][0] == reverse("accounts:people")
    assert "Two-factor authentication for Alex Agency has been reset" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=agency_author).exists()
    assert AccessLog.objects.filter(
        user=manager,
        what="Reset the two-factor authentication of Alex Agency",
        object_id=str(agency_author.pk),
    ).exists()
    # The colleague's session asks for a new app at once, and so does their next sign-in; the
    # app is set up from the link e-mailed to them, never by their password alone.
    assert colleague.get("/")["Location"].startswith(SETUP)
    assert sign_in(Client(), agency_author, password)["Location"] == SETUP
    email = OutboundEmail.objects.get(recipient=agency_author, kind="two_factor_link")
    assert "Morgan Manager has reset the two-factor authentication" in email.body_text
    link = re.search(r"\S+/two-factor/set-up/link/\S+/", email.body_text).group(0)
    assert "QR code" not in colleague.get(SETUP).content.decode()
    colleague.get(link.replace(settings.SITE_URL, ""))
    assert "data-secret-key" in colleague.get(SETUP).content.decode()


def test_a_colleague_cannot_reset_two_factor(client, subgroup_member, agency_author):
    add_authenticator(agency_author)
    verified_client(client, subgroup_member)
    assert client.get(reset_url(agency_author)).status_code == 403
    assert client.post(reset_url(agency_author)).status_code == 403
    assert TOTPDevice.objects.filter(user=agency_author).exists()


def test_resetting_an_unknown_person_is_not_found(client, manager):
    verified_client(client, manager)
    assert client.post(reverse("accounts:two_factor_reset", args=[99999])).status_code == 404


def test_the_reset_refuses_other_methods(client, manager, agency_author):
    verified_client(client, manager)
    assert client.put(reset_url(agency_author)).status_code == 405


def test_the_manager_cannot_reset_their_own_two_factor(client, manager):
    verified_client(client, manager)
    response = client.post(reset_url(manager))
    assert response.status_code == 400
    assert "Ask another partnership manager" in response.content.decode()
    assert TOTPDevice.objects.filter(user=manager).exists()


def test_resetting_someone_without_an_app_says_so(client, manager, agency_author):
    verified_client(client, manager)
    response = client.post(reset_url(agency_author))
    assert response.status_code == 400
    assert "Alex Agency has not set up two-factor authentication" in response.content.decode()


def test_the_reset_asks_the_manager_to_confirm_it_is_them_after_a_while(
    client, manager, agency_author
):
    add_authenticator(agency_author)
    verified_client(client, manager)
    make_sign_in_old(client)
    response = client.post(reset_url(agency_author))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:confirm_password") + "?next=")
    assert TOTPDevice.objects.filter(user=agency_author).exists()
