"""Platform records that import no domain app."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from lcspr.core.jobs.models import Job  # noqa: F401 - defined with the rest of the jobs module
from lcspr.core.text import in_sentence, long_date


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
        SENDING = "sending", "Being sent"
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
    # Recorded and committed before the mail server is spoken to (ADR 0014): a row left
    # "sending" is an attempt a crash interrupted, and its Message-ID goes with any resend.
    attempted_at = models.DateTimeField(null=True, blank=True)
    message_id = models.CharField(max_length=250, blank=True)
    resent_after_interruption = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"], name="outbound_email_status")]

    def __str__(self):
        return f"{self.kind} to {self.to} ({self.status})"


class UsedFormToken(models.Model):
    """A one-time form token that has been sent (lcspr/core/form_tokens.py): while its form is
    being saved, and once saved, where the person was sent, so that the same form sent again
    (a double click, a reload of the answer, a retry over a slow connection) changes nothing."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", "Being saved"
        DONE = "done", "Saved"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64)
    path = models.CharField(max_length=500)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.IN_PROGRESS)
    redirect_to = models.CharField(max_length=2000, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "token"], name="core_form_token_used_once")
        ]

    def __str__(self):
        return f"{self.path} ({in_sentence(self.get_status_display())})"
