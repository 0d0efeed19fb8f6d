"""A reflective learning session or practice review: the informal learning route."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from reviews.models import Review

User = settings.AUTH_USER_MODEL


class OtherLearningReview(models.Model):
    """A reflective learning session or practice review: informal, with its own short
    workflow (scope, then the session, then closure with the learning)."""

    class Kind(models.TextChoices):
        REFLECTIVE_SESSION = "reflective_session", "Reflective learning session"
        PRACTICE_REVIEW = "practice_review", "Practice review"

    review = models.OneToOneField(Review, on_delete=models.CASCADE, related_name="other_learning")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    scope = models.TextField("Scope or terms of reference")
    held_on = models.DateField("Date of the session", null=True, blank=True)
    participants = models.TextField(blank=True, help_text="Roles and agencies, one per line.")
    learning = models.TextField("Learning identified", blank=True)
    closed_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    def __str__(self):
        return f"{self.get_kind_display()} for {self.review}"
