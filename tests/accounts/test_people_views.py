"""The people pages: only the partnership manager reaches them; the invited person's own page."""

import io
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lcspr.accounts import people
from lcspr.accounts.models import AccountLink, Role, User
from lcspr.accounts.views import LINK_SESSION_KEY
from lcspr.core.models import OutboundEmail
from tests.accounts.test_people_services import NEW_PASSWORD, invitation_token, invite

pytestmark = pytest.mark.django_db

GET_PAGES = ["people", "person_invite", "people_upload"]
PERSON_PAGES = ["person", "person_roles", "person_deactivate", "invitation_cancel"]


@pytest.fixture
def as_manager(client, manager):
    client.force_login(manager)
    return client


# --- who reaches the pages --------------------------------------------------------------------


@pytest.mark.parametrize("name", GET_PAGES)
def test_only_the_manager_opens_the_people_pages(client, manager, subgroup_member, name):
    client.force_login(subgroup_member)
    assert client.get(reverse(f"accounts:{name}")).status_code == 403
    client.force_login(manager)
    assert client.get(reverse(f"accounts:{name}")).status_code == 200


@pytest.mark.parametrize("name", PERSON_PAGES)
def test_only_the_manager_opens_a_persons_pages(
    client, manager, agency_author, other_agency_author, name
):
    url = reverse(f"accounts:{name}", args=[agency_author.pk])
    client.force_login(other_agency_author)
    assert client.get(url).status_code == 403
    client.force_login(manager)
    assert client.get(url).status_code == 200
    assert client.get(reverse(f"accounts:{name}", args=[999999])).status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(client, agency_author):
    response = client.get(reverse("accounts:person", args=[agency_author.pk]))
    assert response.status_code == 302 and "/account/sign-in/" in response["Location"]


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("people", "post"),
        ("person", "post"),
        ("invitation_resend", "get"),
        ("people_upload_confirm", "get"),
    ],
)
def test_the_wrong_method_is_refused(as_manager, agency_author, name, method):
    needs_pk = name in ("person", "invitation_resend")
    url = reverse(f"accounts:{name}", args=[agency_author.pk] if needs_pk else [])
    assert getattr(as_manager, method)(url).status_code == 405


# --- the list -------------------------------------------------------------------------------


def test_the_list_filters_by_agency_role_and_status(
    as_manager, manager, agency_author, other_agency_author, partner_lead, police
):
    url = reverse("accounts:people")
    body = as_manager.get(url, {"agency": police.pk}).content.decode()
    assert "Olly Otheragency" in body and "Pat Partner" in body and "Alex Agency" not in body
    body = as_manager.get(url, {"role": Role.STATUTORY_PARTNER_LEAD}).content.decode()
    assert "Pat Partner" in body and "Olly Otheragency" not in body
    people.person_deactivate(user=agency_author, reason="Left", by=manager)
    assert "Alex Agency" not in as_manager.get(url).content.decode()
    body = as_manager.get(url, {"status": "deactivated"}).content.decode()
    assert "Alex Agency" in body and "Deactivated" in body


def test_the_list_shows_last_sign_in_and_two_factor(as_manager, agency_author):
    from tests.accounts.helpers import add_authenticator

    add_authenticator(agency_author)
    body = as_manager.get(reverse("accounts:people")).content.decode()
    row = re.search(r"Alex Agency.*?</tr>", body, re.S).group(0)
    assert "Set up" in row and "Never" in row


def test_a_bad_filter_is_named(as_manager):
    response = as_manager.get(reverse("accounts:people"), {"role": "king"})
    assert "Select a role from the list" in response.content.decode()


def _grow(users: int, agencies: int, seed: int):
    from lcspr.accounts import scale
    from lcspr.core.scale import ScalePlan

    plan = ScalePlan(users=users, agencies=agencies, seed=seed, log=lambda _line: None)
    plan.made["system_user"] = User.objects.order_by("pk").first()
    scale.build(plan)


def test_the_list_runs_the_same_queries_with_30_and_2000_people(as_manager):
    """50 people a page: the count, the page and their roles, however many people there are
    (seed_scale's people builder, as the benchmark's "People list" page uses)."""
    url = reverse("accounts:people")
    _grow(30, 8, seed=1)
    as_manager.get(url)
    with CaptureQueriesContext(connection) as small:
        assert as_manager.get(url).status_code == 200
    filtered = {"role": Role.AGENCY_REPRESENTATIVE}
    with CaptureQueriesContext(connection) as small_filtered:
        as_manager.get(url, filtered)
    _grow(2000, 40, seed=2)
    assert User.objects.count() > 2000
    with CaptureQueriesContext(connection) as large:
        body = as_manager.get(url).content.decode()
    with CaptureQueriesContext(connection) as large_filtered:
        as_manager.get(url, filtered)
    assert "page 1 of 41" in body or "page 1 of 42" in body
    assert len(large.captured_queries) == len(small.captured_queries)
    assert len(large_filtered.captured_queries) == len(small_filtered.captured_queries)


# --- a person's page ------------------------------------------------------------------------


def test_the_manager_invites_a_person_who_gets_an_e_mail(as_manager, school):
    response = as_manager.post(
        reverse("accounts:person_invite"),
        {
            "full_name": "Rowan Reed",
            "email": "rowan.reed@riverside.example",
            "agency": school.pk,
            "roles": [Role.AGENCY_REPRESENTATIVE],
        },
        follow=True,
    )
    body = response.content.decode()
    assert "Rowan Reed has been invited" in body and "Invited" in body
    person = User.objects.get(email="rowan.reed@riverside.example")
    assert OutboundEmail.objects.filter(recipient=person, kind="invitation").count() == 1
    assert not person.has_usable_password()


def test_an_invitation_refused_by_the_role_rules_says_why(as_manager, school):
    response = as_manager.post(
        reverse("accounts:person_invite"),
        {
            "full_name": "Rowan Reed",
            "email": "rowan.reed@riverside.example",
            "agency": school.pk,
            "roles": [Role.STATUTORY_PARTNER_LEAD],
        },
    )
    assert response.status_code == 200
    assert "is not one of the three statutory safeguarding partners" in response.content.decode()
    assert not User.objects.filter(email="rowan.reed@riverside.example").exists()


def test_the_manager_resends_and_cancels_an_invitation(as_manager, manager, school):
    person = invite(manager, school)
    first = invitation_token(person)
    response = as_manager.post(reverse("accounts:invitation_resend", args=[person.pk]), follow=True)
    assert "The link sent before no longer works" in response.content.decode()
    assert people.invitation_state(first)[1] == "voided"
    response = as_manager.post(reverse("accounts:invitation_cancel", args=[person.pk]), follow=True)
    assert "has been cancelled" in response.content.decode()
    person.refresh_from_db()
    assert not person.is_active


def test_resending_to_someone_who_joined_is_refused_with_the_reason(as_manager, agency_author):
    response = as_manager.post(
        reverse("accounts:invitation_resend", args=[agency_author.pk]), follow=True
    )
    assert "already accepted their invitation" in response.content.decode()


def test_the_manager_changes_roles_and_a_refusal_says_why(as_manager, agency_author):
    url = reverse("accounts:person_roles", args=[agency_author.pk])
    refused = as_manager.post(
        url,
        {"roles": [Role.INDEPENDENT_AUTHOR], "read_roles": Role.AGENCY_REPRESENTATIVE},
    )
    assert "An independent author belongs to no agency" in refused.content.decode()
    response = as_manager.post(
        url,
        {
            "roles": [Role.AGENCY_REPRESENTATIVE, Role.SUBGROUP_MEMBER],
            "read_roles": Role.AGENCY_REPRESENTATIVE,
        },
        follow=True,
    )
    body = response.content.decode()
    assert "partnership roles have been saved" in body
    assert "Gave lcspr sub-group member" in body


def test_the_manager_deactivates_and_reactivates_a_person(as_manager, agency_author):
    url = reverse("accounts:person_deactivate", args=[agency_author.pk])
    missing = as_manager.post(url, {"reason": ""})
    assert "Enter reason" in missing.content.decode()
    response = as_manager.post(url, {"reason": "Left the school in July"}, follow=True)
    body = response.content.decode()
    assert "has been deactivated and they have been signed out" in body
    assert "Deactivated: Left the school in July" in body
    response = as_manager.post(
        reverse("accounts:person_reactivate", args=[agency_author.pk]),
        {"reason": "Back from leave"},
        follow=True,
    )
    assert "memberships were not restored" in response.content.decode()


# --- the invited person's page --------------------------------------------------------------


def test_the_invited_person_chooses_a_password_then_signs_in(client, manager, school, settings):
    settings.TWO_FACTOR_REQUIRED = False
    person = invite(manager, school)
    url = reverse("accounts:invitation", args=[invitation_token(person)])
    assert "Choose your password" in client.get(url).content.decode()
    mismatch = client.post(url, {"new_password1": NEW_PASSWORD, "new_password2": "other"})
    assert "The two passwords do not match" in mismatch.content.decode()
    response = client.post(url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response["Location"] == reverse("accounts:login")
    used = client.get(url)
    assert used.status_code == 410
    assert "This invitation has already been used" in used.content.decode()


def test_with_two_factor_the_new_person_goes_on_to_set_up_their_app(
    client, manager, school, settings
):
    settings.TWO_FACTOR_REQUIRED = True
    person = invite(manager, school)
    url = reverse("accounts:invitation", args=[invitation_token(person)])
    client.post(url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    link = AccountLink.objects.get(pk=client.session[LINK_SESSION_KEY])
    assert link.user == person and link.purpose == AccountLink.Purpose.TWO_FACTOR_SETUP
    response = client.post(
        reverse("accounts:login"), {"username": person.email, "password": NEW_PASSWORD}
    )
    assert response["Location"].startswith(reverse("accounts:two_factor_setup"))
    page = client.get(response["Location"]).content.decode()
    assert "Scan the QR code" in page or "authenticator app" in page
    assert "Send me a link" not in page


@pytest.mark.parametrize(
    ("make", "title"),
    [
        ("voided", "This invitation link has been replaced"),
        ("closed", "This invitation is no longer open"),
        ("unknown", "This invitation link is not valid"),
    ],
)
def test_a_link_that_no_longer_works_says_why(client, manager, school, make, title):
    person = invite(manager, school)
    token = invitation_token(person)
    if make == "voided":
        people.invitation_send(user=person, by=manager)
    elif make == "closed":
        people.invitation_cancel(user=person, by=manager)
    else:
        token = "not-a-real-token"
    response = client.get(reverse("accounts:invitation", args=[token]))
    assert response.status_code == 410 and title in response.content.decode()


def test_a_signed_in_person_cannot_use_someone_elses_invitation(
    client, manager, school, agency_author
):
    person = invite(manager, school)
    client.force_login(agency_author)
    response = client.get(reverse("accounts:invitation", args=[invitation_token(person)]))
    assert response.status_code == 403 and "Sign out to accept" in response.content.decode()


# --- bulk onboarding ------------------------------------------------------------------------

HEADINGS = "Name,E-mail,Agency,Role\n"


def _csv(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("people.csv", text.encode(), content_type="text/csv")


def _xlsx(rows) -> SimpleUploadedFile:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    data = io.BytesIO()
    workbook.save(data)
    return SimpleUploadedFile("people.xlsx", data.getvalue())


def test_a_file_is_checked_shown_then_everyone_is_added_and_invited(as_manager, school, police):
    upload = _csv(
        HEADINGS + "Rowan Reed,rowan@riverside.example,Riverside Primary School,"
        "Agency representative\n"
        "Kit Lane,kit@police.example,Northbridge Constabulary,Statutory partner lead\n"
    )
    preview = as_manager.post(reverse("accounts:people_upload"), {"file": upload})
    body = preview.content.decode()
    assert "2 people read from the CSV file (3 rows in the file" in body
    assert "Nobody has been added yet" in body
    assert not User.objects.filter(email="rowan@riverside.example").exists()
    response = as_manager.post(reverse("accounts:people_upload_confirm"), follow=True)
    assert "2 people have been added" in response.content.decode()
    added = User.objects.filter(email__in=["rowan@riverside.example", "kit@police.example"])
    assert added.count() == 2
    assert OutboundEmail.objects.filter(kind="invitation", recipient__in=added).count() == 2


def test_every_problem_is_named_by_row_and_column_and_nobody_is_added(
    as_manager, school, agency_author
):
    upload = _csv(
        HEADINGS + "Rowan Reed,rowan@riverside.example,Riverside Primary School,"
        "Agency representative\n"
        ",not-an-address,Atlantis Council,Chief\n"
        f"Alex Again,{agency_author.email},Riverside Primary School,Agency representative\n"
        "Rowan Twice,rowan@riverside.example,Riverside Primary School,Statutory partner lead\n"
    )
    response = as_manager.post(reverse("accounts:people_upload"), {"file": upload})
    body = response.content.decode().replace("&quot;", '"').replace("&#x27;", "'")
    assert response.status_code == 400
    assert 'Row 3, column "Name": enter the person' in body
    assert 'Row 3, column "E-mail": not-an-address is not an e-mail address' in body
    assert 'Row 3, column "Agency": Atlantis Council is not one of the partnership' in body
    assert 'Row 3, column "Role": Chief is not Agency representative' in body
    assert f'Row 4, column "E-mail": {agency_author.email} already has an account' in body
    assert 'Row 5, column "E-mail": rowan@riverside.example is also in row 2' in body
    assert 'Row 5, column "Role": Riverside Primary School is not one of the three' in body
    assert not User.objects.filter(email="rowan@riverside.example").exists()
    confirm = as_manager.post(reverse("accounts:people_upload_confirm"), follow=True)
    assert "There is nobody waiting to be added" in confirm.content.decode()


def test_an_xlsx_file_is_read_to_its_last_row(as_manager, school):
    upload = _xlsx(
        [
            ("Name", "E-mail", "Agency", "Role"),
            ("Rowan Reed", "rowan@riverside.example", "Riverside Primary School", "agency representative"),
            (None, None, None, None),
            ("Kit Lane", "kit@riverside.example", "Riverside Primary School", "Agency representative"),
        ]
    )  # fmt: skip
    response = as_manager.post(reverse("accounts:people_upload"), {"file": upload})
    body = response.content.decode().replace("&quot;", '"')
    assert '2 people read from the sheet "Sheet" (4 rows in the file' in body


def test_a_file_without_the_headings_is_refused(as_manager):
    upload = _csv("Who,Where\nRowan,School\n")
    body = as_manager.post(reverse("accounts:people_upload"), {"file": upload}).content.decode()
    assert "Row 1 must have the headings Name, E-mail, Agency and Role; missing: Name" in body


def test_a_file_confirmed_after_the_partnership_changed_adds_nobody(as_manager, manager, school):
    upload = _csv(
        HEADINGS + "Rowan Reed,rowan@riverside.example,Riverside Primary School,"
        "Agency representative\n"
    )
    as_manager.post(reverse("accounts:people_upload"), {"file": upload})
    invite(manager, school, email="rowan@riverside.example")
    response = as_manager.post(reverse("accounts:people_upload_confirm"))
    body = response.content.decode().replace("&quot;", '"')
    assert response.status_code == 400
    assert 'Row 2, column "E-mail": rowan@riverside.example already has an account' in body
    assert "Nobody was added" in body
