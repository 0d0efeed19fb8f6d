"""Every page of an agency's chronology against every persona, on the police's submitted
chronology: who may use it, who sees the chronology but may not do this (403), who may not know
it exists (404), and the methods each page answers (405 otherwise)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from chronologies import services

pytestmark = pytest.mark.django_db

PERSONAS = (
    "other_agency_author",  # the police's representative, its author
    "manager",
    "subgroup_member",  # the review's panel chair
    "panel_member",  # the school's representative on the panel
    "agency_author",  # the school's representative, not on the panel
    "partner_lead",  # a police lead who sees every review but is no representative
    "outsider",
)
AGENCY = {"other_agency_author"}
EDIT_PAGES = ("entry_add", "entry_edit", "entry_delete", "authors", "submit", "import")
SEE = {"other_agency_author", "manager", "subgroup_member", "panel_member"}
# page: (who may use it, who sees the chronology but may not, methods answered)
PAGES = {
    "request": (SEE, set(), {"get"}),
    "version": (SEE, set(), {"get"}),
    "decide": (
        {"manager", "subgroup_member"},
        {"other_agency_author", "panel_member"},
        {"get", "post"},
    ),
    **{page: (AGENCY, SEE - AGENCY, {"get", "post"}) for page in EDIT_PAGES},
}


@pytest.fixture
def police_submitted(police_request, other_agency_author):
    services.authors_set(
        request=police_request, by=other_agency_author, authors=[other_agency_author]
    )
    entry = services.entry_save(
        request=police_request,
        by=other_agency_author,
        date=datetime.date(2025, 6, 3),
        description="Officers attended the home",
    )
    services.submit(request=police_request, by=other_agency_author, declaration_confirmed=True)
    return police_request, entry


def page_url(page, chronology, entry):
    args = {
        "entry_edit": [entry.pk],
        "entry_delete": [entry.pk],
        "version": [1],
    }.get(page, [])
    return reverse(f"chronologies:{page}", args=[chronology.pk, *args])


@pytest.mark.parametrize("page", sorted(PAGES))
def test_each_page_answers_each_persona(request, client, police_submitted, page):
    chronology, entry = police_submitted
    allowed, refused, _methods = PAGES[page]
    target = page_url(page, chronology, entry)
    for persona in PERSONAS:
        client.force_login(request.getfixturevalue(persona))
        expected = 200 if persona in allowed else 403 if persona in refused else 404
        assert client.get(target).status_code == expected, persona


@pytest.mark.parametrize("page", sorted(PAGES))
def test_each_page_refuses_the_methods_it_does_not_answer(request, client, police_submitted, page):
    chronology, entry = police_submitted
    allowed, _refused, methods = PAGES[page]
    client.force_login(request.getfixturevalue(sorted(allowed)[0]))
    target = page_url(page, chronology, entry)
    for method in {"post", "put", "delete", "patch"} - methods:
        assert getattr(client, method)(target).status_code == 405, method


def test_a_post_by_someone_who_may_not_changes_nothing(
    client, police_submitted, panel_member, agency_author
):
    chronology, entry = police_submitted
    for user, status in ((panel_member, 403), (agency_author, 404)):
        client.force_login(user)
        response = client.post(
            reverse("chronologies:decide", args=[chronology.pk]),
            {"outcome": "return", "comments": "Redo it."},
        )
        assert response.status_code == status
    chronology.refresh_from_db()
    assert chronology.status == "submitted"
    assert chronology.submissions.get().outcome == ""


def test_the_manager_asks_the_agencies_and_no_one_else(
    client, agreed_review, manager, subgroup_member, partner_lead, agency_author, outsider
):
    target = reverse("chronologies:review_requests", args=[agreed_review.pk])
    due = timezone.localdate() + datetime.timedelta(days=30)
    data = {"due_date_0": due.day, "due_date_1": due.month, "due_date_2": due.year}
    for user, status in (
        (subgroup_member, 403),
        (partner_lead, 403),
        (agency_author, 404),
        (outsider, 404),
    ):
        client.force_login(user)
        assert client.get(target).status_code == status
        assert client.post(target, data).status_code == status
    assert not agreed_review.chronologies.exists()
    client.force_login(manager)
    assert client.post(target, data).status_code == 302
    assert agreed_review.chronologies.count() == 2


def test_a_representative_who_has_left_is_signed_out(client, school_request, agency_author):
    target = reverse("chronologies:request", args=[school_request.pk])
    client.force_login(agency_author)
    assert client.get(target).status_code == 200
    agency_author.is_active = False
    agency_author.save()
    response = client.get(target)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_the_pages_ask_a_signed_out_visitor_to_sign_in(client, police_submitted):
    chronology, entry = police_submitted
    for page in PAGES:
        response = client.get(page_url(page, chronology, entry))
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login")), page
