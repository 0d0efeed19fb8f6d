"""The rapid review's findings written by two managers at once: the save read before the
other's is refused with who changed what, and goes through when saved again."""

from html import unescape

import pytest
from django.urls import reverse

from lcspr.accounts.models import Role
from tests.factories import UserFactory
from tests.helpers import form_as_read, two_editors

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague(db):
    return UserFactory(full_name="Robin Reviewer", roles=[Role.PARTNERSHIP_MANAGER])


def test_findings_saved_over_newer_ones_are_refused_then_reapplied(
    in_rapid_review, manager, colleague
):
    url = reverse("reviews:rapid_review", args=[in_rapid_review.pk])
    first, second = two_editors(url, manager, colleague)
    first.form["facts"] = "The fictional infant was seen by a health visitor a week before."
    assert first.save(url).status_code == 302

    second.form["emerging_learning"] = "Information was not shared between fictional agencies."
    html = second.save(url).content.decode()
    assert "Morgan Manager changed this at " in html
    assert "Facts established so far from blank to “The fictional infant" in html
    rapid_review = in_rapid_review.rapid_review
    rapid_review.refresh_from_db()
    assert rapid_review.emerging_learning == ""

    assert second.client.post(url, form_as_read(html)).status_code == 302
    rapid_review.refresh_from_db()
    assert rapid_review.facts.startswith("The fictional infant was seen")
    assert rapid_review.emerging_learning.startswith("Information was not shared")


def test_the_refused_page_shows_the_criteria_someone_else_has_ticked(
    in_rapid_review, manager, colleague
):
    url = reverse("reviews:rapid_review", args=[in_rapid_review.pk])
    first, second = two_editors(url, manager, colleague)
    first.form["criteria"] = ["crit_learning_potential", "crit_serious_concern"]
    assert first.save(url).status_code == 302

    # The second ticks one the first did not, and changes a finding.
    second.form["criteria"] = "crit_recurrent_themes"
    second.form["facts"] = "The fictional infant was not registered with a GP."
    html = second.save(url).content.decode()
    assert "Morgan Manager changed this at " in html
    rapid_review = in_rapid_review.rapid_review
    rapid_review.refresh_from_db()
    assert not rapid_review.crit_recurrent_themes

    # The boxes the first ticked are ticked on the page shown again, beside the second's own.
    again = form_as_read(html)
    assert set(again["criteria"]) == {
        "crit_learning_potential",
        "crit_serious_concern",
        "crit_recurrent_themes",
    }
    assert again["facts"] == "The fictional infant was not registered with a GP."
    assert second.client.post(url, again).status_code == 302
    rapid_review.refresh_from_db()
    assert rapid_review.crit_learning_potential and rapid_review.crit_serious_concern
    assert rapid_review.crit_recurrent_themes
    assert not rapid_review.crit_national_panel_view


def test_a_version_altered_by_hand_is_refused_in_plain_words(in_rapid_review, manager):
    url = reverse("reviews:rapid_review", args=[in_rapid_review.pk])
    first, _ = two_editors(url, manager, manager)
    first.form["version"] = "not-a-version"
    first.form["facts"] = "The fictional infant was seen."
    page = first.save(url)
    assert page.status_code == 200
    html = unescape(page.content.decode())
    summary = html[html.index("govuk-error-summary__list") :]
    summary = summary[: summary.index("</ul>")]
    assert (
        '<a href="#main-content">This page has been changed since it was opened: open it again '
        "and make your changes</a>"
    ) in summary
    assert "Hidden field" not in html
    rapid_review = in_rapid_review.rapid_review
    rapid_review.refresh_from_db()
    assert rapid_review.facts == ""
