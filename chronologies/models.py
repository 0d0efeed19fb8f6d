"""Agency chronologies: one request per agency in scope of a review's Terms of Reference, the
agency's entries (one row per event), each submitted version kept, and the merged multi-agency
chronology built from accepted entries."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from lcspr.accounts.models import Agency
from reviews.models import Review

User = settings.AUTH_USER_MODEL


class RequestStatus(models.TextChoices):
    DRAFT = "draft", "Not yet submitted"
    SUBMITTED = "submitted", "Submitted"
    RETURNED = "returned", "Returned for changes"
    ACCEPTED = "accepted", "Accepted"


class ChronologyRequest(models.Model):
    """One agency's chronology for one review: the request and the agency's working draft."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="chronologies")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="chronologies")
    status = models.CharField(max_length=12, choices=RequestStatus.choices, default="draft")
    due_date = models.DateField()
    period_start = models.DateField("Start of the period to cover")
    period_end = models.DateField("End of the period to cover")
    kloes = models.JSONField(
        "Key lines of enquiry", default=list, help_text="[[number, text], ...] from the ToR."
    )
    authors = models.ManyToManyField(User, blank=True, related_name="+")
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(m2m_fields=[authors])

    class Meta:
        ordering = ["agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["review", "agency"], name="chronology_one_per_agency"),
        ]

    def __str__(self):
        return f"{self.agency} chronology for {self.review.reference}"

    @property
    def is_editable(self) -> bool:
        return self.status in (RequestStatus.DRAFT, RequestStatus.RETURNED)


class DateCertainty(models.TextChoices):
    EXACT = "exact", "Exact"
    MONTH = "month", "Month only"
    APPROXIMATE = "approximate", "Approximate"


class YesNoUnknown(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    UNKNOWN = "unknown", "Not known"


class Entry(models.Model):
    """One event in an agency's chronology. The agency comes from the request, never from what
    the uploader typed."""

    request = models.ForeignKey(ChronologyRequest, on_delete=models.CASCADE, related_name="entries")
    sequence = models.PositiveIntegerField()
    date = models.DateField()
    time = models.TimeField(null=True, blank=True)
    date_certainty = models.CharField(
        max_length=12, choices=DateCertainty.choices, default=DateCertainty.EXACT
    )
    source_reference = models.CharField("Source record reference", max_length=100, blank=True)
    practitioner_role = models.CharField(max_length=150, blank=True)
    event_type = models.CharField("Event or contact type", max_length=150, blank=True)
    child_seen = models.CharField(
        max_length=8, choices=YesNoUnknown.choices, default=YesNoUnknown.UNKNOWN
    )
    seen_alone = models.CharField(
        "Child seen alone", max_length=8, choices=YesNoUnknown.choices, default=YesNoUnknown.UNKNOWN
    )
    description = models.TextField()
    child_voice = models.TextField("The child's voice or lived experience", blank=True)
    action_taken = models.TextField("Action or decision taken", blank=True)
    outcome = models.TextField(blank=True)
    significance = models.TextField("The agency's analysis of significance", blank=True)
    kloe_numbers = models.JSONField("Key lines of enquiry", default=list, blank=True)
    themes = models.JSONField("Learning themes", default=list, blank=True)
    history = HistoricalRecords()

    class Meta:
        # An entry with no time comes after the timed ones of its day on every database
        # (PostgreSQL's default; SQLite would put it first).
        ordering = ["date", models.F("time").asc(nulls_last=True), "sequence"]
        verbose_name_plural = "entries"
        constraints = [
            models.UniqueConstraint(fields=["request", "sequence"], name="entry_sequence_unique"),
        ]
        indexes = [models.Index(fields=["request", "date"], name="entry_request_date")]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.description[:50]}"


class Submission(models.Model):
    """A submitted version of an agency's chronology, kept as it was when submitted."""

    request = models.ForeignKey(
        ChronologyRequest, on_delete=models.CASCADE, related_name="submissions"
    )
    version = models.PositiveSmallIntegerField()
    submitted_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(default=timezone.now)
    declaration = models.TextField(
        help_text="The author's declaration of seniority and independence, as they confirmed it."
    )
    entry_count = models.PositiveIntegerField()
    entries = models.JSONField(help_text="The entries as submitted.")
    outcome = models.CharField(
        max_length=12,
        choices=[("accepted", "Accepted"), ("returned", "Returned for changes")],
        blank=True,
    )
    outcome_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    outcome_at = models.DateTimeField(null=True, blank=True)
    comments = models.TextField("Comments for the agency", blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["request", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["request", "version"], name="submission_version"),
        ]

    def __str__(self):
        return f"Version {self.version} of {self.request}"


class ReviewerComment(models.Model):
    """A panel's or reviewer's comment on one entry: seen by the panel only, never the agency."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="reviewer_comments")
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    text = models.TextField("Comment")
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"Comment by {self.author}"
