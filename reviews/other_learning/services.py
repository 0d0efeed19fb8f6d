"""The other learning review's steps: starting one for a referral that does not meet the
criteria for notification, its scope (sent to the practitioners beforehand), the session, and
closing it with its learning."""

from django.db import transaction
from django.utils import timezone

from lcspr.core.exceptions import WorkflowError
from lcspr.core.services import (
    lock_row,
    require_not_future,
    save_with_history,
    timeline_event,
)
from lcspr.core.text import in_sentence, long_date
from lcspr.core.versions import require_version
from reviews.clocks import deadlines
from reviews.models import Review, Stage
from reviews.other_learning.models import OtherLearningReview
from reviews.workflow import require_stage, set_stage

# What the learning review's page edits.
OTHER_LEARNING_FIELDS = ("kind", "scope", "scope_sent_on", "held_on", "participants", "learning")


def learning_review_start_blocker(review: Review) -> str:
    """Why a learning review cannot start from this referral now ("" when it can); the page
    shows it before the manager fills anything in."""
    if review.stage == Stage.CLOSED:
        return "The referral is closed: a learning review can no longer start from it."
    if review.stage != Stage.REFERRAL:
        return (
            "A learning review starts here only from a referral: the review is at the "
            f"{in_sentence(review.get_stage_display())} stage."
        )
    if not review.criteria_checked:
        return "Check the criteria before starting a learning review instead."
    if review.criteria_met:
        return "The criteria are met: notify the National Panel instead."
    return ""


@transaction.atomic
def learning_review_start(*, review: Review, by, kind: str, scope: str) -> OtherLearningReview:
    """Hold a reflective learning session or practice review for a referral that does not meet
    the criteria for notification, instead of closing it. No notification is due, so its clocks
    go (reviews/clocks/deadlines.py)."""
    review = lock_row(review)
    blocker = learning_review_start_blocker(review)
    if blocker:
        raise WorkflowError(blocker)
    if kind not in OtherLearningReview.Kind.values:
        raise WorkflowError({"kind": "Select the type of learning review"})
    if not scope.strip():
        raise WorkflowError({"scope": "Enter the scope or terms of reference"})
    other = save_with_history(OtherLearningReview(review=review, kind=kind, scope=scope), by)
    set_stage(review, Stage.OTHER_LEARNING, by)
    deadlines.refresh(review, by=by)
    timeline_event(
        review,
        by,
        "learning_review_started",
        "Learning review started although the criteria for notification are not met: "
        f"{other.get_kind_display()}",
    )
    return other


def _require_scope_sent_first(scope_sent_on, held_on) -> None:
    if held_on is None:
        return
    if scope_sent_on is None:
        raise WorkflowError(
            {
                "scope_sent_on": "Enter the date the scope was sent to the practitioners: "
                "they are sent it before the session is held"
            }
        )
    if scope_sent_on > held_on:
        raise WorkflowError(
            {
                "held_on": "The session cannot be held before the scope was sent to the "
                f"practitioners ({long_date(scope_sent_on)})"
            }
        )


@transaction.atomic
def other_learning_update(
    *,
    review: Review,
    by,
    kind: str,
    scope: str,
    scope_sent_on=None,
    held_on=None,
    participants: str = "",
    learning: str = "",
    version: int | None = None,
) -> OtherLearningReview:
    """Record the scope (and when it was sent to the practitioners), the session and the
    learning of a reflective session or practice review (refused when read at an older
    `version` and someone has changed it since)."""
    review = lock_row(review)
    require_stage(review, Stage.OTHER_LEARNING, doing="record the learning review")
    existing = OtherLearningReview.objects.filter(review=review).first()
    if existing is not None:
        require_version(existing, version, fields=OTHER_LEARNING_FIELDS)
    require_not_future(scope_sent_on, "scope_sent_on")
    require_not_future(held_on, "held_on")
    _require_scope_sent_first(scope_sent_on, held_on)
    other = existing or OtherLearningReview(review=review)
    created = other.pk is None
    other.kind, other.scope, other.scope_sent_on = kind, scope, scope_sent_on
    other.held_on, other.participants, other.learning = held_on, participants, learning
    save_with_history(other, by)
    timeline_event(
        review,
        by,
        "other_learning",
        f"{other.get_kind_display()} {'set up' if created else 'updated'}",
    )
    return other


def close_blocker(other: OtherLearningReview | None) -> str:
    """What is still to record before the learning review can close ("" when nothing is)."""
    missing = []
    if other is None or not other.scope_sent_on:
        missing.append("the date the scope was sent to the practitioners")
    if other is None or not other.held_on:
        missing.append("the date it was held")
    if other is None or not other.learning.strip():
        missing.append("the learning identified")
    if not missing:
        return ""
    listed = missing[0] if len(missing) == 1 else f"{', '.join(missing[:-1])} and {missing[-1]}"
    return f"Record {listed} before closing it."


@transaction.atomic
def other_learning_close(*, review: Review, by) -> OtherLearningReview:
    """Close an other learning review once its scope was sent, it was held and its learning
    recorded."""
    review = lock_row(review)
    require_stage(review, Stage.OTHER_LEARNING, doing="close the learning review")
    other = OtherLearningReview.objects.filter(review=review).first()
    blocker = close_blocker(other)
    if blocker:
        raise WorkflowError(blocker)
    other.closed_on = timezone.localdate()
    save_with_history(other, by)
    set_stage(review, Stage.CLOSED, by)
    deadlines.refresh(review, by=by)
    timeline_event(review, by, "other_learning_closed", f"{other.get_kind_display()} closed")
    return other
