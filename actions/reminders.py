"""Actions as reminders: an action still being delivered is due on its due date, and
an open action with no progress update for the partnership's N weeks (ActionSettings) is due
an update from the day it became stale, by the dashboard's own rule (actions/selectors.py).
The named owner acts; without one (or an owner who has left), the lead agency's
representatives; without those, the partnership managers.

Two providers, a fixed handful of queries each however many actions there are.
"""

import datetime

from django.urls import reverse
from django.utils import timezone

from actions.models import DELIVERY_STATUSES, OPEN_STATUSES, Action, ActionSettings
from actions.selectors import stale_cutoff, with_last_activity
from lcspr.reminders.clocks import Due, register_clock
from reviews.reminders import agency_representatives, managers, review_label


def _responsible(actions: list[Action]) -> dict[int, tuple[int, ...]]:
    """Who should act on each action, by action id (2 queries at most)."""
    unowned = {a.lead_agency_id for a in actions if not (a.owner_id and a.owner.is_active)}
    representatives = agency_representatives(unowned) if unowned else {}
    fallback = managers() if unowned - representatives.keys() else ()
    return {
        a.pk: (a.owner_id,)
        if a.owner_id and a.owner.is_active
        else representatives.get(a.lead_agency_id) or fallback
        for a in actions
    }


def _due(action: Action, *, page: str, key: str, title: str, due_date, responsible, kind) -> Due:
    return Due(
        key=key,
        title=title,
        due_date=due_date,
        url=reverse(page, args=[action.pk]),
        responsible=responsible,
        review_label=review_label(action.review),
        review_id=action.review_id,
        kind=kind,
    )


def action_items(today: datetime.date) -> list[Due]:
    """Every action not started or in progress, due on its due date (3 queries at most)."""
    actions = list(
        Action.objects.filter(status__in=DELIVERY_STATUSES)
        .select_related("review", "owner")
        .order_by("due_date", "pk")
    )
    responsible = _responsible(actions)
    return [
        _due(
            action,
            page="actions:detail",
            key=f"action:{action.pk}",
            title=f"Complete {action.name}",
            due_date=action.due_date,
            responsible=responsible[action.pk],
            kind="Action",
        )
        for action in actions
    ]


def stale_action_items(today: datetime.date) -> list[Due]:
    """Every open action without a progress update for the set number of weeks, due an update
    since the day it became stale (4 queries at most)."""
    weeks = ActionSettings.load().stale_update_weeks
    actions = list(
        with_last_activity(Action.objects.filter(status__in=OPEN_STATUSES))
        .filter(last_activity__lt=stale_cutoff(today, weeks))
        .select_related("review", "owner")
        .order_by("last_activity", "pk")
    )
    responsible = _responsible(actions)
    # Activity on day D is stale from D + N weeks + 1 day: the dashboard's cutoff is the start
    # of the day N weeks ago.
    after = datetime.timedelta(weeks=weeks, days=1)
    return [
        _due(
            action,
            page="actions:progress",
            key=f"action-stale:{action.pk}",
            title=f"Give a progress update on {action.name}",
            due_date=timezone.localtime(action.last_activity).date() + after,
            responsible=responsible[action.pk],
            kind="Action update",
        )
        for action in actions
    ]


register_clock("actions", action_items)
register_clock("stale_actions", stale_action_items)
