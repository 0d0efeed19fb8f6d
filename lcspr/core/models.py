"""Platform records that import no domain app."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from lcspr.core.text import long_date


class Singleton(models.Model):
    """A table of one row: one kind of the partnership's settings."""

    class Meta:
        abstract = True

    @classmethod
    def load(cls):
        """The row, created with its defaults the first time it is asked for."""
        obj, _ = cls.objects.get_or_create(pk=1)
        return obj


class ClosureDay(models.Model):
    """A day the partnership treats as non-working on top of England and Wales bank holidays
    (e.g. a council closure day between Christmas and New Year)."""

    date = models.DateField(unique=True)
    reason = models.CharField(max_length=200)
    history = HistoricalRecords()

    class Meta:
        ordering = ["date"]

    def __str__(self):
        return f"{long_date(self.date)}: {self.reason}"


class Heartbeat(models.Model):
    """The last time a background process (beat, worker) proved it was alive."""

    name = models.CharField(max_length=50, primary_key=True)
    seen_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.name} at {self.seen_at:%Y-%m-%d %H:%M}"


class OutboundEmail(models.Model):
    """The e-mail outbox: every e-mail is stored first, then delivered by a Celery task after
    commit, so a failed SMTP server loses nothing and the manager can see what failed."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=80)
    to = models.EmailField()
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject = models.CharField(max_length=250)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"], name="outbound_email_status")]

    def __str__(self):
        return f"{self.kind} to {self.to} ({self.status})"


class AccessLog(models.Model):
    """Who viewed or downloaded which case material, when and from where. Kept apart from the
    change history: reads are not changes."""

    class Kind(models.TextChoices):
        VIEW = "view", "Viewed a page"
        DOWNLOAD = "download", "Downloaded a file"
        EXPORT = "export", "Exported data"

    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.VIEW)
    what = models.CharField(max_length=200)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    # A plain id, not a foreign key: the platform imports no domain app.
    review_id = models.BigIntegerField(null=True, blank=True)
    path = models.CharField(max_length=500)
    address = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["user", "at"], name="access_log_user_at"),
            models.Index(fields=["review_id", "at"], name="access_log_review_at"),
        ]

    def __str__(self):
        return f"{self.user} {self.what} at {self.at:%Y-%m-%d %H:%M}"


# --- reminders (issue 8) -----------------------------------------------------------------------


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
    history = HistoricalRecords()

    class Meta:
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


class InAppNotification(models.Model):
    """A message in a user's notification centre. Written in the same transaction as the
    sent-log row, so it is never lost, whatever happens to the e-mail."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(max_length=250)
    body = models.CharField(max_length=500, blank=True)
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self):
        return f"{self.title} for {self.recipient}"


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
    runs = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField("Reminders sent", default=0)
    errors = models.TextField(blank=True)

    class Meta:
        ordering = ["-date"]

    def __str__(self):
        return f"Reminder scan of {long_date(self.date)}"
