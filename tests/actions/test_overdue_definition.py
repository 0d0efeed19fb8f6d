"""One definition of overdue: an action is overdue while it is still being delivered (not
started or in progress) after its due date. The action page, the review's plan, the task list,
the dashboard, the Executive's report and the reminders all agree."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from actions import reminders
from actions import selectors as action_selectors
from actions import services as action_services
from actions.models import Action
from actions.tasks_section import plan_counts

pytestmark = pytest.mark.django_db

LATE = datetime.date(2027, 4, 15)  # 10 working days after the due date (Easter 2027 between)


def _places(client, review, action):
    """What each place says about `action` being overdue, on LATE."""
    action_page = client.get(reverse("actions:detail", args=[action.pk]))
    plan_page = client.get(reverse("actions:review_plan", args=[review.pk]))
    assert action_page.status_code == plan_page.status_code == 200
    action_page, plan_page = action_page.content.decode(), plan_page.content.decode()
    return {
        "action page": "Overdue by" in action_page or "overdue by" in action_page,
        "plan page": "overdue by" in plan_page.lower(),
        "task list": plan_counts(review, LATE)["overdue"] == 1,
        "dashboard": action_selectors.report_totals(Action.objects.all(), LATE)["overdue"] == 1,
        "reminders": any(
            item.key == f"action:{action.pk}" for item in reminders.action_items(LATE)
        ),
    }


def test_a_completed_action_is_overdue_nowhere(client, lcspr_review, manager, school_action):
    action_services.completion_evidence_record(
        action=school_action, by=manager, completion_evidence="Training delivered."
    )
    with time_machine.travel(datetime.datetime(2027, 4, 15, 10, tzinfo=datetime.UTC)):
        client.force_login(manager)  # signed in on the day, so the session is fresh
        places = _places(client, lcspr_review, school_action)
    assert places == dict.fromkeys(places, False)


def test_an_action_in_progress_past_its_date_is_overdue_everywhere(
    client, lcspr_review, manager, school_action
):
    with time_machine.travel(datetime.datetime(2027, 4, 15, 10, tzinfo=datetime.UTC)):
        client.force_login(manager)  # signed in on the day, so the session is fresh
        places = _places(client, lcspr_review, school_action)
    assert places == dict.fromkeys(places, True)
