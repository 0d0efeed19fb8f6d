"""The demo LCSPR ("Child H") has its report drafts, comments, restricted names and learning."""

import pytest
from django.core.management import call_command

from reviews.models import ReportStatus, Review
from reviews.report.anonymisation import scan_version
from reviews.report.models import ReportComment, ReportKind
from tests.reviews.publication_fixtures import media  # noqa: F401 - files go to a test folder

pytestmark = pytest.mark.django_db


def test_the_commissioned_demo_review_has_two_drafts_and_its_learning(capsys):
    call_command("seed_demo")
    review = Review.objects.get(pseudonym="Child H")
    assert review.report_status == ReportStatus.DRAFTING
    versions = list(review.report_versions.order_by("number"))
    assert [(v.kind, v.number, v.is_current) for v in versions] == [
        (ReportKind.OVERVIEW, 1, False),
        (ReportKind.OVERVIEW, 2, True),
    ]
    first, second = versions
    assert sorted(first.comments.values_list("status", flat=True)) == [
        ReportComment.Status.CLOSED,
        ReportComment.Status.RESOLVED,
    ]
    assert second.comments.get().status == ReportComment.Status.OPEN
    # The demo's five names, and the child's names and date of birth the list starts with.
    assert review.restricted_names.count() == 8
    # The drafts name the child only by the pseudonym: the check finds no restricted name.
    assert scan_version(second) == []

    summary = review.learning_summary
    assert {t.name for t in summary.primary_themes.all()} == {
        "Neglect",
        "Information sharing",
        "Invisible men / fathers",
    }
    assert summary.other_themes.count() == 2
    assert "eleven health appointments" in summary.background
    assert list(review.recommendations.values_list("number", flat=True)) == [1, 2, 3, 4]
    assert "Demo report: Child H has two drafts" in capsys.readouterr().out
