"""End to end with the demo partnership: the daily scan over every app's
clocks puts the expected reminders in the notification centre and the e-mail outbox, and a
second run the same day sends nothing new.

The demo counts its dates back from "today", so the test seeds it on a fixed day: Tuesday
9 June 2026."""

import datetime
import io

import pytest
import time_machine
from django.core.management import call_command

from lcspr.accounts.demo import demo_email
from lcspr.accounts.models import User
from lcspr.core.models import OutboundEmail
from lcspr.notifications.models import InAppNotification
from lcspr.reminders.models import SentReminder
from lcspr.reminders.selectors import due_items
from lcspr.reminders.services import scan

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 9)
HOSPITALS = "Northbridge Hospitals NHS Trust"


@pytest.fixture
def demo():
    with time_machine.travel(datetime.datetime(2026, 6, 9, 8, tzinfo=datetime.UTC), tick=False):
        call_command("seed_demo", stdout=io.StringIO())
        yield {p: User.objects.get(email=demo_email(p)) for p in ("manager", "health.rep")}


def _titles(user) -> set[str]:
    return set(InAppNotification.objects.filter(recipient=user).values_list("title", flat=True))


def _log():
    return set(
        SentReminder.objects.values_list("provider", "key", "due_date", "threshold", "recipient_id")
    )


def test_the_scan_of_the_demo_sends_the_expected_reminders_once(demo, client):
    manager, health_rep = demo["manager"], demo["health.rep"]

    sent = scan(TODAY)

    # The partnership manager hears of the statutory clocks falling due and overdue, and of an
    # overdue action escalated to them.
    assert {
        "Notify the National Panel",  # Child A's referral, due in 2 working days
        "Inform the safeguarding partners",
        "Send the rapid review to the National Panel",  # Child C's, overdue
        "Tell the DfE an LCSPR will take place",  # Child E's, reminded daily
        "Tell Ofsted an LCSPR will take place",
    } <= _titles(manager)
    # Child H's overdue action, escalated, named as every page names it.
    overdue_action = next(t for t in _titles(manager) if t.startswith("Complete CSPR-"))
    assert "/A2: " in overdue_action
    # The hospital's representative hears of what their agency owes.
    assert {
        f"Send the {HOSPITALS} summary for the rapid review",
        overdue_action,
    } <= _titles(health_rep)
    escalated = SentReminder.objects.get(recipient=manager, title=overdue_action)
    assert escalated.level == 1  # brought in as the partnership manager

    # Every item that reached a threshold today went to each person responsible for it.
    for row in due_items(TODAY):
        if row.threshold is not None:
            for pk in row.due.responsible:
                assert SentReminder.objects.filter(
                    key=row.due.key, threshold=row.threshold, recipient_id=pk
                ).exists(), (row.due.title, row.threshold)

    # One notification and one e-mail in the outbox per reminder (the demo people want them
    # straight away), with no case detail beyond the reference and pseudonym.
    reminders = list(SentReminder.objects.select_related("email", "notification", "recipient"))
    assert sent == len(reminders) >= 8
    assert InAppNotification.objects.count() == len(reminders)
    assert OutboundEmail.objects.filter(kind="reminder").count() == len(reminders)
    for reminder in reminders:
        assert reminder.notification.recipient == reminder.recipient
        assert reminder.email.to == reminder.recipient.email
        assert reminder.review_label in reminder.email.subject

    # The notification centre shows them, with the unread count in the header.
    client.force_login(manager)
    page = client.get("/notifications/").content.decode()
    assert "Notify the National Panel" in page
    assert "CSPR-2026-001 (Child A)" in page
    unread = InAppNotification.objects.filter(recipient=manager, read_at__isnull=True).count()
    assert f'{unread}<span class="govuk-visually-hidden"> unread</span>' in page

    # The same day again: nothing new.
    log = _log()
    assert scan(TODAY) == 0
    assert _log() == log
    assert OutboundEmail.objects.filter(kind="reminder").count() == len(reminders)


def test_the_next_working_day_repeats_only_the_daily_national_notices(demo):
    manager = demo["manager"]
    scan(TODAY)

    scan(TODAY + datetime.timedelta(days=1))

    def times(title):
        return SentReminder.objects.filter(recipient=manager, title=title).count()

    assert times("Tell the DfE an LCSPR will take place") == 2  # every working day until done
    assert times("Send the rapid review to the National Panel") == 1  # weekly once overdue
