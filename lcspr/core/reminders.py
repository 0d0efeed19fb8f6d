"""Reminders of what is due (issue 8): the mechanism, which knows no domain app.

Each domain app registers a *clock provider* from its AppConfig.ready():
`register_clock(name, provider)`, where `provider(today) -> Iterable[Due]` lists every open
obligation it knows (a statutory deadline, a request's due date, an action's due date, an action
without an update). The one daily scan (lcspr.core.tasks.scan_reminders) asks every provider,
works out which threshold each item has reached today, in working days (5 and 1 before, on the
day, then weekly when overdue, with escalation), and records one SentReminder per (item, due
date, threshold, recipient): a unique key, so a second scan, a retried task or a second worker
sends nothing new. New rows become an in-app notification (never lost) and an e-mail through
the outbox (retried with backoff) or a place in the recipient's daily digest.
"""

import datetime
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from lcspr.core.emails import queue_email
from lcspr.core.models import (
    InAppNotification,
    ReminderSettings,
    ScanRun,
    SentReminder,
    parse_days_before,
)
from lcspr.core.services import save_with_history
from lcspr.core.text import long_date
from lcspr.core.working_days import WorkingCalendar, calendar, describe_countdown

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Due:
    """One open obligation, as a provider reports it.

    key: stable identity of the obligation, unique across providers, e.g. "deadline:42",
        "summary-request:7", "action:310", "action-stale:310".
    title: what must be done, e.g. "Send the rapid review to the National Panel". No case
        detail beyond the review reference and pseudonym ever goes into a reminder.
    due_date: the date it is due (for stale items: the date the update became overdue).
    url: the path of the page where it is done (e.g. "/reviews/12/"); made absolute with
        SITE_URL in e-mails.
    responsible: ids of the users who should act (the first step of the escalation chain).
    review_label: "CSPR-2026-004 (Child T)" or "" when not about one review.
    review_id: the review's id, or None.
    escalates: False for purely informative items (e.g. a takedown date) that remind the
        responsible people but never escalate.
    kind: a short label for the sent-log and filters, e.g. "Statutory deadline", "Action".
    extra: anything else; the mechanism reads one key, "daily": True for obligations reminded
        every working day until done (the national notices after an LCSPR decision, the
        pre-publication sending) instead of only at the usual thresholds.
    """

    key: str
    title: str
    due_date: datetime.date
    url: str
    responsible: tuple[int, ...]
    review_label: str = ""
    review_id: int | None = None
    escalates: bool = True
    kind: str = ""
    extra: dict = field(default_factory=dict, compare=False, hash=False)


ClockProvider = Callable[[datetime.date], Iterable[Due]]
_providers: dict[str, ClockProvider] = {}


def register_clock(name: str, provider: ClockProvider) -> None:
    """Add a provider of due items (one per kind of clock); the name appears in the sent-log."""
    _providers[name] = provider


def unregister_clock(name: str) -> None:
    """Remove a provider (tests register their own and take it away afterwards)."""
    _providers.pop(name, None)


def providers() -> dict[str, ClockProvider]:
    """The registered providers, by name."""
    return dict(_providers)


# --- the rules: which threshold an item has reached, and who hears about it --------------------

# Partnership-wide roles named by the escalation chain: values of lcspr.accounts.models.Role,
# spelled out because the platform imports no app above it (a test checks they still exist).
MANAGER_ROLE = "partnership_manager"
INDEPENDENT_CHAIR_ROLE = "independent_chair"
SUBGROUP_MEMBER_ROLE = "subgroup_member"

# Escalation steps, in order: who is added at each step.
RESPONSIBLE, MANAGERS, SUBGROUP_CHAIR, INDEPENDENT_CHAIR = range(4)
STEP_LABELS = {
    RESPONSIBLE: "The people responsible",
    MANAGERS: "The partnership managers",
    SUBGROUP_CHAIR: "The chair of the LCSPR sub-group",
    INDEPENDENT_CHAIR: "The Independent Chair",
}
# How an e-mail tells someone brought in by escalation why they have it.
STEP_AS = {
    MANAGERS: "as a partnership manager",
    SUBGROUP_CHAIR: "as chair of the LCSPR sub-group",
    INDEPENDENT_CHAIR: "as Independent Chair",
}


def is_daily(due: Due) -> bool:
    """Whether the item is reminded every working day until done."""
    return bool(due.extra.get("daily"))


def working_today(today: datetime.date, cal: WorkingCalendar) -> datetime.date:
    """The day thresholds are counted from: today on a working day, else the working day before.
    A scan on a Saturday or a bank holiday then reaches no threshold the working day before did
    not, so nothing is sent on a day off, and nothing is duplicated or moved."""
    return today if cal.is_working_day(today) else cal.add(today, -1)


def threshold_for(
    due_date: datetime.date,
    today: datetime.date,
    cal: WorkingCalendar,
    settings: ReminderSettings,
    *,
    daily: bool = False,
) -> str | None:
    """The threshold an item due on `due_date` has reached today, counted in working days:
    "before-N" (the most urgent threshold already crossed, so a missed day still sends the
    current one), "due", "overdue-K" (K counts the overdue periods of
    `overdue_every_working_days`), or None while nothing is due yet. Daily items have one
    threshold per working day: "before-N" for every N up to the first threshold, "due", then
    "overdue-K-day-N"."""
    left = cal.count_between(working_today(today, cal), due_date)
    days = settings.day_list
    if left > 0:
        if daily:
            return f"before-{left}" if days and left <= days[0] else None
        crossed = [n for n in days if n >= left]
        return f"before-{min(crossed)}" if crossed else None
    if left == 0:
        if settings.remind_on_day or daily:
            return "due"
        return f"before-{min(days)}" if days else None
    overdue = -left
    period = (overdue - 1) // max(settings.overdue_every_working_days, 1) + 1
    return f"overdue-{period}-day-{overdue}" if daily else f"overdue-{period}"


def overdue_period(threshold: str) -> int:
    """K of "overdue-K" or "overdue-K-day-N"; 0 for a threshold that is not overdue."""
    parts = threshold.split("-")
    if parts[0] != "overdue" or len(parts) < 2 or not parts[1].isdigit():
        return 0
    return int(parts[1])


def describe_threshold(threshold: str) -> str:
    """A threshold in words, for the sent-log."""
    parts = threshold.split("-")
    if parts[0] == "before" and len(parts) == 2:
        n = int(parts[1])
        return f"{n} working day{'s' if n != 1 else ''} before"
    if threshold == "due":
        return "On the due date"
    if len(parts) == 4:
        n = int(parts[3])
        return f"Overdue by {n} working day{'s' if n != 1 else ''}"
    if parts[0] == "overdue":
        return f"Overdue, reminder {overdue_period(threshold)}"
    return threshold


def escalation_level(due: Due, threshold: str, settings: ReminderSettings) -> int:
    """How far up the chain an item has climbed: 0 until it is overdue, then one step after
    every `escalate_after` overdue reminders, up to the Independent Chair."""
    period = overdue_period(threshold)
    if not due.escalates or period == 0:
        return RESPONSIBLE
    return min(INDEPENDENT_CHAIR, (period - 1) // max(settings.escalate_after, 1))


@dataclass(frozen=True)
class EscalationChain:
    """The people above the responsible ones, loaded once per scan."""

    managers: tuple[int, ...] = ()
    subgroup_chair: tuple[int, ...] = ()
    independent_chairs: tuple[int, ...] = ()

    @classmethod
    def load(cls, settings: ReminderSettings) -> "EscalationChain":
        users = get_user_model().objects.filter(is_active=True)

        def with_role(role):
            return tuple(
                users.filter(role_assignments__role=role)
                .order_by("pk")
                .values_list("pk", flat=True)
                .distinct()
            )

        chair = settings.subgroup_chair_id
        return cls(
            managers=with_role(MANAGER_ROLE),
            subgroup_chair=(chair,) if chair and users.filter(pk=chair).exists() else (),
            independent_chairs=with_role(INDEPENDENT_CHAIR_ROLE),
        )

    def step(self, level: int) -> tuple[int, ...]:
        return {
            MANAGERS: self.managers,
            SUBGROUP_CHAIR: self.subgroup_chair,
            INDEPENDENT_CHAIR: self.independent_chairs,
        }.get(level, ())


def recipients_for(
    due: Due, threshold: str, settings: ReminderSettings, *, chain: EscalationChain | None = None
) -> dict[int, int]:
    """Who hears about an item at this threshold, each with the escalation step that brought
    them in: the responsible people, then (overdue and escalating) the partnership managers,
    the sub-group chair and every Independent Chair, one step at a time."""
    chain = chain or EscalationChain.load(settings)
    people = dict.fromkeys(due.responsible, RESPONSIBLE)
    for level in range(MANAGERS, escalation_level(due, threshold, settings) + 1):
        for pk in chain.step(level):
            people.setdefault(pk, level)
    return people


# --- the scan -------------------------------------------------------------------------------


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
    for name, items in _ask_providers(today, errors):
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


def _ask_providers(today, errors):
    for name, provider in sorted(providers().items()):
        try:
            items = list(provider(today))
        except Exception:  # one broken clock must not silence the others
            logger.exception("The reminder clock %r failed", name)
            if errors is not None:
                errors.append(name)
            continue
        yield name, items


def scan(today: datetime.date, *, errors: list[str] | None = None) -> int:
    """Ask every clock what is due, and send each reminder that has not been sent yet: one
    sent-log row, one in-app notification and (for users who want them straight away) one
    e-mail per item, threshold and recipient. Returns how many were sent; running it again on
    the same day sends nothing. Names of clocks that failed are added to `errors`."""
    rules = ReminderSettings.load()
    cal = calendar()
    chain = EscalationChain.load(rules)
    created = 0
    for name, items in _ask_providers(today, errors):
        planned = []
        for due in items:
            threshold = threshold_for(due.due_date, today, cal, rules, daily=is_daily(due))
            if threshold is not None:
                planned.append((due, threshold, recipients_for(due, threshold, rules, chain=chain)))
        created += _record(name, planned, cal=cal, today=today)
    return created


def scan_day(today: datetime.date) -> int:
    """Run the scan for a day and keep its ScanRun up to date; returns how many reminders this
    run sent. A day whose scan met a failing clock stays unfinished, so the catch-up task tries
    again."""
    run, _ = ScanRun.objects.get_or_create(date=today)
    # F() updates: two workers may run the same day's scan at once.
    ScanRun.objects.filter(pk=run.pk).update(runs=F("runs") + 1, started_at=timezone.now())
    errors: list[str] = []
    created = scan(today, errors=errors)
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
            reminder.notification = InAppNotification.objects.create(
                recipient=user,
                title=reminder.title,
                body=_summary(reminder, left=left, step=step)[:500],
                url=reminder.url,
            )
            if not digest and user.email:
                reminder.email = _email_reminder(reminder, left=left, step=step)
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


# --- e-mails ----------------------------------------------------------------------------------


def absolute_url(path: str) -> str:
    return path if "://" in path else f"{django_settings.SITE_URL}{path}"


def email_entry(reminder: SentReminder, *, left: int, step: int) -> dict:
    """What an e-mail says about one item: the reference and pseudonym, never case detail."""
    return {
        "title": reminder.title,
        "review_label": reminder.review_label,
        "due": long_date(reminder.due_date),
        "countdown": describe_countdown(left),
        "overdue": left < 0,
        "escalated_as": STEP_AS.get(step, ""),
        "url": absolute_url(reminder.url),
    }


def _email_reminder(reminder: SentReminder, *, left: int, step: int):
    entry = email_entry(reminder, left=left, step=step)
    about = f" – {reminder.review_label}" if reminder.review_label else ""
    return queue_email(
        kind="reminder",
        to=reminder.recipient.email,
        recipient=reminder.recipient,
        subject=f"Reminder: {reminder.title}{about} – {entry['countdown']}"[:250],
        template="reminder",
        context={
            "user": reminder.recipient,
            "item": entry,
            "preferences_url": absolute_url(reverse("accounts:notification_preferences")),
        },
    )


# --- settings ---------------------------------------------------------------------------------


@transaction.atomic
def reminder_settings_update(*, by, **fields) -> ReminderSettings:
    """Change the partnership's reminder rules."""
    rules = ReminderSettings.objects.select_for_update().get(pk=ReminderSettings.load().pk)
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
