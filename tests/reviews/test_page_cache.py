"""The review page's task list and the home page's blocks are kept in the page cache
(lcspr.core.page_cache) and are as fresh as the data: the page after a change shows it, in every
worker, and a kept block never holds a form's tokens."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from lcspr.core import page_cache
from lcspr.core.templatetags.form_tokens import SLOT
from reviews.rapid_review import services as rapid_review_services
from reviews.rapid_review.models import AgencySummaryRequest, Recommendation
from tests.reviews.report_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    """The cache on, as in production with Redis (off in every other test)."""
    settings.PAGE_CACHE_SECONDS = 600
    cache.clear()
    yield
    cache.clear()


def page(client, user, url) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def kept(part: str, *facts):
    """What the page cache keeps for `part` today: (generation, html) or None."""
    return cache.get(page_cache.key(part, *facts, timezone.localdate()))


def kept_list(part: str, user):
    """What the page cache keeps of a home page list's first pages for `user` today."""
    return cache.get(page_cache.key(part, user.pk, timezone.localdate(), ""))


def task_list(html: str) -> str:
    start = html.index('<ul class="govuk-task-list">')
    return html[start : html.index('<div class="govuk-grid-column-one-third">')]


def row(html: str, name: str) -> str:
    """The task list row named `name`, as text."""
    item = task_list(html).split(name, 1)[1].split("</li>", 1)[0]
    return re.sub(r"<[^>]+>|\s+", " ", item).strip()


def test_the_review_page_shows_a_change_made_after_it_was_kept(
    client, django_capture_on_commit_callbacks, in_rapid_review, manager
):
    url = reverse("reviews:detail", args=[in_rapid_review.pk])
    before = page(client, manager, url)
    assert kept("review-page", manager.pk, in_rapid_review.pk), "the page is kept"
    again = page(client, manager, url)
    assert task_list(again) == task_list(before), "the kept page is the one rendered"
    assert "Not yet started" in row(again, "Recommendation")
    with django_capture_on_commit_callbacks(execute=True):
        rapid_review_services.recommendation_record(
            review=in_rapid_review,
            by=manager,
            recommendation=Recommendation.LCSPR,
            rationale="The fictional case shows learning for agencies.",
        )
    assert "Completed" in row(page(client, manager, url), "Recommendation")


def test_waiting_for_you_shows_a_change_made_after_it_was_kept(
    client, django_capture_on_commit_callbacks, in_rapid_review, manager, partner_lead
):
    home = reverse("core:home")
    assert "Partner sign-offs" not in page(client, partner_lead, home)
    assert kept_list("waiting-for-you", partner_lead), "the home page's blocks are kept"
    with django_capture_on_commit_callbacks(execute=True):
        rapid_review_services.recommendation_record(
            review=in_rapid_review,
            by=manager,
            recommendation=Recommendation.LCSPR,
            rationale="The fictional case shows learning for agencies.",
        )
    assert "Partner sign-offs" in page(client, partner_lead, home)
    with django_capture_on_commit_callbacks(execute=True):
        rapid_review_services.partner_sign_off(review=in_rapid_review, by=partner_lead)
    assert "Partner sign-offs" not in page(client, partner_lead, home)


def test_a_change_not_yet_committed_leaves_what_is_kept_alone_until_it_is(
    client, in_rapid_review, manager, partner_lead
):
    home = reverse("core:home")
    page(client, partner_lead, home)
    generation = cache.get(page_cache._generation_key())
    # The test's own transaction never commits: the generation stays as it was.
    rapid_review_services.recommendation_record(
        review=in_rapid_review,
        by=manager,
        recommendation=Recommendation.LCSPR,
        rationale="The fictional case shows learning for agencies.",
    )
    assert cache.get(page_cache._generation_key()) == generation


def test_each_reminder_form_gets_fresh_tokens_and_none_is_kept(
    client, in_rapid_review, manager, school, agency_author
):
    request = rapid_review_services.agency_summary_request(
        review=in_rapid_review,
        by=manager,
        agency=school,
        due_date=timezone.localdate() + datetime.timedelta(days=7),
    )
    AgencySummaryRequest.objects.filter(pk=request.pk).update(due_date=datetime.date(2026, 3, 9))
    home = reverse("core:home")
    first, second = page(client, manager, home), page(client, manager, home)
    assert "Waiting for others" in first

    def tokens(html):
        return re.findall(r'name="form_token" value="([^"]+)"', html)

    assert tokens(first) and tokens(second)
    assert not set(tokens(first)) & set(tokens(second)), "a form token is used once"
    assert 'name="csrfmiddlewaretoken"' in second
    assert SLOT not in second
    _generation, html = kept_list("waiting-for-others", manager)
    assert SLOT in html
    assert "form_token" not in html and "csrfmiddlewaretoken" not in html


def test_a_deployment_with_other_code_or_templates_uses_nothing_the_last_one_kept(
    settings, tmp_path
):
    """A new release that changes how a part is made must not be served parts its predecessor
    rendered: the generation belongs to the build (a digest of code and templates)."""
    template = tmp_path / "templates" / "part.html"
    template.parent.mkdir()
    template.write_text("<p>Rendered by one release</p>")
    settings.BASE_DIR = tmp_path
    page_cache.build.cache_clear()
    try:
        key = page_cache.key("part", 1)
        page_cache.kept(key, lambda: "<p>old</p>")
        assert page_cache.kept(key, lambda: "<p>new</p>") == "<p>old</p>"

        template.write_text("<p>Rendered by the next release</p>")
        page_cache.build.cache_clear()  # a new process of the new release
        assert page_cache.kept(key, lambda: "<p>new</p>") == "<p>new</p>"
    finally:
        page_cache.build.cache_clear()
