"""The sub-group's monitoring of a review's time and quality (SI 2018/789 reg. 14): checkpoints
and written requests to the author."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from lcspr.core.text import long_date
from reviews.models import Review

User = settings.AUTH_USER_MODEL


class Checkpoint(models.Model):
    """The sub-group's regular check of a review's time and quality (SI 2018/789 reg. 14)."""

    class Progress(models.TextChoices):
        ON_TRACK = "on_track", "On track"
        AT_RISK = "at_risk", "At risk of delay"
        LATE = "late", "Behind the timescale"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="checkpoints")
    held_on = models.DateField("Date of the checkpoint")
    progress = models.CharField(
        "Progress against the timescale", max_length=20, choices=Progress.choices
    )
    progress_notes = models.TextField("Notes on progress", blank=True)
    quality_concerns = models.TextField("Quality concerns", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return f"Checkpoint on {long_date(self.held_on)}: {self.get_progress_display()}"


class WrittenRequest(models.Model):
    """A written request to the author for a draft or information (reg. 14), and the reply."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="written_requests")
    sent_on = models.DateField("Date sent")
    request = models.TextField("What was asked for")
    response_on = models.DateField("Date of the response", null=True, blank=True)
    response = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-sent_on", "-pk"]

    def __str__(self):
        return f"Request sent {long_date(self.sent_on)}"
