"""What every stage's services share about the review's stage: moving it, refusing a step at
the wrong stage, and closing a review whose work is done."""

from django.db import transaction
from django.utils import timezone

from lcspr.core.exceptions import WorkflowError
from lcspr.core.services import (
    lock_row,
    save_with_history,
    timeline_event,
)
from lcspr.core.text import in_sentence
from reviews.clocks import deadlines
from reviews.models import Review, Stage


def set_stage(review: Review, stage: str, by) -> None:
    review.stage = stage
    # The retention clock (reviews/retention.py) starts on the day a review closes.
    review.closed_on = timezone.localdate() if stage == Stage.CLOSED else None
    save_with_history(review, by, validate=False)


def require_stage(review: Review, *stages: str, doing: str) -> None:
    if review.stage not in stages:
        allowed = " or ".join(in_sentence(Stage(s).label) for s in stages)
        raise WorkflowError(
            f"You cannot {doing} now: the review is at the "
            f"{in_sentence(review.get_stage_display())} stage, and this can only be done at the "
            f"{allowed} stage."
        )


@transaction.atomic
def review_close_completed(*, review: Review, by, reason: str) -> Review:
    """Close an LCSPR whose work is done: its report published and every action of its plan
    closed or handed to another plan (actions/ decides when, and calls this)."""
    review = lock_row(review)
    require_stage(review, Stage.LCSPR, doing="close the review")
    if not reason.strip():
        raise WorkflowError({"reason": "Enter why the review is closed"})
    review.closed_reason = reason
    set_stage(review, Stage.CLOSED, by)
    deadlines.refresh(review, by=by)
    timeline_event(review, by, "review_closed", f"Review closed: {reason}"[:500])
    return review
