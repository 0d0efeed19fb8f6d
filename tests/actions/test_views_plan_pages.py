"""A review's plan pages on the paths the other tests leave: more blank rows asked for in the
address, a plan with nothing to turn into actions, a review closed meanwhile, an immediate action
without a due date or already tracked, and the review's closure refused with its reason."""

import datetime

import pytest
from django.urls import reverse

from actions import services
from actions.models import Action
from reviews.models import ReportStatus, Review, Stage
from reviews.rapid_review.models import ImmediateAction
from tests.actions.conftest import add_action, make_ready_to_close

pytestmark = pytest.mark.django_db


def plan_url(review, name="review_plan", *args):
    return reverse(f"actions:{name}", args=[review.pk, *args])


def date_fields(name, value):
    return {f"{name}_0": value.day, f"{name}_1": value.month, f"{name}_2": value.year}


def html_of(response):
    return response.content.decode()


def close_review(review):
    Review.objects.filter(pk=review.pk).update(stage=Stage.CLOSED, closed_reason="done")


# --- turning recommendations into actions -------------------------------------------------------


@pytest.mark.parametrize(
    ("rows", "blank", "more"),
    [(None, 3, 6), ("10", 10, 13), ("999", 30, 30), ("-4", 0, 3), ("lots", 3, 6)],
)
def test_the_page_shows_a_row_per_recommendation_and_the_blank_rows_asked_for(
    client, manager, lcspr_review, recommendations, rows, blank, more
):
    client.force_login(manager)
    query = {"rows": rows} if rows else {}
    response = client.get(plan_url(lcspr_review, "from_recommendations"), query)
    formset = response.context["formset"]
    assert len(formset.forms) == len(recommendations) + blank
    assert [f.initial.get("recommendation") for f in formset.forms[:2]] == [
        r.pk for r in recommendations
    ]
    assert f"?rows={more}" in html_of(response)


def test_a_review_without_recommendations_says_where_they_are_recorded(
    client, manager, lcspr_review
):
    client.force_login(manager)
    html = html_of(client.get(plan_url(lcspr_review, "from_recommendations")))
    assert "recorded on the review&#x27;s learning page first" in html


def rows_data(recommendation, agency, text="Audit the follow-up of missed appointments."):
    return {
        "rows-TOTAL_FORMS": 1,
        "rows-INITIAL_FORMS": 0,
        "rows-0-recommendation": recommendation.pk,
        "rows-0-text": text,
        "rows-0-lead_agency": agency.pk,
        **date_fields("rows-0-due_date", datetime.date(2027, 5, 31)),
    }


def test_a_review_closed_meanwhile_refuses_the_rows_and_says_why(
    client, manager, lcspr_review, recommendations, school
):
    client.force_login(manager)
    close_review(lcspr_review)
    response = client.post(
        plan_url(lcspr_review, "from_recommendations"), rows_data(recommendations[0], school)
    )
    assert response.status_code == 200
    assert "Action 1: The review is closed: its action plan can no longer change." in html_of(
        response
    )
    assert not Action.objects.exists()


def test_blank_rows_alone_add_nothing_and_say_so(client, manager, lcspr_review, recommendations):
    client.force_login(manager)
    response = client.post(
        plan_url(lcspr_review, "from_recommendations"),
        {"rows-TOTAL_FORMS": 2, "rows-INITIAL_FORMS": 0, "rows-0-recommendation": ""},
    )
    assert "Write at least one action." in html_of(response)
    assert not Action.objects.exists()


# --- adding an action ---------------------------------------------------------------------------


def test_a_plan_without_recommendations_offers_no_recommendation_to_answer(
    client, manager, lcspr_review
):
    client.force_login(manager)
    form = client.get(plan_url(lcspr_review, "action_add")).context["form"]
    assert "recommendation" not in form.fields
    assert [value for value, _label in form.fields["source"].choices] == [
        "during_review",
        "partnership",
    ]


def test_adding_to_a_closed_review_is_refused_on_the_page(client, manager, lcspr_review, school):
    close_review(lcspr_review)
    client.force_login(manager)
    response = client.post(
        plan_url(lcspr_review, "action_add"),
        {
            "source": "during_review",
            "text": "An audit.",
            "lead_agency": school.pk,
            **date_fields("due_date", datetime.date(2027, 4, 30)),
        },
    )
    assert response.status_code == 200
    assert "The review is closed: its action plan can no longer change." in html_of(response)
    assert not Action.objects.exists()


def test_a_closed_reviews_plan_offers_nothing_to_add(client, manager, lcspr_review, school):
    add_action(lcspr_review, manager, school)
    close_review(lcspr_review)
    client.force_login(manager)
    html = html_of(client.get(plan_url(lcspr_review)))
    assert plan_url(lcspr_review, "action_add") not in html
    assert "1 action: 1 not started" in html


# --- tracking an immediate action ---------------------------------------------------------------


@pytest.fixture
def undated(lcspr_review, local_authority):
    return ImmediateAction.objects.create(
        rapid_review=lcspr_review.rapid_review,
        description="Visit the home with the police.",
        lead_agency=local_authority,
    )


def test_an_immediate_action_without_a_due_date_asks_for_one(client, manager, undated):
    review = undated.rapid_review.review
    client.force_login(manager)
    url = plan_url(review, "from_immediate", undated.pk)
    response = client.post(url, {})
    assert response.status_code == 200
    assert "Enter the due date: the rapid review did not set one" in html_of(response)
    assert not Action.objects.exists()
    response = client.post(url, date_fields("due_date", datetime.date(2027, 1, 29)))
    action = Action.objects.get()
    assert response.url == reverse("actions:detail", args=[action.pk])
    assert (action.due_date, action.text) == (datetime.date(2027, 1, 29), undated.description)


def test_an_immediate_action_already_tracked_is_refused_on_the_page(client, manager, undated):
    services.action_from_immediate(
        immediate_action=undated, by=manager, due_date=datetime.date(2027, 1, 29)
    )
    client.force_login(manager)
    response = client.post(
        plan_url(undated.rapid_review.review, "from_immediate", undated.pk),
        date_fields("due_date", datetime.date(2027, 2, 26)),
    )
    assert "This immediate action is already tracked in the action plan." in html_of(response)
    assert Action.objects.count() == 1


# --- closing the review -------------------------------------------------------------------------


def test_closing_a_review_with_open_actions_says_how_many(
    client, manager, lcspr_review, school_action, police_action, agency_author, subgroup_member
):
    Review.objects.filter(pk=lcspr_review.pk).update(report_status=ReportStatus.PUBLISHED)
    make_ready_to_close(school_action, agency_author)
    services.action_close(action=school_action, by=subgroup_member)
    client.force_login(manager)
    html = html_of(client.post(plan_url(lcspr_review, "review_close"), follow=True))
    assert (
        "The review cannot close yet. 1 action is still open: each must be closed or handed "
        "to another plan." in html
    )
    lcspr_review.refresh_from_db()
    assert lcspr_review.stage == Stage.LCSPR


def test_the_plan_page_offers_closure_only_once_nothing_blocks_it(
    client, manager, lcspr_review, school_action, agency_author, subgroup_member
):
    make_ready_to_close(school_action, agency_author)
    services.action_close(action=school_action, by=subgroup_member)
    client.force_login(manager)
    html = html_of(client.get(plan_url(lcspr_review)))
    assert "The final report (or its improvements) has not been published yet." in html
    assert plan_url(lcspr_review, "review_close") not in html
    Review.objects.filter(pk=lcspr_review.pk).update(report_status=ReportStatus.PUBLISHED)
    html = html_of(client.get(plan_url(lcspr_review)))
    assert plan_url(lcspr_review, "review_close") in html
    assert "the review can close" in html
