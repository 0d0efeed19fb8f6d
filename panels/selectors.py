"""Reads for the panel pages."""

from django.shortcuts import get_object_or_404

from panels.models import Membership
from reviews.models import Review


def membership_or_404(review: Review, pk, **filters) -> Membership:
    """One membership of `review` (matching `filters`), with the person and agency; 404 if the
    id is not one of this review's."""
    return get_object_or_404(
        Membership.objects.select_related("user__agency", "agency"), pk=pk, review=review, **filters
    )
