"""The writing-up half of an LCSPR (issue 6): draft versions of the report and the panel's
comments, the panel chair's approval and the Independent Chair's sign-off, the anonymisation
check against a restricted list of real names, publication with its clocks, and the learning
summary with the report's numbered recommendations (which actions/ turns into actions)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from simple_history.models import HistoricalRecords

from lcspr.core.text import long_date

User = settings.AUTH_USER_MODEL

__all__ = [
    "ReportKind",
    "ReportVersion",
    "ReportComment",
    "ReportApproval",
    "NameCategory",
    "RestrictedName",
    "CheckPurpose",
    "AnonymisationCheck",
    "Proceeding",
    "Publication",
    "PublicationDeferral",
    "LearningTheme",
    "LearningSummary",
    "ReportRecommendation",
]


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


class Proceeding(models.Model):
    """A parallel proceeding that publication waits for (criminal trial, inquest, family
    court), with its status and expected date."""

    class Kind(models.TextChoices):
        CRIMINAL = "criminal", "Criminal proceedings"
        CORONER = "coroner", "Coroner's inquest"
        FAMILY_COURT = "family_court", "Family court proceedings"
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


class LearningTheme(models.Model):
    """A learning theme reviews, chronology entries and actions are tagged with; the partnership
    edits the list (themes in use are retired, never deleted)."""

    name = models.CharField(max_length=100, unique=True)
    is_active = models.BooleanField("In use", default=True)
    position = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class LearningSummary(models.Model):
    """The review's learning in brief: up to three primary themes and any others, and the
    fields of the one-page learning briefing ("7-minute briefing")."""

    MAX_PRIMARY_THEMES = 3

    review = models.OneToOneField(
        "reviews.Review", on_delete=models.CASCADE, related_name="learning_summary"
    )
    primary_themes = models.ManyToManyField(
        LearningTheme, blank=True, related_name="+", verbose_name="Primary learning themes"
    )
    other_themes = models.ManyToManyField(
        LearningTheme, blank=True, related_name="+", verbose_name="Other learning themes"
    )
    background = models.TextField(
        "The case in brief", blank=True, help_text="Pseudonymised: no real names."
    )
    why_it_matters = models.TextField("Why it matters", blank=True)
    findings = models.TextField("The report's findings", blank=True)
    reflective_questions = models.TextField("Questions for practitioners", blank=True)
    further_reading = models.TextField("Further reading and resources", blank=True)
    updated_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords(m2m_fields=[primary_themes, other_themes])

    class Meta:
        verbose_name_plural = "learning summaries"

    def __str__(self):
        return f"Learning summary for {self.review.reference}"


class ReportRecommendation(models.Model):
    """One of the final report's recommendations, numbered as in the report. actions/ turns
    each into one or more actions."""

    review = models.ForeignKey(
        "reviews.Review", on_delete=models.CASCADE, related_name="recommendations"
    )
    number = models.PositiveSmallIntegerField()
    text = models.TextField("Recommendation")
    finding = models.TextField("The finding it answers", blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["review", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "number"], name="recommendation_number_unique"
            ),
        ]

    def __str__(self):
        return f"Recommendation {self.number}: {self.text[:60]}"
