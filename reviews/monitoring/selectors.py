"""What the time and quality monitoring pages read: the checkpoint and completion clocks, the
checkpoints held and the written requests to the author."""

from django.db.models import QuerySet
from django.utils import timezone

from lcspr.core.working_days import calendar
from reviews.clocks import deadlines
from reviews.clocks.models import DeadlineKind
from reviews.models import Review

CLOCKS = {DeadlineKind.CHECKPOINT: "checkpoint", DeadlineKind.COMPLETION: "completion"}


def monitoring_clocks(review: Review) -> dict:
    """The checkpoint and completion clocks, each with its working-day countdown, by the names
    "checkpoint" and "completion" (a clock not set is left out)."""
    today, cal = timezone.localdate(), calendar()
    clocks = {}
    for deadline in review.deadlines.filter(kind__in=CLOCKS):
        deadline.countdown = deadlines.countdown(deadline.due_date, today, cal)
        clocks[CLOCKS[deadline.kind]] = deadline
    return clocks


def checkpoints_for(review: Review) -> QuerySet:
    """The checkpoints held on the review, with who recorded each."""
    return review.checkpoints.select_related("recorded_by")


def written_requests_for(review: Review) -> QuerySet:
    """The written requests to the review's author, with who recorded each."""
    return review.written_requests.select_related("recorded_by")
