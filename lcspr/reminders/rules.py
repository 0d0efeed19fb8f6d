"""The reminders' rules: which threshold an item has reached today, counted in working days (5
and 1 before, on the day, then weekly when overdue), and who hears about it (the people
responsible, then the escalation chain)."""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model

from lcspr.accounts.models import Role
from lcspr.core.working_days import WorkingCalendar
from lcspr.reminders.clocks import Due
from lcspr.reminders.models import ReminderSettings

# Partnership-wide roles named by the escalation chain and the manager's pages.
MANAGER_ROLE = Role.PARTNERSHIP_MANAGER
INDEPENDENT_CHAIR_ROLE = Role.INDEPENDENT_CHAIR
SUBGROUP_MEMBER_ROLE = Role.SUBGROUP_MEMBER

# Escalation steps, in order: who is added at each step.
RESPONSIBLE, MANAGERS, SUBGROUP_CHAIR, INDEPENDENT_CHAIR = range(4)
STEP_LABELS = {
    RESPONSIBLE: "The people responsible",
    MANAGERS: "The partnership managers",
    SUBGROUP_CHAIR: "The chair of the LCSPR sub-group",
    INDEPENDENT_CHAIR: "The Independent Chair",
}
# How an e-mail tells someone brought in by escalation why they have it.
STEP_AS = {
    MANAGERS: "as a partnership manager",
    SUBGROUP_CHAIR: "as chair of the LCSPR sub-group",
    INDEPENDENT_CHAIR: "as Independent Chair",
}


def is_daily(due: Due) -> bool:
    """Whether the item is reminded every working day until done."""
    return bool(due.extra.get("daily"))


def working_today(today: datetime.date, cal: WorkingCalendar) -> datetime.date:
    """The day thresholds are counted from: today on a working day, else the working day before.
    A scan on a Saturday or a bank holiday then reaches no threshold the working day before did
    not, so nothing is sent on a day off, and nothing is duplicated or moved."""
    return today if cal.is_working_day(today) else cal.add(today, -1)


def threshold_for(
    due_date: datetime.date,
    today: datetime.date,
    cal: WorkingCalendar,
    settings: ReminderSettings,
    *,
    daily: bool = False,
) -> str | None:
    """The threshold an item due on `due_date` has reached today, counted in working days:
    "before-N" (the most urgent threshold already crossed, so a missed day still sends the
    current one), "due", "overdue-K" (K counts the overdue periods of
    `overdue_every_working_days`), or None while nothing is due yet. Daily items have one
    threshold per working day: "before-N" for every N up to the first threshold, "due", then
    "overdue-K-day-N"."""
    left = cal.count_between(working_today(today, cal), due_date)
    days = settings.day_list
    if left > 0:
        if daily:
            return f"before-{left}" if days and left <= days[0] else None
        crossed = [n for n in days if n >= left]
        return f"before-{min(crossed)}" if crossed else None
    if left == 0:
        if settings.remind_on_day or daily:
            return "due"
        return f"before-{min(days)}" if days else None
    overdue = -left
    period = (overdue - 1) // max(settings.overdue_every_working_days, 1) + 1
    return f"overdue-{period}-day-{overdue}" if daily else f"overdue-{period}"


def overdue_period(threshold: str) -> int:
    """K of "overdue-K" or "overdue-K-day-N"; 0 for a threshold that is not overdue."""
    parts = threshold.split("-")
    if parts[0] != "overdue" or len(parts) < 2 or not parts[1].isdigit():
        return 0
    return int(parts[1])


def describe_threshold(threshold: str) -> str:
    """A threshold in words, for the sent-log."""
    parts = threshold.split("-")
    if parts[0] == "before" and len(parts) == 2:
        n = int(parts[1])
        return f"{n} working day{'s' if n != 1 else ''} before"
    if threshold == "due":
        return "On the due date"
    if len(parts) == 4:
        n = int(parts[3])
        return f"Overdue by {n} working day{'s' if n != 1 else ''}"
    if parts[0] == "overdue":
        return f"Overdue, reminder {overdue_period(threshold)}"
    return threshold


def escalation_level(due: Due, threshold: str, settings: ReminderSettings) -> int:
    """How far up the chain an item has climbed: 0 until it is overdue, then one step after
    every `escalate_after` overdue reminders, up to the Independent Chair."""
    period = overdue_period(threshold)
    if not due.escalates or period == 0:
        return RESPONSIBLE
    return min(INDEPENDENT_CHAIR, (period - 1) // max(settings.escalate_after, 1))


@dataclass(frozen=True)
class EscalationChain:
    """The people above the responsible ones, loaded once per scan."""

    managers: tuple[int, ...] = ()
    subgroup_chair: tuple[int, ...] = ()
    independent_chairs: tuple[int, ...] = ()

    @classmethod
    def load(cls, settings: ReminderSettings) -> "EscalationChain":
        users = get_user_model().objects.filter(is_active=True)

        def with_role(role):
            return tuple(
                users.filter(role_assignments__role=role)
                .order_by("pk")
                .values_list("pk", flat=True)
                .distinct()
            )

        chair = settings.subgroup_chair_id
        return cls(
            managers=with_role(MANAGER_ROLE),
            subgroup_chair=(chair,) if chair and users.filter(pk=chair).exists() else (),
            independent_chairs=with_role(INDEPENDENT_CHAIR_ROLE),
        )

    def step(self, level: int) -> tuple[int, ...]:
        return {
            MANAGERS: self.managers,
            SUBGROUP_CHAIR: self.subgroup_chair,
            INDEPENDENT_CHAIR: self.independent_chairs,
        }.get(level, ())


def recipients_for(
    due: Due, threshold: str, settings: ReminderSettings, *, chain: EscalationChain | None = None
) -> dict[int, int]:
    """Who hears about an item at this threshold, each with the escalation step that brought
    them in: the responsible people, then (overdue and escalating) the partnership managers,
    the sub-group chair and every Independent Chair, one step at a time."""
    chain = chain or EscalationChain.load(settings)
    people = dict.fromkeys(due.responsible, RESPONSIBLE)
    for level in range(MANAGERS, escalation_level(due, threshold, settings) + 1):
        for pk in chain.step(level):
            people.setdefault(pk, level)
    return people
