"""Reminders of what is due: the daily scan and the partnership's reminder settings.

The one daily scan (lcspr.reminders.tasks.scan_reminders) asks every clock provider
(lcspr.reminders.clocks), works out which threshold each item has reached today in working days
(lcspr.reminders.rules), and records one SentReminder per (item, due date, threshold,
recipient): a unique key, so a second scan, a retried task or a second worker sends nothing new.
New rows become an in-app notification (never lost) and an e-mail through the outbox (retried
with backoff) or a place in the recipient's daily digest (lcspr.reminders.digests).
"""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from lcspr.core.exceptions import WorkflowError
from lcspr.core.services import save_with_history, timeline_event
from lcspr.core.text import long_date
from lcspr.core.versions import require_version
from lcspr.core.working_days import calendar, describe_countdown
from lcspr.notifications.services import notification_create
from lcspr.reminders.clocks import ask_providers
from lcspr.reminders.emails import email_reminder
from lcspr.reminders.models import ReminderSettings, ScanRun, SentReminder, parse_days_before
from lcspr.reminders.rules import (
    RESPONSIBLE,
    EscalationChain,
    is_daily,
    recipients_for,
    threshold_for,
)


def scan(today: datetime.date, *, errors: list[str] | None = None, alive=None) -> int:
    """Ask every clock what is due, and send each reminder that has not been sent yet: one
    sent-log row, one in-app notification and (for users who want them straight away) one
    e-mail per item, threshold and recipient. Returns how many were sent; running it again on
    the same day sends nothing. Names of clocks that failed are added to `errors`."""
    rules = ReminderSettings.load()
    cal = calendar()
    chain = EscalationChain.load(rules)
    created = 0
    for name, items in ask_providers(today, errors):
        planned = []
        for due in items:
            threshold = threshold_for(due.due_date, today, cal, rules, daily=is_daily(due))
            if threshold is not None:
                planned.append((due, threshold, recipients_for(due, threshold, rules, chain=chain)))
        created += _record(name, planned, cal=cal, today=today)
        if alive is not None:
            alive()
    return created


def scan_day(today: datetime.date) -> int:
    """Run the scan for a day and keep its ScanRun up to date; returns how many reminders this
    run sent. A day whose scan met a failing clock stays unfinished, so the catch-up task tries
    again."""
    run, _ = ScanRun.objects.get_or_create(date=today)
    # F() updates: two workers may run the same day's scan at once.
    now = timezone.now()
    ScanRun.objects.filter(pk=run.pk).update(runs=F("runs") + 1, started_at=now, heartbeat_at=now)

    def alive():
        ScanRun.objects.filter(pk=run.pk).update(heartbeat_at=timezone.now())

    errors: list[str] = []
    created = scan(today, errors=errors, alive=alive)
    ScanRun.objects.filter(pk=run.pk).update(
        created=F("created") + created,
        errors=", ".join(errors),
        finished_at=None if errors else timezone.now(),
    )
    return created


def _chunks(values, size=500):
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _already_sent(keys) -> set[tuple]:
    sent = set()
    for chunk in _chunks(sorted(keys)):
        sent.update(
            SentReminder.objects.filter(key__in=chunk).values_list(
                "key", "due_date", "threshold", "recipient_id"
            )
        )
    return sent


def _record(provider: str, planned, *, cal, today) -> int:
    if not planned:
        return 0
    sent = _already_sent({due.key for due, *_ in planned})
    wanted = {pk for *_, people in planned for pk in people}
    users = {u.pk: u for u in get_user_model().objects.filter(pk__in=wanted, is_active=True)}
    created = 0
    for due, threshold, people in planned:
        # The countdown in words counts from today, as every other page does; only the
        # thresholds count from the last working day.
        left = cal.count_between(today, due.due_date)
        for pk, step in people.items():
            user = users.get(pk)
            if user is None or (due.key, due.due_date, threshold, pk) in sent:
                continue
            created += _send(
                provider=provider, due=due, threshold=threshold, step=step, user=user, left=left
            )
    return created


def _send(*, provider, due, threshold, step, user, left) -> bool:
    """Record and send one reminder, all or nothing. The unique key decides: when another scan
    (a second beat, a retried task, another worker) has recorded it first, nothing happens."""
    digest = getattr(user, "reminder_delivery", "") == SentReminder.Channel.DIGEST
    try:
        with transaction.atomic():
            reminder = SentReminder.objects.create(
                provider=provider,
                key=due.key,
                due_date=due.due_date,
                threshold=threshold,
                recipient=user,
                level=step,
                kind=due.kind[:60],
                title=due.title[:250],
                url=due.url[:500],
                review_label=due.review_label[:200],
                review_id=due.review_id,
                channel=SentReminder.Channel.DIGEST if digest else SentReminder.Channel.IMMEDIATE,
            )
            reminder.notification = notification_create(
                recipient=user,
                title=reminder.title,
                body=_summary(reminder, left=left, step=step)[:500],
                url=reminder.url,
            )
            if not digest and user.email:
                reminder.email = email_reminder(reminder, left=left, step=step)
            reminder.save(update_fields=["notification", "email"])
    except IntegrityError:
        return False
    return True


def _summary(reminder: SentReminder, *, left: int, step: int) -> str:
    """The one line a notification and a digest entry say about an item."""
    parts = [reminder.review_label] if reminder.review_label else []
    parts.append(f"Due {long_date(reminder.due_date)}: {describe_countdown(left)}")
    if step != RESPONSIBLE:
        parts.append("Sent to you because it is overdue")
    return ". ".join(parts) + "."


@transaction.atomic
def reminder_settings_update(*, by, version: int | None = None, **fields) -> ReminderSettings:
    """Change the partnership's reminder rules (refused when read at an older `version` and
    someone has changed them since)."""
    rules = ReminderSettings.objects.select_for_update().get(pk=ReminderSettings.load().pk)
    require_version(rules, version, fields=list(fields))
    if "days_before" in fields:
        try:
            days = parse_days_before(fields["days_before"])
        except ValidationError as error:
            raise ValidationError({"days_before": error.messages}) from None
        fields["days_before"] = ",".join(str(d) for d in days)
    for name, value in fields.items():
        setattr(rules, name, value)
    rules.full_clean()
    save_with_history(rules, by, validate=False)
    return rules


CHASE = "chase"  # the provider of reminders a person sends by hand ("Waiting for others")
CHASE_GAP = datetime.timedelta(days=1)


@transaction.atomic
def reminder_chase(
    *, by, review, key: str, title: str, url: str, due_date: datetime.date, recipients
) -> list[SentReminder]:
    """Remind the people late on one thing, now, as the daily reminders do (a notification, and
    an e-mail or a digest entry per their preference), recorded on the review's timeline.
    Refused when nobody can be reminded, or when one of them was reminded of the same thing
    less than a day ago."""
    recipients = [user for user in recipients if user.is_active]
    if not recipients:
        raise WorkflowError("There is nobody to remind: no active person is responsible for this.")
    since = timezone.now() - CHASE_GAP
    recent = (
        SentReminder.objects.filter(
            provider=CHASE, key=key[:120], recipient__in=recipients, created_at__gte=since
        )
        .select_related("recipient")
        .order_by("created_at")
        .first()
    )
    if recent is not None:
        at = timezone.localtime(recent.created_at)
        raise WorkflowError(
            f"{recent.recipient} was reminded about this on {long_date(at.date())} at "
            f"{at:%H:%M}. You can remind them again a day after that."
        )
    today = timezone.localdate()
    left = calendar().count_between(today, due_date)
    label = f"{review.reference} ({review.pseudonym})"
    sent = []
    for user in recipients:
        digest = getattr(user, "reminder_delivery", "") == SentReminder.Channel.DIGEST
        reminder = SentReminder.objects.create(
            provider=CHASE,
            key=key[:120],
            due_date=due_date,
            threshold=f"chase {timezone.now():%Y-%m-%dT%H:%M:%S}"[:40],
            recipient=user,
            kind=CHASE,
            title=title[:250],
            url=url[:500],
            review_label=label[:200],
            review_id=review.pk,
            channel=SentReminder.Channel.DIGEST if digest else SentReminder.Channel.IMMEDIATE,
        )
        reminder.notification = notification_create(
            recipient=user,
            title=reminder.title,
            body=(
                f"{label}. Due {long_date(due_date)}: {describe_countdown(left)}. "
                f"{by} sent you this reminder."
            )[:500],
            url=reminder.url,
        )
        if not digest and user.email:
            reminder.email = email_reminder(reminder, left=left, step=RESPONSIBLE)
        reminder.save(update_fields=["notification", "email"])
        sent.append(reminder)
    names = ", ".join(str(user) for user in recipients)
    timeline_event(review, by, "reminder_sent", f"Reminder sent to {names}: {title}")
    return sent
