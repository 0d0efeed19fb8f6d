"""The learning services: the learning summary and its themes, the report's numbered
recommendations and the partnership's list of learning themes."""

import datetime

import pytest

from actions.models import Action, Source
from lcspr.core.exceptions import WorkflowError
from reviews.learning import services as learning
from reviews.learning.models import LearningSummary, LearningTheme, ReportRecommendation
from reviews.learning.themes import theme_names
from tests.reviews.report_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db

TEXT = {
    "background": "Child T was a fictional baby who lived with their mother.",
    "why_it_matters": "Babies are the most vulnerable to harm.",
    "findings": "Missed appointments were not followed up.\nFathers were not seen.",
    "reflective_questions": "Who else lives in the home?",
    "further_reading": "National Panel annual report",
}


def theme(name) -> LearningTheme:
    return LearningTheme.objects.get(name=name)


def write(review, by, primary=(), other=(), **changes):
    return learning.learning_summary_update(
        review=review,
        by=by,
        primary_themes=[theme(n) for n in primary],
        other_themes=[theme(n) for n in other],
        **{**TEXT, **changes},
    )


def events(review, kind) -> list[str]:
    return list(review.events.filter(kind=kind).values_list("summary", flat=True))


def message_of(error) -> dict:
    return error.value.message_dict if hasattr(error.value, "error_dict") else {}


# --- the learning summary -----------------------------------------------------------------------


def test_the_first_save_writes_the_summary_with_its_themes_and_a_timeline_event(
    lcspr_review, author
):
    summary = write(
        lcspr_review,
        author,
        primary=["Neglect", "Vulnerability of babies"],
        other=["Recording quality"],
    )
    assert summary.review == lcspr_review and summary.updated_by == author
    assert {t.name for t in summary.primary_themes.all()} == {"Neglect", "Vulnerability of babies"}
    assert [t.name for t in summary.other_themes.all()] == ["Recording quality"]
    assert summary.findings == TEXT["findings"]
    assert events(lcspr_review, "learning_summary_written") == [
        "Learning summary written; primary themes: Neglect, Vulnerability of babies"
    ]
    assert summary.history.first().history_user == author


def test_a_second_save_changes_the_same_summary(lcspr_review, author, manager):
    write(lcspr_review, author, primary=["Neglect"])
    summary = write(lcspr_review, manager, primary=["Domestic abuse"], findings="Changed.")
    assert LearningSummary.objects.count() == 1
    assert [t.name for t in summary.primary_themes.all()] == ["Domestic abuse"]
    assert summary.findings == "Changed." and summary.updated_by == manager
    assert events(lcspr_review, "learning_summary_updated") == [
        "Learning summary updated; primary themes: Domestic abuse"
    ]


def test_no_more_than_three_primary_themes(lcspr_review, author):
    four = ["Neglect", "Domestic abuse", "Young carers", "Recording quality"]
    with pytest.raises(WorkflowError) as error:
        write(lcspr_review, author, primary=four)
    assert message_of(error) == {"primary_themes": ["Choose up to 3 primary learning themes"]}
    assert not LearningSummary.objects.exists()
    assert not events(lcspr_review, "learning_summary_written")


def test_a_theme_cannot_be_both_primary_and_other(lcspr_review, author):
    with pytest.raises(WorkflowError) as error:
        write(lcspr_review, author, primary=["Neglect"], other=["Neglect", "Young carers"])
    assert (
        "Neglect cannot be both a primary and another theme"
        in (message_of(error)["other_themes"][0])
    )
    assert not LearningSummary.objects.exists()


def test_a_retired_theme_may_stay_but_not_be_newly_chosen(lcspr_review, author, manager):
    write(lcspr_review, author, primary=["Neglect"])
    learning.learning_theme_update(theme=theme("Neglect"), by=manager, is_active=False)
    learning.learning_theme_update(theme=theme("Young carers"), by=manager, is_active=False)

    summary = write(lcspr_review, author, primary=["Neglect"], findings="Still neglect.")
    assert [t.name for t in summary.primary_themes.all()] == ["Neglect"]
    # Moving a theme it already has from primary to other is fine too.
    write(lcspr_review, author, other=["Neglect"])

    with pytest.raises(WorkflowError) as error:
        write(lcspr_review, author, other=["Neglect", "Young carers"])
    assert message_of(error) == {
        "other_themes": ["Young carers is no longer in use: choose another theme"]
    }


def test_the_learning_is_written_only_while_the_review_is_an_lcspr(awaiting_decision, manager):
    with pytest.raises(WorkflowError, match="awaiting decision stage"):
        write(awaiting_decision, manager, primary=["Neglect"])
    with pytest.raises(WorkflowError, match="awaiting decision stage"):
        learning.recommendation_add(review=awaiting_decision, by=manager, text="Do better.")


# --- recommendations ----------------------------------------------------------------------------


def add(review, by, text, finding=""):
    return learning.recommendation_add(review=review, by=by, text=text, finding=finding)


def numbers(review) -> list[int]:
    return list(review.recommendations.values_list("number", flat=True))


def test_recommendations_are_numbered_in_order(lcspr_review, author):
    first = add(lcspr_review, author, "  Agencies should follow up missed appointments. ")
    second = add(lcspr_review, author, "Health visitors should see fathers.", "Fathers unseen")
    assert (first.number, second.number) == (1, 2)
    assert first.text == "Agencies should follow up missed appointments."
    assert second.finding == "Fathers unseen" and second.created_by == author
    assert events(lcspr_review, "recommendation_added") == [
        "Recommendation 2 added: Health visitors should see fathers.",
        "Recommendation 1 added: Agencies should follow up missed appointments.",
    ]


def test_a_recommendation_needs_its_text(lcspr_review, author):
    with pytest.raises(WorkflowError) as error:
        add(lcspr_review, author, "   ")
    assert message_of(error) == {"text": ["Enter the recommendation"]}
    assert not lcspr_review.recommendations.exists()


def test_changing_a_recommendation_keeps_or_corrects_its_number(lcspr_review, author):
    first = add(lcspr_review, author, "One")
    add(lcspr_review, author, "Two")
    changed = learning.recommendation_update(
        recommendation=first, by=author, text="One, reworded", finding="A finding"
    )
    assert (changed.number, changed.text, changed.finding) == (1, "One, reworded", "A finding")
    with pytest.raises(WorkflowError) as error:
        learning.recommendation_update(recommendation=first, by=author, text="One", number=2)
    assert message_of(error) == {
        "number": ["Recommendation 2 already exists: choose another number"]
    }
    moved = learning.recommendation_update(recommendation=first, by=author, text="One", number=5)
    assert moved.number == 5 and numbers(lcspr_review) == [2, 5]
    assert events(lcspr_review, "recommendation_updated")[0] == "Recommendation 5 (was 1) changed"
    assert moved.history.first().history_user == author


def test_removing_a_recommendation_leaves_the_others_numbered_as_in_the_report(
    lcspr_review, author
):
    recommendations = [add(lcspr_review, author, f"Recommendation text {n}") for n in (1, 2, 3)]
    learning.recommendation_remove(recommendation=recommendations[1], by=author)
    assert numbers(lcspr_review) == [1, 3]
    assert events(lcspr_review, "recommendation_removed") == ["Recommendation 2 removed"]
    assert ReportRecommendation.history.filter(number=2, history_type="-").get().history_user == (
        author
    )
    # The next one added follows the highest number, not the gap.
    assert add(lcspr_review, author, "Four").number == 4


def test_a_recommendation_that_actions_answer_cannot_be_removed(
    lcspr_review, manager, local_authority
):
    recommendation = add(lcspr_review, manager, "Train staff in professional curiosity.")
    Action.objects.create(
        review=lcspr_review,
        number=1,
        source=Source.RECOMMENDATION,
        recommendation=recommendation,
        text="Deliver training to every team by March.",
        lead_agency=local_authority,
        due_date=datetime.date(2027, 3, 31),
        created_by=manager,
    )
    with pytest.raises(WorkflowError, match="1 action in the action plan answers it"):
        learning.recommendation_remove(recommendation=recommendation, by=manager)
    assert numbers(lcspr_review) == [1]
    assert not events(lcspr_review, "recommendation_removed")


# --- the partnership's learning themes ----------------------------------------------------------


def test_the_seeded_themes_are_in_use_in_order():
    names = theme_names()
    assert names[:3] == ["Neglect", "Domestic abuse", "Parental mental health"]
    assert len(names) == 20


def test_a_new_theme_goes_at_the_end_and_names_are_unique(manager):
    added = learning.learning_theme_add(by=manager, name="  Online   harm ")
    assert added.name == "Online harm" and theme_names()[-1] == "Online harm"
    assert added.history.first().history_user == manager
    with pytest.raises(WorkflowError) as error:
        learning.learning_theme_add(by=manager, name="online HARM")
    assert message_of(error) == {"name": ["There is already a theme called online HARM"]}
    with pytest.raises(WorkflowError) as error:
        learning.learning_theme_add(by=manager, name=" ")
    assert message_of(error) == {"name": ["Enter the name of the theme"]}
    assert LearningTheme.objects.filter(name__iexact="online harm").count() == 1


def test_renaming_retiring_and_restoring_a_theme(manager):
    neglect = theme("Neglect")
    learning.learning_theme_update(theme=neglect, by=manager, name="Neglect and poverty")
    assert "Neglect and poverty" in theme_names() and "Neglect" not in theme_names()
    learning.learning_theme_update(theme=neglect, by=manager, is_active=False)
    assert "Neglect and poverty" not in theme_names()
    learning.learning_theme_update(theme=neglect, by=manager, is_active=True)
    assert theme_names()[0] == "Neglect and poverty"
    with pytest.raises(WorkflowError, match="There is already a theme called Young carers"):
        learning.learning_theme_update(theme=neglect, by=manager, name="Young carers")


def test_moving_a_theme_up_and_down(manager):
    learning.learning_theme_move(theme=theme("Domestic abuse"), by=manager, up=True)
    assert theme_names()[:3] == ["Domestic abuse", "Neglect", "Parental mental health"]
    learning.learning_theme_move(theme=theme("Domestic abuse"), by=manager, up=False)
    assert theme_names()[:2] == ["Neglect", "Domestic abuse"]
    with pytest.raises(WorkflowError, match="Neglect is already first in the list"):
        learning.learning_theme_move(theme=theme("Neglect"), by=manager, up=True)
    last = LearningTheme.objects.order_by("-position").first()
    with pytest.raises(WorkflowError, match="already last"):
        learning.learning_theme_move(theme=last, by=manager, up=False)
