"""Two people writing the learning summary, or renaming a theme, at once: the save read before
the other's is refused with who changed what, nothing of it is stored, and saving again applies
it knowingly."""

from html import unescape

import pytest
from django.urls import reverse

from lcspr.accounts.models import Role
from reviews.learning import services as learning
from reviews.learning.models import LearningSummary, LearningTheme
from reviews.models import ReviewEvent
from tests.factories import UserFactory
from tests.helpers import form_as_read, two_editors
from tests.reviews.report_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db


def theme(name) -> LearningTheme:
    return LearningTheme.objects.get(name=name)


@pytest.fixture
def summary(lcspr_review, author):
    return learning.learning_summary_update(
        review=lcspr_review,
        by=author,
        primary_themes=[theme("Neglect")],
        other_themes=[],
        background="Child T was a fictional baby.",
        why_it_matters="Babies cannot speak for themselves.",
        findings="Missed health appointments were not followed up.",
        reflective_questions="",
        further_reading="",
    )


def test_a_summary_saved_over_a_newer_one_is_refused_then_reapplied(
    lcspr_review, summary, author, manager
):
    url = reverse("reviews:learning_edit", args=[lcspr_review.pk])
    first, second = two_editors(url, manager, author)
    first.form["findings"] = "The fictional father was never seen by health visitors."
    first.form["primary_themes"] = [str(theme("Neglect").pk), str(theme("Domestic abuse").pk)]
    assert first.save(url).status_code == 302
    events = ReviewEvent.objects.filter(review=lcspr_review).count()

    second.form["why_it_matters"] = "Fictional babies depend on adults noticing."
    page = second.save(url).content.decode()
    html = unescape(page)
    assert "Morgan Manager changed this at " in html
    assert "Primary learning themes from Neglect to Neglect, Domestic abuse" in html
    assert "The report's findings from “Missed health appointments" in html
    assert "Your changes have not been saved." in html
    summary.refresh_from_db()
    assert summary.why_it_matters == "Babies cannot speak for themselves."
    assert ReviewEvent.objects.filter(review=lcspr_review).count() == events

    # The page shown again has the newer themes ticked and findings, with their own change.
    again = form_as_read(page)
    assert set(again["primary_themes"]) == {
        str(theme("Neglect").pk),
        str(theme("Domestic abuse").pk),
    }
    assert again["findings"] == "The fictional father was never seen by health visitors."
    assert again["why_it_matters"] == "Fictional babies depend on adults noticing."
    assert second.client.post(url, again).status_code == 302
    summary.refresh_from_db()
    assert summary.findings == "The fictional father was never seen by health visitors."
    assert summary.why_it_matters == "Fictional babies depend on adults noticing."
    assert summary.primary_themes.count() == 2


def test_two_people_writing_the_first_summary_cannot_overwrite_each_other(
    lcspr_review, author, manager
):
    url = reverse("reviews:learning_edit", args=[lcspr_review.pk])
    first, second = two_editors(url, manager, author)
    assert first.form["version"] == "0"
    first.form["background"] = "Child T, a fictional baby, lived with their mother."
    assert first.save(url).status_code == 302

    second.form["findings"] = "Fictional agencies did not share information."
    html = unescape(second.save(url).content.decode())
    assert "Morgan Manager changed this at " in html
    assert "The case in brief from blank to “Child T, a fictional baby" in html
    summary = LearningSummary.objects.get(review=lcspr_review)
    assert summary.findings == ""
    assert summary.background == "Child T, a fictional baby, lived with their mother."


def test_a_theme_renamed_over_a_newer_name_is_refused(manager):
    other_manager = UserFactory(full_name="Robin Reviewer", roles=[Role.PARTNERSHIP_MANAGER])
    neglect = theme("Neglect")
    url = reverse("reviews:learning_theme_edit", args=[neglect.pk])
    first, second = two_editors(url, manager, other_manager)
    first.form["name"] = "Neglect and deprivation"
    assert first.save(url).status_code == 302

    second.form["name"] = "Chronic neglect"
    html = unescape(second.save(url).content.decode())
    assert "Morgan Manager changed this at " in html
    # The theme had no recorded change when both read it, so its earlier name is not kept.
    assert "while you were editing: Name is now “Neglect and deprivation”." in html
    neglect.refresh_from_db()
    assert neglect.name == "Neglect and deprivation"
