"""The learning pages: the learning summary with its themes and recommendations, the forms that
change them and the one-page learning briefing (PDF); the themes page has its own module."""

import re
import subprocess

import pytest
from django.urls import reverse

from actions.models import Action, Source
from lcspr.access_log.models import AccessLog
from reviews.learning import services as learning
from reviews.learning.models import LearningSummary, LearningTheme
from tests.helpers import assert_constant_queries
from tests.reviews.report_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db

FINDINGS = "Missed health appointments were not followed up.\nThe father was not seen."


def url(name, review, *args):
    return reverse(f"reviews:{name}", args=[review.pk, *args])


def signed_in(client, user):
    client.force_login(user)
    return client


def theme(name) -> LearningTheme:
    return LearningTheme.objects.get(name=name)


def errors_of(response) -> str:
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html, "the page shows no error summary"
    return html


@pytest.fixture
def summary(lcspr_review, author):
    return learning.learning_summary_update(
        review=lcspr_review,
        by=author,
        primary_themes=[theme("Neglect"), theme("Vulnerability of babies")],
        other_themes=[theme("Invisible men / fathers")],
        background="Child T was a fictional baby who lived with their mother and her partner.",
        why_it_matters="Babies cannot speak for themselves; agencies must look for the signs.",
        findings=FINDINGS,
        reflective_questions="Who else lives in the home?\nWhen did you last see the baby?",
        further_reading="National Panel: The myth of invisible men",
    )


@pytest.fixture
def recommendations(lcspr_review, author):
    return [
        learning.recommendation_add(review=lcspr_review, by=author, text=text)
        for text in (
            "Health visitors should follow up every missed appointment within a week.",
            "Agencies should record who lives in the home, including fathers and partners.",
        )
    ]


def action_for(recommendation, by, agency):
    return Action.objects.create(
        review=recommendation.review,
        number=recommendation.number,
        source=Source.RECOMMENDATION,
        recommendation=recommendation,
        text="Audit missed appointments quarterly.",
        lead_agency=agency,
        due_date="2027-03-31",
        created_by=by,
    )


# --- who may reach which page -------------------------------------------------------------------

READ_PAGES = ["learning", "learning_briefing"]
EDIT_PAGES = [
    ("learning_edit", False),
    ("learning_recommendation_add", False),
    ("learning_recommendation_edit", True),
    ("learning_recommendation_remove", True),
]


def page_url(name, review, recommendation, needs_recommendation):
    return url(name, review, recommendation.pk) if needs_recommendation else url(name, review)


@pytest.mark.parametrize("name", READ_PAGES)
def test_everyone_who_oversees_or_works_on_the_review_reads_its_learning(
    client,
    summary,
    recommendations,
    name,
    manager,
    independent_chair,
    partner_lead,
    subgroup_member,
    executive_member,
    panel_chair,
    panel_member,
    author,
):
    review = summary.review
    readers = [
        manager,
        independent_chair,
        partner_lead,
        subgroup_member,
        executive_member,
        panel_chair,
        panel_member,
        author,
    ]
    for user in readers:
        assert signed_in(client, user).get(url(name, review)).status_code == 200, user


@pytest.mark.parametrize("name", READ_PAGES)
def test_the_learning_is_hidden_from_people_outside_the_review(
    client, summary, name, outsider, agency_author, elsewhere
):
    for user in (outsider, agency_author, *elsewhere):
        assert signed_in(client, user).get(url(name, summary.review)).status_code == 404, user


@pytest.mark.parametrize(("name", "needs_recommendation"), EDIT_PAGES)
def test_the_editing_pages_are_hidden_from_people_outside_the_review(
    client, recommendations, name, needs_recommendation, outsider, agency_author, elsewhere
):
    recommendation = recommendations[0]
    target = page_url(name, recommendation.review, recommendation, needs_recommendation)
    for user in (outsider, agency_author, *elsewhere):
        client = signed_in(client, user)
        assert client.get(target).status_code == 404, user
        assert client.post(target, {"text": "Changed"}).status_code == 404, user
    recommendation.refresh_from_db()
    assert recommendation.review.recommendations.count() == 2


@pytest.mark.parametrize(("name", "needs_recommendation"), EDIT_PAGES)
def test_only_the_manager_and_the_author_change_the_learning(
    client,
    recommendations,
    name,
    needs_recommendation,
    panel_chair,
    panel_member,
    independent_chair,
    subgroup_member,
    executive_member,
    partner_lead,
):
    recommendation = recommendations[0]
    target = page_url(name, recommendation.review, recommendation, needs_recommendation)
    for user in (
        panel_chair,
        panel_member,
        independent_chair,
        subgroup_member,
        executive_member,
        partner_lead,
    ):
        client = signed_in(client, user)
        assert client.get(target).status_code == 403, user
        assert client.post(target, {"text": "Changed", "number": 1}).status_code == 403, user
    recommendation.refresh_from_db()
    assert recommendation.text.startswith("Health visitors")
    assert recommendation.review.recommendations.count() == 2
    assert not LearningSummary.objects.exists()


@pytest.mark.parametrize(("name", "needs_recommendation"), EDIT_PAGES)
def test_the_manager_and_the_author_open_the_editing_pages(
    client, recommendations, name, needs_recommendation, manager, author
):
    recommendation = recommendations[0]
    target = page_url(name, recommendation.review, recommendation, needs_recommendation)
    for user in (manager, author):
        assert signed_in(client, user).get(target).status_code == 200, user


@pytest.mark.parametrize("name", READ_PAGES)
def test_the_reading_pages_cannot_be_posted_to(client, summary, manager, name):
    assert signed_in(client, manager).post(url(name, summary.review)).status_code == 405


@pytest.mark.parametrize(("name", "needs_recommendation"), EDIT_PAGES)
def test_the_editing_pages_refuse_the_wrong_method(
    client, recommendations, name, needs_recommendation, manager
):
    recommendation = recommendations[0]
    target = page_url(name, recommendation.review, recommendation, needs_recommendation)
    assert signed_in(client, manager).put(target).status_code == 405


def test_a_recommendation_of_another_review_is_not_found(
    client, recommendations, other_review, manager
):
    other = learning.recommendation_add(review=other_review, by=manager, text="Elsewhere.")
    client = signed_in(client, manager)
    review = recommendations[0].review
    assert client.get(url("learning_recommendation_edit", review, other.pk)).status_code == 404
    assert client.post(url("learning_recommendation_remove", review, other.pk)).status_code == 404
    assert other_review.recommendations.count() == 1


# --- the learning page --------------------------------------------------------------------------


def test_the_page_shows_the_themes_the_summary_and_numbered_recommendations(
    client, summary, recommendations, panel_member
):
    response = signed_in(client, panel_member).get(url("learning", summary.review))
    html = response.content.decode()
    assert "Learning summary and recommendations" in html
    assert re.search(r"govuk-tag--blue[^>]*>Neglect<", html)
    assert re.search(r"govuk-tag--grey[^>]*>Invisible men / fathers<", html)
    assert "The father was not seen." in html
    assert "Who else lives in the home?" in html
    assert "Health visitors should follow up every missed appointment" in html
    assert "Download the 7-minute briefing" in html
    # A reader is offered no changes.
    assert "Change the learning summary" not in html
    assert "Add a recommendation" not in html
    assert AccessLog.objects.filter(
        user=panel_member, what="Viewed the learning summary and recommendations"
    ).exists()


def test_before_anything_is_written_the_author_is_invited_to_write(client, lcspr_review, author):
    html = signed_in(client, author).get(url("learning", lcspr_review)).content.decode()
    assert "The learning summary has not been written yet" in html
    assert "Write the learning summary" in html
    assert "No recommendations recorded yet" in html
    assert "Add a recommendation" in html


def test_a_recommendation_that_actions_answer_offers_no_remove_link(
    client, recommendations, manager, local_authority
):
    action_for(recommendations[0], manager, local_authority)
    review = recommendations[0].review
    html = signed_in(client, manager).get(url("learning", review)).content.decode()
    assert url("learning_recommendation_remove", review, recommendations[0].pk) not in html
    assert url("learning_recommendation_remove", review, recommendations[1].pk) in html


def test_the_learning_page_runs_the_same_queries_however_many_recommendations(
    client, summary, recommendations, manager
):
    review = summary.review

    def grow():
        for n in range(15):
            learning.recommendation_add(review=review, by=manager, text=f"Recommendation {n}.")
        learning.learning_summary_update(
            review=review,
            by=manager,
            primary_themes=list(LearningTheme.objects.all()[:3]),
            other_themes=list(LearningTheme.objects.all()[3:15]),
            background="",
            why_it_matters="",
            findings=FINDINGS,
            reflective_questions="",
            further_reading="",
        )

    assert_constant_queries(signed_in(client, manager), url("learning", review), grow)


# --- writing the summary ------------------------------------------------------------------------


def summary_form(**changes):
    data = {
        "primary_themes": [theme("Neglect").pk, theme("Domestic abuse").pk],
        "other_themes": [theme("Recording quality").pk],
        "background": "Child T, a fictional baby.",
        "why_it_matters": "It matters.",
        "findings": FINDINGS,
        "reflective_questions": "What would you do?",
        "further_reading": "",
    }
    data.update(changes)
    return data


def test_the_author_writes_the_summary_with_checkbox_themes(client, lcspr_review, author):
    client = signed_in(client, author)
    html = client.get(url("learning_edit", lcspr_review)).content.decode()
    assert 'type="checkbox"' in html and "Vulnerability of babies" in html
    assert "one-page briefing" in html
    response = client.post(url("learning_edit", lcspr_review), summary_form(), follow=True)
    summary = LearningSummary.objects.get(review=lcspr_review)
    assert {t.name for t in summary.primary_themes.all()} == {"Neglect", "Domestic abuse"}
    assert summary.findings == FINDINGS
    html = response.content.decode()
    assert "The learning summary has been saved." in html
    timeline = signed_in(client, author).get(url("timeline", lcspr_review)).content.decode()
    assert "Learning summary written; primary themes: Neglect, Domestic abuse" in timeline


def test_four_primary_themes_are_refused_against_the_field(client, lcspr_review, author):
    four = [theme(n).pk for n in ("Neglect", "Domestic abuse", "Young carers", "Disabled children")]
    response = signed_in(client, author).post(
        url("learning_edit", lcspr_review), summary_form(primary_themes=four)
    )
    html = errors_of(response)
    assert 'href="#id_primary_themes_0">Choose up to 3 primary learning themes' in html
    assert not LearningSummary.objects.exists()


def test_a_theme_ticked_twice_is_refused(client, lcspr_review, author):
    response = signed_in(client, author).post(
        url("learning_edit", lcspr_review),
        summary_form(other_themes=[theme("Neglect").pk]),
    )
    assert "Neglect cannot be both a primary and another theme" in errors_of(response)
    assert not LearningSummary.objects.exists()


def test_a_retired_theme_is_offered_only_to_the_summary_that_has_it(
    client, summary, manager, other_review
):
    learning.learning_theme_update(theme=theme("Neglect"), by=manager, is_active=False)
    client = signed_in(client, manager)
    html = client.get(url("learning_edit", summary.review)).content.decode()
    assert "Neglect (no longer in use)" in html
    other = client.get(url("learning_edit", other_review)).content.decode()
    assert ">Domestic abuse</label>" in other
    assert "Neglect" not in other


def test_the_learning_cannot_change_outside_an_lcspr(client, awaiting_decision, manager):
    client = signed_in(client, manager)
    html = client.get(url("learning_edit", awaiting_decision)).content.decode()
    assert "the learning is recorded while the review is an LCSPR" in html
    assert "Save the learning summary" not in html
    response = client.post(url("learning_edit", awaiting_decision), summary_form())
    assert "the learning is recorded while it is an LCSPR" in errors_of(response)
    assert not LearningSummary.objects.exists()


# --- recommendations ----------------------------------------------------------------------------


def test_the_manager_adds_recommendations_one_after_another(client, lcspr_review, manager):
    client = signed_in(client, manager)
    assert (
        "Add recommendation 1"
        in client.get(url("learning_recommendation_add", lcspr_review)).content.decode()
    )
    response = client.post(
        url("learning_recommendation_add", lcspr_review),
        {"text": "Schools should escalate absence.", "finding": "", "another": "yes"},
        follow=True,
    )
    html = response.content.decode()
    assert "Recommendation 1 has been added." in html
    assert "Add recommendation 2" in html
    response = client.post(
        url("learning_recommendation_add", lcspr_review),
        {"text": "GPs should share concerns.", "finding": "Concerns stayed with the GP."},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == url("learning", lcspr_review)
    assert list(lcspr_review.recommendations.values_list("number", "text")) == [
        (1, "Schools should escalate absence."),
        (2, "GPs should share concerns."),
    ]


def test_a_recommendation_without_text_is_refused(client, lcspr_review, manager):
    response = signed_in(client, manager).post(
        url("learning_recommendation_add", lcspr_review), {"text": " "}
    )
    assert "Enter recommendation" in errors_of(response)
    assert not lcspr_review.recommendations.exists()


def test_changing_a_recommendation_and_its_number(client, recommendations, author):
    first, second = recommendations
    client = signed_in(client, author)
    target = url("learning_recommendation_edit", first.review, first.pk)
    response = client.post(target, {"number": 2, "text": "Reworded.", "finding": ""})
    assert "Recommendation 2 already exists: choose another number" in errors_of(response)
    response = client.post(target, {"number": 3, "text": "Reworded.", "finding": ""}, follow=True)
    assert "Recommendation 3 has been saved." in response.content.decode()
    first.refresh_from_db()
    assert (first.number, first.text) == (3, "Reworded.")


def test_removing_a_recommendation_keeps_the_other_numbers(client, recommendations, author):
    first, second = recommendations
    client = signed_in(client, author)
    target = url("learning_recommendation_remove", first.review, first.pk)
    html = client.get(target).content.decode()
    assert "Remove recommendation 1?" in html and "keep their numbers" in html
    response = client.post(target, follow=True)
    assert "Recommendation 1 has been removed." in response.content.decode()
    assert list(first.review.recommendations.values_list("number", flat=True)) == [2]


def test_a_recommendation_with_actions_cannot_be_removed(
    client, recommendations, manager, local_authority
):
    first = recommendations[0]
    action_for(first, manager, local_authority)
    client = signed_in(client, manager)
    target = url("learning_recommendation_remove", first.review, first.pk)
    html = client.get(target).content.decode()
    assert "cannot be removed: 1 action in the action plan answers it" in html
    assert "Remove recommendation 1</button>" not in html
    response = client.post(target)
    assert "cannot be removed: 1 action in the action plan answers it" in errors_of(response)
    assert first.review.recommendations.count() == 2


# --- the learning briefing (PDF) ----------------------------------------------------------------


def pdf_text(response, tmp_path) -> tuple[str, str]:
    path = tmp_path / "briefing.pdf"
    path.write_bytes(
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    text = subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    return text, info.stdout


def flat(text: str) -> str:
    return " ".join(text.split())


def test_the_briefing_is_one_landscape_page_with_seven_boxes(
    client, summary, recommendations, subgroup_member, tmp_path, settings
):
    review = summary.review
    response = signed_in(client, subgroup_member).get(url("learning_briefing", review))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert f"{review.reference}-learning-briefing.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store"
    text, info = pdf_text(response, tmp_path)
    assert re.search(r"Pages:\s+1\n", info)
    assert re.search(r"Page size:\s+841\.89 x 595\.2", info)  # A4 landscape
    words = flat(text)
    assert settings.PARTNERSHIP_NAME in words
    assert "7-minute briefing: Child T" in words
    assert review.reference in words
    headings = re.findall(r"^([1-7]) (.+)$", text, re.M)
    assert headings == [
        ("1", "Background"),
        ("2", "Why it matters"),
        ("3", "The learning"),
        ("4", "Learning themes"),
        ("5", "Recommendations"),
        ("6", "Questions for practitioners"),
        ("7", "Further reading"),
    ]
    for field in (
        "fictional baby who lived with their mother",
        "Babies cannot speak for themselves",
        "The father was not seen.",
        "Vulnerability of babies",
        "Invisible men / fathers",
        "When did you last see the baby?",
        "The myth of invisible men",
    ):
        assert field in words, field
    assert "1. Health visitors should follow up every missed appointment within a week." in words
    assert "2. Agencies should record who lives in the home" in words
    assert AccessLog.objects.filter(
        user=subgroup_member, what="Downloaded the learning briefing (PDF)", review_id=review.pk
    ).exists()


def test_a_long_summary_still_fits_on_one_page(client, lcspr_review, manager, tmp_path):
    sentence = "Practitioners did not ask who else lived in the home or visited the baby. "
    learning.learning_summary_update(
        review=lcspr_review,
        by=manager,
        primary_themes=list(LearningTheme.objects.all()[:3]),
        other_themes=list(LearningTheme.objects.all()[3:20]),
        background=sentence * 30,
        why_it_matters=sentence * 30,
        findings="\n".join([sentence] * 30),
        reflective_questions="\n".join(["Who else was in the home?"] * 40),
        further_reading="\n".join(["A fictional learning resource"] * 40),
    )
    for _ in range(12):
        learning.recommendation_add(review=lcspr_review, by=manager, text=sentence * 4)
    response = signed_in(client, manager).get(url("learning_briefing", lcspr_review))
    text, info = pdf_text(response, tmp_path)
    assert re.search(r"Pages:\s+1\n", info)
    words = flat(text)
    assert re.search(r"And \d+ more in the full report\.", words)
    assert "1. Practitioners did not ask" in words
    assert "12. Practitioners" not in words
    assert "…" in text


def test_an_empty_briefing_says_what_is_missing(client, lcspr_review, manager, tmp_path):
    response = signed_in(client, manager).get(url("learning_briefing", lcspr_review))
    text, info = pdf_text(response, tmp_path)
    assert re.search(r"Pages:\s+1\n", info)
    assert "Not written yet." in text and "None recorded yet." in text
