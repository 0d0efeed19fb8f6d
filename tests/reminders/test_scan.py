"""The daily scan: each reminder goes out once (a sent-log row, a notification, an e-mail or a
place in the digest), overdue items climb the escalation chain, a missed day is caught up, and
no e-mail carries case detail beyond the reference and pseudonym."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command

from lcspr.accounts.models import ReminderDelivery, Role
from lcspr.core.models import OutboundEmail
from lcspr.notifications.models import InAppNotification
from lcspr.reminders import clocks, services
from lcspr.reminders.clocks import Due, register_clock
from lcspr.reminders.digests import send_digests
from lcspr.reminders.models import ReminderSettings, ScanRun, SentReminder
from lcspr.reminders.rules import (
    INDEPENDENT_CHAIR_ROLE,
    MANAGER_ROLE,
    SUBGROUP_MEMBER_ROLE,
    recipients_for,
)
from lcspr.reminders.services import reminder_settings_update, scan
from lcspr.reminders.tasks import catch_up_scan
from tests.factories import UserFactory

D = datetime.date
UTC = datetime.UTC
DUE = D(2026, 3, 11)  # a Wednesday
SECRET = "Jordan Fictional-Familyname"  # case detail a provider must never get into a reminder


@pytest.fixture
def clock(db, monkeypatch):
    """A test-only clock: append Due items to the list it returns. The registry is restored
    afterwards, so the test clock is removed and the apps' clocks come back."""
    monkeypatch.setattr(clocks, "_providers", {})
    items: list[Due] = []
    register_clock("test_clock", lambda today: list(items))
    return items


@pytest.fixture
def owner(db):
    return UserFactory(full_name="Olivia Owner", email="olivia@example.org")


def item(owner, **fields) -> Due:
    return Due(
        **{
            "key": "test:1",
            "title": "Send the agency summary",
            "due_date": DUE,
            "url": "/reviews/7/",
            "responsible": (owner.pk,),
            "review_label": "CSPR-2026-004 (Child T)",
            "review_id": 7,
            "kind": "Test item",
            "extra": {"detail": SECRET},
            **fields,
        }
    )


def sent(**filters):
    return list(
        SentReminder.objects.filter(**filters)
        .order_by("created_at", "pk")
        .values_list("threshold", "recipient__full_name", "level")
    )


# --- once, and only once ------------------------------------------------------------------------


def test_the_first_scan_sends_a_reminder_and_a_second_on_the_same_day_sends_nothing(clock, owner):
    clock.append(item(owner))

    first = scan(D(2026, 3, 4))  # 5 working days before
    second = scan(D(2026, 3, 4))

    assert (first, second) == (1, 0)
    reminder = SentReminder.objects.get()
    assert (reminder.threshold, reminder.recipient, reminder.provider) == (
        "before-5",
        owner,
        "test_clock",
    )
    assert InAppNotification.objects.filter(recipient=owner).count() == 1
    assert reminder.notification.title == "Send the agency summary"
    assert OutboundEmail.objects.filter(kind="reminder", recipient=owner).count() == 1
    assert reminder.email.to == "olivia@example.org"


def test_each_threshold_is_sent_once_as_the_days_pass(clock, owner):
    clock.append(item(owner))

    for day in range(2, 20):  # 2 to 19 March 2026, weekends included
        scan(D(2026, 3, day))
        scan(D(2026, 3, day))

    assert [threshold for threshold, *_ in sent()] == [
        "before-5",
        "before-1",
        "due",
        "overdue-1",
        "overdue-2",
    ]
    assert InAppNotification.objects.count() == 5
    assert OutboundEmail.objects.filter(kind="reminder").count() == 5


def test_a_reminder_another_worker_recorded_first_is_not_sent_again(clock, owner, monkeypatch):
    # Two workers scanning at once both find the reminder unsent; the unique key lets only the
    # first record it, and the second sends nothing (no notification, no e-mail).
    clock.append(item(owner))
    scan(D(2026, 3, 4))
    monkeypatch.setattr(services, "_already_sent", lambda keys: set())

    assert scan(D(2026, 3, 4)) == 0
    assert SentReminder.objects.count() == 1
    assert InAppNotification.objects.count() == 1
    assert OutboundEmail.objects.count() == 1


def test_a_new_due_date_starts_the_thresholds_again(clock, owner):
    clock.append(item(owner))
    scan(D(2026, 3, 11))
    clock[0] = item(owner, due_date=D(2026, 3, 18))  # the date was moved

    scan(D(2026, 3, 11))

    assert [
        (t, d) for t, d in SentReminder.objects.order_by("pk").values_list("threshold", "due_date")
    ] == [
        ("due", D(2026, 3, 11)),
        ("before-5", D(2026, 3, 18)),
    ]


def test_nothing_is_sent_before_the_first_threshold_or_to_someone_who_has_left(clock, owner):
    gone = UserFactory(full_name="Gale Gone", is_active=False)
    clock.append(item(owner, responsible=(owner.pk, gone.pk)))

    assert scan(D(2026, 3, 3)) == 0  # 6 working days before
    assert scan(D(2026, 3, 4)) == 1
    assert sent() == [("before-5", "Olivia Owner", 0)]


# --- escalation ---------------------------------------------------------------------------------


@pytest.fixture
def chain(db):
    manager = UserFactory(full_name="Morgan Manager", roles=[Role.PARTNERSHIP_MANAGER])
    chair = UserFactory(full_name="Sasha Subgroupchair", roles=[Role.SUBGROUP_MEMBER])
    independent = UserFactory(full_name="Indira Chair", roles=[Role.INDEPENDENT_CHAIR])
    UserFactory(full_name="Ex Chair", roles=[Role.INDEPENDENT_CHAIR], is_active=False)
    reminder_settings_update(by=manager, subgroup_chair=chair)
    return manager, chair, independent


# Overdue periods of a Wednesday 11 March 2026 due date: every 5 working days from Thursday
# 12 March.
WEEKS = {
    1: D(2026, 3, 12),
    2: D(2026, 3, 19),
    3: D(2026, 3, 26),
    4: D(2026, 4, 2),
    5: D(2026, 4, 13),  # not the 9th: Good Friday and Easter Monday are not working days
}


def test_an_overdue_item_climbs_the_chain_one_step_a_week(clock, owner, chain):
    clock.append(item(owner))
    by_week = {}
    for week, day in WEEKS.items():
        before = SentReminder.objects.count()
        scan(day)
        by_week[week] = sorted(
            SentReminder.objects.order_by("pk")[before:].values_list(
                "recipient__full_name", "level"
            )
        )

    assert by_week == {
        1: [("Olivia Owner", 0)],
        2: [("Morgan Manager", 1), ("Olivia Owner", 0)],
        3: [("Morgan Manager", 1), ("Olivia Owner", 0), ("Sasha Subgroupchair", 2)],
        4: [
            ("Indira Chair", 3),
            ("Morgan Manager", 1),
            ("Olivia Owner", 0),
            ("Sasha Subgroupchair", 2),
        ],
        5: [
            ("Indira Chair", 3),
            ("Morgan Manager", 1),
            ("Olivia Owner", 0),
            ("Sasha Subgroupchair", 2),
        ],
    }


def test_escalation_waits_for_the_set_number_of_overdue_reminders(clock, owner, chain):
    manager, *_ = chain
    reminder_settings_update(by=manager, escalate_after=2)
    due = item(owner)

    people = {
        week: set(recipients_for(due, f"overdue-{week}", ReminderSettings.load()).values())
        for week in (1, 2, 3, 5, 7)
    }

    assert people == {1: {0}, 2: {0}, 3: {0, 1}, 5: {0, 1, 2}, 7: {0, 1, 2, 3}}


def test_an_informative_item_reminds_only_the_responsible_people(clock, owner, chain):
    clock.append(item(owner, escalates=False, title="Consider taking the report down"))

    for day in WEEKS.values():
        scan(day)

    assert {name for _, name, _ in sent()} == {"Olivia Owner"}


def test_without_a_named_sub_group_chair_that_step_is_skipped(clock, owner, chain):
    manager, *_ = chain
    reminder_settings_update(by=manager, subgroup_chair=None)
    clock.append(item(owner))

    scan(WEEKS[4])

    assert sorted(sent()) == [
        ("overdue-4", "Indira Chair", 3),
        ("overdue-4", "Morgan Manager", 1),
        ("overdue-4", "Olivia Owner", 0),
    ]


def test_someone_both_responsible_and_in_the_chain_is_told_once(clock, chain):
    manager, *_ = chain
    clock.append(item(manager))

    scan(WEEKS[2])

    assert sent() == [("overdue-2", "Morgan Manager", 0)]


def test_a_daily_item_is_reminded_every_working_day_until_done(clock, chain):
    manager, *_ = chain
    clock.append(
        item(manager, key="deadline:9", title="Tell Ofsted of the LCSPR", extra={"daily": True})
    )

    days = [D(2026, 3, day) for day in range(2, 17)]  # 2 to 16 March, two weekends
    sent_on = {day: scan(day) for day in days}

    working = {day for day in days if day.weekday() < 5 and day >= D(2026, 3, 4)}
    assert {day for day, count in sent_on.items() if count} == working
    clock.clear()  # recorded: the provider no longer lists it
    assert scan(D(2026, 3, 17)) == 0


# --- channels -----------------------------------------------------------------------------------


def test_the_reminder_e_mail_says_what_when_and_where_but_no_case_detail(clock, owner, settings):
    clock.append(item(owner))

    scan(D(2026, 3, 10))

    email = OutboundEmail.objects.get(kind="reminder")
    assert email.subject == (
        "Reminder: Send the agency summary – CSPR-2026-004 (Child T) – due in 1 working day"
    )
    link = f"{settings.SITE_URL}/reviews/7/"
    for body in (email.body_text, email.body_html):
        assert "Send the agency summary" in body
        assert "CSPR-2026-004 (Child T)" in body
        assert "11 March 2026" in body
        assert "due in 1 working day" in body
        assert link in body
        assert f"{settings.SITE_URL}/account/notifications/" in body
        assert SECRET not in body
    assert SECRET not in email.subject
    notification = InAppNotification.objects.get()
    assert notification.body == "CSPR-2026-004 (Child T). Due 11 March 2026: due in 1 working day."
    assert notification.url == "/reviews/7/"


def test_a_scan_on_a_saturday_counts_the_countdown_from_that_day(clock, owner):
    # The scan missed Friday (the broker was down); Saturday's catch-up sends Friday's reminder,
    # and says what every page says on Saturday about a Thursday deadline.
    clock.append(item(owner, due_date=D(2026, 3, 12)))

    scan(D(2026, 3, 14))

    assert sent() == [("overdue-1", "Olivia Owner", 0)]
    assert "overdue by 2 working days" in OutboundEmail.objects.get().subject


def test_an_escalated_e_mail_says_why_it_came(clock, owner, chain):
    clock.append(item(owner))

    scan(WEEKS[4])

    independent = OutboundEmail.objects.get(recipient__full_name="Indira Chair")
    assert "This is overdue, so it has been sent to you too, as Independent Chair." in (
        independent.body_text
    )
    assert "overdue by 16 working days" in independent.subject
    own = OutboundEmail.objects.get(recipient=owner)
    assert "sent to you too" not in own.body_text


def test_a_digest_user_gets_notifications_at_once_and_one_e_mail_a_day(clock, owner):
    digest = UserFactory(
        full_name="Dee Digest", email="dee@example.org", reminder_delivery=ReminderDelivery.DIGEST
    )
    clock.append(item(digest, key="test:1", title="Send the agency summary"))
    clock.append(
        item(digest, key="test:2", title="Submit the police chronology", due_date=D(2026, 3, 5))
    )
    clock.append(item(owner, key="test:3"))

    scan(D(2026, 3, 4))

    assert InAppNotification.objects.filter(recipient=digest).count() == 2
    assert not OutboundEmail.objects.filter(recipient=digest).exists()
    assert OutboundEmail.objects.filter(recipient=owner).count() == 1

    assert send_digests(D(2026, 3, 4)) == 1
    assert send_digests(D(2026, 3, 4)) == 0  # a second run sends nothing

    email = OutboundEmail.objects.get(recipient=digest)
    assert email.kind == "reminder_digest"
    assert email.subject == "Your reminders for 4 March 2026: 2 items"
    text = email.body_text
    assert text.index("Submit the police chronology") < text.index("Send the agency summary")
    assert "due in 1 working day" in text and "due in 5 working days" in text
    assert SECRET not in text and SECRET not in email.body_html
    assert set(SentReminder.objects.filter(recipient=digest).values_list("email", flat=True)) == {
        email.pk
    }
    assert not SentReminder.objects.filter(recipient=digest, digest_sent_at__isnull=True).exists()

    scan(D(2026, 3, 5))  # the next day's reminders go in the next digest
    assert send_digests(D(2026, 3, 5)) == 1
    assert OutboundEmail.objects.filter(recipient=digest).count() == 2


def test_a_user_without_an_e_mail_address_still_gets_the_notification(clock, db):
    person = UserFactory(full_name="No Mail")
    person.email = ""
    person.save()
    clock.append(item(person))

    assert scan(D(2026, 3, 4)) == 1
    assert InAppNotification.objects.filter(recipient=person).exists()
    assert not OutboundEmail.objects.exists()


# --- failures, catch-up and the command ---------------------------------------------------------


def test_a_failing_clock_does_not_stop_the_others_and_the_day_is_retried(clock, owner, monkeypatch):
    def broken(today):
        raise RuntimeError("the clock's table is missing")

    register_clock("broken_clock", broken)
    clock.append(item(owner))

    with time_machine.travel(datetime.datetime(2026, 3, 4, 6, tzinfo=UTC), tick=False):
        assert catch_up_scan.apply().get() == 1

    run = ScanRun.objects.get()
    assert (run.finished_at, run.errors, run.created) == (None, "broken_clock", 1)
    clocks.unregister_clock("broken_clock")
    with time_machine.travel(datetime.datetime(2026, 3, 4, 6, 25, tzinfo=UTC), tick=False):
        assert catch_up_scan.apply().get() == 0  # the day is scanned again; nothing new
    run.refresh_from_db()
    assert run.finished_at is not None and run.errors == "" and run.runs == 2


@pytest.mark.parametrize(
    "now, runs_before, scans",
    [
        (datetime.datetime(2026, 3, 4, 5, 55, tzinfo=UTC), [D(2026, 3, 3)], False),  # not yet
        (datetime.datetime(2026, 3, 4, 6, 5, tzinfo=UTC), [D(2026, 3, 3)], True),  # missed
        (datetime.datetime(2026, 3, 4, 9, 35, tzinfo=UTC), [D(2026, 3, 4)], False),  # done
        (datetime.datetime(2026, 3, 4, 0, 35, tzinfo=UTC), [D(2026, 3, 2)], True),  # yesterday's
        (datetime.datetime(2026, 3, 4, 0, 45, tzinfo=UTC), [D(2026, 3, 4)], False),  # caught up
    ],
)
def test_the_catch_up_runs_the_scan_only_when_the_last_scheduled_one_is_missing(
    clock, owner, now, runs_before, scans
):
    for day in runs_before:
        ScanRun.objects.create(date=day, finished_at=datetime.datetime(2026, 3, 1, tzinfo=UTC))
    clock.append(item(owner))

    with time_machine.travel(now, tick=False):
        catch_up_scan.apply()

    assert ScanRun.objects.filter(date=D(2026, 3, 4), runs=1).exists() == scans


def test_the_catch_up_leaves_alone_a_scan_that_is_running(clock, owner):
    ScanRun.objects.create(
        date=D(2026, 3, 4), started_at=datetime.datetime(2026, 3, 4, 6, 0, tzinfo=UTC)
    )
    clock.append(item(owner))

    with time_machine.travel(datetime.datetime(2026, 3, 4, 6, 2, tzinfo=UTC), tick=False):
        assert catch_up_scan.apply().get() == 0
    # Not heard from for more than three minutes: it died, and the catch-up takes over within
    # minutes of the crash, not twenty.
    with time_machine.travel(datetime.datetime(2026, 3, 4, 6, 4, tzinfo=UTC), tick=False):
        assert catch_up_scan.apply().get() == 1


def test_a_long_scan_that_keeps_its_heartbeat_is_left_alone_and_a_silent_one_is_rerun(clock, owner):
    started = datetime.datetime(2026, 3, 4, 6, 0, tzinfo=UTC)
    run = ScanRun.objects.create(
        date=D(2026, 3, 4), started_at=started, heartbeat_at=started + datetime.timedelta(minutes=9)
    )
    clock.append(item(owner))

    with time_machine.travel(started + datetime.timedelta(minutes=10), tick=False):
        assert catch_up_scan.apply().get() == 0  # long, but alive a minute ago
    with time_machine.travel(started + datetime.timedelta(minutes=13), tick=False):
        assert catch_up_scan.apply().get() == 1  # silent for four minutes: killed
    run.refresh_from_db()
    assert run.finished_at is not None
    assert run.heartbeat_at == started + datetime.timedelta(minutes=13)


def test_the_command_runs_the_scan_and_a_second_run_sends_nothing(clock, owner, capsys):
    clock.append(item(owner))

    call_command("scan_reminders", "--date", "2026-03-04")
    call_command("scan_reminders", "--date", "2026-03-04")

    out = capsys.readouterr().out
    assert "Reminder scan of 2026-03-04: 1 reminders sent." in out
    assert "Reminder scan of 2026-03-04: 0 reminders sent." in out
    assert SentReminder.objects.count() == 1


# --- settings and wiring ------------------------------------------------------------------------


def test_the_settings_keep_days_before_in_order_and_refuse_bad_values(db, owner):
    rules = reminder_settings_update(by=owner, days_before=" 1, 5 ,5")
    assert rules.days_before == "5,1"
    assert rules.history.latest().history_user == owner

    with pytest.raises(ValidationError) as error:
        reminder_settings_update(by=owner, days_before="5, soon")
    assert error.value.message_dict["days_before"] == [
        "Working days before the due date must be whole numbers separated by commas, "
        "for example 5, 1"
    ]
    with pytest.raises(ValidationError) as error:
        reminder_settings_update(by=owner, scan_hour_utc=23)
    assert "scan_hour_utc" in error.value.message_dict
    assert ReminderSettings.load().scan_hour_utc == 6


def test_the_escalation_roles_are_partnership_roles():
    assert {MANAGER_ROLE, INDEPENDENT_CHAIR_ROLE, SUBGROUP_MEMBER_ROLE} <= set(Role.values)
