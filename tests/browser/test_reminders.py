"""Browser journey: the partnership manager gets reminders in the notification centre, reads
them, looks at what is due and what was sent, changes the reminder settings and chooses a daily
digest. Every page is checked with axe."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from lcspr.core.working_days import calendar
from lcspr.reminders import clocks
from lcspr.reminders.clocks import Due, register_clock
from lcspr.reminders.models import ReminderSettings
from lcspr.reminders.services import scan

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def clock(monkeypatch):
    monkeypatch.setattr(clocks, "_providers", {})
    items: list[Due] = []
    register_clock("test_deadlines", lambda today: list(items))
    return items


def test_the_manager_reads_reminders_and_manages_them(
    browser, manager, subgroup_member, password, clock
):
    today = timezone.localdate()
    cal = calendar()
    clock.append(
        Due(
            key="deadline:1",
            title="Send the rapid review to the National Panel",
            due_date=cal.add(today, 1),
            url="/reviews/1/",
            responsible=(manager.pk,),
            review_label="CSPR-2026-004 (Child T)",
            kind="Statutory deadline",
        )
    )
    clock.append(
        Due(
            key="deadline:2",
            title="Tell Ofsted of the LCSPR",
            due_date=cal.add(today, -7),
            url="/reviews/1/",
            responsible=(manager.pk,),
            review_label="CSPR-2026-004 (Child T)",
            kind="Statutory deadline",
            extra={"daily": True},
        )
    )
    assert scan(today) == 2

    browser.sign_in(manager, password)
    page = browser.page
    expect(page.get_by_role("link", name="Notifications 2 unread")).to_be_visible()

    browser.click("Notifications 2 unread", role="link")
    expect(page.get_by_role("heading", name="Notifications", level=1)).to_be_visible()
    expect(
        page.get_by_role("link", name="Send the rapid review to the National Panel")
    ).to_be_visible()
    browser.click("Mark “Tell Ofsted of the LCSPR” as read")
    expect(page.get_by_text("“Tell Ofsted of the LCSPR” marked as read.")).to_be_visible()
    expect(page.get_by_role("link", name="Notifications 1 unread")).to_be_visible()
    browser.click("Mark all as read")
    expect(page.get_by_role("link", name="Notifications", exact=True)).to_be_visible()

    browser.click("Reminders", role="link")
    expect(page.get_by_role("heading", name="What is due")).to_be_visible()
    expect(page.locator("strong.govuk-tag--red")).to_contain_text("Overdue by")
    page.get_by_label("Only overdue items").check()
    browser.click("Apply filters")
    expect(page.get_by_role("link", name="Tell Ofsted of the LCSPR")).to_be_visible()
    expect(
        page.get_by_role("link", name="Send the rapid review to the National Panel")
    ).to_have_count(0)

    browser.click("Sent reminders", role="link")
    expect(page.get_by_role("heading", name="Sent reminders", level=1)).to_be_visible()
    expect(page.get_by_text("E-mail queued")).to_have_count(2)

    browser.click("Reminder settings", role="link")
    browser.fill("Working days before the due date to send a reminder", "5, soon")
    browser.click("Save reminder settings")
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    browser.fill("Working days before the due date to send a reminder", "10, 3, 1")
    page.get_by_label("Chair of the LCSPR sub-group").select_option(label="Sam Subgroup")
    browser.click("Save reminder settings")
    expect(page.get_by_text("Reminder settings saved.")).to_be_visible()
    rules = ReminderSettings.load()
    assert (rules.days_before, rules.subgroup_chair) == ("10,3,1", subgroup_member)

    browser.goto("/notifications/")
    browser.click("choose how you get reminders by e-mail", role="link")
    page.get_by_label("One e-mail a day listing all my reminders").check()
    browser.click("Save")
    expect(page.get_by_text("How you get reminders by e-mail has been saved.")).to_be_visible()
    manager.refresh_from_db()
    assert manager.reminder_delivery == "digest"
