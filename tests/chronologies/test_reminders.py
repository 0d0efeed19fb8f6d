"""Chronology requests as reminder items: due from the named authors, else from the
agency's representatives, until submitted; again once returned for changes."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chronologies import services
from chronologies.models import ChronologyRequest
from chronologies.reminders import chronology_items
from lcspr.accounts.models import Role
from lcspr.reminders.clocks import providers
from reviews.models import Stage
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2026, 4, 20)
DUE = D(2026, 5, 18)  # the fixtures ask for the chronologies four weeks ahead
ROW = {"date": D(2025, 6, 3), "description": "Home visit; the child was seen."}


@pytest.fixture
def clock():
    """Monday 20 April 2026, before the fixtures make the requests."""
    with time_machine.travel(datetime.datetime(2026, 4, 20, 10, tzinfo=datetime.UTC), tick=False):
        yield TODAY


def _by_agency(items):
    return {item.title.split(" the ", 1)[1]: item for item in items}


def test_the_provider_is_registered():
    assert providers()["chronologies"] is chronology_items


def test_a_request_without_authors_is_due_from_the_agencys_representatives(
    clock, chronology_requests, school_request, police_request, agency_author, other_agency_author
):
    items = _by_agency(chronology_items(TODAY))

    school = items["Riverside Primary School chronology"]
    assert school.title == "Submit the Riverside Primary School chronology"
    assert school.key == f"chronology-request:{school_request.pk}"
    assert school.due_date == DUE
    assert school.responsible == (agency_author.pk,)
    assert school.url == f"/chronologies/requests/{school_request.pk}/"
    assert school.review_label == f"{school_request.review.reference} (Child T)"
    assert school.review_id == school_request.review_id
    assert school.kind == "Chronology"
    assert school.escalates is True
    assert items["Northbridge Constabulary chronology"].responsible == (other_agency_author.pk,)


def test_the_named_authors_are_responsible_once_named(
    clock, school_request, agency_author, school_author
):
    colleague = UserFactory(
        full_name="Cal Colleague", agency=school_request.agency, roles=[Role.AGENCY_REPRESENTATIVE]
    )
    items = _by_agency(chronology_items(TODAY))
    assert items["Riverside Primary School chronology"].responsible == (school_author.pk,)

    # An author who has left: the agency's representatives hear of it again.
    school_author.is_active = False
    school_author.save()
    items = _by_agency(chronology_items(TODAY))
    assert items["Riverside Primary School chronology"].responsible == (colleague.pk,)


def test_a_submitted_chronology_is_not_due_until_returned(
    clock, school_request, school_author, manager
):
    services.entry_save(request=school_request, by=school_author, **ROW)
    services.submit(request=school_request, by=school_author, declaration_confirmed=True)
    assert "Riverside Primary School chronology" not in _by_agency(chronology_items(TODAY))

    services.return_for_changes(request=school_request, by=manager, comments="Add the GP visits.")
    item = _by_agency(chronology_items(TODAY))["Riverside Primary School chronology"]
    assert item.title == "Resubmit the Riverside Primary School chronology"
    assert item.responsible == (school_author.pk,)

    services.submit(request=school_request, by=school_author, declaration_confirmed=True)
    services.accept(request=school_request, by=manager)
    assert "Riverside Primary School chronology" not in _by_agency(chronology_items(TODAY))


def test_an_agency_with_nobody_to_ask_leaves_it_to_the_managers(clock, police_request, manager):
    # The police have no representative in this test: nobody but the managers can act.
    [police] = [i for i in chronology_items(TODAY) if "Constabulary" in i.title]
    assert police.responsible == (manager.pk,)


def test_a_closed_review_reminds_nobody(clock, chronology_requests, agreed_review):
    agreed_review.stage = Stage.CLOSED
    agreed_review.save()
    assert chronology_items(TODAY) == []


def _queries():
    with CaptureQueriesContext(connection) as captured:
        items = chronology_items(TODAY)
    return len(captured), items


def test_the_same_queries_for_two_requests_or_many(
    clock, chronology_requests, school_author, agreed_review, manager
):
    small, items = _queries()
    assert len(items) == 2
    for n in range(6):
        agency = AgencyFactory(name=f"Fictional Health Visiting Team {n}")
        rep = UserFactory(agency=agency, roles=[Role.AGENCY_REPRESENTATIVE])
        request = ChronologyRequest.objects.create(
            review=agreed_review,
            agency=agency,
            due_date=DUE,
            period_start=D(2025, 1, 1),
            period_end=D(2026, 3, 2),
            requested_by=manager,
        )
        if n % 2:
            request.authors.add(rep)
    large, items = _queries()
    assert len(items) == 8
    assert small == large == 4


def test_the_soonest_due_chronology_comes_first(
    clock, chronology_requests, school_request, police_request
):
    ChronologyRequest.objects.filter(pk=police_request.pk).update(due_date=D(2026, 5, 4))
    titles = [item.title for item in chronology_items(TODAY)]
    assert titles == [
        "Submit the Northbridge Constabulary chronology",
        "Submit the Riverside Primary School chronology",
    ]


def test_a_returned_chronology_whose_authors_have_all_left_goes_to_the_representatives(
    clock, school_request, school_author, manager
):
    colleague = UserFactory(
        full_name="Cal Colleague", agency=school_request.agency, roles=[Role.AGENCY_REPRESENTATIVE]
    )
    services.entry_save(request=school_request, by=school_author, **ROW)
    services.submit(request=school_request, by=school_author, declaration_confirmed=True)
    services.return_for_changes(request=school_request, by=manager, comments="Add the GP visits.")
    school_author.is_active = False
    school_author.save()
    item = _by_agency(chronology_items(TODAY))["Riverside Primary School chronology"]
    assert item.title == "Resubmit the Riverside Primary School chronology"
    assert item.responsible == (colleague.pk,)
