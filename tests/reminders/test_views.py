"""The partnership manager's reminder pages: what is due across all reviews, the sent-log with
each e-mail's delivery status (failures stand out), and the reminder settings. Managers only."""

import datetime
from html import unescape

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from lcspr.accounts.models import Role
from lcspr.core.models import OutboundEmail
from lcspr.notifications.models import InAppNotification
from lcspr.reminders.clocks import Due, register_clock
from lcspr.reminders.models import ReminderSettings, SentReminder
from lcspr.reminders.services import scan
from tests.factories import UserFactory
from tests.helpers import assert_constant_queries, two_editors

D = datetime.date
TODAY = D(2026, 3, 11)  # a Wednesday
DUE_URL = reverse("reminders:due")
SENT_URL = reverse("reminders:sent")
SETTINGS_URL = reverse("reminders:settings")
PAGES = [DUE_URL, SENT_URL, SETTINGS_URL]


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(datetime.datetime(2026, 3, 11, 10, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def clocks(db, monkeypatch):
    """Two test-only clocks, restored afterwards."""
    monkeypatch.setattr("lcspr.reminders.clocks._providers", {})
    deadlines: list[Due] = []
    actions: list[Due] = []
    register_clock("test_deadlines", lambda day: list(deadlines))
    register_clock("test_actions", lambda day: list(actions))
    return deadlines, actions


@pytest.fixture
def owner(db):
    return UserFactory(full_name="Olivia Owner", email="olivia@example.org")


def due(owner, n, *, due_date, title=None, kind="Statutory deadline"):
    return Due(
        key=f"test:{kind}:{n}",
        title=title or f"Item {n}",
        due_date=due_date,
        url=f"/reviews/{n}/",
        responsible=(owner.pk,),
        review_label=f"CSPR-2026-{n:03} (Child {chr(65 + n % 26)})",
        review_id=n,
        kind=kind,
    )


@pytest.fixture
def signed_in_manager(client, manager):
    client.force_login(manager)
    return client


# --- who may see them ---------------------------------------------------------------------------


@pytest.mark.parametrize("url", PAGES)
def test_a_partnership_manager_sees_each_page(signed_in_manager, clocks, url):
    assert signed_in_manager.get(url).status_code == 200


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize(
    "persona", ["independent_chair", "subgroup_member", "agency_author", "partner_lead", "outsider"]
)
def test_everyone_else_signed_in_is_refused(client, clocks, request, persona, url):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(url).status_code == 403


@pytest.mark.parametrize("url", PAGES)
def test_an_anonymous_visitor_is_sent_to_sign_in(client, db, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("url", [DUE_URL, SENT_URL])
def test_the_lists_refuse_a_post(signed_in_manager, clocks, url):
    assert signed_in_manager.post(url).status_code == 405


def test_the_settings_refuse_a_put(signed_in_manager):
    assert signed_in_manager.put(SETTINGS_URL).status_code == 405


def test_only_a_manager_has_the_reminders_link(client, manager, subgroup_member):
    client.force_login(manager)
    assert f'href="{DUE_URL}"' in client.get(reverse("core:home")).content.decode()
    client.force_login(subgroup_member)
    assert f'href="{DUE_URL}"' not in client.get(reverse("core:home")).content.decode()


# --- what is due --------------------------------------------------------------------------------


def test_the_manager_sees_every_open_item_with_its_working_days_left(
    signed_in_manager, clocks, owner
):
    deadlines, actions = clocks
    deadlines.append(due(owner, 1, due_date=D(2026, 3, 4), title="Notify the National Panel"))
    deadlines.append(due(owner, 2, due_date=TODAY, title="Send the rapid review"))
    actions.append(
        due(owner, 3, due_date=D(2026, 3, 16), title="Complete action A3", kind="Action")
    )

    body = signed_in_manager.get(DUE_URL).content.decode()

    first, second, third = (
        body.index("Notify the National Panel"),
        body.index("Send the rapid review"),
        body.index("Complete action A3"),
    )
    assert first < second < third
    assert "Overdue by 5 working days" in body
    assert "Due today" in body
    assert "Due in 3 working days" in body
    assert "CSPR-2026-001 (Child B)" in body
    assert "Olivia Owner" in body
    assert "Overdue, reminder 1" in body and "5 working days before" in body
    assert 'href="/reviews/3/"' in body
    assert "No scan has run yet" in body


def test_the_manager_filters_to_overdue_items_of_one_clock(signed_in_manager, clocks, owner):
    deadlines, actions = clocks
    deadlines.append(due(owner, 1, due_date=D(2026, 3, 4), title="Late deadline"))
    deadlines.append(due(owner, 2, due_date=D(2026, 3, 20), title="Future deadline"))
    actions.append(due(owner, 3, due_date=D(2026, 3, 2), title="Late action", kind="Action"))

    body = signed_in_manager.get(
        DUE_URL, {"overdue": "on", "clock": "test_deadlines"}
    ).content.decode()

    assert "Late deadline" in body
    assert "Future deadline" not in body and "Late action" not in body
    assert "Clear filters" in body


def test_an_unknown_clock_is_an_error_naming_the_field(signed_in_manager, clocks):
    body = signed_in_manager.get(DUE_URL, {"clock": "nonsense"}).content.decode()

    assert "There is a problem" in body
    assert "Select a clock from the list" in body


def test_a_clock_that_fails_is_reported_and_the_others_still_listed(
    signed_in_manager, clocks, owner
):
    deadlines, _ = clocks
    deadlines.append(due(owner, 1, due_date=TODAY, title="Still listed"))

    def broken(day):
        raise RuntimeError("boom")

    register_clock("broken_clock", broken)

    body = signed_in_manager.get(DUE_URL).content.decode()

    assert "Still listed" in body
    assert "The broken clock clock could not be read" in body


def test_the_due_list_runs_the_same_queries_however_many_items(signed_in_manager, clocks, owner):
    deadlines, actions = clocks
    deadlines.append(due(owner, 1, due_date=TODAY))

    def grow():
        for n in range(2, 40):
            person = UserFactory()
            target = deadlines if n % 2 else actions
            target.append(
                Due(
                    key=f"grow:{n}",
                    title=f"Grown {n}",
                    due_date=TODAY + datetime.timedelta(days=n),
                    url="/reviews/1/",
                    responsible=(person.pk, owner.pk),
                )
            )

    assert_constant_queries(signed_in_manager, DUE_URL, grow)


# --- the sent-log -------------------------------------------------------------------------------


def test_the_sent_log_shows_each_reminder_and_what_happened_to_its_e_mail(
    signed_in_manager, clocks, owner, independent_chair
):
    deadlines, _ = clocks
    deadlines.append(due(owner, 1, due_date=TODAY, title="Send the rapid review"))
    deadlines.append(due(owner, 2, due_date=D(2026, 3, 12), title="Notify Ofsted"))
    scan(TODAY)
    failed, sent = (
        SentReminder.objects.get(title="Send the rapid review").email,
        SentReminder.objects.get(title="Notify Ofsted").email,
    )
    failed.status, failed.attempts = OutboundEmail.Status.FAILED, 5
    failed.last_error = "SMTPServerDisconnected: Connection unexpectedly closed"
    failed.save()
    sent.status = OutboundEmail.Status.SENT
    sent.save()

    body = signed_in_manager.get(SENT_URL).content.decode()

    assert "1 reminder e-mail failed after the last try" in body
    assert 'govuk-tag--red">E-mail failed after 5 tries' in body
    assert "SMTPServerDisconnected" in body
    assert 'govuk-tag--green">E-mail sent' in body
    assert "Olivia Owner" in body and "On the due date" in body and "1 working day before" in body

    due_page = signed_in_manager.get(DUE_URL).content.decode()
    assert "1 reminder e-mail failed" in due_page
    assert f"{SENT_URL}?delivery=failed" in due_page


def test_the_sent_log_says_an_e_mail_being_sent_and_one_sent_again_after_an_interruption(
    signed_in_manager, clocks, owner
):
    deadlines, _ = clocks
    deadlines.append(due(owner, 1, due_date=TODAY, title="Send the rapid review"))
    deadlines.append(due(owner, 2, due_date=D(2026, 3, 12), title="Notify Ofsted"))
    scan(TODAY)
    sending = SentReminder.objects.get(title="Send the rapid review").email
    resent = SentReminder.objects.get(title="Notify Ofsted").email
    sending.status, sending.attempted_at = OutboundEmail.Status.SENDING, timezone.now()
    sending.save()
    resent.status, resent.resent_after_interruption = OutboundEmail.Status.SENT, True
    resent.save()

    body = signed_in_manager.get(SENT_URL).content.decode()

    assert 'govuk-tag--blue">E-mail being sent' in body
    assert "Handed to the mail server at 10:00 on 11 Mar 2026." in body
    assert 'govuk-tag--green">E-mail sent' in body
    assert "Sent again after an attempt was interrupted, so it may have arrived twice" in body
    # The ones being sent can be picked out.
    only = signed_in_manager.get(SENT_URL, {"delivery": "sending"}).content.decode()
    assert "Send the rapid review" in only and "Notify Ofsted" not in only


def test_the_sent_log_filters_to_failed_e_mails(signed_in_manager, clocks, owner):
    deadlines, _ = clocks
    deadlines.append(due(owner, 1, due_date=TODAY, title="Send the rapid review"))
    deadlines.append(due(owner, 2, due_date=TODAY, title="Notify Ofsted"))
    scan(TODAY)
    OutboundEmail.objects.filter(subject__contains="rapid review").update(
        status=OutboundEmail.Status.FAILED
    )

    body = signed_in_manager.get(SENT_URL, {"delivery": "failed"}).content.decode()

    assert "Send the rapid review" in body
    assert "Notify Ofsted" not in body


def test_the_sent_log_shows_digest_and_escalated_reminders(signed_in_manager, clocks, db):
    deadlines, _ = clocks
    digest = UserFactory(full_name="Dee Digest", reminder_delivery="digest")
    deadlines.append(due(digest, 1, due_date=D(2026, 3, 3), title="Late item"))
    scan(TODAY)  # 6 working days overdue: the managers are told too

    body = signed_in_manager.get(SENT_URL).content.decode()

    assert "Waiting for the daily digest" in body
    assert "Escalation: the partnership managers" in body
    assert "Overdue, reminder 2" in body


def test_the_sent_log_runs_the_same_queries_however_many_reminders(
    signed_in_manager, clocks, owner
):
    deadlines, _ = clocks
    deadlines.append(due(owner, 1, due_date=TODAY))
    scan(TODAY)

    def grow():
        for n in range(2, 30):
            deadlines.append(due(UserFactory(), n, due_date=TODAY))
        scan(TODAY)

    assert_constant_queries(signed_in_manager, SENT_URL, grow)
    assert InAppNotification.objects.count() == 29


# --- settings -----------------------------------------------------------------------------------


def form(**changes):
    data = {
        "days_before": "5, 1",
        "remind_on_day": "True",
        "overdue_every_working_days": "5",
        "escalate_after": "1",
        "subgroup_chair": "",
        "scan_hour_utc": "6",
    }
    data.update(changes)
    return data


def test_the_manager_changes_the_reminder_settings(signed_in_manager, manager, subgroup_member):
    response = signed_in_manager.post(
        SETTINGS_URL,
        form(
            days_before="10,3",
            remind_on_day="False",
            escalate_after="2",
            subgroup_chair=str(subgroup_member.pk),
        ),
        follow=True,
    )

    assert response.redirect_chain == [(SETTINGS_URL, 302)]
    assert "Reminder settings saved." in response.content.decode()
    rules = ReminderSettings.load()
    assert (rules.days_before, rules.remind_on_day, rules.escalate_after) == ("10,3", False, 2)
    assert rules.subgroup_chair == subgroup_member
    assert rules.history.latest().history_user == manager


def test_the_settings_page_offers_only_sub_group_members_as_chair(
    signed_in_manager, subgroup_member, independent_chair
):
    body = signed_in_manager.get(SETTINGS_URL).content.decode()

    assert "Sam Subgroup" in body
    assert "Indira Chair" not in body
    assert "Nobody named" in body


@pytest.mark.parametrize(
    "changes, message, field",
    [
        (
            {"days_before": "5, soon"},
            "Working days before the due date must be whole numbers separated by commas",
            "days_before",
        ),
        (
            {"days_before": "90"},
            "Working days before the due date must each be between 1 and 60",
            "days_before",
        ),
        (
            {"scan_hour_utc": "23"},
            "Hour of the daily reminder scan (UTC) must be a whole number between 2 and 22",
            "scan_hour_utc",
        ),
        (
            {"overdue_every_working_days": "0"},
            "Working days between reminders once overdue must be a whole number between 1 and 60",
            "overdue_every_working_days",
        ),
        ({"remind_on_day": ""}, "Select yes if a reminder goes on the due date", "remind_on_day"),
    ],
)
def test_bad_settings_are_refused_with_a_message_naming_the_field(
    signed_in_manager, changes, message, field
):
    response = signed_in_manager.post(SETTINGS_URL, form(**changes))

    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body
    assert message in body
    assert f'id="id_{field}-error"' in body or f"id_{field}" in body
    assert ReminderSettings.load().days_before == "5,1"
    assert ReminderSettings.load().scan_hour_utc == 6


def test_reminder_settings_saved_over_newer_ones_are_refused(manager):
    colleague = UserFactory(full_name="Robin Reviewer", roles=[Role.PARTNERSHIP_MANAGER])
    first, second = two_editors(SETTINGS_URL, manager, colleague)
    first.form["days_before"] = "10,3"
    assert first.save(SETTINGS_URL).status_code == 302

    second.form["escalate_after"] = "3"
    page = second.save(SETTINGS_URL)
    assert page.status_code == 200
    html = unescape(page.content.decode())
    assert "Morgan Manager changed this at " in html
    assert "from “5,1” to “10,3”" in html
    assert "Your changes have not been saved." in html
    rules = ReminderSettings.load()
    assert (rules.days_before, rules.escalate_after) == ("10,3", 1)
