from datetime import date, timedelta

import pytest

from lcspr.core.models import ClosureDay
from lcspr.core.working_days import (
    WorkingCalendar,
    add_working_days,
    calendar,
    describe_countdown,
    is_working_day,
    subtract_working_days,
    working_days_between,
)

CAL = WorkingCalendar()


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 3, 6), True),  # Friday
        (date(2026, 3, 7), False),  # Saturday
        (date(2026, 3, 8), False),  # Sunday
        (date(2026, 3, 9), True),  # Monday
    ],
)
def test_weekends_are_not_working_days(day, working):
    assert CAL.is_working_day(day) is working


@pytest.mark.parametrize(
    ("day", "working"),
    [
        # 2021: Christmas on Saturday, Boxing Day on Sunday, both moved to Monday and Tuesday.
        (date(2021, 12, 24), True),
        (date(2021, 12, 27), False),
        (date(2021, 12, 28), False),
        (date(2021, 12, 29), True),
        # 2022: Christmas on Sunday, substitute on Tuesday after Boxing Day.
        (date(2022, 12, 26), False),
        (date(2022, 12, 27), False),
        (date(2022, 12, 28), True),
        # 2026: Christmas on Friday, Boxing Day on Saturday moved to Monday.
        (date(2026, 12, 24), True),
        (date(2026, 12, 25), False),
        (date(2026, 12, 28), False),
        (date(2026, 12, 29), True),
        # 2027: as 2021.
        (date(2027, 12, 27), False),
        (date(2027, 12, 28), False),
        (date(2027, 12, 29), True),
    ],
)
def test_christmas_and_boxing_day_substitute_days_are_not_working_days(day, working):
    assert CAL.is_working_day(day) is working


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2021, 12, 24), 1, date(2021, 12, 29)),
        (date(2022, 12, 23), 1, date(2022, 12, 28)),
        (date(2026, 12, 24), 1, date(2026, 12, 29)),
        (date(2027, 12, 24), 1, date(2027, 12, 29)),
    ],
)
def test_adding_skips_christmas_and_its_substitute_days(start, n, expected):
    assert CAL.add(start, n) == expected


@pytest.mark.parametrize(
    ("good_friday", "easter_monday"),
    [
        (date(2025, 4, 18), date(2025, 4, 21)),
        (date(2026, 4, 3), date(2026, 4, 6)),
        (date(2027, 3, 26), date(2027, 3, 29)),
    ],
)
def test_easter_skips_good_friday_and_easter_monday(good_friday, easter_monday):
    maundy_thursday = good_friday - timedelta(days=1)
    easter_tuesday = easter_monday + timedelta(days=1)

    assert not CAL.is_working_day(good_friday)
    assert not CAL.is_working_day(easter_monday)
    assert CAL.add(maundy_thursday, 1) == easter_tuesday
    assert CAL.count_between(maundy_thursday, easter_tuesday) == 1


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2026, 12, 21), 5, date(2026, 12, 30)),
        (date(2026, 4, 2), 5, date(2026, 4, 13)),
    ],
)
def test_the_start_day_never_counts(start, n, expected):
    assert CAL.add(start, n) == expected


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2026, 3, 7), 1, date(2026, 3, 9)),  # Saturday
        (date(2026, 3, 8), 1, date(2026, 3, 9)),  # Sunday
        (date(2026, 3, 8), 5, date(2026, 3, 13)),  # Sunday
        (date(2026, 4, 3), 1, date(2026, 4, 7)),  # Good Friday
        (date(2026, 12, 25), 1, date(2026, 12, 29)),  # Christmas Day
        (date(2026, 12, 25), 0, date(2026, 12, 25)),  # nothing to add: the start stays
    ],
)
def test_a_start_on_a_weekend_or_holiday_counts_from_the_next_working_day(start, n, expected):
    assert CAL.add(start, n) == expected


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2026, 3, 9), 1, date(2026, 3, 6)),  # Monday back over the weekend
        (date(2026, 4, 7), 1, date(2026, 4, 2)),  # over Easter
        (date(2026, 4, 13), 7, date(2026, 3, 31)),  # 7 working days before publication
        (date(2026, 12, 29), 1, date(2026, 12, 24)),  # over Christmas
        (date(2027, 1, 4), 3, date(2026, 12, 29)),  # over New Year into the old year
        (date(2026, 4, 5), 1, date(2026, 4, 2)),  # from Easter Sunday
    ],
)
def test_subtracting_counts_backwards_over_weekends_and_holidays(start, n, expected):
    assert CAL.subtract(start, n) == expected
    assert CAL.add(start, -n) == expected


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2026, 12, 30), 2, date(2027, 1, 4)),
        (date(2027, 12, 30), 2, date(2028, 1, 4)),  # New Year's Day 2028 is a Saturday
        (date(2021, 12, 31), 1, date(2022, 1, 4)),  # New Year's Day 2022 is a Saturday
    ],
)
def test_adding_crosses_the_year_end(start, n, expected):
    assert CAL.add(start, n) == expected
    assert CAL.count_between(start, expected) == n


@pytest.mark.parametrize(
    ("before", "one_off", "after"),
    [
        (date(2022, 9, 16), date(2022, 9, 19), date(2022, 9, 20)),  # Queen's state funeral
        (date(2023, 5, 5), date(2023, 5, 8), date(2023, 5, 9)),  # King's coronation
        (date(2022, 6, 2), date(2022, 6, 3), date(2022, 6, 6)),  # Platinum Jubilee
    ],
)
def test_one_off_bank_holidays_are_not_working_days(before, one_off, after):
    assert not CAL.is_working_day(one_off)
    assert CAL.add(before, 1) == after


def test_a_calendar_keeps_the_closure_days_it_was_built_with():
    closures = [date(2026, 12, 29)]
    cal = WorkingCalendar(closures)
    closures.append(date(2026, 12, 30))

    assert cal.closures == frozenset({date(2026, 12, 29)})
    assert not cal.is_working_day(date(2026, 12, 29))
    assert cal.is_working_day(date(2026, 12, 30))


def test_a_closure_day_moves_a_due_date(db):
    start = date(2026, 12, 21)
    assert add_working_days(start, 5) == date(2026, 12, 30)

    ClosureDay.objects.create(date=date(2026, 12, 29), reason="Council closure between Christmas")

    assert not is_working_day(date(2026, 12, 29))
    assert add_working_days(start, 5) == date(2026, 12, 31)
    assert subtract_working_days(date(2026, 12, 31), 5) == start
    assert working_days_between(start, date(2026, 12, 31)) == 5


def test_a_closure_day_on_a_bank_holiday_or_weekend_changes_nothing():
    cal = WorkingCalendar([date(2026, 12, 25), date(2026, 12, 26)])

    assert cal.add(date(2026, 12, 21), 5) == date(2026, 12, 30)
    assert cal.count_between(date(2026, 12, 21), date(2026, 12, 30)) == 5


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2026, 12, 21), date(2026, 12, 30), 5),
        (date(2026, 12, 30), date(2026, 12, 21), -5),
        (date(2026, 3, 9), date(2026, 3, 9), 0),
        (date(2026, 3, 6), date(2026, 3, 9), 1),  # Friday to Monday
        (date(2026, 3, 9), date(2026, 3, 6), -1),  # Monday back to Friday
        (date(2026, 3, 7), date(2026, 3, 8), 0),  # Saturday to Sunday
        (date(2026, 3, 7), date(2026, 3, 9), 1),  # Saturday to Monday
        # Counting back counts the working days in [end, start): on Saturday, a deadline that
        # fell on Friday is overdue by one working day, not "due today".
        (date(2026, 3, 7), date(2026, 3, 6), -1),
        (date(2026, 4, 6), date(2026, 4, 2), -1),  # Easter Monday, due the Thursday before
        (date(2025, 12, 31), date(2026, 12, 31), 253),  # 2026: 261 weekdays less 8 bank holidays
    ],
)
def test_count_between_is_positive_ahead_negative_behind_and_zero_on_the_day(start, end, expected):
    assert CAL.count_between(start, end) == expected


START_DATES = [date(2025, 11, 1) + timedelta(days=i) for i in range(450)]


@pytest.mark.parametrize("n", [0, 1, 2, 5, 7, 15, 30, 260])
def test_count_between_undoes_add_from_any_start(n):
    for start in START_DATES:
        assert CAL.count_between(start, CAL.add(start, n)) == n, start


@pytest.mark.parametrize("n", [1, 2, 5, 7, 15, 30])
def test_count_between_undoes_subtract_from_any_start(n):
    for start in START_DATES:
        assert CAL.count_between(start, CAL.subtract(start, n)) == -n, start


def test_a_past_working_day_is_never_counted_as_due_today():
    for today in START_DATES[::3]:
        for due in filter(CAL.is_working_day, START_DATES):
            if due < today:
                assert CAL.count_between(today, due) < 0, (today, due)


def test_count_between_agrees_with_walking_day_by_day():
    cal = WorkingCalendar([date(2026, 2, 16), date(2026, 12, 29)])
    start = date(2025, 10, 31)
    walked = 0
    for end in START_DATES:
        walked += cal.is_working_day(end)
        assert cal.count_between(start, end) == walked, end


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        (date(2026, 3, 5), date(2026, 3, 6)),  # Thursday
        (date(2026, 3, 6), date(2026, 3, 9)),  # Friday
        (date(2026, 3, 7), date(2026, 3, 9)),  # Saturday
        (date(2026, 4, 2), date(2026, 4, 7)),  # before Easter
        (date(2026, 12, 31), date(2027, 1, 4)),  # before New Year's Day
    ],
)
def test_next_working_day_is_the_first_working_day_after(start, expected):
    assert CAL.next_working_day(start) == expected


@pytest.mark.parametrize(
    ("days", "wording"),
    [
        (0, "due today"),
        (1, "due in 1 working day"),
        (5, "due in 5 working days"),
        (-1, "overdue by 1 working day"),
        (-3, "overdue by 3 working days"),
    ],
)
def test_describe_countdown_wording(days, wording):
    assert describe_countdown(days) == wording


def test_calendar_loads_closure_days_in_one_query(db, django_assert_num_queries):
    ClosureDay.objects.create(date=date(2026, 12, 29), reason="Council closure")
    ClosureDay.objects.create(date=date(2026, 12, 30), reason="Council closure")

    with django_assert_num_queries(1):
        cal = calendar()

    assert cal.closures == frozenset({date(2026, 12, 29), date(2026, 12, 30)})


def test_a_calendar_passed_around_answers_without_the_database(db, django_assert_num_queries):
    ClosureDay.objects.create(date=date(2026, 12, 29), reason="Council closure")
    cal = calendar()
    today = date(2026, 12, 21)

    with django_assert_num_queries(0):
        countdowns = [
            working_days_between(today, add_working_days(start, 15, cal), cal)
            for start in START_DATES
        ]
        assert is_working_day(today, cal)
        assert subtract_working_days(today, 1, cal) == date(2026, 12, 18)

    assert countdowns[0] < 0 < countdowns[-1]
    assert add_working_days(today, 5, cal) == date(2026, 12, 31)
