"""Learning: the partnership's learning themes, a review's learning summary and the report's
numbered recommendations (which actions/ turns into actions)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

User = settings.AUTH_USER_MODEL


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
