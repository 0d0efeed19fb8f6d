"""What actions add to the home page's queues (reviews.queue), through actions' own overdue
rule: for "Waiting for you", an update on each overdue action a person owns; for "Waiting for
others", the manager's view of every overdue action, with a reminder to its owner (or, with no
named owner, the lead agency's representatives)."""

from django.core.exceptions import PermissionDenied
from django.urls import reverse

from actions import selectors
from actions.permissions import get_action_for
from lcspr.accounts.models import Role
from lcspr.core.working_days import calendar
from reviews.queue import LateItem, QueueItem, register_items, register_late, representatives


def overdue_updates(user, today) -> list[QueueItem]:
    """An item per overdue action `user` owns: give an update on its progress."""
    cal = calendar()
    return [
        QueueItem(
            action.review.reference,
            action.review.pseudonym,
            f"Update {action.name}",
            reverse("actions:progress", args=[action.pk]),
            action.due_date,
            cal.count_between(today, action.due_date),
        )
        for action in selectors.overdue_actions_owned_by(user, today)
    ]


register_items(overdue_updates)


def _late_items(actions, today) -> list[LateItem]:
    actions = list(actions)
    reps = representatives({a.lead_agency_id for a in actions if a.owner_id is None})
    cal = calendar()
    return [
        LateItem(
            "action",
            action.pk,
            action.review,
            str(action.owner) if action.owner_id else str(action.lead_agency),
            f"Update on {action.name}",
            reverse("actions:detail", args=[action.pk]),
            action.due_date,
            cal.count_between(today, action.due_date),
            (action.owner,) if action.owner_id else tuple(reps.get(action.lead_agency_id, ())),
        )
        for action in actions
    ]


def _find_late(user, today) -> list[LateItem]:
    if not user.has_role(Role.PARTNERSHIP_MANAGER):
        return []
    return _late_items(selectors.overdue_actions(user, today), today)


def _get_late(user, pk, today) -> LateItem | None:
    action = get_action_for(user, pk)
    if not user.has_role(Role.PARTNERSHIP_MANAGER):
        raise PermissionDenied
    late = _late_items(selectors.overdue_actions(user, today).filter(pk=action.pk), today)
    return late[0] if late else None


register_late("action", _find_late, _get_late)
