"""The idle session: 30 minutes without a request ends it; the warning's settings reach the
page's JavaScript; "Stay signed in" renews it; a timed-out sign-out says why."""

import datetime

import pytest
import time_machine
from django.contrib.auth.hashers import identify_hasher
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db

EXTEND = reverse("accounts:session_extend")


def test_signed_in_pages_carry_the_timeout_settings_and_the_warning(client, manager):
    client.force_login(manager)
    body = client.get(reverse("core:home")).content.decode()
    assert 'data-session-timeout="1800"' in body
    assert 'data-session-warning="300"' in body
    assert f'data-session-extend-url="{EXTEND}"' in body
    assert 'role="alertdialog"' in body
    assert "Stay signed in" in body
    assert "<script>" not in body and "style=" not in body


def test_the_sign_in_page_has_no_warning(client, db):
    body = client.get(reverse("accounts:login")).content.decode()
    assert "data-session-timeout" not in body
    assert "Stay signed in" not in body


def test_half_signed_in_pages_have_no_warning(client, manager, settings):
    settings.TWO_FACTOR_REQUIRED = True
    client.force_login(manager)
    body = client.get(reverse("accounts:two_factor_setup")).content.decode()
    assert "data-session-timeout" not in body


def test_the_session_ends_after_30_idle_minutes(client, manager):
    client.force_login(manager)
    later = timezone.now() + datetime.timedelta(minutes=31)
    with time_machine.travel(later, tick=False):
        response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_stay_signed_in_renews_the_session(client, manager):
    client.force_login(manager)
    start = timezone.now()
    with time_machine.travel(start + datetime.timedelta(minutes=26), tick=False):
        assert client.post(EXTEND).status_code == 204
    with time_machine.travel(start + datetime.timedelta(minutes=50), tick=False):
        assert client.get(reverse("core:home")).status_code == 200


def test_stay_signed_in_takes_only_a_post_from_a_signed_in_user(client, manager):
    assert client.post(EXTEND)["Location"].startswith(reverse("accounts:login"))
    client.force_login(manager)
    assert client.get(EXTEND).status_code == 405


def test_a_timed_out_sign_out_says_why(client, manager):
    client.force_login(manager)
    response = client.post(reverse("accounts:logout"), {"timeout": "1"}, follow=True)
    body = response.content.decode()
    assert "You were signed out after 30 minutes without activity." in body
    assert "You have signed out." not in body
    assert "_auth_user_id" not in client.session


def test_a_new_password_is_hashed_with_argon2(manager):
    manager.set_password("a-fresh-long-passphrase")
    manager.save()
    assert identify_hasher(manager.password).algorithm == "argon2"


@pytest.mark.parametrize(
    ("new_password", "message"),
    [
        ("short", "This password is too short. It must contain at least 12 characters."),
        ("password1234", "This password is too common."),
        ("839201746583", "This password is entirely numeric."),
    ],
)
def test_a_weak_new_password_is_refused_on_reset(client, manager, new_password, message):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    uid = urlsafe_base64_encode(force_bytes(manager.pk))
    token = default_token_generator.make_token(manager)
    page = client.get(reverse("accounts:password_reset_confirm", args=[uid, token]), follow=True)
    response = client.post(
        page.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert message in body
    assert "govuk-error-summary" in body
    manager.refresh_from_db()
    assert not manager.check_password(new_password)
