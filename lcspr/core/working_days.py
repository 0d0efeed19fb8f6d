"""Working days in England and Wales: Monday to Friday, less bank holidays and closure days.

The start day never counts: 5 working days after Monday 21 December 2026 is Wednesday 30
December 2026. Code that computes many dates builds one calendar with `calendar()` and passes it
around, so a list page costs one query however many countdowns it shows.
"""

import functools
from collections.abc import Iterable
from datetime import date, timedelta

import holidays

from lcspr.core.models import ClosureDay

ONE_DAY = timedelta(days=1)


@functools.cache
def bank_holidays(year: int) -> tuple[tuple[date, str], ...]:
    """The bank holidays of England and Wales in one year, with their names, in date order:
    the list the clocks count by."""
    # Building a holidays object is slow, so each year is built once per process. subdiv="ENG"
    # gives the England and Wales list with substitute days and one-off days (state funeral,
    # coronation), which the package ships once they are proclaimed.
    return tuple(sorted(holidays.country_holidays("GB", subdiv="ENG", years=year).items()))


@functools.cache
def _bank_holidays(year: int) -> frozenset[date]:
    """The bank holidays of England and Wales in one year."""
    return frozenset(day for day, _name in bank_holidays(year))


def _weekdays_up_to(d: date) -> int:
    """How many Mondays to Fridays there are from 1 January 0001 to d inclusive."""
    # 1 January 0001 is a Monday (ordinal 1), so whole weeks contribute 5 and the rest up to 5.
    weeks, rest = divmod(d.toordinal(), 7)
    return weeks * 5 + min(rest, 5)


class WorkingCalendar:
    """An immutable calendar of working days, with a partnership's closure days on top."""

    __slots__ = ("_closures", "_closed_by_year")

    def __init__(self, closures: Iterable[date] = ()):
        self._closures = frozenset(closures)
        # Filled one year at a time on first use. It only mirrors the closures and the bank
        # holidays, so the calendar still behaves as immutable.
        self._closed_by_year: dict[int, frozenset[date]] = {}

    def __repr__(self):
        return f"WorkingCalendar({len(self._closures)} closure days)"

    @property
    def closures(self) -> frozenset[date]:
        """The partnership's closure days this calendar was built with."""
        return self._closures

    def _closed_weekdays(self, year: int) -> frozenset[date]:
        """The Mondays to Fridays of one year that are not working days."""
        closed = self._closed_by_year.get(year)
        if closed is None:
            closed = frozenset(
                d
                for d in _bank_holidays(year) | {c for c in self._closures if c.year == year}
                if d.weekday() < 5
            )
            self._closed_by_year[year] = closed
        return closed

    def is_working_day(self, d: date) -> bool:
        """Whether d is a Monday to Friday that is neither a bank holiday nor a closure day."""
        return d.weekday() < 5 and d not in self._closed_weekdays(d.year)

    def add(self, start: date, n: int) -> date:
        """The n-th working day after start (before it when n is negative); start never counts."""
        step = ONE_DAY if n >= 0 else -ONE_DAY
        d, remaining = start, abs(n)
        while remaining:
            d += step
            if self.is_working_day(d):
                remaining -= 1
        return d

    def subtract(self, start: date, n: int) -> date:
        """The n-th working day before start; start never counts."""
        return self.add(start, -n)

    def count_between(self, start: date, end: date) -> int:
        """Working days in (start, end]; when end is before start, minus the working days in
        [end, start), so a deadline that fell on Friday is "overdue by 1" on Saturday too."""
        if end < start:
            one_day = timedelta(days=1)
            return -self.count_between(end - one_day, start - one_day)
        # Arithmetic rather than a day-by-day walk: a list page shows thousands of countdowns,
        # some of them overdue by years.
        weekdays = _weekdays_up_to(end) - _weekdays_up_to(start)
        closed = sum(
            1
            for year in range(start.year, end.year + 1)
            for d in self._closed_weekdays(year)
            if start < d <= end
        )
        return weekdays - closed

    def next_working_day(self, d: date) -> date:
        """The first working day after d; d itself never counts."""
        return self.add(d, 1)


def calendar() -> WorkingCalendar:
    """A working calendar with the partnership's closure days, loaded in one query."""
    return WorkingCalendar(ClosureDay.objects.values_list("date", flat=True))


def add_working_days(start: date, n: int, cal: WorkingCalendar | None = None) -> date:
    """The n-th working day after start; start never counts."""
    return (cal or calendar()).add(start, n)


def subtract_working_days(start: date, n: int, cal: WorkingCalendar | None = None) -> date:
    """The n-th working day before start; start never counts."""
    return (cal or calendar()).subtract(start, n)


def working_days_between(start: date, end: date, cal: WorkingCalendar | None = None) -> int:
    """Working days from start to end: positive ahead, negative behind, 0 on the same day."""
    return (cal or calendar()).count_between(start, end)


def is_working_day(d: date, cal: WorkingCalendar | None = None) -> bool:
    """Whether d is a working day."""
    return (cal or calendar()).is_working_day(d)


def describe_countdown(days: int) -> str:
    """A countdown in words: "due today", "due in 5 working days", "overdue by 1 working day"."""
    if days == 0:
        return "due today"
    unit = "working day" if abs(days) == 1 else "working days"
    if days > 0:
        return f"due in {days} {unit}"
    return f"overdue by {-days} {unit}"
