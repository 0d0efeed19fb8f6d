"""A reflective learning session or practice review: the informal learning route."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from reviews.models import Review

User = settings.AUTH_USER_MODEL


class OtherLearningReview(models.Model):
    """A reflective learning session or practice review: informal, with its own short
    workflow (scope, sent to the practitioners, then the session, then closure with the
    learning). It follows the Independent Chair's decision, or a referral that does not meet
    the criteria for notification when the partnership still wants its learning."""

    class Kind(models.TextChoices):
        REFLECTIVE_SESSION = "reflective_session", "Reflective learning session"
        PRACTICE_REVIEW = "practice_review", "Practice review"

    review = models.OneToOneField(Review, on_delete=models.CASCADE, related_name="other_learning")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    scope = models.TextField("Scope or terms of reference")
    # Practitioners are sent the scope before the session, so they come prepared.
    scope_sent_on = models.DateField(
        "Date the scope was sent to practitioners", null=True, blank=True
    )
    held_on = models.DateField("Date of the session", null=True, blank=True)
    participants = models.TextField(blank=True, help_text="Roles and agencies, one per line.")
    learning = models.TextField("Learning identified", blank=True)
    closed_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    def __str__(self):
        return f"{self.get_kind_display()} for {self.review}"
