"""The reminders' records: the partnership's rules, the sent-log that makes each reminder go out
once, and one row per day's scan."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from lcspr.core.models import OutboundEmail, Singleton
from lcspr.core.text import long_date
from lcspr.notifications.models import InAppNotification

# The tables (history included) keep the names they had when these models lived in lcspr.core:
# the move changed no database.


def parse_days_before(value: str) -> list[int]:
    """ "5, 1" as [5, 1]: distinct whole numbers of working days, most distant first."""
    parts = [p.strip() for p in str(value or "").split(",") if p.strip()]
    if not all(p.isdigit() for p in parts):
        raise ValidationError(
            "Working days before the due date must be whole numbers separated by commas, "
            "for example 5, 1",
            code="invalid",
        )
    days = sorted({int(p) for p in parts}, reverse=True)
    if any(not 1 <= d <= 60 for d in days):
        raise ValidationError(
            "Working days before the due date must each be between 1 and 60", code="invalid"
        )
    return days


def validate_days_before(value: str) -> None:
    parse_days_before(value)


# The beat's clock is UTC. Between 23:00 and 01:59 UTC the date in London may differ from the
# date in UTC or the clocks may be changing, so the scan never runs then.
SCAN_HOURS = range(2, 23)


def validate_scan_hour(value: int) -> None:
    if value not in SCAN_HOURS:
        raise ValidationError(
            "The hour of the daily scan must be between 2 and 22 (UTC), away from midnight",
            code="invalid",
        )


class ReminderSettings(Singleton):
    """The partnership's reminder rules (one row): when reminders go out, how often once
    overdue, and how overdue items climb the escalation chain."""

    days_before = models.CharField(
        "Working days before the due date to send a reminder",
        max_length=40,
        default="5,1",
        validators=[validate_days_before],
    )
    remind_on_day = models.BooleanField("Send a reminder on the due date", default=True)
    overdue_every_working_days = models.PositiveSmallIntegerField(
        "Working days between reminders once overdue",
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    escalate_after = models.PositiveSmallIntegerField(
        "Overdue reminders before each escalation step",
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    subgroup_chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Chair of the LCSPR sub-group",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    scan_hour_utc = models.PositiveSmallIntegerField(
        "Hour of the daily reminder scan (UTC)", default=6, validators=[validate_scan_hour]
    )
    history = HistoricalRecords(table_name="core_historicalremindersettings")

    class Meta:
        db_table = "core_remindersettings"
        verbose_name_plural = "reminder settings"

    def __str__(self):
        return "Reminder settings"

    @property
    def day_list(self) -> list[int]:
        """The working days before the due date, most distant first; [] if the value is bad."""
        try:
            return parse_days_before(self.days_before)
        except ValidationError:
            return []


class SentReminder(models.Model):
    """The sent-log: one row per (item, due date, threshold, recipient). The unique key is what
    makes a reminder go out once however often the scan runs."""

    class Channel(models.TextChoices):
        IMMEDIATE = "immediate", "E-mail straight away"
        DIGEST = "digest", "Daily digest"

    provider = models.CharField(max_length=60)
    key = models.CharField(max_length=120)
    due_date = models.DateField()
    threshold = models.CharField(max_length=40)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # The escalation step that brought this recipient in: 0 for the people responsible, then
    # 1 partnership managers, 2 the sub-group chair, 3 the Independent Chair.
    level = models.PositiveSmallIntegerField("Escalation step", default=0)
    kind = models.CharField(max_length=60, blank=True)
    title = models.CharField(max_length=250)
    url = models.CharField(max_length=500)
    review_label = models.CharField(max_length=200, blank=True)
    # A plain id, not a foreign key: the platform imports no domain app.
    review_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.IMMEDIATE)
    email = models.ForeignKey(
        OutboundEmail, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    notification = models.ForeignKey(
        InAppNotification, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    digest_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "core_sentreminder"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["key", "due_date", "threshold", "recipient"], name="sent_reminder_once"
            ),
        ]
        indexes = [
            models.Index(fields=["channel", "digest_sent_at"], name="sent_reminder_digest"),
        ]

    def __str__(self):
        return f"{self.title} ({self.threshold}) to {self.recipient}"


class ScanRun(models.Model):
    """One day's reminder scan: its absence after the scan hour is how the catch-up task knows
    a day was missed (the broker or beat was down)."""

    date = models.DateField(unique=True)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Touched as the scan goes (after each clock): a run not heard from for a few minutes has
    # died, and the catch-up task runs the day again.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    runs = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField("Reminders sent", default=0)
    errors = models.TextField(blank=True)

    class Meta:
        db_table = "core_scanrun"
        ordering = ["-date"]

    def __str__(self):
        return f"Reminder scan of {long_date(self.date)}"
