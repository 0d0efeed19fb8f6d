"""The reviews list shows where each review's report is and filters by it."""

import re

import pytest
from django.urls import reverse

from reviews.models import ReportStatus, Review
from reviews.report import services as reports
from reviews.report.models import ReportKind
from tests.helpers import assert_constant_queries
from tests.reviews.conftest import open_referral
from tests.reviews.publication_fixtures import docx, media  # noqa: F401
from tests.reviews.report_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db
LIST = reverse("reviews:list")


def rows(html) -> dict[str, str]:
    """Each review row's reference and the text of its Report cell (the 4th cell)."""
    found = {}
    for row in re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", html, re.S)[1:]:
        reference = re.search(r"CSPR-\d{4}-\d{3}", row).group(0)
        cells = re.findall(r"<td class=\"govuk-table__cell\">(.*?)</td>", row, re.S)
        found[reference] = re.sub(r"<[^>]+>", "", cells[2]).strip()
    return found


@pytest.fixture
def still_a_referral(manager, local_authority):
    """Another review, still a referral (the review fixtures' own referral becomes the LCSPR)."""
    return open_referral(manager, local_authority, pseudonym="Child R")


@pytest.fixture
def drafting(lcspr_review, author):
    reports.report_version_upload(
        review=lcspr_review,
        by=author,
        kind=ReportKind.OVERVIEW,
        file=docx("Child T lived with their mother."),
        change_note="",
    )
    lcspr_review.refresh_from_db()
    return lcspr_review


def test_the_list_has_a_report_column(client, drafting, still_a_referral, manager):
    client.force_login(manager)
    html = client.get(LIST).content.decode()
    assert '<th scope="col" class="govuk-table__header">Report</th>' in html
    assert rows(html) == {drafting.reference: "Drafting", still_a_referral.reference: ""}


def test_the_list_filters_by_report_status(client, drafting, still_a_referral, manager):
    client.force_login(manager)
    html = client.get(LIST, {"report": ReportStatus.DRAFTING}).content.decode()
    assert list(rows(html)) == [drafting.reference]
    assert "1 review matching the filters" in html and "Clear filters" in html
    html = client.get(LIST, {"report": "none"}).content.decode()
    assert list(rows(html)) == [still_a_referral.reference]
    html = client.get(LIST, {"report": ReportStatus.PUBLISHED}).content.decode()
    assert "No reviews match these filters." in html
    # The filter shows each status by its name, and keeps the choice.
    html = client.get(LIST, {"report": ReportStatus.SIGNED_OFF}).content.decode()
    assert re.search(r'<option value="signed_off" selected>Signed off</option>', html)
    assert '<option value="none">No draft yet</option>' in html


def test_an_unknown_report_status_shows_every_review_with_the_error(
    client, drafting, still_a_referral, manager
):
    client.force_login(manager)
    html = client.get(LIST, {"report": "nonsense"}).content.decode()
    assert len(rows(html)) == 2
    assert "Select a valid choice" in html


def test_the_manager_finds_the_partnership_settings_from_the_list(
    client, manager, independent_chair
):
    client.force_login(manager)
    html = client.get(LIST).content.decode()
    assert reverse("reviews:learning_themes") in html
    client.force_login(independent_chair)
    assert reverse("reviews:learning_themes") not in client.get(LIST).content.decode()


def test_the_filtered_list_runs_the_same_queries_however_many_reviews(
    client, drafting, manager, local_authority
):
    def grow():
        for n in range(12):
            review = open_referral(manager, local_authority, pseudonym=f"Child {n}")
            status = ReportStatus.DRAFTING if n % 2 else ReportStatus.SIGNED_OFF
            Review.objects.filter(pk=review.pk).update(report_status=status)

    client.force_login(manager)
    assert_constant_queries(client, f"{LIST}?report=drafting", grow)
    html = client.get(LIST, {"report": "drafting"}).content.decode()
    assert "7 reviews matching the filters" in html
