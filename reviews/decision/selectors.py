"""Reads for the decision pages."""

from reviews.clocks import deadlines
from reviews.decision import services as decision_services
from reviews.decision.models import Outcome
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
    decisions = list(
        review.decisions.select_related("recorded_by", "supersedes").prefetch_related(
            "agreements__agency", "agreements__recorded_by"
        )
    )
    recommended = decision_services.recommended_outcome(review)
    pending = decision_services.awaiting_partners(review)
    return {
        "review": review,
        "rapid_review": rapid_review,
        "sign_offs": sign_offs,
        "missing": rapid_review_services.missing_sign_offs(rapid_review) if rapid_review else [],
        "decisions": decisions,
        "current": deadlines.current_decision(review),
        "recommended": Outcome(recommended) if recommended else None,
        "pending": pending,
        "pending_missing": decision_services.missing_agreements(pending) if pending else [],
    }


def agreement_page(review: Review, user) -> dict:
    """What a statutory partner lead answers: the decision awaiting the partners' agreement
    beside their recommendation, and each partner's answer so far (their own among them)."""
    page = decision_page(review)
    pending = page["pending"]
    answers = list(pending.agreements.all()) if pending else []
    page["answers"] = answers
    page["own_answer"] = next((a for a in answers if a.agency_id == user.agency_id), None)
    return page
