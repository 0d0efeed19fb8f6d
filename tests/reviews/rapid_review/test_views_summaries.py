"""Agency summaries as agencies see them: each representative reaches only the requests
addressed to their own agency and nothing else of the review; uploads are checked and served
only through the permission check."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from lcspr.access_log.models import AccessLog
from lcspr.core.uploads import MAX_DOCUMENT_BYTES as MAX_UPLOAD_BYTES
from reviews.rapid_review import services as rapid_review_services
from reviews.rapid_review.models import AgencySummaryRequest
from reviews.referral import services as referral_services
from tests.core.test_documents import docx
from tests.helpers import assert_constant_queries
from tests.reviews.conftest import open_referral, to_rapid_review

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
DOCX = docx("Fictional minutes.")


@pytest.fixture
def media(settings, tmp_path):
    """Uploaded files go to a folder of the test's own."""
    default = dict(settings.STORAGES["default"])
    default["OPTIONS"] = {**default.get("OPTIONS", {}), "location": str(tmp_path)}
    settings.STORAGES = {**settings.STORAGES, "default": default}
    return tmp_path


def stored_files(folder):
    return [p for p in folder.rglob("*") if p.is_file()]


def ask(review, manager, agency, days=7):
    return rapid_review_services.agency_summary_request(
        review=review,
        by=manager,
        agency=agency,
        due_date=timezone.localdate() + datetime.timedelta(days=days),
    )


@pytest.fixture
def school_request(in_rapid_review, manager, school):
    return ask(in_rapid_review, manager, school)


@pytest.fixture
def police_request(in_rapid_review, manager, police):
    return ask(in_rapid_review, manager, police)


def detail_url(summary_request):
    return reverse("reviews:summary_detail", args=[summary_request.pk])


def file_url(summary_request):
    return reverse("reviews:summary_file", args=[summary_request.pk])


LIST_URL = reverse("reviews:summary_list")


# --- the list --------------------------------------------------------------------------------------


def test_a_representative_sees_only_their_own_agencys_requests(
    client, school_request, police_request, agency_author
):
    client.force_login(agency_author)
    response = client.get(LIST_URL)
    assert response.status_code == 200
    assert list(response.context["summary_requests"]) == [school_request]
    page = response.content.decode()
    assert detail_url(school_request) in page
    assert detail_url(police_request) not in page
    assert "Child T" in page and school_request.review.reference in page
    assert "Not yet sent" in page


def test_the_manager_sees_every_request(client, school_request, police_request, manager):
    client.force_login(manager)
    response = client.get(LIST_URL)
    assert set(response.context["summary_requests"]) == {school_request, police_request}
    assert "Northbridge Constabulary" in response.content.decode()


@pytest.mark.parametrize("persona", ["outsider", "partner_lead", "independent_chair"])
def test_users_who_neither_send_nor_manage_summaries_may_not_list_them(
    client, school_request, persona, request
):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(LIST_URL).status_code == 403


def test_the_list_refuses_the_wrong_method(client, agency_author):
    client.force_login(agency_author)
    assert client.post(LIST_URL).status_code == 405


def test_the_list_shows_received_and_overdue_requests(
    client, school_request, manager, agency_author, police, local_authority
):
    rapid_review_services.agency_summary_submit(
        request=school_request, by=agency_author, summary="Seen."
    )
    late = ask(school_request.review, manager, local_authority)
    AgencySummaryRequest.objects.filter(pk=late.pk).update(
        due_date=timezone.localdate() - datetime.timedelta(days=14)
    )
    client.force_login(manager)
    page = client.get(LIST_URL).content.decode()
    assert f"Received on {timezone.localdate():%-d %B %Y}" in page
    assert "Overdue" in page
    assert "overdue by" in page


def test_the_list_runs_a_constant_number_of_queries(
    client, manager, local_authority, police, icb, school, school_request
):
    client.force_login(manager)

    def grow():
        for n in range(5):
            review = to_rapid_review(
                open_referral(manager, local_authority, pseudonym=f"Child {n}"), manager
            )
            for agency in (police, icb, school):
                ask(review, manager, agency)

    assert_constant_queries(client, LIST_URL, grow)


# --- the request and sending a summary ----------------------------------------------------------


def test_a_representative_sees_what_is_asked_and_nothing_else_of_the_review(
    client, school_request, manager, agency_author
):
    review = school_request.review
    referral_services.child_add(review=review, by=manager, name="Jordan Fictionalname", sex="male")
    client.force_login(agency_author)
    response = client.get(detail_url(school_request))
    page = response.content.decode()
    assert response.status_code == 200
    assert review.reference in page and "Child T" in page
    assert school_request.due_date.strftime("%-d %B %Y") in page
    assert "Send the summary" in page
    assert "Jordan" not in page
    assert review.what_is_known not in page
    assert reverse("reviews:detail", args=[review.pk]) not in page
    assert AccessLog.objects.filter(user=agency_author, review_id=review.pk).exists()


def test_a_representative_sends_a_written_summary(client, school_request, agency_author):
    client.force_login(agency_author)
    response = client.post(detail_url(school_request), {"summary": "Seen daily at school."})
    assert response.status_code == 302
    school_request.refresh_from_db()
    assert school_request.summary == "Seen daily at school."
    assert school_request.received_on == timezone.localdate()
    assert school_request.submitted_by == agency_author

    page = client.get(detail_url(school_request)).content.decode()
    assert "What was sent" in page
    assert "Seen daily at school." in page
    assert "Send the summary" not in page


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("summary.pdf", PDF, "application/pdf"),
        (
            "summary.docx",
            DOCX,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    ],
)
def test_a_representative_uploads_a_file_that_only_permitted_users_can_download(
    client,
    school_request,
    agency_author,
    other_agency_author,
    manager,
    media,
    name,
    content,
    content_type,
):
    client.force_login(agency_author)
    upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    response = client.post(detail_url(school_request), {"summary": "", "file": upload})
    assert response.status_code == 302
    school_request.refresh_from_db()
    assert school_request.file_name == name
    assert len(stored_files(media)) == 1
    assert file_url(school_request) in client.get(detail_url(school_request)).content.decode()

    for user in (agency_author, manager):
        client.force_login(user)
        response = client.get(file_url(school_request))
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == content
        assert response["Content-Type"] == content_type
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Cache-Control"] == "no-store"
    assert AccessLog.objects.filter(what="Downloaded an agency summary file").count() == 2

    client.force_login(other_agency_author)
    assert client.get(file_url(school_request)).status_code == 404


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("summary.exe", b"MZ\x90\x00"),
        ("summary.pdf", b"<html>not really a PDF</html>"),
        ("summary.docx", PDF),
        ("summary.txt", b"Plain text."),
    ],
)
def test_a_file_of_another_kind_is_refused_and_nothing_is_stored(
    client, school_request, agency_author, media, name, content
):
    client.force_login(agency_author)
    upload = SimpleUploadedFile(name, content)
    response = client.post(detail_url(school_request), {"summary": "", "file": upload})
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    assert "The summary file must be a PDF or a Word (DOCX) document" in page
    assert 'href="#id_file"' in page
    school_request.refresh_from_db()
    assert school_request.received_on is None and not school_request.file
    assert stored_files(media) == []


def test_a_file_over_10_mb_is_refused(client, school_request, agency_author, media):
    client.force_login(agency_author)
    upload = SimpleUploadedFile("big.pdf", PDF + b"0" * MAX_UPLOAD_BYTES)
    response = client.post(detail_url(school_request), {"file": upload})
    assert "The summary file must be smaller than 10 MB" in response.content.decode()
    assert stored_files(media) == []


def test_an_empty_submission_asks_for_the_summary_or_a_file(client, school_request, agency_author):
    client.force_login(agency_author)
    response = client.post(detail_url(school_request), {"summary": "  "})
    page = response.content.decode()
    assert "Enter the summary or choose a summary file" in page
    assert 'href="#id_summary"' in page
    school_request.refresh_from_db()
    assert school_request.received_on is None


def test_the_manager_records_a_summary_that_arrived_another_way(client, school_request, manager):
    client.force_login(manager)
    response = client.post(detail_url(school_request), {"summary": "Sent by e-mail."})
    assert response.status_code == 302
    school_request.refresh_from_db()
    assert school_request.submitted_by == manager


def test_a_summary_cannot_be_sent_once_the_rapid_review_is_over(
    client, awaiting_decision, manager, school, agency_author
):
    summary_request = AgencySummaryRequest.objects.create(
        review=awaiting_decision, agency=school, due_date=timezone.localdate()
    )
    client.force_login(agency_author)
    page = client.get(detail_url(summary_request)).content.decode()
    assert "can no longer be sent here" in page
    response = client.post(detail_url(summary_request), {"summary": "Late."})
    assert "You cannot submit an agency summary now" in response.content.decode()
    summary_request.refresh_from_db()
    assert summary_request.received_on is None


# --- who may reach a request -------------------------------------------------------------------------


def test_another_agencys_representative_can_neither_see_nor_send_the_request(
    client, school_request, other_agency_author
):
    client.force_login(other_agency_author)
    assert client.get(detail_url(school_request)).status_code == 404
    assert client.post(detail_url(school_request), {"summary": "Not ours."}).status_code == 404
    school_request.refresh_from_db()
    assert school_request.received_on is None


def test_an_outsider_gets_404(client, school_request, outsider):
    client.force_login(outsider)
    assert client.get(detail_url(school_request)).status_code == 404
    assert client.post(detail_url(school_request), {"summary": "x"}).status_code == 404
    assert client.get(file_url(school_request)).status_code == 404


def test_a_partner_lead_may_read_a_request_but_not_send_the_summary(
    client, school_request, partner_lead
):
    client.force_login(partner_lead)
    page = client.get(detail_url(school_request)).content.decode()
    assert "has not sent its summary yet" in page
    assert client.post(detail_url(school_request), {"summary": "x"}).status_code == 403


def test_the_request_pages_refuse_the_wrong_method(client, school_request, agency_author):
    client.force_login(agency_author)
    assert client.put(detail_url(school_request)).status_code == 405
    assert client.post(file_url(school_request)).status_code == 405


def test_there_is_no_file_to_download_before_one_is_sent(client, school_request, agency_author):
    client.force_login(agency_author)
    assert client.get(file_url(school_request)).status_code == 404
