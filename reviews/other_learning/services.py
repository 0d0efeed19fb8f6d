"""The other learning review's steps: its scope, the session, and closing it with its learning."""

from django.db import transaction
from django.utils import timezone

from lcspr.core.exceptions import WorkflowError
from lcspr.core.services import (
    lock_row,
    require_not_future,
    save_with_history,
    timeline_event,
)
from reviews.models import Review, Stage
from reviews.other_learning.models import OtherLearningReview
from reviews.workflow import require_stage, set_stage


@transaction.atomic
def other_learning_update(
    *,
    review: Review,
    by,
    kind: str,
    scope: str,
    held_on=None,
    participants: str = "",
    learning: str = "",
) -> OtherLearningReview:
    """Record the scope, session and learning of a reflective session or practice review."""
    review = lock_row(review)
    require_stage(review, Stage.OTHER_LEARNING, doing="record the learning review")
    require_not_future(held_on, "held_on")
    other = OtherLearningReview.objects.filter(review=review).first() or OtherLearningReview(
        review=review
    )
    created = other.pk is None
    other.kind, other.scope, other.held_on = kind, scope, held_on
    other.participants, other.learning = participants, learning
    save_with_history(other, by)
    timeline_event(
        review,
        by,
        "other_learning",
        f"{other.get_kind_display()} {'set up' if created else 'updated'}",
    )
    return other


@transaction.atomic
def other_learning_close(*, review: Review, by) -> OtherLearningReview:
    """Close an other learning review once it has been held and its learning recorded."""
    review = lock_row(review)
    require_stage(review, Stage.OTHER_LEARNING, doing="close the learning review")
    other = OtherLearningReview.objects.filter(review=review).first()
    if other is None or not other.held_on or not other.learning.strip():
        raise WorkflowError(
            "Record the date it was held and the learning identified before closing it."
        )
    other.closed_on = timezone.localdate()
    save_with_history(other, by)
    set_stage(review, Stage.CLOSED, by)
    timeline_event(review, by, "other_learning_closed", f"{other.get_kind_display()} closed")
    return other
