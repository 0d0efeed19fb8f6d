"""The Terms of Reference: versions (draft, shared, agreed, superseded), key lines of enquiry
and the panel's comments. The parallel processes they list are the review's one record of
proceedings (reviews.publication.models.Proceeding), which publication reads too."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from lcspr.accounts.models import Agency
from reviews.models import Review

User = settings.AUTH_USER_MODEL


class TermsOfReference(models.Model):
    """One version of a review's Terms of Reference. Draft → shared with the panel for comment →
    agreed by the panel chair. An agreed version is never edited: a later change is a new
    version, with a reason, and every agreed version is kept."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SHARED = "shared", "Shared with the panel for comment"
        AGREED = "agreed", "Agreed"
        SUPERSEDED = "superseded", "Superseded"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="tor_versions")
    version = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    subject_and_family = models.TextField(
        "Subject and family", blank=True, help_text="Pseudonymised: no real names."
    )
    period_start = models.DateField("Start of the period under review", null=True, blank=True)
    period_end = models.DateField("End of the period under review", null=True, blank=True)
    methodology = models.TextField(blank=True)
    agencies = models.ManyToManyField(
        Agency, blank=True, related_name="+", verbose_name="Agencies in scope"
    )
    practitioner_involvement = models.TextField(blank=True)
    family_involvement = models.TextField(blank=True)
    timescales = models.TextField(blank=True)
    publication_plan = models.TextField(blank=True)
    equality_considerations = models.TextField(blank=True)
    change_reason = models.TextField("Reason for the new version", blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    shared_at = models.DateTimeField(null=True, blank=True)
    agreed_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    agreed_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(m2m_fields=[agencies])

    class Meta:
        ordering = ["review", "-version"]
        verbose_name_plural = "terms of reference"
        constraints = [
            models.UniqueConstraint(fields=["review", "version"], name="tor_version_unique"),
            models.UniqueConstraint(
                fields=["review"],
                condition=models.Q(status__in=["draft", "shared"]),
                name="tor_one_open_version",
            ),
        ]

    def __str__(self):
        return f"Terms of Reference v{self.version} for {self.review.reference}"

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.SHARED)


class KeyLineOfEnquiry(models.Model):
    terms = models.ForeignKey(TermsOfReference, on_delete=models.CASCADE, related_name="kloes")
    number = models.PositiveSmallIntegerField()
    text = models.TextField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["number"]
        verbose_name = "key line of enquiry"
        verbose_name_plural = "key lines of enquiry"
        constraints = [
            models.UniqueConstraint(fields=["terms", "number"], name="kloe_number_unique"),
        ]

    def __str__(self):
        return f"KLOE {self.number}: {self.text[:60]}"


class TorComment(models.Model):
    """A panel member's comment on a shared draft of the Terms of Reference."""

    terms = models.ForeignKey(TermsOfReference, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    section = models.CharField(max_length=60, blank=True)
    text = models.TextField("Comment")
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"Comment by {self.author} on v{self.terms.version}"
