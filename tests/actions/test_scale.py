"""The benchmark's action plans (actions/scale.py) hold together as the services would have made
them: numbered from one per review, led by an agency in scope with an owner from it, answering
the review's own recommendations, a closed review's actions all finished, the last update
matching the updates written, and history for every row."""

import pytest
from django.db.models import Count, F, Max, Min

from actions import selectors
from actions.models import FINISHED_STATUSES, Action, ProgressUpdate, Source, Status
from lcspr.accounts.models import Role
from lcspr.core.management.commands.seed_scale import seed
from lcspr.core.scale import ScalePlan
from reviews.models import Stage

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    return seed(
        ScalePlan(
            reviews=20,  # enough for reports signed off, whose recommendations get actions
            chronology_entries=60,
            actions=80,
            users=24,
            agencies=8,
            notifications=0,
            log=lambda _line: None,
        )
    )


@pytest.fixture
def actions(plan):
    return list(
        Action.objects.select_related("review", "recommendation", "owner")
        .prefetch_related("owner__role_assignments", "themes")
        .annotate(updates_made=Count("updates"), last_recorded=Max("updates__recorded_at"))
    )


def test_the_actions_asked_for_are_numbered_from_one_in_each_review(plan, actions):
    assert len(actions) == plan.actions
    for numbers in Action.objects.values("review").annotate(
        n=Count("pk"), first=Min("number"), last=Max("number")
    ):
        assert (numbers["first"], numbers["last"]) == (1, numbers["n"])


def test_each_action_is_led_by_an_agency_in_scope_and_owned_from_it(plan, actions):
    in_scope = plan.made["in_scope"]
    owned = 0
    for action in actions:
        assert action.lead_agency_id in {a.pk for a in in_scope[action.review_id]}
        if action.owner is not None:
            owned += 1
            assert action.owner.agency_id == action.lead_agency_id
            assert action.owner.has_role(Role.AGENCY_REPRESENTATIVE)
    assert owned


def test_an_action_answering_a_recommendation_answers_one_of_its_reviews(actions):
    answering = [a for a in actions if a.source == Source.RECOMMENDATION]
    assert answering
    for action in actions:
        assert (action.recommendation is not None) is (action.source == Source.RECOMMENDATION)
    for action in answering:
        assert action.recommendation.review_id == action.review_id


def test_a_closed_reviews_actions_are_all_finished_with_their_evidence(actions):
    assert any(a.review.stage == Stage.CLOSED for a in actions)
    for action in actions:
        if action.review.stage == Stage.CLOSED:
            assert action.status in FINISHED_STATUSES
        if action.status == Status.CLOSED:
            assert action.closed_at and action.closed_by_id
            assert action.completion_evidence and action.impact_evidence
            assert not action.handed_to
        if action.status == Status.HANDED_OVER:
            assert action.handed_to
        if action.status == Status.NOT_STARTED:
            assert action.rag == ""


def test_the_last_update_is_the_latest_update_written(actions):
    assert any(a.updates_made for a in actions)
    for action in actions:
        assert action.last_update_at == action.last_recorded
    # Each update was written with the status its action is at.
    assert not ProgressUpdate.objects.exclude(status_after=F("action__status")).exists()


def test_each_action_has_one_or_two_learning_themes(actions):
    assert {len(a.themes.all()) for a in actions} <= {1, 2}


def test_every_row_has_its_history_and_the_dashboard_counts_them_all(plan, actions):
    assert Action.history.filter(history_type="+").count() == len(actions)
    assert ProgressUpdate.history.filter(history_type="+").count() == (
        ProgressUpdate.objects.count()
    )
    manager = plan.made["personas"]["manager"]
    dashboard = selectors.dashboard(manager)
    assert dashboard.totals["total"] == len(actions)
    assert sum(f.count for f in dashboard.by_status) == len(actions)
