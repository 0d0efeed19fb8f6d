"""Every read of case material is logged, once: pages that log themselves and pages that do not,
across reviews, panels, chronologies and actions, downloads and exports included."""

import pytest
from django.http import FileResponse, HttpResponse
from django.test import RequestFactory
from django.urls import ResolverMatch, reverse

from lcspr.access_log.middleware import AccessLogMiddleware
from lcspr.access_log.models import AccessLog
from lcspr.access_log.services import log_access, note_loaded
from tests.actions import conftest as action_fixtures
from tests.chronologies.conftest import *  # noqa: F403 - the reviews, panels and chronologies

# The action plan fixtures (its autouse ones included: a media folder, quick passwords).
media = action_fixtures.media
quick_passwords = action_fixtures.quick_passwords
recommendations = action_fixtures.recommendations
school_action = action_fixtures.school_action


def signed_in(client, user):
    client.force_login(user)
    return client


def one_row_for(client, url, **kwargs) -> AccessLog:
    before = AccessLog.objects.count()
    response = client.get(url, **kwargs)
    assert response.status_code == 200, url
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)
    assert AccessLog.objects.count() == before + 1, url
    return AccessLog.objects.order_by("-pk").first()


@pytest.mark.parametrize(
    ("name", "arg"),
    [
        ("reviews:detail", "review"),
        ("reviews:timeline", "review"),
        ("reviews:edit", "review"),
        ("panels:panel", "review"),
        ("reviews:terms", "review"),
        ("panels:member_add", "review"),
        ("panels:meetings", "review"),
        ("chronologies:review_requests", "review"),
        ("chronologies:request", "chronology"),
        ("chronologies:merged", "review"),
        ("actions:review_plan", "review"),
        ("actions:detail", "action"),
        ("actions:edit", "action"),
        ("actions:progress", "action"),
    ],
)
def test_each_case_page_is_logged_once_with_its_review(
    client, manager, school_request, school_action, name, arg
):
    review = school_request.review
    pk = {"review": review.pk, "chronology": school_request.pk, "action": school_action.pk}[arg]
    row = one_row_for(signed_in(client, manager), reverse(name, args=[pk]))
    assert (row.user, row.review_id, row.kind) == (manager, review.pk, AccessLog.Kind.VIEW)
    assert row.path == reverse(name, args=[pk])
    assert row.address == "127.0.0.1"
    assert row.what


def test_a_page_that_does_not_log_itself_is_named_by_its_url(client, manager, referral):
    row = one_row_for(signed_in(client, manager), reverse("reviews:criteria", args=[referral.pk]))
    assert row.what == "reviews:criteria"
    assert (row.object_type, row.object_id) == ("reviews.Review", str(referral.pk))
    assert row.review_id == referral.pk


def test_a_page_that_logs_itself_keeps_its_own_words(client, manager, referral):
    row = one_row_for(signed_in(client, manager), reverse("reviews:detail", args=[referral.pk]))
    assert row.what == "Review page"


def test_downloads_and_exports_are_logged_once_with_their_kind(
    client, manager, school_request, school_action
):
    review = school_request.review
    signed_in(client, manager)
    csv = one_row_for(client, reverse("chronologies:merged_csv", args=[review.pk]))
    assert (csv.kind, csv.review_id) == (AccessLog.Kind.EXPORT, review.pk)
    xlsx = one_row_for(client, reverse("actions:review_report_xlsx", args=[review.pk]))
    assert (xlsx.kind, xlsx.review_id) == (AccessLog.Kind.DOWNLOAD, review.pk)


def test_the_review_list_is_logged_without_a_review(client, manager, referral):
    row = one_row_for(signed_in(client, manager), reverse("reviews:list"))
    assert (row.what, row.review_id) == ("reviews:list", None)


@pytest.mark.parametrize(
    "url", [reverse("reviews:clock_settings"), reverse("reviews:retention_settings")]
)
def test_settings_pages_without_case_material_are_not_logged(client, manager, url):
    assert signed_in(client, manager).get(url).status_code == 200
    assert not AccessLog.objects.exists()


def test_refused_and_missing_pages_are_not_logged(client, outsider, partner_lead, referral):
    assert (
        signed_in(client, outsider).get(reverse("reviews:detail", args=[referral.pk])).status_code
        == 404
    )
    assert (
        signed_in(client, partner_lead)
        .get(reverse("reviews:criteria", args=[referral.pk]))
        .status_code
        == 403
    )
    assert not AccessLog.objects.exists()


def test_a_form_sent_back_with_errors_is_a_read_of_the_page_it_shows(client, manager, referral):
    # The page shown again with its errors shows the review again: that is a read.
    url = reverse("reviews:criteria", args=[referral.pk])
    response = signed_in(client, manager).post(url, {})
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    row = AccessLog.objects.get()
    assert (row.user, row.review_id, row.path, row.kind) == (manager, referral.pk, url, "view")


def test_a_post_that_redirects_or_is_refused_is_not_a_read(client, manager, outsider, referral):
    url = reverse("reviews:criteria", args=[referral.pk])
    assert signed_in(client, outsider).post(url, {}).status_code == 404
    assert not AccessLog.objects.exists()


# --- the middleware on its own ------------------------------------------------------------------


def _request(manager, *, namespace="reviews", method="get"):
    request = getattr(RequestFactory(), method)("/reviews/1/file/", REMOTE_ADDR="192.0.2.7")
    request.user = manager
    request.resolver_match = ResolverMatch(
        lambda r: None, (), {}, url_name="file", app_names=[namespace], namespaces=[namespace]
    )
    return request


def test_a_view_logging_twice_writes_one_row(manager, referral):
    def view(request):
        note_loaded(referral)
        log_access(request, what="First words", obj=referral)
        log_access(request, what="Second words", obj=referral)
        return HttpResponse("ok")

    AccessLogMiddleware(view)(_request(manager))
    row = AccessLog.objects.get()
    assert (row.what, row.review_id, row.address) == ("First words", referral.pk, "192.0.2.7")


def test_a_file_served_without_logging_itself_is_a_download(manager, referral, tmp_path):
    document = tmp_path / "minutes.pdf"
    document.write_bytes(b"%PDF-1.7")

    def view(request):
        note_loaded(referral)
        return FileResponse(document.open("rb"), as_attachment=True, filename="minutes.pdf")

    response = AccessLogMiddleware(view)(_request(manager))
    # Close the file itself: response.close() would send request_finished, which closes the
    # test's database connection on PostgreSQL mid-transaction.
    response.file_to_stream.close()
    row = AccessLog.objects.get()
    assert (row.kind, row.what, row.review_id) == (
        AccessLog.Kind.DOWNLOAD,
        "reviews:file",
        referral.pk,
    )


def test_head_requests_are_reads_and_other_namespaces_are_not_case_material(manager):
    AccessLogMiddleware(lambda r: HttpResponse("ok"))(_request(manager, method="head"))
    assert AccessLog.objects.count() == 1
    AccessLogMiddleware(lambda r: HttpResponse("ok"))(_request(manager, namespace="core"))
    assert AccessLog.objects.count() == 1


def test_log_access_outside_a_request_writes_at_once(manager, referral):
    request = _request(manager)
    log_access(request, what="Called by a task", obj=referral)
    assert AccessLog.objects.get().review_id == referral.pk
