"""Platform records that import no domain app."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from lcspr.core.text import long_date


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

    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    what = models.CharField(max_length=200)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    # A plain id, not a foreign key: the platform imports no domain app.
    review_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    path = models.CharField(max_length=500)
    address = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self):
        return f"{self.user} {self.what} at {self.at:%Y-%m-%d %H:%M}"
