"""Reads for the referral and notification pages."""

from reviews.clocks.models import Deadline
from reviews.models import Review
from reviews.referral.models import LookedAfterDeathNotice, Notification


def notification_recorded(review: Review) -> bool:
    """Whether the Panel's notification has been recorded for `review`."""
    return Notification.objects.filter(review=review).exists()


def looked_after_death_notice(review: Review) -> LookedAfterDeathNotice | None:
    """The record that the DfE and Ofsted were told of a looked-after child's death, if any."""
    return LookedAfterDeathNotice.objects.filter(review=review).first()


def clock(review: Review, kind: str) -> Deadline | None:
    """One of the review's clocks, if it has it."""
    return review.deadlines.filter(kind=kind).first()
