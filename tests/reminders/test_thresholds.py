"""Which reminder threshold an item has reached on a given day, in working days: weekends, bank
holidays (Christmas, Easter) and the clock changes neither move nor duplicate a reminder."""

import datetime

import pytest
import time_machine
from celery.schedules import crontab
from django.conf import settings as django_settings
from django.utils import timezone

from lcspr.core.working_days import WorkingCalendar
from lcspr.reminders.clocks import Due, register_clock
from lcspr.reminders.models import SCAN_HOURS, ReminderSettings, ScanRun, SentReminder
from lcspr.reminders.rules import describe_threshold, overdue_period, threshold_for
from lcspr.reminders.tasks import scan_reminders
from tests.factories import UserFactory

D = datetime.date
UTC = datetime.UTC
CAL = WorkingCalendar()  # bank holidays of England and Wales, no closure days


def rules(**fields) -> ReminderSettings:
    """Settings as a partnership might choose them (unsaved: the rules need no database)."""
    return ReminderSettings(**{"days_before": "5,1", "remind_on_day": True, **fields})


# Due Wednesday 11 March 2026 (an ordinary fortnight).
ORDINARY = [
    (D(2026, 3, 3), None),  # 6 working days ahead: nothing yet
    (D(2026, 3, 4), "before-5"),
    (D(2026, 3, 5), "before-5"),  # still the most urgent threshold crossed: nothing new
    (D(2026, 3, 9), "before-5"),
    (D(2026, 3, 10), "before-1"),
    (D(2026, 3, 11), "due"),
    (D(2026, 3, 12), "overdue-1"),
    (D(2026, 3, 18), "overdue-1"),  # 5 working days overdue
    (D(2026, 3, 19), "overdue-2"),  # 6: a week later
    (D(2026, 3, 26), "overdue-3"),
    (D(2026, 4, 2), "overdue-4"),
]

# Due Monday 16 March 2026: the weekend before it counts for nothing.
WEEKEND = [
    (D(2026, 3, 13), "before-1"),  # Friday
    (D(2026, 3, 14), "before-1"),  # Saturday: the same threshold, so nothing is sent twice
    (D(2026, 3, 15), "before-1"),  # Sunday
    (D(2026, 3, 16), "due"),
    (D(2026, 3, 21), "overdue-1"),  # the Saturday after: as Friday, 4 working days overdue
    (D(2026, 3, 23), "overdue-1"),  # Monday: 5 working days overdue
    (D(2026, 3, 24), "overdue-2"),  # Tuesday: 6, a week on
]

# Due on a Saturday (an action's due date can be any day): due on the working day before.
SATURDAY = [
    (D(2026, 3, 12), "before-1"),
    (D(2026, 3, 13), "due"),
    (D(2026, 3, 14), "due"),
    (D(2026, 3, 16), "due"),
    (D(2026, 3, 17), "overdue-1"),
]

# Due Tuesday 29 December 2026: Christmas Day (Friday) and the Boxing Day substitute (Monday
# 28th) are bank holidays, so Christmas Eve is 1 working day before.
CHRISTMAS = [
    (D(2026, 12, 22), "before-5"),
    (D(2026, 12, 23), "before-5"),
    (D(2026, 12, 24), "before-1"),
    (D(2026, 12, 25), "before-1"),
    (D(2026, 12, 26), "before-1"),
    (D(2026, 12, 28), "before-1"),
    (D(2026, 12, 29), "due"),
    (D(2027, 1, 5), "overdue-1"),  # 29, 30, 31 Dec, 1 Jan (holiday), 4, 5 Jan: 4 working days
    (D(2027, 1, 6), "overdue-1"),  # 5
    (D(2027, 1, 7), "overdue-2"),  # 6
]

# Due Tuesday 7 April 2026: Good Friday (3rd) and Easter Monday (6th) are bank holidays.
EASTER = [
    (D(2026, 4, 1), "before-5"),
    (D(2026, 4, 2), "before-1"),
    (D(2026, 4, 3), "before-1"),
    (D(2026, 4, 6), "before-1"),
    (D(2026, 4, 7), "due"),
]

# Due Maundy Thursday 2 April 2026: Good Friday and Easter Monday do not make it "overdue".
EASTER_OVERDUE = [
    (D(2026, 4, 2), "due"),
    (D(2026, 4, 3), "due"),
    (D(2026, 4, 6), "due"),
    (D(2026, 4, 7), "overdue-1"),
]


@pytest.mark.parametrize(
    "due_date, cases",
    [
        (D(2026, 3, 11), ORDINARY),
        (D(2026, 3, 16), WEEKEND),
        (D(2026, 3, 14), SATURDAY),
        (D(2026, 12, 29), CHRISTMAS),
        (D(2026, 4, 7), EASTER),
        (D(2026, 4, 2), EASTER_OVERDUE),
    ],
    ids=["ordinary", "weekend", "saturday", "christmas", "easter", "easter-overdue"],
)
def test_the_threshold_reached_each_day_counts_working_days(due_date, cases):
    reached = [(today, threshold_for(due_date, today, CAL, rules())) for today, _ in cases]

    assert reached == cases


# Daily items (the national notices, the pre-publication sending): one threshold per working day.
DAILY = [
    (D(2026, 3, 3), None),
    (D(2026, 3, 4), "before-5"),
    (D(2026, 3, 5), "before-4"),
    (D(2026, 3, 10), "before-1"),
    (D(2026, 3, 11), "due"),
    (D(2026, 3, 12), "overdue-1-day-1"),
    (D(2026, 3, 13), "overdue-1-day-2"),
    (D(2026, 3, 14), "overdue-1-day-2"),  # Saturday: nothing new
    (D(2026, 3, 16), "overdue-1-day-3"),
    (D(2026, 3, 19), "overdue-2-day-6"),
]


def test_a_daily_item_reaches_a_new_threshold_every_working_day_and_none_at_the_weekend():
    reached = [
        (today, threshold_for(D(2026, 3, 11), today, CAL, rules(), daily=True))
        for today, _ in DAILY
    ]

    assert reached == DAILY


@pytest.mark.parametrize(
    "fields, today, expected",
    [
        ({"remind_on_day": False}, D(2026, 3, 11), "before-1"),  # nothing new on the day
        ({"remind_on_day": False, "days_before": ""}, D(2026, 3, 11), None),
        ({"days_before": ""}, D(2026, 3, 10), None),
        ({"days_before": "10, 3"}, D(2026, 3, 2), "before-10"),  # 7 working days ahead
        ({"days_before": "10, 3"}, D(2026, 3, 6), "before-3"),
        ({"overdue_every_working_days": 1}, D(2026, 3, 13), "overdue-2"),  # daily once overdue
        ({"overdue_every_working_days": 10}, D(2026, 3, 25), "overdue-1"),  # 10 overdue
    ],
)
def test_the_partnership_settings_change_the_thresholds(fields, today, expected):
    assert threshold_for(D(2026, 3, 11), today, CAL, rules(**fields)) == expected


def test_a_closure_day_counts_as_a_day_off():
    # Thursday 12 March 2026 as a council closure day: Wednesday's due item is overdue by 1
    # only on Friday.
    cal = WorkingCalendar([D(2026, 3, 12)])

    assert threshold_for(D(2026, 3, 11), D(2026, 3, 12), cal, rules()) == "due"
    assert threshold_for(D(2026, 3, 11), D(2026, 3, 13), cal, rules()) == "overdue-1"


@pytest.mark.parametrize(
    "threshold, words, period",
    [
        ("before-5", "5 working days before", 0),
        ("before-1", "1 working day before", 0),
        ("due", "On the due date", 0),
        ("overdue-3", "Overdue, reminder 3", 3),
        ("overdue-2-day-7", "Overdue by 7 working days", 2),
    ],
)
def test_a_threshold_reads_as_words_in_the_sent_log(threshold, words, period):
    assert describe_threshold(threshold) == words
    assert overdue_period(threshold) == period


# --- the clock changes: Sunday 29 March 2026 (BST starts), Sunday 25 October 2026 (BST ends) ---


def test_the_beat_runs_the_scan_and_its_catch_up_in_utc_away_from_midnight():
    schedule = django_settings.CELERY_BEAT_SCHEDULE
    assert django_settings.CELERY_TIMEZONE == "UTC"
    scan = schedule["scan-reminders"]["schedule"]
    assert isinstance(scan, crontab)
    assert scan.hour == {6} and scan.minute == {0}
    assert ReminderSettings().scan_hour_utc == 6
    for entry in ("scan-reminders", "send-reminder-digests"):
        assert schedule[entry]["schedule"].hour.isdisjoint({23, 0, 1})
    assert schedule["catch-up-reminder-scan"]["task"] == "lcspr.core.tasks.catch_up_scan"


@pytest.mark.parametrize("day", [D(2026, 3, 29), D(2026, 10, 25)], ids=["spring", "autumn"])
def test_on_a_clock_change_day_every_allowed_scan_hour_falls_on_the_same_date_in_london(day):
    for hour in SCAN_HOURS:
        instant = datetime.datetime.combine(day, datetime.time(hour), tzinfo=UTC)
        assert timezone.localdate(instant) == day, f"{hour}:00 UTC"
    assert 23 not in SCAN_HOURS and 0 not in SCAN_HOURS and 1 not in SCAN_HOURS


@pytest.fixture
def one_item(db, monkeypatch):
    """A test-only clock with one item due on Monday 30 March 2026, the day after BST starts."""
    from lcspr.reminders import clocks

    monkeypatch.setattr(clocks, "_providers", {})
    person = UserFactory(full_name="Dana Duty")
    due = Due(
        key="test:dst",
        title="Send the test notice",
        due_date=D(2026, 3, 30),
        url="/reviews/1/",
        responsible=(person.pk,),
    )
    register_clock("test_clock", lambda today: [due])
    return person


@pytest.mark.parametrize(
    "days, expected",
    [
        # Friday to Tuesday around the spring change: the reminder due on Monday is not moved
        # to Sunday, and nothing goes twice.
        (
            [D(2026, 3, 27), D(2026, 3, 28), D(2026, 3, 29), D(2026, 3, 30), D(2026, 3, 31)],
            {
                D(2026, 3, 27): ["before-1"],
                D(2026, 3, 28): [],
                D(2026, 3, 29): [],
                D(2026, 3, 30): ["due"],
                D(2026, 3, 31): ["overdue-1"],
            },
        ),
    ],
)
def test_the_daily_scan_at_0600_utc_sends_the_same_reminders_across_the_spring_change(
    one_item, days, expected
):
    sent = {}
    for day in days:
        before = set(SentReminder.objects.values_list("threshold", flat=True))
        at = datetime.datetime.combine(day, datetime.time(6), tzinfo=UTC)
        with time_machine.travel(at, tick=False):
            scan_reminders.apply(kwargs={"scheduled": True})
        sent[day] = sorted(set(SentReminder.objects.values_list("threshold", flat=True)) - before)

    assert sent == expected
    assert list(ScanRun.objects.order_by("date").values_list("date", flat=True)) == days


def test_a_scan_run_twice_around_the_autumn_change_sends_once(one_item, monkeypatch):
    # On Sunday 25 October 2026 the clocks go back at 01:00 UTC: 00:30 UTC is 01:30 BST and
    # 01:30 UTC is 01:30 GMT, the same local time twice. Both runs belong to the 25th.
    from lcspr.reminders import clocks

    monkeypatch.setattr(clocks, "_providers", {})
    due = Due(
        key="test:autumn",
        title="Send the test notice",
        due_date=D(2026, 10, 23),
        url="/reviews/1/",
        responsible=(one_item.pk,),
    )
    register_clock("test_clock", lambda today: [due])

    for hour, minute in [(0, 30), (1, 30), (6, 0)]:
        at = datetime.datetime(2026, 10, 25, hour, minute, tzinfo=UTC)
        with time_machine.travel(at, tick=False):
            scan_reminders.apply()

    assert list(SentReminder.objects.values_list("threshold", flat=True)) == ["due"]
    run = ScanRun.objects.get()
    assert (run.date, run.runs, run.created) == (D(2026, 10, 25), 3, 1)
