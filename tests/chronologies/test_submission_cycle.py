"""Submission, return and acceptance: what each step refuses (leaving the chronology as it was),
the versions kept as they were submitted, and a chronology returned, corrected and submitted
again as the agency and the panel see it."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from chronologies import services
from chronologies.models import RequestStatus
from lcspr.accounts.models import Role
from lcspr.core.exceptions import WorkflowError
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ROW = {"date": datetime.date(2025, 6, 3), "description": "Home visit; the child was seen."}


def url(name, *args):
    return reverse(f"chronologies:{name}", args=args)


def add(request, by, description, **fields):
    return services.entry_save(
        request=request, by=by, **{**ROW, "description": description, **fields}
    )


def submit(request, by):
    return services.submit(request=request, by=by, declaration_confirmed=True)


def status_of(request):
    request.refresh_from_db()
    return request.status


# --- the services' refusals ---------------------------------------------------------------------


def test_a_representative_not_named_as_author_cannot_submit_even_with_authors_named(
    school_request, school_author, school
):
    colleague = UserFactory(agency=school, roles=[Role.AGENCY_REPRESENTATIVE])
    add(school_request, school_author, "Visit")
    with pytest.raises(WorkflowError, match="Only a named author of this chronology"):
        submit(school_request, colleague)
    assert status_of(school_request) == RequestStatus.DRAFT
    assert not school_request.submissions.exists()


def test_an_empty_chronology_cannot_be_submitted(school_request, school_author):
    with pytest.raises(WorkflowError, match="Add at least one entry before submitting."):
        submit(school_request, school_author)
    assert status_of(school_request) == RequestStatus.DRAFT


def test_a_submitted_chronology_cannot_be_submitted_twice(school_request, school_author):
    add(school_request, school_author, "Visit")
    submit(school_request, school_author)
    with pytest.raises(WorkflowError, match="submitted: it cannot change now"):
        submit(school_request, school_author)
    assert school_request.submissions.count() == 1


@pytest.mark.parametrize("step", ["accept", "return"])
def test_a_draft_can_be_neither_accepted_nor_returned(school_request, manager, step):
    with pytest.raises(WorkflowError, match="Only a submitted chronology"):
        if step == "accept":
            services.accept(request=school_request, by=manager)
        else:
            services.return_for_changes(request=school_request, by=manager, comments="Why?")
    assert status_of(school_request) == RequestStatus.DRAFT
    assert not school_request.review.events.filter(
        kind__in=["chronology_accepted", "chronology_returned"]
    ).exists()


def test_an_accepted_chronology_cannot_be_returned_or_accepted_again(
    school_request, school_author, manager
):
    add(school_request, school_author, "Visit")
    submit(school_request, school_author)
    services.accept(request=school_request, by=manager, comments="Thorough.")
    with pytest.raises(WorkflowError, match="Only a submitted chronology"):
        services.return_for_changes(request=school_request, by=manager, comments="Too late")
    with pytest.raises(WorkflowError, match="Only a submitted chronology"):
        services.accept(request=school_request, by=manager)
    assert status_of(school_request) == RequestStatus.ACCEPTED
    submission = school_request.submissions.get()
    assert (submission.outcome, submission.comments) == ("accepted", "Thorough.")


@pytest.mark.parametrize("comments", ["", "   \n "])
def test_a_return_without_comments_is_refused_on_the_field(
    school_request, school_author, manager, comments
):
    add(school_request, school_author, "Visit")
    submit(school_request, school_author)
    with pytest.raises(WorkflowError) as refused:
        services.return_for_changes(request=school_request, by=manager, comments=comments)
    assert refused.value.message_dict == {"comments": ["Enter what the agency needs to change"]}
    assert status_of(school_request) == RequestStatus.SUBMITTED
    assert school_request.submissions.get().outcome == ""


# --- what each step records ---------------------------------------------------------------------


def test_each_step_records_who_and_when_on_the_request_the_version_and_the_timeline(
    school_request, school_author, manager
):
    add(school_request, school_author, "Visit")
    add(school_request, school_author, "Call")
    with time_machine.travel(datetime.datetime(2026, 5, 4, 9, tzinfo=datetime.UTC), tick=False):
        submit(school_request, school_author)
    with time_machine.travel(datetime.datetime(2026, 5, 6, 15, tzinfo=datetime.UTC), tick=False):
        services.accept(request=school_request, by=manager)
    school_request.refresh_from_db()
    assert school_request.submitted_at.date() == datetime.date(2026, 5, 4)
    assert school_request.accepted_at.date() == datetime.date(2026, 5, 6)
    submission = school_request.submissions.get()
    assert (submission.submitted_by, submission.outcome_by) == (school_author, manager)
    assert submission.outcome_at.date() == datetime.date(2026, 5, 6)
    assert list(
        school_request.review.events.filter(
            kind__in=["chronology_submitted", "chronology_accepted"]
        )
        .order_by("pk")
        .values_list("kind", "summary", "actor")
    ) == [
        (
            "chronology_submitted",
            "Riverside Primary School submitted its chronology (version 1, 2 entries)",
            school_author.pk,
        ),
        ("chronology_accepted", "Riverside Primary School chronology accepted", manager.pk),
    ]


def test_a_version_keeps_every_field_as_submitted_whatever_changes_after(
    school_request, school_author, manager
):
    entry = add(
        school_request,
        school_author,
        "Bruise noticed in PE",
        time=datetime.time(10, 15),
        date_certainty="approximate",
        child_seen="yes",
        kloe_numbers=[2],
        themes=["Neglect"],
    )
    first = submit(school_request, school_author)
    services.return_for_changes(request=school_request, by=manager, comments="Add the GP.")
    services.entry_save(
        request=school_request, by=school_author, entry=entry, description="Bruise on the arm"
    )
    add(school_request, school_author, "GP appointment")
    second = submit(school_request, school_author)
    first.refresh_from_db()
    assert first.entry_count == 1
    assert first.entries == [
        {
            "sequence": 1,
            "date": "2025-06-03",
            "time": "10:15:00",
            "date_certainty": "approximate",
            "source_reference": "",
            "practitioner_role": "",
            "event_type": "",
            "child_seen": "yes",
            "seen_alone": "unknown",
            "description": "Bruise noticed in PE",
            "child_voice": "",
            "action_taken": "",
            "outcome": "",
            "significance": "",
            "kloe_numbers": [2],
            "themes": ["Neglect"],
        }
    ]
    assert (second.version, second.entry_count) == (2, 2)
    assert [e["description"] for e in second.entries] == ["Bruise on the arm", "GP appointment"]


# --- returned, corrected and resubmitted, through the pages -------------------------------------


def test_a_returned_chronology_is_corrected_and_resubmitted_as_version_2(
    client, school_request, school_author, manager
):
    add(school_request, school_author, "Home visit")
    submit(school_request, school_author)
    client.force_login(manager)
    client.post(
        url("decide", school_request.pk),
        {"outcome": "return", "comments": "Say whether the child was seen."},
    )
    assert status_of(school_request) == RequestStatus.RETURNED

    client.force_login(school_author)
    html = client.get(url("request", school_request.pk)).content.decode()
    assert "Version 1 was returned for changes by Morgan Manager" in html
    assert "Say whether the child was seen." in html
    assert "Returned for changes" in html
    entry = school_request.entries.get()
    response = client.post(
        url("entry_edit", school_request.pk, entry.pk),
        {
            "date_0": "3",
            "date_1": "6",
            "date_2": "2025",
            "date_certainty": "exact",
            "child_seen": "yes",
            "seen_alone": "yes",
            "description": "Home visit; the child was seen alone.",
        },
    )
    assert response.status_code == 302
    response = client.post(url("submit", school_request.pk), {"declaration": "on"})
    assert response.status_code == 302
    html = client.get(response.url).content.decode()
    assert "Version 2 of the chronology has been submitted." in html
    assert "was returned for changes" not in html  # the warning is for the returned version

    client.force_login(manager)
    decide = client.get(url("decide", school_request.pk)).content.decode()
    assert url("version", school_request.pk, 2) in decide
    assert url("version", school_request.pk, 1) not in decide
    versions = [client.get(url("version", school_request.pk, n)).content.decode() for n in (1, 2)]
    assert "Returned for changes by Morgan Manager" in versions[0]
    assert "Say whether the child was seen." in versions[0]
    assert "Home visit" in versions[0] and "seen alone" not in versions[0]
    assert "Waiting for a decision" in versions[1]
    assert "Home visit; the child was seen alone." in versions[1]


def test_the_agency_is_told_the_latest_return_after_a_second_one(
    client, school_request, school_author, manager
):
    add(school_request, school_author, "Home visit")
    submit(school_request, school_author)
    services.return_for_changes(request=school_request, by=manager, comments="Add the time.")
    submit(school_request, school_author)
    services.return_for_changes(request=school_request, by=manager, comments="Add the outcome.")
    client.force_login(school_author)
    html = client.get(url("request", school_request.pk)).content.decode()
    assert "Version 2 was returned for changes" in html
    assert "Add the outcome." in html and "Add the time." not in html


def test_an_accepted_chronology_shows_it_is_locked_and_offers_no_changes(
    client, school_request, school_author, manager
):
    entry = add(school_request, school_author, "Home visit")
    submit(school_request, school_author)
    services.accept(request=school_request, by=manager)
    client.force_login(school_author)
    html = client.get(url("request", school_request.pk)).content.decode()
    assert "The chronology is accepted: its entries cannot change now." in html
    for link in (
        url("entry_add", school_request.pk),
        url("entry_edit", school_request.pk, entry.pk),
        url("import", school_request.pk),
        url("submit", school_request.pk),
        url("authors", school_request.pk),
    ):
        assert f'href="{link}"' not in html
    form = client.get(url("entry_add", school_request.pk)).content.decode()
    assert "The chronology is accepted: it cannot change now." in form
    assert "It can change again if it is returned" not in form
    client.force_login(manager)
    decide = client.get(url("decide", school_request.pk)).content.decode()
    assert "The chronology is accepted: only a submitted chronology" in decide
    response = client.post(url("decide", school_request.pk), {"outcome": "return", "comments": "x"})
    assert response.status_code == 200
    assert "Only a submitted chronology can be accepted or returned." in response.content.decode()
    assert status_of(school_request) == RequestStatus.ACCEPTED


def test_a_submitted_chronology_says_it_can_change_again_once_returned(
    client, school_request, school_author
):
    entry = add(school_request, school_author, "Home visit")
    submit(school_request, school_author)
    client.force_login(school_author)
    for page in (
        url("entry_delete", school_request.pk, entry.pk),
        url("authors", school_request.pk),
    ):
        html = client.get(page).content.decode()
        assert "The chronology is submitted: it cannot change now." in html
        assert "It can change again if it is returned to the agency." in html
    response = client.post(url("entry_delete", school_request.pk, entry.pk))
    assert response.status_code == 200
    assert "cannot change now" in response.content.decode()
    assert school_request.entries.filter(pk=entry.pk).exists()
    response = client.post(url("authors", school_request.pk), {"authors": []})
    assert response.status_code == 200
    assert list(school_request.authors.all()) == [school_author]


def test_the_decision_must_be_chosen(client, school_request, school_author, manager):
    add(school_request, school_author, "Home visit")
    submit(school_request, school_author)
    client.force_login(manager)
    response = client.post(url("decide", school_request.pk), {"comments": "Fine."})
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    assert status_of(school_request) == RequestStatus.SUBMITTED
