"""The partnership's closure days: added and removed through these services only, so that every
clock counted in working days follows the calendar the moment it changes. The apps that keep
such clocks register a listener with `on_calendar_change`."""

import datetime
from collections.abc import Callable

from django.db import transaction

from lcspr.core.exceptions import WorkflowError
from lcspr.core.models import ClosureDay
from lcspr.core.services import delete_with_history, save_with_history
from lcspr.core.text import long_date
from lcspr.core.working_days import calendar

# listener(by=user, why="closure day 29 December 2026 added") -> None
CalendarListener = Callable[..., None]
_listeners: list[CalendarListener] = []


def on_calendar_change(listener: CalendarListener) -> None:
    """Call `listener(by=..., why=...)` in the same transaction whenever a closure day is added
    or removed."""
    if listener not in _listeners:
        _listeners.append(listener)


def _changed(by, why: str) -> None:
    for listener in _listeners:
        listener(by=by, why=why)


def closure_day_problem(date: datetime.date | None, reason: str) -> dict[str, str]:
    """What is wrong with a closure day, by field ({} when it can be added): the one rule the
    service and every form that adds a closure day apply."""
    if date is None:
        return {"date": "Enter the date of the closure day"}
    if not (reason or "").strip():
        return {"reason": "Enter why the partnership is closed that day"}
    if date.weekday() >= 5:
        return {"date": f"{long_date(date)} is a weekend day, which never counts as a working day"}
    if not calendar().is_working_day(date) or ClosureDay.objects.filter(date=date).exists():
        return {"date": f"{long_date(date)} is already a bank holiday or a closure day"}
    return {}


@transaction.atomic
def closure_day_add(*, by, date: datetime.date, reason: str) -> ClosureDay:
    """Add a day the partnership does not work; open clocks move past it at once."""
    problem = closure_day_problem(date, reason)
    if problem:
        raise WorkflowError(problem)
    reason = reason.strip()
    day = save_with_history(ClosureDay(date=date, reason=reason), by)
    _changed(by, f"closure day {long_date(date)} added")
    return day


@transaction.atomic
def closure_day_remove(*, by, day: ClosureDay, reason: str = "") -> None:
    """Remove a closure day; open clocks that skipped it count it again at once. The reason,
    when given, is kept in the day's history."""
    date = day.date
    reason = " ".join((reason or "").split())
    if reason:
        day._change_reason = reason[:100]
    delete_with_history(day, by)
    _changed(by, f"closure day {long_date(date)} removed")


def closure_days_in(year: int):
    """The partnership's closure days in one year, in date order."""
    return ClosureDay.objects.filter(date__year=year).order_by("date")


def closure_day_for(pk: int) -> ClosureDay | None:
    """The closure day `pk`, or None."""
    return ClosureDay.objects.filter(pk=pk).first()
