"""The report: draft versions and the panel's comments, the panel chair's approval and the
Independent Chair's sign-off, and the anonymisation check against a restricted list of names."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from simple_history.models import HistoricalRecords

User = settings.AUTH_USER_MODEL


class ReportKind(models.TextChoices):
    OVERVIEW = "overview", "Overview Report"
    EXECUTIVE_SUMMARY = "executive_summary", "Executive Summary"


class ReportVersion(models.Model):
    """One uploaded version of the Overview Report or the Executive Summary. Shared with the
    panel on upload; never changed afterwards (its SHA-256 is checked on every download). A newer
    version of the same document supersedes it and closes its comments."""

    review = models.ForeignKey(
        "reviews.Review", on_delete=models.CASCADE, related_name="report_versions"
    )
    kind = models.CharField(max_length=20, choices=ReportKind.choices)
    number = models.PositiveSmallIntegerField()
    file = models.FileField(upload_to="reports/%Y/")
    file_name = models.CharField(max_length=200)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    change_note = models.TextField("What changed in this version", blank=True)
    reopen_reason = models.TextField("Why the approved version is being replaced", blank=True)
    uploaded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)
    superseded_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["review", "kind", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "kind", "number"], name="report_version_number_unique"
            ),
            models.UniqueConstraint(
                fields=["review", "kind"],
                condition=Q(superseded_at__isnull=True),
                name="report_version_one_current",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} version {self.number}"

    @property
    def is_current(self) -> bool:
        return self.superseded_at is None

    @property
    def is_pdf(self) -> bool:
        return self.file_name.lower().endswith(".pdf")


class ReportComment(models.Model):
    """A panel member's comment on a shared version, generally or against a section or page;
    the author responds and may resolve it. Closed (read-only) once a newer version is shared;
    an unresolved closed comment is shown again beside the next version."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        RESOLVED = "resolved", "Resolved"
        CLOSED = "closed", "Closed unresolved"

    version = models.ForeignKey(ReportVersion, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    location = models.CharField(
        "Section or page",
        max_length=100,
        blank=True,
        help_text="Leave blank for a general comment.",
    )
    text = models.TextField("Comment")
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    response = models.TextField("Author's response", blank=True)
    responded_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["version", "status"], name="report_comment_status")]

    def __str__(self):
        return f"Comment by {self.author} on {self.version}"

    @property
    def is_unresolved(self) -> bool:
        return self.status != self.Status.RESOLVED


class ReportApproval(models.Model):
    """The panel chair's approval of one Overview Report version (and the Executive Summary
    version, where there is one) as final, then the Independent Chair's sign-off for the
    partnership. Irreversible: only a new version, uploaded with a reason, voids it."""

    review = models.ForeignKey(
        "reviews.Review", on_delete=models.CASCADE, related_name="report_approvals"
    )
    overview = models.ForeignKey(ReportVersion, on_delete=models.PROTECT, related_name="+")
    executive_summary = models.ForeignKey(
        ReportVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(default=timezone.now)
    approval_note = models.TextField(blank=True)
    open_comments = models.PositiveIntegerField(
        default=0, help_text="Comments still open when the version was approved."
    )
    signed_off_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    sign_off_note = models.TextField(blank=True)
    voided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    voided_at = models.DateTimeField(null=True, blank=True)
    void_reason = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-approved_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["review"],
                condition=Q(voided_at__isnull=True),
                name="report_one_live_approval",
            ),
        ]

    def __str__(self):
        return f"Approval of {self.overview} for {self.review.reference}"

    @property
    def is_live(self) -> bool:
        return self.voided_at is None

    @property
    def is_signed_off(self) -> bool:
        return self.signed_off_at is not None

    @property
    def versions(self) -> list[ReportVersion]:
        return [v for v in (self.overview, self.executive_summary) if v is not None]


class NameCategory(models.TextChoices):
    CHILD = "child", "Child"
    FAMILY = "family", "Family member"
    PROFESSIONAL = "professional", "Professional"
    ADDRESS = "address", "Address or place"
    SCHOOL = "school", "School or setting"
    OTHER = "other", "Other identifying detail"


class RestrictedName(models.Model):
    """A real name or identifying detail that must not appear in a published report. Restricted:
    only the partnership manager, the Independent Chair and the review's author see the list."""

    review = models.ForeignKey(
        "reviews.Review", on_delete=models.CASCADE, related_name="restricted_names"
    )
    term = models.CharField("Name or detail", max_length=200)
    category = models.CharField(max_length=20, choices=NameCategory.choices)
    added_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["category", "term"]
        constraints = [
            models.UniqueConstraint(
                "review", Lower("term"), name="restricted_name_unique_per_review"
            ),
        ]

    def __str__(self):
        return self.term


class CheckPurpose(models.TextChoices):
    APPROVAL = "approval", "Before the panel chair's approval"
    PUBLICATION = "publication", "Before publication"
    ON_REQUEST = "on_request", "On request"


class AnonymisationCheck(models.Model):
    """One run of the anonymisation check over one version: every occurrence of a restricted
    name, with the sentence around it. Publication is blocked while the latest check of the final
    versions has findings, unless the Independent Chair overrides it with a recorded reason."""

    review = models.ForeignKey(
        "reviews.Review", on_delete=models.CASCADE, related_name="anonymisation_checks"
    )
    version = models.ForeignKey(
        ReportVersion, on_delete=models.PROTECT, related_name="anonymisation_checks"
    )
    purpose = models.CharField(max_length=20, choices=CheckPurpose.choices)
    run_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    run_at = models.DateTimeField(default=timezone.now)
    terms_checked = models.PositiveIntegerField(default=0)
    # [{"term", "category", "match", "context", "location"}]
    findings = models.JSONField(default=list, blank=True)
    overridden_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    overridden_at = models.DateTimeField(null=True, blank=True)
    override_reason = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-run_at", "-pk"]

    def __str__(self):
        return f"Anonymisation check of {self.version} ({self.finding_count} found)"

    @property
    def finding_count(self) -> int:
        return len(self.findings)

    @property
    def is_clear(self) -> bool:
        """Nothing found, or the Independent Chair overrode what was found."""
        return not self.findings or self.overridden_at is not None
