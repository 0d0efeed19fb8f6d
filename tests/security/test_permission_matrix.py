"""Every URL of the project, requested as every persona, answers as tests/security/matrix.py
says: the page, the sign-in page, 403 or 404, and never a server error. A URL without a row, or
a row for a URL that no longer exists, fails the suite."""

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import NoReverseMatch, reverse

from tests.security import matrix
from tests.security.conftest import report

DOCS = Path(settings.BASE_DIR) / "docs" / "security-matrix.md"
URL_NAMES = sorted({name for name, _, _ in matrix.url_patterns()} | set(matrix.rows_by_name()))


def test_every_url_pattern_has_a_row_in_the_matrix():
    names = {name for name, _, _ in matrix.url_patterns()}
    missing = sorted(names - set(matrix.rows_by_name()))
    assert not missing, (
        "These URLs have no row in tests/security/matrix.py: add one saying who may reach "
        "them:\n  " + "\n  ".join(missing)
    )


def test_every_row_of_the_matrix_names_a_url_that_exists():
    names = {name for name, _, _ in matrix.url_patterns()}
    stale = sorted(set(matrix.rows_by_name()) - names)
    assert not stale, "These rows name URLs that no longer exist:\n  " + "\n  ".join(stale)


def test_every_unnamed_url_pattern_is_refused_by_the_check():
    unnamed = [route for name, route, _ in matrix.url_patterns() if not name]
    assert not unnamed, f"Name these URL patterns so the matrix can list them: {unnamed}"


@pytest.mark.parametrize("name", URL_NAMES)
def test_the_url_answers_every_persona_as_the_matrix_says(name, world, requester):
    rows = matrix.rows_by_name().get(name)
    assert rows, f"{name} has no row in tests/security/matrix.py"
    mismatches = []
    for row in rows:
        mismatches += requester.mismatches(row, row.kwargs(world.a), row.expect)
    assert not mismatches, report(f"{name} does not answer as the matrix says:", mismatches)


def test_django_admin_is_for_staff_only(world, db):
    """The technical administration site: someone signed out is sent to the service's sign-in;
    a signed-in person who is not staff finds nothing there."""
    response = Client().get("/django-admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("accounts:login")), "anonymous"
    for persona in matrix.PERSONAS[1:]:
        client = Client()
        client.force_login(world.users[persona])
        assert client.get("/django-admin/").status_code == 404, persona
        assert client.get("/django-admin/login/").status_code == 404, persona


def test_the_review_page_links_the_rapid_review_record_only_for_those_who_may_download_it(
    world, db
):
    review = world.a.review
    pdf_url = reverse("reviews:rapid_review_pdf", args=[review.pk])
    for persona in matrix.PERSONAS[1:]:
        row = matrix.rows_by_name()["reviews:rapid_review_pdf"][0]
        if row.expect[persona] == matrix.NOT_FOUND:
            continue  # the review page is 404 for them too
        client = Client()
        client.force_login(world.users[persona])
        html = client.get(reverse("reviews:detail", args=[review.pk])).content.decode()
        assert (pdf_url in html) == (row.expect[persona] == matrix.OK), persona


def test_the_benchmark_page_is_mounted_only_when_benchmarking():
    """bench:bare has no row (matrix.NOT_IN_PRODUCT): the product never serves it."""
    try:
        reverse("bench:bare")
    except NoReverseMatch:
        mounted = False
    else:
        mounted = True
    assert mounted == settings.BENCHMARK


def test_the_benchmark_page_needs_signing_in_and_shows_only_the_users_own_count(world, db, rf):
    from lcspr import bench

    def bare(user):
        request = rf.get("/bench/bare/")
        request.user = user
        return bench.bare(request)

    response = bare(AnonymousUser())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse(settings.LOGIN_URL))
    # Review A's author has one unread notification; the Independent Chair none.
    assert b"<p>1</p>" in bare(world.users["author_a"]).content
    assert b"<p>0</p>" in bare(world.users["independent_chair"]).content


def test_the_published_matrix_is_up_to_date():
    assert DOCS.read_text() == matrix.render_markdown(), (
        "docs/security-matrix.md is out of date: run "
        "`.venv/bin/python -m tests.security.matrix > docs/security-matrix.md`"
    )
