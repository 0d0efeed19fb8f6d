"""The Independent Chair's decision on the partners' recommendation, and the notices to the DfE,
Ofsted and the National Panel that an LCSPR will take place."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from lcspr.core.text import long_date
from reviews.models import Review

User = settings.AUTH_USER_MODEL


class Outcome(models.TextChoices):
    LCSPR = "lcspr", "An LCSPR will take place"
    OTHER_LEARNING = "other_learning", "No LCSPR, but another learning review"
    NO_FURTHER_ACTION = "no_further_action", "No further action"
    NATIONAL_REVIEW = "national_review", "A national review led by the National Panel"


class Decision(models.Model):
    """The Independent Chair's decision. Never edited: a changed decision is a new row that
    supersedes the old one, with a reason, and both stay visible."""

    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="decisions")
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    rationale = models.TextField()
    decided_on = models.DateField()
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    change_reason = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["recorded_at", "pk"]

    def __str__(self):
        return f"{self.get_outcome_display()} ({long_date(self.decided_on)})"


class NoticeRecipient(models.TextChoices):
    DFE = "dfe", "Department for Education"
    OFSTED = "ofsted", "Ofsted"
    NATIONAL_PANEL = "national_panel", "National Panel"


class NationalNotice(models.Model):
    """That the partnership told DfE, Ofsted or the National Panel an LCSPR will take place."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="notices")
    recipient = models.CharField(max_length=20, choices=NoticeRecipient.choices)
    sent_on = models.DateField("Date sent")
    reference = models.CharField("Their reference", max_length=80, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "recipient"], name="notice_one_per_body"),
        ]

    def __str__(self):
        return f"{self.get_recipient_display()} told on {long_date(self.sent_on)}"
