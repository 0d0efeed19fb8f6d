"""The ways round the sign-in an outside test found, closed: the technical administration
site's own login (every letter case of an address its own failure counter, a locked account
signing in, a password oracle, and an attacker enrolling their own authenticator app), the
first set-up of an app by password alone, and its audit tables."""

import re

import pytest
import time_machine
from django.conf import settings
from django.db import DatabaseError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from lcspr.access_log.models import AccessLog
from lcspr.access_log.services import access_log_prune
from lcspr.accounts import services
from lcspr.accounts.models import AccountLink
from lcspr.core.models import OutboundEmail
from tests.accounts.helpers import add_authenticator, code_for, setup_link_path
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
SETUP = reverse("accounts:two_factor_setup")
ADMIN = "/django-admin/"


@pytest.fixture(autouse=True)
def two_factor_on(settings):
    settings.TWO_FACTOR_REQUIRED = True


@pytest.fixture
def staff(db, password):
    return UserFactory(full_name="Stevie Staff", email="stevie.staff@nscp.example", is_staff=True)


def admin_login_post(client, username, password):
    return client.post(f"{ADMIN}login/", {"username": username, "password": password})


# --- one lockout count, whatever the letter case or the form -------------------------------------


def test_the_admin_site_has_no_sign_in_form_of_its_own(client, staff):
    response = client.get(f"{ADMIN}login/?next=/django-admin/")
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=%2Fdjango-admin%2F"
    # A password posted to it is never checked: no oracle, no session.
    response = admin_login_post(client, staff.email, "the-wrong-one")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("variant", ["Stevie.Staff@nscp.example", "STEVIE.STAFF@NSCP.EXAMPLE"])
def test_failures_in_any_letter_case_count_towards_one_lockout(client, staff, password, variant):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        typed = variant if attempt % 2 else variant.swapcase()
        client.post(LOGIN, {"username": typed, "password": "not-the-password"})
    # Locked: the right password in yet another letter case does not sign in.
    response = Client().post(LOGIN, {"username": "stevie.STAFF@nscp.example", "password": password})
    assert response.status_code == 429
    assert "_auth_user_id" not in Client().session


def test_the_axes_key_is_the_trimmed_lower_case_address(rf):
    from axes.helpers import get_client_username

    request = rf.post("/", {"username": "  Probe.Staff@Example.ORG "})
    assert get_client_username(request) == "probe.staff@example.org"
    assert get_client_username(request, {"username": "PROBE.staff@example.org"}) == (
        "probe.staff@example.org"
    )


# --- the admin site behind the service's sign-in and two-factor ----------------------------------


def test_a_staff_member_reaches_the_admin_site_only_after_the_code(client, staff, password):
    device = add_authenticator(staff)
    client.post(LOGIN, {"username": staff.email, "password": password})
    # Password given, code not yet: the admin site is not open.
    response = client.get(ADMIN)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two_factor_verify"))
    client.post(reverse("accounts:two_factor_verify"), {"otp_token": code_for(device)})
    assert client.get(ADMIN).status_code == 200
    assert AccessLog.objects.filter(
        user=staff, what="Technical administration (read): index"
    ).exists()


def test_a_signed_in_person_who_is_not_staff_finds_no_admin_site(client, manager):
    client.force_login(manager)
    session = client.session
    session.save()
    from django_otp import DEVICE_ID_SESSION_KEY

    device = add_authenticator(manager)
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    assert client.get(ADMIN).status_code == 404
    assert client.get(f"{ADMIN}login/").status_code == 404


def test_the_admin_site_can_be_switched_off(client, staff, settings):
    from django.urls import clear_url_caches, resolve
    from django.urls.exceptions import Resolver404

    settings.DJANGO_ADMIN_ENABLED = False
    import importlib

    import lcspr.urls

    try:
        importlib.reload(lcspr.urls)
        clear_url_caches()
        with pytest.raises(Resolver404):
            resolve(ADMIN)
    finally:
        settings.DJANGO_ADMIN_ENABLED = True
        importlib.reload(lcspr.urls)
        clear_url_caches()
    assert resolve(ADMIN)


# --- the first authenticator app only from an e-mailed, single-use link ---------------------------


def test_a_password_alone_never_shows_the_set_up_page(client, agency_author, password):
    response = client.post(LOGIN, {"username": agency_author.email, "password": password})
    assert response["Location"] == SETUP
    body = client.get(SETUP).content.decode()
    assert "data-secret-key" not in body and "<svg" not in body
    assert "Send me a link" in body
    assert not TOTPDevice.objects.filter(user=agency_author).exists()
    # Posting a code straight to the page sets nothing up either.
    response = client.post(SETUP, {"otp_token": "123456"})
    assert "data-secret-key" not in response.content.decode()
    assert not TOTPDevice.objects.filter(user=agency_author).exists()


def test_asking_for_a_link_e_mails_one_to_the_account_and_it_opens_the_set_up(
    client, agency_author, password
):
    client.post(LOGIN, {"username": agency_author.email, "password": password})
    response = client.post(reverse("accounts:two_factor_link_request"), follow=True)
    assert f"We have sent a link to {agency_author.email}" in response.content.decode()
    email = OutboundEmail.objects.get(kind="two_factor_link")
    assert email.to == agency_author.email
    assert "You asked to set up two-factor authentication" in email.body_text
    # Asking again at once is refused: no flood of links.
    response = client.post(reverse("accounts:two_factor_link_request"), follow=True)
    assert "A link was sent less than 5 minutes ago" in response.content.decode()
    assert OutboundEmail.objects.filter(kind="two_factor_link").count() == 1

    link = re.search(r"\S+/two-factor/set-up/link/\S+/", email.body_text).group(0)
    assert client.get(link.replace(settings.SITE_URL, ""))["Location"] == SETUP
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=agency_author)
    assert client.post(SETUP, {"otp_token": code_for(device)}).status_code == 302
    assert AccountLink.objects.get().used_at is not None
    # Spent: the link does not open a set-up again.
    response = Client().get(link.replace(settings.SITE_URL, ""))
    assert response.status_code == 410
    assert "This link has expired or has been used" in response.content.decode()


def test_the_link_asks_for_the_password_first_when_opened_signed_out(
    client, agency_author, password
):
    path = setup_link_path(agency_author)
    response = client.get(path)
    assert response["Location"] == f"{LOGIN}?next=%2Faccount%2Ftwo-factor%2Fset-up%2F"
    response = client.post(
        response["Location"], {"username": agency_author.email, "password": password}
    )
    assert response["Location"].startswith(SETUP)
    assert "data-secret-key" in client.get(SETUP).content.decode()


def test_a_link_for_someone_else_does_not_open_their_set_up(client, agency_author, password):
    someone = UserFactory(full_name="Rowan Other")
    path = setup_link_path(someone)
    client.post(LOGIN, {"username": agency_author.email, "password": password})
    response = client.get(path)
    assert response.status_code == 403
    assert "This link is for a different account" in response.content.decode()
    assert "data-secret-key" not in client.get(SETUP).content.decode()


def test_an_expired_link_and_an_older_link_do_not_work(client, agency_author, password):
    older = setup_link_path(agency_author)
    AccountLink.objects.update(created_at=timezone.now() - timezone.timedelta(minutes=10))
    newer = setup_link_path(agency_author)
    assert Client().get(older).status_code == 410
    AccountLink.objects.update(expires_at=timezone.now())
    assert Client().get(newer).status_code == 410


def test_a_link_cannot_be_sent_to_someone_with_an_app(agency_author):
    add_authenticator(agency_author)
    with pytest.raises(Exception, match="has already set up two-factor authentication"):
        services.two_factor_link_send(user=agency_author, by=None)


# --- the audit tables are append-only; secrets are not shown --------------------------------------


@pytest.fixture
def admin_client(client, staff):
    staff.is_superuser = True
    staff.save()
    from django_otp import DEVICE_ID_SESSION_KEY

    client.force_login(staff)
    device = add_authenticator(staff)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def test_the_access_log_cannot_be_changed_or_deleted_in_the_admin_site(admin_client, staff):
    row = AccessLog.objects.create(user=staff, what="Viewed something", path="/x/")
    assert admin_client.get(f"{ADMIN}access_log/accesslog/").status_code == 200
    assert admin_client.get(f"{ADMIN}access_log/accesslog/add/").status_code == 403
    response = admin_client.post(f"{ADMIN}access_log/accesslog/{row.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    response = admin_client.post(
        f"{ADMIN}access_log/accesslog/{row.pk}/change/", {"what": "Nothing to see"}
    )
    assert response.status_code == 403
    row.refresh_from_db()
    assert row.what == "Viewed something"
    # Each of those requests is itself in the log.
    assert AccessLog.objects.filter(
        user=staff, what__startswith="Technical administration (change)"
    ).exists()


def test_the_database_refuses_to_rewrite_or_delete_the_access_log(staff):
    row = AccessLog.objects.create(user=staff, what="Viewed something", path="/x/")
    for change in (
        lambda: AccessLog.objects.filter(pk=row.pk).update(what="Nothing"),
        lambda: AccessLog.objects.filter(pk=row.pk).delete(),
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            change()
    assert AccessLog.objects.get(pk=row.pk).what == "Viewed something"
    # The retention job is the one exception.
    AccessLog.objects.create(user=staff, what="Today", path="/y/")
    with time_machine.travel(timezone.now() - timezone.timedelta(days=400)):
        AccessLog.objects.create(user=staff, what="Long ago", path="/z/")
    assert access_log_prune(before=timezone.now() - timezone.timedelta(days=365)) == 1
    assert set(AccessLog.objects.values_list("what", flat=True)) == {"Viewed something", "Today"}


def test_reset_links_and_authenticator_keys_are_not_shown_in_the_admin_site(
    admin_client, agency_author
):
    path = setup_link_path(agency_author)
    email = OutboundEmail.objects.get(kind="two_factor_link")
    page = admin_client.get(f"{ADMIN}core/outboundemail/{email.pk}/change/").content.decode()
    assert path not in page
    assert "Not shown: it holds a single-use link" in page
    device = add_authenticator(agency_author)
    page = admin_client.get(f"{ADMIN}otp_totp/totpdevice/{device.pk}/change/").content.decode()
    assert device.key not in page
    assert "qrcode" not in page.lower()


def test_who_is_staff_or_superuser_is_not_editable_in_the_admin_site(admin_client, agency_author):
    page = admin_client.get(f"{ADMIN}accounts/user/{agency_author.pk}/change/").content.decode()
    assert 'name="is_superuser"' not in page
    assert 'name="is_staff"' not in page


def test_people_and_their_roles_are_read_only_in_the_admin_site(admin_client, agency_author):
    """Roles and leavers change on the manager's pages, whose services apply the rules."""
    url = f"{ADMIN}accounts/user/{agency_author.pk}/change/"
    page = admin_client.get(url).content.decode()
    assert "Agency representative" in page
    for field in ("is_active", "agency", "email", "role_assignments-0-role"):
        assert f'name="{field}"' not in page
    response = admin_client.post(url, {"is_active": "", "full_name": "Someone Else"})
    assert response.status_code == 403
    assert admin_client.get(f"{ADMIN}accounts/user/add/").status_code == 403
    response = admin_client.post(
        f"{ADMIN}accounts/user/{agency_author.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 403
    agency_author.refresh_from_db()
    assert agency_author.is_active and agency_author.full_name == "Alex Agency"
