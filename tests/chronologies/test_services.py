import datetime

import pytest
from django.utils import timezone

from chronologies import services
from chronologies.models import RequestStatus
from chronologies.permissions import requests_for_user
from lcspr.core.exceptions import WorkflowError

pytestmark = pytest.mark.django_db

ROW = {"date": datetime.date(2025, 6, 3), "description": "Home visit; the child was seen."}


def test_requests_follow_the_agreed_terms_of_reference(chronology_requests, agreed_review):
    request = next(iter(chronology_requests.values()))
    assert len(chronology_requests) == 2
    assert request.period_start == datetime.date(2025, 1, 1)
    assert request.kloes == [[1, "Voice of the child"], [2, "Escalation"]]
    assert agreed_review.events.filter(kind="chronologies_requested").exists()


def test_an_agency_sees_only_its_own_chronology(
    school_request, police_request, agency_author, other_agency_author
):
    assert list(requests_for_user(agency_author)) == [school_request]
    assert list(requests_for_user(other_agency_author)) == [police_request]


def test_an_import_replaces_the_draft_and_keeps_history(school_request, school_author):
    services.entry_save(request=school_request, by=school_author, **ROW)
    count = services.entries_replace(
        request=school_request, by=school_author, rows=[ROW, {**ROW, "description": "Call"}]
    )
    assert count == 2
    assert [e.sequence for e in school_request.entries.all()] == [1, 2]
    assert school_request.entries.model.history.filter(history_type="+").count() == 3


def test_submission_needs_a_named_author_and_the_declaration(
    school_request, agency_author, school_author
):
    services.entry_save(request=school_request, by=school_author, **ROW)
    with pytest.raises(WorkflowError, match="declaration"):
        services.submit(request=school_request, by=school_author, declaration_confirmed=False)
    submission = services.submit(
        request=school_request, by=school_author, declaration_confirmed=True
    )
    assert submission.version == 1 and submission.entry_count == 1
    school_request.refresh_from_db()
    assert school_request.status == RequestStatus.SUBMITTED
    with pytest.raises(WorkflowError, match="cannot change now"):
        services.entry_save(request=school_request, by=school_author, **ROW)


def test_a_returned_chronology_is_resubmitted_as_a_new_version_then_accepted_and_locked(
    school_request, school_author, manager
):
    services.entry_save(request=school_request, by=school_author, **ROW)
    services.submit(request=school_request, by=school_author, declaration_confirmed=True)
    services.return_for_changes(request=school_request, by=manager, comments="Add times.")
    services.entry_save(request=school_request, by=school_author, **{**ROW, "description": "B"})
    second = services.submit(request=school_request, by=school_author, declaration_confirmed=True)
    assert second.version == 2
    services.accept(request=school_request, by=manager)
    school_request.refresh_from_db()
    assert school_request.status == RequestStatus.ACCEPTED
    assert not school_request.is_editable


def test_a_future_date_is_refused(school_request, school_author):
    with pytest.raises(WorkflowError, match="future"):
        services.entry_save(
            request=school_request,
            by=school_author,
            date=timezone.localdate() + datetime.timedelta(days=1),
            description="Later",
        )


def test_the_agency_representatives_are_told_by_e_mail_without_case_detail(
    agency_author, agreed_review, chronology_requests
):
    from lcspr.core.models import OutboundEmail

    email = OutboundEmail.objects.get(kind="chronology_requested", to=agency_author.email)
    assert agreed_review.reference in email.subject
    assert "/chronologies/requests/" in email.body_text
    assert "Billie" not in email.body_text and agreed_review.pseudonym in email.body_text


def test_the_demo_has_an_accepted_and_a_submitted_chronology():
    from django.core.management import call_command

    from chronologies.models import ChronologyRequest

    call_command("seed_demo")
    statuses = dict(
        ChronologyRequest.objects.filter(review__pseudonym="Child H").values_list(
            "agency__name", "status"
        )
    )
    assert statuses["Riverside Primary School"] == RequestStatus.ACCEPTED
    assert statuses["Wendale Constabulary"] == RequestStatus.SUBMITTED
    call_command("seed_demo")
    assert ChronologyRequest.objects.filter(review__pseudonym="Child H").count() == len(statuses)
