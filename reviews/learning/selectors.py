"""Reads for the learning pages."""

from django.db.models import Count
from django.shortcuts import get_object_or_404

from reviews.learning.models import LearningSummary, LearningTheme


def learning_summary(review) -> LearningSummary | None:
    """The review's learning summary with its themes loaded, or None."""
    return (
        LearningSummary.objects.filter(review=review)
        .select_related("updated_by")
        .prefetch_related("primary_themes", "other_themes")
        .first()
    )


def recommendations(review):
    """The review's recommendations in number order, each with how many actions it has."""
    return review.recommendations.annotate(action_count=Count("actions")).order_by("number")


def themes() -> list[LearningTheme]:
    """The partnership's learning themes in the order the manager set."""
    return list(LearningTheme.objects.order_by("position", "name"))


def theme_or_404(pk) -> LearningTheme:
    """One learning theme (the themes are the partnership's, not a review's); 404 if none."""
    return get_object_or_404(LearningTheme, pk=pk)
