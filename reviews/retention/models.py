"""Retention: how long a closed review is kept, legal holds, and the record of what was removed."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from lcspr.core.models import Singleton

User = settings.AUTH_USER_MODEL


class RetentionType(models.TextChoices):
    """What a review was, by how it ended: each is kept for its own number of years."""

    NOT_NOTIFIABLE = "not_notifiable", "Referral closed: the criteria for notification not met"
    RAPID_REVIEW = "rapid_review", "Rapid review with no further action"
    OTHER_LEARNING = "other_learning", "Other learning review"
    LCSPR = "lcspr", "Local child safeguarding practice review (LCSPR)"
    NATIONAL = "national", "National review"


def _years(label: str, default: int):
    return models.PositiveSmallIntegerField(
        label,
        default=default,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )


class RetentionSettings(Singleton):
    """The partnership's retention periods (one row), in whole years from the day a review
    was closed. The defaults are a starting point: the partnership sets its own."""

    not_notifiable_years = _years("Referrals closed as not notifiable", 7)
    rapid_review_years = _years("Rapid reviews with no further action", 15)
    other_learning_years = _years("Other learning reviews", 25)
    lcspr_years = _years("LCSPRs", 75)
    national_years = _years("National reviews", 75)
    history = HistoricalRecords()

    FIELD_FOR_TYPE = {
        RetentionType.NOT_NOTIFIABLE: "not_notifiable_years",
        RetentionType.RAPID_REVIEW: "rapid_review_years",
        RetentionType.OTHER_LEARNING: "other_learning_years",
        RetentionType.LCSPR: "lcspr_years",
        RetentionType.NATIONAL: "national_years",
    }

    class Meta:
        verbose_name_plural = "retention settings"

    def __str__(self):
        return "Retention settings"

    def years_for(self, retention_type: str) -> int:
        return getattr(self, self.FIELD_FOR_TYPE[retention_type])


class LegalHold(models.Model):
    """A legal hold on a review: while one is in force nothing of the review is removed,
    whatever its retention period says. Lifting keeps the row, with who, when and why."""

    review = models.ForeignKey("reviews.Review", on_delete=models.CASCADE, related_name="holds")
    reason = models.TextField("Why the review is on hold")
    set_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(default=timezone.now)
    lifted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lifted_at = models.DateTimeField(null=True, blank=True)
    lift_reason = models.TextField("Why the hold is lifted", blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-set_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["review"],
                condition=models.Q(lifted_at__isnull=True),
                name="legal_hold_one_in_force",
            ),
        ]

    def __str__(self):
        return f"Legal hold on {self.review_id} set {self.set_at:%Y-%m-%d}"

    @property
    def in_force(self) -> bool:
        return self.lifted_at is None


class RetentionRemoval(models.Model):
    """The audit record of one review removed at the end of its retention period. It holds no
    case content: the reference, what kind of review it was, the dates, who ran the removal and
    how much was removed."""

    reference = models.CharField(max_length=20)
    retention_type = models.CharField(max_length=20, choices=RetentionType.choices)
    closed_on = models.DateField()
    retention_years = models.PositiveSmallIntegerField()
    removed_at = models.DateTimeField(default=timezone.now)
    removed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    rows_removed = models.PositiveIntegerField(default=0)
    history_rows_removed = models.PositiveIntegerField(default=0)
    files_removed = models.PositiveIntegerField(default=0)
    # {"reviews.Child": 2, ...}: how many records of each kind went, never what they said.
    counts = models.JSONField(default=dict, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-removed_at", "-pk"]

    def __str__(self):
        return f"{self.reference} removed {self.removed_at:%Y-%m-%d}"
