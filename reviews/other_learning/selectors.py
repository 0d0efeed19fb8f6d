"""Reads for the other-learning pages."""

from reviews.models import Review
from reviews.other_learning.models import OtherLearningReview


def other_learning(review: Review) -> OtherLearningReview | None:
    """The review's other learning review, if one was recorded."""
    return OtherLearningReview.objects.filter(review=review).first()
