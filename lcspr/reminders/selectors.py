"""The reads of the manager's reminder pages: what is due across every clock, the sent-log and
the last scan."""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model

from lcspr.core.models import OutboundEmail
from lcspr.core.working_days import calendar
from lcspr.reminders.clocks import Due, ask_providers
from lcspr.reminders.models import ReminderSettings, ScanRun, SentReminder
from lcspr.reminders.rules import SUBGROUP_MEMBER_ROLE, is_daily, threshold_for


@dataclass(frozen=True)
class DueRow:
    """One open item as the manager's page shows it."""

    provider: str
    due: Due
    left: int
    threshold: str | None


def due_items(today: datetime.date, *, errors: list[str] | None = None) -> list[DueRow]:
    """Every open item of every clock, soonest first, with its working days left (each provider
    runs a fixed number of queries, so this does too)."""
    rules = ReminderSettings.load()
    cal = calendar()
    rows = []
    for name, items in ask_providers(today, errors):
        for due in items:
            rows.append(
                DueRow(
                    provider=name,
                    due=due,
                    left=cal.count_between(today, due.due_date),
                    threshold=threshold_for(due.due_date, today, cal, rules, daily=is_daily(due)),
                )
            )
    rows.sort(key=lambda row: (row.due.due_date, row.due.title, row.due.key))
    return rows


def failed_reminder_count() -> int:
    """Reminders whose e-mail failed after the last try (one COUNT query)."""
    return SentReminder.objects.filter(email__status=OutboundEmail.Status.FAILED).count()


DELIVERY_FILTERS = {
    "failed": {"email__status": OutboundEmail.Status.FAILED},
    "queued": {"email__status": OutboundEmail.Status.QUEUED},
    "sending": {"email__status": OutboundEmail.Status.SENDING},
    "sent": {"email__status": OutboundEmail.Status.SENT},
    "digest": {"channel": SentReminder.Channel.DIGEST, "digest_sent_at__isnull": True},
}


def sent_reminders(*, delivery: str = "", clock: str = ""):
    """The sent-log, newest first, with each recipient and e-mail; `delivery` is a key of
    DELIVERY_FILTERS, `clock` a provider's name."""
    reminders = SentReminder.objects.select_related("recipient", "email").order_by(
        "-created_at", "-pk"
    )
    if delivery:
        reminders = reminders.filter(**DELIVERY_FILTERS[delivery])
    if clock:
        reminders = reminders.filter(provider=clock)
    return reminders


def last_scan() -> ScanRun | None:
    """The most recent day's scan."""
    return ScanRun.objects.first()


def user_names(user_ids) -> dict[int, str]:
    """Full names of users by id, in one query."""
    if not user_ids:
        return {}
    return dict(get_user_model().objects.filter(pk__in=user_ids).values_list("pk", "full_name"))


def subgroup_members():
    """Active sub-group members, by name: who may chair the LCSPR sub-group."""
    return (
        get_user_model()
        .objects.filter(is_active=True, role_assignments__role=SUBGROUP_MEMBER_ROLE)
        .distinct()
        .order_by("full_name")
    )
