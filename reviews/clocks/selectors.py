"""Reads for the clock pages."""

from reviews.models import Review, Stage


def open_review_count() -> int:
    """How many reviews are open (their clocks follow the partnership's settings)."""
    return Review.objects.exclude(stage=Stage.CLOSED).count()
