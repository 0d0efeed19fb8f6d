import pytest
from django.core import mail
from django.urls import reverse

from lcspr.accounts.models import PasswordResetRequest
from lcspr.accounts.tasks import handle_password_reset
from lcspr.core.models import OutboundEmail
from lcspr.core.tasks import deliver_email

pytestmark = pytest.mark.django_db


def test_the_sign_in_page_is_open_to_anonymous_visitors(client):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    assert b"Sign in" in response.content


def test_the_home_page_sends_anonymous_visitors_to_sign_in(client):
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_user_signs_in_with_their_e_mail_address_in_any_case(client, manager, password):
    response = client.post(
        reverse("accounts:login"), {"username": manager.email.upper(), "password": password}
    )
    assert response.status_code == 302
    assert client.get(reverse("core:home")).context["user"] == manager


def test_a_closed_account_cannot_sign_in(client, manager, password):
    manager.is_active = False
    manager.save()
    response = client.post(
        reverse("accounts:login"), {"username": manager.email, "password": password}
    )
    assert response.status_code == 200
    assert "Enter a correct e-mail address and password." in response.content.decode()


def test_the_home_page_lists_the_users_roles(client, partner_lead):
    client.force_login(partner_lead)
    response = client.get(reverse("core:home"))
    body = response.content.decode()
    assert "Statutory partner lead" in body
    assert "Northbridge Constabulary" in body


def test_sign_out_only_accepts_post(client, manager):
    client.force_login(manager)
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert client.get(reverse("core:home")).status_code == 302


def test_a_password_reset_link_arrives_by_e_mail_and_sets_a_new_password(
    client, manager, django_capture_on_commit_callbacks, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("accounts:password_reset"), {"email": manager.email})
    assert response.status_code == 302
    assert len(callbacks) == 1
    # The page only records the request; the worker decides and queues the e-mail.
    assert not OutboundEmail.objects.exists()
    handle_password_reset.apply(args=[PasswordResetRequest.objects.get().pk])
    queued = OutboundEmail.objects.get()
    deliver_email.apply(args=[queued.pk])
    assert len(mail.outbox) == 1
    link = next(word for word in mail.outbox[0].body.split() if "/password-reset/" in word)
    path = link.replace("http://127.0.0.1:8000", "")

    response = client.get(path, follow=True)
    assert response.status_code == 200
    response = client.post(
        response.redirect_chain[-1][0],
        {"new_password1": "a-fresh-long-passphrase", "new_password2": "a-fresh-long-passphrase"},
    )
    assert response.status_code == 302
    manager.refresh_from_db()
    assert manager.check_password("a-fresh-long-passphrase")


def test_a_password_reset_for_an_unknown_address_says_the_same_and_sends_nothing(client):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    handle_password_reset.apply(args=[PasswordResetRequest.objects.get().pk])
    assert not OutboundEmail.objects.exists()
    assert PasswordResetRequest.objects.get().outcome == "no_account"


def test_a_short_new_password_is_refused_with_a_reason(client, manager):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    uid = urlsafe_base64_encode(force_bytes(manager.pk))
    token = default_token_generator.make_token(manager)
    response = client.get(
        reverse("accounts:password_reset_confirm", args=[uid, token]), follow=True
    )
    response = client.post(
        response.redirect_chain[-1][0], {"new_password1": "short", "new_password2": "short"}
    )
    assert response.status_code == 200
    assert "This password is too short" in response.content.decode()
    assert "govuk-error-summary" in response.content.decode()
