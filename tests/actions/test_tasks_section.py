"""The "Action plan" section of a review's task list: when it appears, the plan's counts with
those overdue, the recommendations answered, the immediate actions tracked, the review's closure
as the plan completes, links only for those who may follow them, and the same queries however
large the plan."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions import services
from actions.models import Status
from actions.tasks_section import SECTION, counts_text
from reviews import selectors
from reviews.models import ReportStatus, Review, Stage
from reviews.rapid_review.models import ImmediateAction
from reviews.tasklist import CANNOT_START, COMPLETED, IN_PROGRESS, NOT_STARTED, render_section
from tests.actions.conftest import add_action, dash_action, dash_review, make_ready_to_close

pytestmark = pytest.mark.django_db


def tasks_by_name(user, review):
    review.refresh_from_db()
    heading, tasks = render_section(SECTION, user, selectors.review_page(review))
    assert heading == "Action plan"
    return {task.name: task for task in tasks}


def plan_url(review):
    return reverse("actions:review_plan", args=[review.pk])


def immediate_action(review, agency, **fields):
    return ImmediateAction.objects.create(
        rapid_review=review.rapid_review,
        description=fields.pop("description", "Check every sibling has a safety plan."),
        lead_agency=agency,
        due_date=datetime.date(2026, 12, 18),
        **fields,
    )


def test_a_referral_with_nothing_to_track_has_no_section(referral, manager):
    assert render_section(SECTION, manager, selectors.review_page(referral)) is None


def test_a_rapid_reviews_immediate_actions_are_offered_for_tracking(
    in_rapid_review, manager, local_authority, partner_lead
):
    immediate_action(in_rapid_review, local_authority)
    tasks = tasks_by_name(manager, in_rapid_review)
    assert list(tasks) == ["Action plan", "Track the immediate safety actions"]
    track = tasks["Track the immediate safety actions"]
    assert (track.status, track.hint) == (NOT_STARTED, "0 of 1 tracked in the action plan")
    assert track.url == plan_url(in_rapid_review)
    assert tasks["Action plan"].hint == "No actions yet"
    # A statutory partner lead reads the plan but does not track actions.
    lead_tasks = tasks_by_name(partner_lead, in_rapid_review)
    assert lead_tasks["Track the immediate safety actions"].url == ""
    assert lead_tasks["Action plan"].url == plan_url(in_rapid_review)

    services.action_from_immediate(immediate_action=ImmediateAction.objects.get(), by=manager)
    track = tasks_by_name(manager, in_rapid_review)["Track the immediate safety actions"]
    assert (track.status, track.hint) == (COMPLETED, "1 of 1 tracked in the action plan")


def test_an_lcspr_without_actions_shows_an_empty_plan_and_no_closure(lcspr_review, manager):
    tasks = tasks_by_name(manager, lcspr_review)
    assert list(tasks) == ["Action plan"]
    assert (tasks["Action plan"].status, tasks["Action plan"].hint) == (
        NOT_STARTED,
        "No actions yet",
    )


def test_the_recommendations_answered_are_counted_with_a_link_for_the_sub_group(
    lcspr_review, recommendations, manager, subgroup_member, executive_member, school
):
    task = "Turn the recommendations into actions"
    tasks = tasks_by_name(subgroup_member, lcspr_review)
    assert (tasks[task].status, tasks[task].hint) == (
        NOT_STARTED,
        "0 of 2 recommendations have actions",
    )
    assert tasks[task].url == reverse("actions:from_recommendations", args=[lcspr_review.pk])
    assert tasks_by_name(executive_member, lcspr_review)[task].url == ""
    add_action(lcspr_review, manager, school, recommendation=recommendations[0])
    add_action(lcspr_review, manager, school, recommendation=recommendations[0])
    tasks = tasks_by_name(subgroup_member, lcspr_review)
    assert (tasks[task].status, tasks[task].hint) == (
        IN_PROGRESS,
        "1 of 2 recommendations have actions",
    )
    add_action(lcspr_review, manager, school, recommendation=recommendations[1])
    assert tasks_by_name(subgroup_member, lcspr_review)[task].status == COMPLETED


def test_the_plan_is_counted_by_status_with_those_overdue(dash_clock, manager, school, police):
    review = dash_review(manager, school, "Child P")
    day = datetime.date
    dash_action(review, school, manager, number=1, due=day(2026, 4, 6))  # overdue
    dash_action(review, police, manager, number=2, due=day(2026, 4, 7), status="in_progress")
    dash_action(review, police, manager, number=3, due=day(2026, 3, 1), status="closed")
    tasks = tasks_by_name(manager, review)
    plan = tasks["Action plan"]
    assert plan.hint == "3 actions: 1 not started, 1 in progress, 1 closed; 1 overdue"
    assert plan.status == IN_PROGRESS
    close = tasks["Close the review"]
    assert (close.status, close.url) == (CANNOT_START, "")
    assert close.hint == "2 actions are still open: each must be closed or handed to another plan."


def test_counts_read_in_the_singular_and_without_overdue_when_none_is():
    counts = {"total": 1, "overdue": 0, **{s.value: 0 for s in Status}, Status.COMPLETE: 1}
    assert counts_text(counts) == "1 action: 1 complete"


def test_the_review_can_close_once_every_action_is_done_and_the_report_published(
    lcspr_review, school_action, agency_author, subgroup_member, manager, executive_member
):
    make_ready_to_close(school_action, agency_author)
    services.action_close(action=school_action, by=subgroup_member)
    tasks = tasks_by_name(manager, lcspr_review)
    assert tasks["Action plan"].status == COMPLETED
    assert tasks["Close the review"].status == CANNOT_START
    assert tasks["Close the review"].hint == (
        "The final report (or its improvements) has not been published yet."
    )
    # Published after the last action closed: the review waits for someone to close it.
    Review.objects.filter(pk=lcspr_review.pk).update(report_status=ReportStatus.PUBLISHED)
    close = tasks_by_name(manager, lcspr_review)["Close the review"]
    assert (close.status, close.url) == (NOT_STARTED, plan_url(lcspr_review))
    assert close.hint == "Every action is closed or handed over and the report is published"
    assert tasks_by_name(executive_member, lcspr_review)["Close the review"].url == ""

    services.review_close_if_done(review=lcspr_review, by=manager)
    close = tasks_by_name(manager, lcspr_review)["Close the review"]
    assert (close.status, close.url) == (COMPLETED, "")
    assert close.hint.startswith("The report is published and every action of its plan")


def test_a_closed_review_offers_no_more_tracking(
    lcspr_review, school_action, local_authority, subgroup_member, manager
):
    immediate_action(lcspr_review, local_authority)
    Review.objects.filter(pk=lcspr_review.pk).update(
        stage=Stage.CLOSED, closed_reason="the plan was handed to the county's board"
    )
    tasks = tasks_by_name(manager, lcspr_review)
    assert tasks["Track the immediate safety actions"].url == ""
    assert tasks["Turn the recommendations into actions"].url == ""
    assert tasks["Close the review"].hint == "The plan was handed to the county's board"


def test_the_same_queries_for_a_small_plan_or_a_large_one(
    lcspr_review, recommendations, manager, school, local_authority
):
    add_action(lcspr_review, manager, school, recommendation=recommendations[0])
    immediate_action(lcspr_review, local_authority)
    tasks_by_name(manager, lcspr_review)  # warm what is loaded once

    def queries():
        with CaptureQueriesContext(connection) as captured:
            render_section(SECTION, manager, selectors.review_page(lcspr_review))
        return len(captured)

    few = queries()
    for n in range(12):
        add_action(lcspr_review, manager, school, recommendation=recommendations[n % 2])
    for n in range(5):
        immediate_action(lcspr_review, local_authority, description=f"Safety step {n}")
    assert queries() == few
