"""Reads for the referral and notification pages."""

from reviews.models import Review
from reviews.referral.models import Notification


def notification_recorded(review: Review) -> bool:
    """Whether the Panel's notification has been recorded for `review`."""
    return Notification.objects.filter(review=review).exists()
