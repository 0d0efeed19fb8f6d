"""Reads for the decision pages."""

from reviews.clocks import deadlines
from reviews.models import Review
from reviews.rapid_review import services as rapid_review_services
from reviews.rapid_review.models import RapidReview


def decision_page(review: Review) -> dict:
    """What the Chair decides on: the recommendation, its sign-offs, the Panel's response, and
    every decision so far (the one in force last)."""
    rapid_review = RapidReview.objects.filter(review=review).first()
    sign_offs = (
        rapid_review.sign_offs.select_related("agency", "signed_by").order_by("agency__name")
        if rapid_review
        else []
    )
    decisions = list(review.decisions.select_related("recorded_by", "supersedes"))
    return {
        "review": review,
        "rapid_review": rapid_review,
        "sign_offs": sign_offs,
        "missing": rapid_review_services.missing_sign_offs(rapid_review) if rapid_review else [],
        "decisions": decisions,
        "current": deadlines.current_decision(review),
    }
