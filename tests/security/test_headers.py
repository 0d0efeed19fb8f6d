"""The response headers that keep the service's pages and files from being framed, sniffed,
cached, scripted by anyone else or sent over plain HTTP: on the sign-in page, a signed-in page
and a file download. The production settings themselves are checked in tests/core/test_settings.py
(`check --deploy` reports nothing)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from reviews.rapid_review import services
from tests.reviews.conftest import *  # noqa: F403 - a review at rapid review, the partner leads

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def media(settings, tmp_path):
    default = dict(settings.STORAGES["default"])
    default["OPTIONS"] = {**default.get("OPTIONS", {}), "location": str(tmp_path)}
    settings.STORAGES = {**settings.STORAGES, "default": default}
    return tmp_path


@pytest.fixture
def summary_file_url(media, in_rapid_review, manager, agency_author, school):
    """An agency summary file, the kind of case material a download serves."""
    request = services.agency_summary_request(
        review=in_rapid_review, by=manager, agency=school, due_date=timezone.localdate()
    )
    services.agency_summary_submit(
        request=request, by=agency_author, file=SimpleUploadedFile("summary.pdf", PDF)
    )
    return reverse("reviews:summary_file", args=[request.pk])


def _directives(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    return {
        part.strip().split(" ", 1)[0]: part.strip().partition(" ")[2]
        for part in policy.split(";")
        if part.strip()
    }


def _responses(client, manager, summary_file_url, **extra):
    sign_in = client.get(reverse("accounts:login"), **extra)
    client.force_login(manager)
    page = client.get(reverse("core:home"), **extra)
    download = client.get(summary_file_url, **extra)
    assert (sign_in.status_code, page.status_code, download.status_code) == (200, 200, 200)
    return {"sign-in page": sign_in, "signed-in page": page, "download": download}


def test_every_response_carries_the_security_headers(client, manager, summary_file_url):
    for what, response in _responses(client, manager, summary_file_url).items():
        policy = response["Content-Security-Policy"]
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, what
        directives = _directives(response)
        assert directives["default-src"] == "'self'", what
        assert directives["script-src"] == "'self'", what
        assert directives["style-src"] == "'self'", what
        assert directives["frame-ancestors"] == "'none'", what
        assert directives["object-src"] == "'none'", what
        assert directives["base-uri"] == "'none'", what
        assert response["X-Frame-Options"] == "DENY", what
        assert response["X-Content-Type-Options"] == "nosniff", what
        assert response["Referrer-Policy"] == "same-origin", what
        assert response["Cross-Origin-Opener-Policy"] == "same-origin", what
        assert "camera=()" in response["Permissions-Policy"], what
        assert "microphone=()" in response["Permissions-Policy"], what
        assert "geolocation=()" in response["Permissions-Policy"], what


def test_a_download_is_an_attachment_that_is_not_kept(client, manager, summary_file_url):
    download = _responses(client, manager, summary_file_url)["download"]
    assert download["Content-Disposition"] == 'attachment; filename="summary.pdf"'
    assert download["Cache-Control"] == "no-store"
    assert download["Content-Type"] == "application/pdf"


@pytest.fixture
def https(settings):
    """The production settings (SECURE_HTTPS on); the test client asks over HTTPS."""
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    settings.SECURE_SSL_REDIRECT = True


def test_over_https_browsers_are_told_to_use_nothing_else(https, client, manager, summary_file_url):
    for what, response in _responses(client, manager, summary_file_url, secure=True).items():
        hsts = response["Strict-Transport-Security"]
        assert "max-age=31536000" in hsts and "includeSubDomains" in hsts, what


def test_plain_http_is_redirected_to_https(https, client):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


def test_the_session_and_csrf_cookies_are_secure(https, client, manager, password):
    page = client.get(reverse("accounts:login"), secure=True)
    csrf = page.cookies["csrftoken"]
    assert csrf["secure"] and csrf["samesite"] == "Lax"
    response = client.post(
        reverse("accounts:login"),
        {"username": manager.email, "password": password},
        secure=True,
    )
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"


@pytest.mark.parametrize(
    "name, args",
    [
        ("core:home", []),
        ("reviews:list", []),
        ("notifications:list", []),
    ],
)
def test_no_signed_in_page_is_kept_by_the_browser(client, manager, name, args):
    """The back button on a shared computer must not show a case after sign-out."""
    client.force_login(manager)
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_a_case_page_is_not_kept_either(client, manager, in_rapid_review):
    client.force_login(manager)
    response = client.get(reverse("reviews:detail", args=[in_rapid_review.pk]))
    assert response["Cache-Control"] == "no-store"
