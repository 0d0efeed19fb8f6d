"""Reads for the retention pages."""

from reviews.models import Review
from reviews.retention.models import LegalHold, RetentionRemoval


def removals(limit: int):
    """The latest removals of expired reviews, newest first as the model orders them."""
    return RetentionRemoval.objects.select_related("removed_by")[:limit]


def legal_holds(review: Review):
    """Every legal hold set on `review`, in force or lifted, with who set and lifted it."""
    return LegalHold.objects.filter(review=review).select_related("set_by", "lifted_by")
