"""One action's pages on the paths the other tests leave: what the action page says as it goes
from open to handed over and back, the closing of a published review's last action, the steps
offered for the status it is at, and evidence that was removed, shared or given as impact."""

import pytest
from django.urls import reverse

from actions import services
from actions.models import Assurance, EvidenceFile, Status
from lcspr.access_log.models import AccessLog
from reviews.models import ReportStatus, Review, Stage
from tests.actions.conftest import PDF, make_ready_to_close, office_file, upload

pytestmark = pytest.mark.django_db


def action_url(action, name="detail"):
    return reverse(f"actions:{name}", args=[action.pk])


def html_of(response):
    return response.content.decode()


def followed(client, url, data):
    response = client.post(url, data, follow=True)
    assert response.redirect_chain, html_of(response)
    return html_of(response)


def test_the_action_page_follows_an_action_handed_over_then_reopened(
    client, school_action, subgroup_member, agency_author
):
    client.force_login(subgroup_member)
    html = html_of(client.get(action_url(school_action)))
    assert "Not rated by the sub-group yet" in html and "No update yet" in html
    assert "cannot be closed: it is not started, not complete" in html
    assert action_url(school_action, "hand_over") in html
    html = followed(
        client,
        action_url(school_action, "hand_over"),
        {"handed_to": "The county's neglect strategy action plan"},
    )
    assert "Action 1 has been handed to another plan." in html
    assert "to: The county&#x27;s neglect strategy action plan" in html
    assert action_url(school_action, "reopen") in html
    assert action_url(school_action, "rate") not in html

    html = followed(client, action_url(school_action, "reopen"), {"reason": "It was withdrawn."})
    assert "Action 1 has been reopened and is in progress again." in html
    assert action_url(school_action, "reopen") not in html
    client.force_login(agency_author)
    assert action_url(school_action, "progress") in html_of(client.get(action_url(school_action)))


def test_reopening_an_open_action_says_there_is_nothing_to_reopen(
    client, school_action, subgroup_member
):
    client.force_login(subgroup_member)
    html = html_of(client.get(action_url(school_action, "reopen")))
    assert "Action 1 is open: there is nothing to reopen." in html
    response = client.post(action_url(school_action, "reopen"), {"reason": "Just in case."})
    assert response.status_code == 200
    assert "nothing to reopen" in html_of(response)
    school_action.refresh_from_db()
    assert school_action.status == Status.NOT_STARTED


def test_closing_the_last_action_of_a_published_review_says_the_review_closed(
    client, school_action, agency_author, subgroup_member
):
    Review.objects.filter(pk=school_action.review_id).update(report_status=ReportStatus.PUBLISHED)
    make_ready_to_close(school_action, agency_author)
    client.force_login(subgroup_member)
    html = followed(client, action_url(school_action, "close"), {"note": "Seen in May."})
    assert (
        "Action 1 is closed. The review&#x27;s action plan is complete and the review is closed."
        in html
    )
    assert "after seeing the evidence of impact. Seen in May." in html
    assert Review.objects.get(pk=school_action.review_id).stage == Stage.CLOSED
    # A closed review's action can no longer be reopened from its page.
    assert action_url(school_action, "reopen") not in html
    assert "The review is closed" in html_of(client.get(action_url(school_action, "reopen")))


def test_the_close_page_lists_the_evidence_of_impact_files(
    client, school_action, agency_author, subgroup_member
):
    services.completion_evidence_record(
        action=school_action, by=agency_author, completion_evidence="Training delivered."
    )
    services.impact_evidence_record(
        action=school_action,
        by=agency_author,
        impact_evidence="Every missed appointment followed up.",
        assurance_method=Assurance.CASE_SAMPLING,
        assurance_detail="Twenty cases sampled.",
        files=[upload("sample-results.xlsx", office_file("xl/workbook.xml"))],
    )
    client.force_login(subgroup_member)
    html = html_of(client.get(action_url(school_action, "close")))
    evidence = EvidenceFile.objects.get()
    assert evidence.kind == EvidenceFile.Kind.IMPACT
    assert reverse("actions:evidence", args=[evidence.pk]) in html
    assert "sample-results.xlsx" in html
    assert "Case sampling<br>Twenty cases sampled." in html


def test_the_progress_page_offers_only_the_statuses_still_ahead(
    client, school_action, agency_author
):
    services.progress_update_add(
        action=school_action, by=agency_author, text="Started.", status=Status.IN_PROGRESS
    )
    client.force_login(agency_author)
    html = html_of(client.get(action_url(school_action, "progress")))
    assert 'value="in_progress"' in html and 'value="complete"' in html
    assert 'value="not_started"' not in html and 'value="closed"' not in html
    response = client.post(
        action_url(school_action, "progress"), {"text": "Back again.", "status": "not_started"}
    )
    assert response.status_code == 200 and "Select a valid choice" in html_of(response)
    assert school_action.updates.count() == 1


def test_evidence_already_recorded_is_offered_for_correction(client, school_action, agency_author):
    make_ready_to_close(school_action, agency_author)
    client.force_login(agency_author)
    html = html_of(client.get(action_url(school_action, "impact")))
    assert "An audit of 20 fictional cases found every missed appointment followed up." in html
    assert 'type="radio" value="audit" checked' in html
    html = html_of(client.get(action_url(school_action, "completion")))
    assert "Training delivered to every fictional team." in html


def test_impact_assured_another_way_without_saying_how_is_refused_on_the_page(
    client, school_action, agency_author
):
    client.force_login(agency_author)
    response = client.post(
        action_url(school_action, "impact"),
        {"impact_evidence": "Referrals doubled.", "assurance_method": "other"},
    )
    assert response.status_code == 200
    assert "Describe how the impact was assured" in html_of(response)
    school_action.refresh_from_db()
    assert school_action.impact_evidence == ""


def test_a_rating_of_red_without_a_reason_is_refused_on_the_page(
    client, school_action, subgroup_member
):
    client.force_login(subgroup_member)
    response = client.post(action_url(school_action, "rate"), {"rag": "red"})
    assert "Enter why the action will not deliver in full" in html_of(response)
    html = followed(client, action_url(school_action, "rate"), {"rag": "red", "note": "No staff."})
    assert "Red: will not deliver" in html and "No staff." in html


def test_unsharing_is_said_on_the_page(client, police_action, subgroup_member):
    services.action_share(action=police_action, by=subgroup_member, shared=True)
    client.force_login(subgroup_member)
    html = html_of(client.get(action_url(police_action)))
    assert "Yes, read-only" in html and "Stop sharing with other agencies" in html
    html = followed(client, action_url(police_action, "share"), {"shared": "no"})
    assert "Action 1 is no longer shared with other agencies." in html
    assert "Share with every agency for learning" in html


# --- evidence files -----------------------------------------------------------------------------


@pytest.fixture
def evidence(school_action, agency_author):
    services.progress_update_add(
        action=school_action,
        by=agency_author,
        text="Audit attached.",
        status=Status.IN_PROGRESS,
        files=[upload()],
    )
    return EvidenceFile.objects.get()


def test_evidence_removed_from_storage_is_not_found_and_not_logged(client, evidence, agency_author):
    evidence.file.storage.delete(evidence.file.name)
    client.force_login(agency_author)
    assert client.get(reverse("actions:evidence", args=[evidence.pk])).status_code == 404
    assert not AccessLog.objects.filter(what__startswith="Downloaded evidence").exists()


def test_evidence_of_a_shared_action_is_read_by_another_agency(
    client, evidence, other_agency_author, subgroup_member
):
    client.force_login(other_agency_author)
    url = reverse("actions:evidence", args=[evidence.pk])
    assert client.get(url).status_code == 404
    services.action_share(action=evidence.action, by=subgroup_member, shared=True)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    log = AccessLog.objects.get(what="Downloaded evidence for action 1")
    assert log.user == other_agency_author


def test_evidence_stays_readable_once_the_review_is_closed(client, evidence, executive_member):
    Review.objects.filter(pk=evidence.action.review_id).update(
        stage=Stage.CLOSED, report_status=ReportStatus.PUBLISHED
    )
    client.force_login(executive_member)
    response = client.get(reverse("actions:evidence", args=[evidence.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="audit-results.pdf"'


def test_an_evidence_file_that_does_not_exist_is_not_found(client, manager, db):
    client.force_login(manager)
    assert client.get(reverse("actions:evidence", args=[999_999])).status_code == 404


def test_a_word_document_is_served_as_one(client, school_action, agency_author):
    services.completion_evidence_record(
        action=school_action,
        by=agency_author,
        completion_evidence="Policy rewritten.",
        files=[upload("policy.docx", office_file("word/document.xml"))],
    )
    evidence = EvidenceFile.objects.get()
    assert evidence.kind == EvidenceFile.Kind.COMPLETION and evidence.update is None
    client.force_login(agency_author)
    html = html_of(client.get(action_url(school_action)))
    assert "policy.docx" in html and "(evidence of completion," in html
    response = client.get(reverse("actions:evidence", args=[evidence.pk]))
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
