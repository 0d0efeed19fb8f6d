"""Publication: parallel proceedings that hold it back, the plan and what was sent before it, and
the deferrals."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from lcspr.core.text import long_date

User = settings.AUTH_USER_MODEL


class Proceeding(models.Model):
    """A parallel proceeding or process running alongside the review (criminal trial, inquest,
    family court, HR, DHR or SAR), with its status and expected date: the one record per
    review that the Terms of Reference show and publication waits for."""

    class Kind(models.TextChoices):
        CRIMINAL = "criminal", "Criminal proceedings"
        CORONER = "coroner", "Coroner's inquest"
        FAMILY_COURT = "family_court", "Family court proceedings"
        HR = "hr", "HR or disciplinary process"
        DHR = "dhr", "Domestic homicide review"
        SAR = "sar", "Safeguarding adults review"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        EXPECTED = "expected", "Expected"
        ONGOING = "ongoing", "Under way"
        CONCLUDED = "concluded", "Concluded"

    # Full publication waits until these have concluded (WT2023; domain step 12).
    BLOCKING_KINDS = (Kind.CRIMINAL, Kind.CORONER)

    review = models.ForeignKey(
        "reviews.Review", on_delete=models.CASCADE, related_name="proceedings"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    description = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices)
    expected_date = models.DateField(
        "Expected date of the next hearing or conclusion", null=True, blank=True
    )
    concluded_on = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.get_status_display()}"

    @property
    def blocks_publication(self) -> bool:
        return self.kind in self.BLOCKING_KINDS and self.status != self.Status.CONCLUDED


class Publication(models.Model):
    """The publication plan and record of one review (created with the first planned date)."""

    review = models.OneToOneField(
        "reviews.Review", on_delete=models.CASCADE, related_name="publication"
    )
    planned_on = models.DateField("Planned publication date", null=True, blank=True)
    sent_to_panel_on = models.DateField(
        "Date the final report was sent to the National Panel", null=True, blank=True
    )
    sent_to_dfe_on = models.DateField(
        "Date the final report was sent to the DfE", null=True, blank=True
    )
    sent_to_ofsted_on = models.DateField(
        "Date the final report was sent to Ofsted", null=True, blank=True
    )
    improvements_only = models.BooleanField(
        "Publish information about the improvements instead of the full report", default=False
    )
    improvements_reason = models.TextField("Why the full report is not published", blank=True)
    family_offered_on = models.DateField(
        "Date the family were offered the final draft", null=True, blank=True
    )
    family_response = models.TextField("The family's response", blank=True)
    published_on = models.DateField(null=True, blank=True)
    web_address = models.URLField("Web address", max_length=500, blank=True)
    removed_on = models.DateField("Date the report came down", null=True, blank=True)
    history = HistoricalRecords()

    def __str__(self):
        return f"Publication of {self.review.reference}"

    @property
    def is_published(self) -> bool:
        return self.published_on is not None


class PublicationDeferral(models.Model):
    """A change to the planned publication date, with its reason."""

    review = models.ForeignKey(
        "reviews.Review", on_delete=models.CASCADE, related_name="publication_deferrals"
    )
    from_date = models.DateField(null=True, blank=True)
    to_date = models.DateField(null=True, blank=True)
    reason = models.TextField()
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["recorded_at", "pk"]

    def __str__(self):
        moved = long_date(self.to_date) if self.to_date else "no date"
        return f"Publication moved to {moved}"
