"""The "Chronologies" section of a review's task list: when it appears, each agency's status,
entries and working days left, the merged chronology's progress, links only for those who may
follow them, and the same queries however many agencies were asked."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chronologies import services
from chronologies.models import ChronologyRequest
from chronologies.tasks_section import SECTION
from reviews import selectors
from reviews.tasklist import CANNOT_START, COMPLETED, IN_PROGRESS, NOT_STARTED, render_section
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db

D = datetime.date
ROW = {"date": D(2025, 6, 3), "description": "Home visit; the child was seen."}
MONDAY = datetime.datetime(2026, 4, 20, 9, tzinfo=datetime.UTC)
DUE = D(2026, 5, 5)  # the Tuesday after the Early May bank holiday


def section(user, review):
    return render_section(SECTION, user, selectors.review_page(review))


def tasks_by_name(user, review):
    heading, tasks = section(user, review)
    assert heading == "Chronologies"
    return {task.name: task for task in tasks}


def submit(request, author, entries=1):
    for n in range(entries):
        services.entry_save(request=request, by=author, **{**ROW, "description": f"Visit {n}"})
    services.submit(request=request, by=author, declaration_confirmed=True)


@pytest.fixture
def police_author(police_request, other_agency_author):
    services.authors_set(
        request=police_request, by=other_agency_author, authors=[other_agency_author]
    )
    return other_agency_author


def test_there_is_no_section_before_the_terms_of_reference_are_agreed(lcspr_review, manager):
    assert section(manager, lcspr_review) is None


def test_once_the_terms_are_agreed_the_manager_is_offered_to_ask_the_agencies(
    agreed_review, manager, subgroup_member
):
    tasks = tasks_by_name(manager, agreed_review)
    ask = tasks["Ask the agencies for their chronologies"]
    assert ask.status == NOT_STARTED
    assert ask.url == reverse("chronologies:review_requests", args=[agreed_review.pk])
    assert ask.hint == "Every agency in scope of the agreed Terms of Reference"
    merged = tasks["Merged chronology"]
    assert (merged.status, merged.hint) == (
        CANNOT_START,
        "Built from the accepted agency chronologies",
    )
    # The panel chair sees the step but does not ask.
    assert tasks_by_name(subgroup_member, agreed_review)[ask.name].url == ""


def test_each_agencys_chronology_shows_its_status_entries_and_working_days_left(
    chronology_requests, school_request, police_request, school_author, police_author, manager
):
    ChronologyRequest.objects.filter(pk__in=[school_request.pk, police_request.pk]).update(
        due_date=DUE
    )
    submit(police_request, police_author, entries=2)
    with time_machine.travel(MONDAY, tick=False):
        tasks = tasks_by_name(manager, school_request.review)
    assert tasks["Ask the agencies for their chronologies"].status == COMPLETED
    assert tasks["Ask the agencies for their chronologies"].hint == "2 agencies asked"
    school = tasks["Riverside Primary School chronology"]
    assert (school.status, school.hint) == (NOT_STARTED, "Not yet submitted; 0 entries")
    assert (school.clock.due_date, school.clock.countdown) == (DUE, 10)
    police = tasks["Northbridge Constabulary chronology"]
    assert (police.status, police.hint) == (
        IN_PROGRESS,
        "Submitted, waiting for a decision; 2 entries",
    )
    assert tasks["Merged chronology"].status == CANNOT_START
    assert tasks["Merged chronology"].hint == "0 of 2 agency chronologies accepted"


def test_a_late_chronology_counts_the_working_days_it_is_overdue(
    school_request, school_author, manager
):
    ChronologyRequest.objects.filter(pk=school_request.pk).update(due_date=D(2026, 4, 2))
    # Thursday 2 April 2026; Good Friday and Easter Monday are not working days.
    with time_machine.travel(datetime.datetime(2026, 4, 7, 9, tzinfo=datetime.UTC), tick=False):
        school = tasks_by_name(manager, school_request.review)[
            "Riverside Primary School chronology"
        ]
    assert school.clock.countdown == -1


def test_a_returned_chronology_is_in_progress_again(school_request, school_author, manager):
    submit(school_request, school_author)
    services.return_for_changes(request=school_request, by=manager, comments="Add the times.")
    school = tasks_by_name(manager, school_request.review)["Riverside Primary School chronology"]
    assert (school.status, school.hint) == (
        IN_PROGRESS,
        "Returned to the agency for changes; 1 entry",
    )
    assert school.clock is not None


def test_the_merged_chronology_is_in_progress_then_complete_as_agencies_are_accepted(
    school_request, police_request, school_author, police_author, manager
):
    submit(school_request, school_author)
    submit(police_request, police_author)
    with time_machine.travel(datetime.datetime(2026, 5, 6, 15, tzinfo=datetime.UTC), tick=False):
        services.accept(request=school_request, by=manager)
    tasks = tasks_by_name(manager, school_request.review)
    school = tasks["Riverside Primary School chronology"]
    assert (school.status, school.hint) == (COMPLETED, "Accepted on 6 May 2026; 1 entry")
    assert school.clock is None
    merged = tasks["Merged chronology"]
    assert (merged.status, merged.hint) == (IN_PROGRESS, "1 of 2 agency chronologies accepted")
    assert merged.url == reverse("chronologies:merged", args=[school_request.review_id])

    services.accept(request=police_request, by=manager)
    merged = tasks_by_name(manager, school_request.review)["Merged chronology"]
    assert (merged.status, merged.hint) == (COMPLETED, "2 of 2 agency chronologies accepted")


@pytest.mark.parametrize(
    ("persona", "linked", "merged", "ask"),
    [
        ("manager", {"Riverside Primary School", "Northbridge Constabulary"}, True, True),
        ("panel_member", {"Riverside Primary School", "Northbridge Constabulary"}, True, False),
        ("agency_author", {"Riverside Primary School"}, False, False),
        ("other_agency_author", {"Northbridge Constabulary"}, False, False),
    ],
)
def test_each_task_links_only_for_those_who_may_follow_it(
    request, chronology_requests, persona, linked, merged, ask
):
    user = request.getfixturevalue(persona)
    review = next(iter(chronology_requests.values())).review
    tasks = tasks_by_name(user, review)
    for name, chronology in chronology_requests.items():
        url = reverse("chronologies:request", args=[chronology.pk])
        assert tasks[f"{name} chronology"].url == (url if name in linked else "")
    assert bool(tasks["Merged chronology"].url) is merged
    assert bool(tasks["Ask the agencies for their chronologies"].url) is ask


def test_one_agency_asked_reads_in_the_singular(agreed_review, manager, school, police):
    agreed_review.tor_versions.get().agencies.set([school])
    services.requests_create_from_terms(
        review=agreed_review, by=manager, due_date=D.today() + datetime.timedelta(days=28)
    )
    tasks = tasks_by_name(manager, agreed_review)
    assert tasks["Ask the agencies for their chronologies"].hint == "1 agency asked"


def _queries(user, review):
    with CaptureQueriesContext(connection) as captured:
        section(user, review)
    return len(captured)


def test_the_same_queries_for_two_agencies_or_ten(chronology_requests, agreed_review, manager):
    section(manager, agreed_review)  # warm what is loaded once (the roles, the calendar)
    few = _queries(manager, agreed_review)
    for n in range(8):
        ChronologyRequest.objects.create(
            review=agreed_review,
            agency=AgencyFactory(name=f"Fictional Health Visiting Team {n}"),
            due_date=D(2027, 1, 29),
            period_start=D(2025, 1, 1),
            period_end=D(2026, 3, 2),
            requested_by=manager,
        )
    assert len(section(manager, agreed_review)[1]) == 12
    assert _queries(manager, agreed_review) == few
