"""An agency's chronology pages: the manager asks the agencies in scope; the agency's
representative adds entries, names the authors, declares and submits; the manager or panel chair
accepts or returns it; the panel reads submitted versions but never a draft; another agency's
representative never learns the chronology exists."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from chronologies import services
from chronologies.models import Entry, RequestStatus
from lcspr.accounts.models import Role
from tests.factories import UserFactory
from tests.helpers import assert_constant_queries

pytestmark = pytest.mark.django_db

EVENT_DAY = datetime.date(2025, 6, 3)


def url(name, *args):
    return reverse(f"chronologies:{name}", args=args)


def signed_in(client, user):
    client.force_login(user)
    return client


def date_fields(name, value: datetime.date) -> dict:
    return {f"{name}_0": value.day, f"{name}_1": value.month, f"{name}_2": value.year}


def add_entry(request, by, n=1, **fields):
    return services.entry_save(
        request=request,
        by=by,
        date=EVENT_DAY,
        description=fields.pop("description", f"Home visit number {n}"),
        **fields,
    )


def submitted(request, author):
    add_entry(request, author, description="Class teacher noticed bruising")
    services.submit(request=request, by=author, declaration_confirmed=True)
    request.refresh_from_db()
    return request


@pytest.fixture
def police_submitted(police_request, other_agency_author):
    services.authors_set(
        request=police_request, by=other_agency_author, authors=[other_agency_author]
    )
    return submitted(police_request, other_agency_author)


def entry_page_urls(request, entry):
    return [
        url("entry_add", request.pk),
        url("entry_edit", request.pk, entry.pk),
        url("entry_delete", request.pk, entry.pk),
        url("authors", request.pk),
        url("submit", request.pk),
    ]


# --- the manager asks the agencies --------------------------------------------------------------


def test_the_manager_asks_every_agency_in_scope_for_its_chronology(client, agreed_review, manager):
    due = timezone.localdate() + datetime.timedelta(days=30)
    response = signed_in(client, manager).post(
        url("review_requests", agreed_review.pk), date_fields("due_date", due)
    )
    assert response.status_code == 302
    assert agreed_review.chronologies.count() == 2
    page = client.get(url("review_requests", agreed_review.pk)).content.decode()
    assert "2 agencies have been asked" in page
    assert "Not yet submitted" in page
    assert "working days" in page or "working day" in page


def test_a_due_date_in_the_past_is_refused_and_nothing_is_asked(client, agreed_review, manager):
    response = signed_in(client, manager).post(
        url("review_requests", agreed_review.pk),
        date_fields("due_date", timezone.localdate() - datetime.timedelta(days=1)),
    )
    assert response.status_code == 200
    assert "The due date must be in the future." in response.content.decode()
    assert agreed_review.chronologies.count() == 0


def test_asking_again_says_every_agency_has_been_asked(client, school_request, manager):
    review = school_request.review
    due = timezone.localdate() + datetime.timedelta(days=30)
    response = signed_in(client, manager).post(
        url("review_requests", review.pk), date_fields("due_date", due)
    )
    assert "already been asked" in response.content.decode()


def test_the_requests_page_shows_status_entries_and_latest_version(
    client, school_request, police_submitted, manager
):
    page = signed_in(client, manager).get(url("review_requests", school_request.review_id))
    html = page.content.decode()
    assert "Submitted" in html and "Version 1" in html


def test_the_requests_page_refuses_others(
    client, agreed_review, subgroup_member, agency_author, outsider
):
    target = url("review_requests", agreed_review.pk)
    assert signed_in(client, outsider).get(target).status_code == 404
    assert signed_in(client, agency_author).get(target).status_code == 404
    # The panel chair sees the review but does not ask the agencies.
    assert signed_in(client, subgroup_member).get(target).status_code == 403


def test_the_requests_page_refuses_the_wrong_method(client, agreed_review, manager):
    assert (
        signed_in(client, manager).put(url("review_requests", agreed_review.pk)).status_code == 405
    )


# --- the representative's list ------------------------------------------------------------------


def test_a_representative_sees_only_their_agency_requests(
    client, school_request, police_request, agency_author
):
    html = signed_in(client, agency_author).get(url("my_requests")).content.decode()
    assert url("request", school_request.pk) in html
    assert url("request", police_request.pk) not in html
    assert school_request.review.pseudonym in html


def test_the_list_refuses_the_wrong_method(client, agency_author):
    assert signed_in(client, agency_author).post(url("my_requests")).status_code == 405


# --- the chronology page ------------------------------------------------------------------------


def test_the_agency_sees_its_draft_with_the_ways_to_add_entries(
    client, school_request, school_author
):
    entry = add_entry(school_request, school_author, event_type="Home visit")
    html = signed_in(client, school_author).get(url("request", school_request.pk)).content.decode()
    assert "Home visit number 1" in html
    assert url("entry_edit", school_request.pk, entry.pk) in html
    assert url("entry_add", school_request.pk) in html
    assert url("import", school_request.pk) in html
    assert url("template") in html
    assert url("submit", school_request.pk) in html
    assert "Voice of the child" in html  # the key lines of enquiry


def test_another_agency_gets_404_on_every_request_page(
    client, school_request, school_author, other_agency_author
):
    entry = add_entry(school_request, school_author)
    services.submit(request=school_request, by=school_author, declaration_confirmed=True)
    pages = [
        url("request", school_request.pk),
        url("version", school_request.pk, 1),
        url("decide", school_request.pk),
        *entry_page_urls(school_request, entry),
    ]
    client = signed_in(client, other_agency_author)
    for page in pages:
        assert client.get(page).status_code == 404, page
    for page in [url("decide", school_request.pk), *entry_page_urls(school_request, entry)]:
        assert client.post(page).status_code == 404, page


def test_an_outsider_gets_404(client, school_request, outsider):
    assert signed_in(client, outsider).get(url("request", school_request.pk)).status_code == 404


def test_a_panel_member_sees_submitted_versions_but_never_the_draft(
    client, police_request, other_agency_author, panel_member
):
    services.authors_set(
        request=police_request, by=other_agency_author, authors=[other_agency_author]
    )
    add_entry(police_request, other_agency_author, description="Officers attended the home")
    client = signed_in(client, panel_member)
    html = client.get(url("request", police_request.pk)).content.decode()
    assert "Officers attended the home" not in html
    assert "has not submitted" in html
    services.submit(request=police_request, by=other_agency_author, declaration_confirmed=True)
    html = client.get(url("request", police_request.pk)).content.decode()
    assert url("version", police_request.pk, 1) in html
    assert "Officers attended the home" not in html  # the working entries stay the agency's
    assert url("entry_add", police_request.pk) not in html
    version = client.get(url("version", police_request.pk, 1)).content.decode()
    assert "Officers attended the home" in version


def test_a_panel_member_gets_403_on_the_edit_pages(
    client, police_request, other_agency_author, panel_member
):
    entry = add_entry(police_request, other_agency_author)
    client = signed_in(client, panel_member)
    for page in entry_page_urls(police_request, entry):
        assert client.get(page).status_code == 403, page
        assert client.post(page).status_code == 403, page


def test_the_chronology_page_runs_the_same_queries_as_entries_grow(
    client, school_request, school_author
):
    for n in range(5):
        add_entry(school_request, school_author, n)

    def grow():
        for n in range(5, 50):
            add_entry(school_request, school_author, n)

    assert_constant_queries(
        signed_in(client, school_author), url("request", school_request.pk), grow
    )


def test_the_chronology_page_refuses_the_wrong_method(client, school_request, agency_author):
    target = url("request", school_request.pk)
    assert signed_in(client, agency_author).post(target).status_code == 405


# --- entries ------------------------------------------------------------------------------------


def entry_form(**overrides):
    data = {
        **date_fields("date", EVENT_DAY),
        "time": "14:30",
        "date_certainty": "exact",
        "source_reference": "SIMS-42",
        "practitioner_role": "Class teacher",
        "event_type": "Observation",
        "child_seen": "yes",
        "seen_alone": "no",
        "description": "Bruise on the arm noticed in PE.",
        "child_voice": "Said she fell over.",
        "action_taken": "Logged on the safeguarding system.",
        "outcome": "DSL informed.",
        "significance": "First sign of injury.",
        "kloe_numbers": ["1"],
        "themes": ["Neglect", "Information sharing"],
    }
    data.update(overrides)
    return data


def test_the_agency_adds_an_entry_with_every_field(client, school_request, agency_author):
    response = signed_in(client, agency_author).post(
        url("entry_add", school_request.pk), entry_form()
    )
    assert response.status_code == 302
    entry = school_request.entries.get()
    assert entry.time == datetime.time(14, 30)
    assert entry.child_seen == "yes" and entry.seen_alone == "no"
    assert entry.kloe_numbers == [1]
    assert entry.themes == ["Neglect", "Information sharing"]
    assert entry.practitioner_role == "Class teacher"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"time": "25:99"}, "Enter the time in 24-hour time"),
        (date_fields("date", datetime.date(2031, 1, 1)), "cannot be in the future"),
        ({"date_0": "31", "date_1": "2", "date_2": "2021"}, "must be a real date"),
        ({"description": ""}, "Enter a description of the event"),
        ({"themes": ["Not a theme"]}, "Select a valid choice"),
    ],
)
def test_a_bad_entry_is_refused_and_nothing_is_stored(
    client, school_request, agency_author, overrides, message
):
    response = signed_in(client, agency_author).post(
        url("entry_add", school_request.pk), entry_form(**overrides)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not school_request.entries.exists()


def test_the_agency_changes_and_deletes_an_entry(client, school_request, agency_author):
    entry = add_entry(school_request, agency_author)
    client = signed_in(client, agency_author)
    form_page = client.get(url("entry_edit", school_request.pk, entry.pk)).content.decode()
    assert "Home visit number 1" in form_page
    response = client.post(
        url("entry_edit", school_request.pk, entry.pk), entry_form(description="Changed")
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.description == "Changed"
    assert client.get(url("entry_delete", school_request.pk, entry.pk)).status_code == 200
    response = client.post(url("entry_delete", school_request.pk, entry.pk))
    assert response.status_code == 302
    assert not Entry.objects.filter(pk=entry.pk).exists()


def test_an_entry_of_another_chronology_is_404(
    client, school_request, police_request, agency_author, other_agency_author
):
    police_entry = add_entry(police_request, other_agency_author)
    client = signed_in(client, agency_author)
    assert client.get(url("entry_edit", school_request.pk, police_entry.pk)).status_code == 404


def test_a_submitted_chronology_cannot_be_changed(client, school_request, school_author):
    entry = add_entry(school_request, school_author)
    services.submit(request=school_request, by=school_author, declaration_confirmed=True)
    client = signed_in(client, school_author)
    page = client.get(url("entry_add", school_request.pk)).content.decode()
    assert "cannot change now" in page
    response = client.post(url("entry_edit", school_request.pk, entry.pk), entry_form())
    assert "cannot change now" in response.content.decode()
    entry.refresh_from_db()
    assert entry.description == "Home visit number 1"


def test_the_entry_pages_refuse_the_wrong_method(client, school_request, agency_author):
    entry = add_entry(school_request, agency_author)
    client = signed_in(client, agency_author)
    for page in entry_page_urls(school_request, entry):
        assert client.put(page).status_code == 405, page


# --- authors, submission ------------------------------------------------------------------------


def test_the_agency_names_its_authors(client, school_request, agency_author, school):
    colleague = UserFactory(
        full_name="Cara Colleague", agency=school, roles=[Role.AGENCY_REPRESENTATIVE]
    )
    client = signed_in(client, agency_author)
    page = client.get(url("authors", school_request.pk)).content.decode()
    assert "Alex Agency" in page and "Cara Colleague" in page and "Olly" not in page
    response = client.post(url("authors", school_request.pk), {"authors": [agency_author.pk]})
    assert response.status_code == 302
    assert list(school_request.authors.all()) == [agency_author]
    assert colleague not in school_request.authors.all()


def test_only_a_named_author_can_submit(client, school_request, agency_author):
    add_entry(school_request, agency_author)
    response = signed_in(client, agency_author).post(
        url("submit", school_request.pk), {"declaration": "on"}
    )
    assert "Only a named author" in response.content.decode()
    school_request.refresh_from_db()
    assert school_request.status == RequestStatus.DRAFT


def test_the_declaration_must_be_confirmed(client, school_request, school_author):
    add_entry(school_request, school_author)
    response = signed_in(client, school_author).post(url("submit", school_request.pk), {})
    assert "Confirm the declaration of seniority and independence" in response.content.decode()
    assert not school_request.submissions.exists()


def test_a_chronology_without_entries_cannot_be_submitted(client, school_request, school_author):
    response = signed_in(client, school_author).post(
        url("submit", school_request.pk), {"declaration": "on"}
    )
    assert "Add at least one entry" in response.content.decode()


def test_a_named_author_declares_and_submits(client, school_request, school_author):
    add_entry(school_request, school_author)
    client = signed_in(client, school_author)
    page = client.get(url("submit", school_request.pk)).content.decode()
    assert services.DECLARATION[:40] in page
    response = client.post(url("submit", school_request.pk), {"declaration": "on"})
    assert response.status_code == 302
    submission = school_request.submissions.get()
    assert submission.declaration == services.DECLARATION
    assert submission.submitted_by == school_author


# --- the decision -------------------------------------------------------------------------------


def test_the_manager_accepts_a_submission(client, police_submitted, manager):
    client = signed_in(client, manager)
    assert client.get(url("decide", police_submitted.pk)).status_code == 200
    response = client.post(
        url("decide", police_submitted.pk), {"outcome": "accept", "comments": ""}
    )
    assert response.status_code == 302
    police_submitted.refresh_from_db()
    assert police_submitted.status == RequestStatus.ACCEPTED


def test_the_panel_chair_returns_a_submission_with_comments(
    client, police_submitted, subgroup_member, other_agency_author
):
    client = signed_in(client, subgroup_member)
    response = client.post(url("decide", police_submitted.pk), {"outcome": "return"})
    assert "Enter what the agency needs to change" in response.content.decode()
    response = client.post(
        url("decide", police_submitted.pk),
        {"outcome": "return", "comments": "Add the strategy meeting of May."},
    )
    assert response.status_code == 302
    police_submitted.refresh_from_db()
    assert police_submitted.status == RequestStatus.RETURNED
    html = (
        signed_in(client, other_agency_author)
        .get(url("request", police_submitted.pk))
        .content.decode()
    )
    assert "Add the strategy meeting of May." in html
    assert url("entry_add", police_submitted.pk) in html


def test_a_panel_member_cannot_decide(client, police_submitted, panel_member, agency_author):
    assert (
        signed_in(client, panel_member).get(url("decide", police_submitted.pk)).status_code == 403
    )
    client.force_login(agency_author)
    assert client.post(url("decide", police_submitted.pk)).status_code == 404


def test_a_draft_cannot_be_decided(client, school_request, manager):
    page = signed_in(client, manager).get(url("decide", school_request.pk)).content.decode()
    assert "only a submitted chronology" in page


def test_the_decision_page_refuses_the_wrong_method(client, police_submitted, manager):
    assert signed_in(client, manager).put(url("decide", police_submitted.pk)).status_code == 405


# --- versions -----------------------------------------------------------------------------------


def test_a_version_shows_the_entries_as_submitted(client, police_submitted, manager):
    police_submitted.status = RequestStatus.RETURNED  # as if returned, so the draft can change
    police_submitted.save()
    entry = police_submitted.entries.get()
    services.entry_save(
        request=police_submitted, by=manager, entry=entry, description="Changed later"
    )
    html = signed_in(client, manager).get(url("version", police_submitted.pk, 1)).content.decode()
    assert "Class teacher noticed bruising" in html
    assert "Changed later" not in html
    assert services.DECLARATION[:40] in html
    assert client.get(url("version", police_submitted.pk, 2)).status_code == 404
    assert client.post(url("version", police_submitted.pk, 1)).status_code == 405


# --- the review's task list ---------------------------------------------------------------------


def test_the_task_list_shows_each_agency_chronology_and_its_lateness(
    client, school_request, police_submitted, manager
):
    html = signed_in(client, manager).get(
        reverse("reviews:detail", args=[school_request.review_id])
    )
    html = html.content.decode()
    assert "Chronologies" in html
    assert url("request", school_request.pk) in html
    assert "Not yet submitted" in html
    assert "Merged chronology" in html


def test_the_task_list_offers_to_ask_once_the_terms_are_agreed(client, agreed_review, manager):
    html = signed_in(client, manager).get(reverse("reviews:detail", args=[agreed_review.pk]))
    assert url("review_requests", agreed_review.pk) in html.content.decode()
