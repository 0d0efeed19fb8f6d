"""What the learning becomes: actions from a final report's recommendations, from a
rapid review's immediate actions or from the review itself, their progress and evidence, and the
sub-group's monitoring until each is closed on evidence of impact."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from lcspr.accounts.models import Agency
from lcspr.core.models import Singleton
from lcspr.core.text import long_date
from reviews.learning.models import LearningTheme, ReportRecommendation
from reviews.models import Review
from reviews.rapid_review.models import ImmediateAction

User = settings.AUTH_USER_MODEL


class ActionSettings(Singleton):
    """The partnership's monitoring rules (one row)."""

    stale_update_weeks = models.PositiveSmallIntegerField(
        "Weeks without a progress update before an action is flagged", default=6
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "action settings"

    def __str__(self):
        return "Action settings"


class Source(models.TextChoices):
    RECOMMENDATION = "recommendation", "A recommendation of the final report"
    IMMEDIATE = "immediate", "An immediate action from the rapid review"
    DURING_REVIEW = "during_review", "Identified during the review"
    PARTNERSHIP = "partnership", "Partnership-wide learning"


class Status(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETE = "complete", "Complete"
    CLOSED = "closed", "Closed"
    HANDED_OVER = "handed_over", "Handed to another plan"


# Statuses in which the action is still being delivered or assured.
TITLE_LENGTH = 80  # characters of an action's text that name it in headings and lists
OPEN_STATUSES = (Status.NOT_STARTED, Status.IN_PROGRESS, Status.COMPLETE)
FINISHED_STATUSES = (Status.CLOSED, Status.HANDED_OVER)
# An action is overdue while it is still being delivered; once complete it waits for evidence
# of impact, which the stale rule (no update for N weeks) watches instead.
DELIVERY_STATUSES = (Status.NOT_STARTED, Status.IN_PROGRESS)


def overdue_q(today, prefix: str = "") -> Q:
    """The one definition of an overdue action, as a filter (`prefix` reaches actions from a
    related model, e.g. "actions__"); `Action.is_overdue_on` says the same of one action."""
    return Q(**{f"{prefix}status__in": DELIVERY_STATUSES, f"{prefix}due_date__lt": today})


class Rag(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"


RAG_MEANING = {
    Rag.RED: "Will not deliver",
    Rag.AMBER: "Will partly deliver",
    Rag.GREEN: "On track",
}


class Assurance(models.TextChoices):
    AUDIT = "audit", "Audit"
    SURVEY = "survey", "Survey of practitioners or families"
    CASE_SAMPLING = "case_sampling", "Case sampling"
    OBSERVATION = "observation", "Observation of practice"
    OTHER = "other", "Other"


class Action(models.Model):
    """One SMART action of a review's action plan, owned by a lead agency."""

    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="actions")
    number = models.PositiveSmallIntegerField()
    source = models.CharField(max_length=20, choices=Source.choices)
    recommendation = models.ForeignKey(
        ReportRecommendation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="actions",
        verbose_name="The recommendation it answers",
    )
    immediate_action = models.OneToOneField(
        ImmediateAction,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tracked_action",
    )
    text = models.TextField("Action", help_text="Specific, measurable, achievable, timed.")
    lead_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="actions")
    owner = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_actions",
        verbose_name="Named owner",
    )
    due_date = models.DateField("Due date")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    rag = models.CharField("RAG rating", max_length=5, choices=Rag.choices, blank=True)
    rag_note = models.TextField("Reason for the RAG rating", blank=True)
    themes = models.ManyToManyField(
        LearningTheme, blank=True, related_name="actions", verbose_name="Learning themes"
    )
    completion_evidence = models.TextField("Evidence of completion", blank=True)
    impact_evidence = models.TextField(
        "Evidence of impact", blank=True, help_text="What changed in practice."
    )
    assurance_method = models.CharField(
        "How the impact was assured", max_length=20, choices=Assurance.choices, blank=True
    )
    assurance_detail = models.TextField("Assurance detail", blank=True)
    impact_requested_at = models.DateTimeField(null=True, blank=True)
    impact_requested_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    impact_request_note = models.TextField("What the sub-group asked for", blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closure_note = models.TextField(blank=True)
    handed_to = models.TextField("The plan it was handed to", blank=True)
    shared_with_agencies = models.BooleanField(
        "Shared with every agency's representatives", default=False
    )
    last_update_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords(m2m_fields=[themes])

    class Meta:
        ordering = ["review", "number"]
        constraints = [
            models.UniqueConstraint(fields=["review", "number"], name="action_number_unique"),
            models.CheckConstraint(
                condition=~Q(source="recommendation") | Q(recommendation__isnull=False),
                name="action_recommendation_source",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_date"], name="action_status_due"),
            models.Index(fields=["lead_agency", "status"], name="action_agency_status"),
            models.Index(fields=["rag"], name="action_rag"),
            models.Index(fields=["last_update_at"], name="action_last_update"),
        ]

    def __str__(self):
        return self.name

    @property
    def reference(self) -> str:
        return f"{self.review.reference}/A{self.number}"

    @property
    def title(self) -> str:
        """The action's text, cut at a word to fit a heading."""
        text = " ".join(self.text.split())
        if len(text) <= TITLE_LENGTH:
            return text
        return text[:TITLE_LENGTH].rsplit(" ", 1)[0].rstrip(",;:.") + "…"

    @property
    def name(self) -> str:
        """How every page, e-mail and report names the action: "CSPR-2026-008/A2: title"."""
        return f"{self.reference}: {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_being_delivered(self) -> bool:
        """Not started or in progress: its due date still counts."""
        return self.status in DELIVERY_STATUSES

    def is_overdue_on(self, today) -> bool:
        """The one definition of overdue (see `overdue_q`), for one action."""
        return self.is_being_delivered and self.due_date < today

    @property
    def rag_meaning(self) -> str:
        return RAG_MEANING.get(self.rag, "Not rated")


class ProgressUpdate(models.Model):
    """A dated progress update on an action, by its lead agency or the sub-group."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    text = models.TextField("Progress")
    status_after = models.CharField(max_length=20, choices=Status.choices)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-recorded_at", "-pk"]

    def __str__(self):
        return f"Update on {self.action.reference} ({long_date(self.recorded_at.date())})"


class EvidenceFile(models.Model):
    """A file of evidence (progress, completion or impact); served only through the
    permission-checked download view, its SHA-256 checked on every download."""

    class Kind(models.TextChoices):
        PROGRESS = "progress", "Progress"
        COMPLETION = "completion", "Evidence of completion"
        IMPACT = "impact", "Evidence of impact"

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="evidence_files")
    update = models.ForeignKey(
        ProgressUpdate, null=True, blank=True, on_delete=models.CASCADE, related_name="files"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PROGRESS)
    file = models.FileField(upload_to="evidence/%Y/")
    file_name = models.CharField(max_length=200)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.file_name


class DueDateChange(models.Model):
    """A due date moved: the old and new dates and why."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="due_date_changes")
    old_date = models.DateField()
    new_date = models.DateField()
    reason = models.TextField()
    changed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["changed_at", "pk"]

    def __str__(self):
        return f"{long_date(self.old_date)} → {long_date(self.new_date)}"
