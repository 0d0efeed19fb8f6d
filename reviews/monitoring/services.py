"""Recording the sub-group's checkpoints and written requests."""

import datetime

from django.db import transaction

from lcspr.core.exceptions import WorkflowError
from lcspr.core.services import (
    lock_row,
    require_not_future,
    save_with_history,
    timeline_event,
)
from lcspr.core.text import in_sentence, long_date
from reviews.clocks import deadlines
from reviews.models import Review, Stage
from reviews.monitoring.models import Checkpoint, WrittenRequest


@transaction.atomic
def checkpoint_record(
    *,
    review: Review,
    by,
    held_on: datetime.date,
    progress: str,
    progress_notes: str = "",
    quality_concerns: str = "",
) -> Checkpoint:
    """The sub-group records a review's progress against its timescale and any quality
    concerns; the next checkpoint falls due one interval later."""
    review = lock_row(review)
    if review.stage != Stage.LCSPR:
        raise WorkflowError("Checkpoints are held while an LCSPR is in progress.")
    require_not_future(held_on, "held_on")
    checkpoint = save_with_history(
        Checkpoint(
            review=review,
            held_on=held_on,
            progress=progress,
            progress_notes=progress_notes,
            quality_concerns=quality_concerns,
            recorded_by=by,
        ),
        by,
    )
    deadlines.refresh(review, by=by)
    timeline_event(
        review, by, "checkpoint", f"Checkpoint: {in_sentence(checkpoint.get_progress_display())}"
    )
    return checkpoint


@transaction.atomic
def written_request_record(
    *, review: Review, by, sent_on: datetime.date, request: str
) -> WrittenRequest:
    """Record a written request to the author for a draft or information."""
    review = lock_row(review)
    if review.stage != Stage.LCSPR:
        raise WorkflowError("Written requests are made while an LCSPR is in progress.")
    require_not_future(sent_on, "sent_on")
    written = save_with_history(
        WrittenRequest(review=review, sent_on=sent_on, request=request, recorded_by=by), by
    )
    timeline_event(
        review, by, "written_request", f"Written request to the author on {long_date(sent_on)}"
    )
    return written


@transaction.atomic
def written_request_answer(
    *, written: WrittenRequest, by, response_on: datetime.date, response: str
) -> WrittenRequest:
    """Record the author's response to a written request."""
    written = WrittenRequest.objects.select_for_update().get(pk=written.pk)
    if written.response_on:
        raise WorkflowError("The response is already recorded.")
    if response_on < written.sent_on:
        raise WorkflowError({"response_on": "The response cannot predate the request."})
    require_not_future(response_on, "response_on")
    written.response_on, written.response = response_on, response
    save_with_history(written, by)
    timeline_event(
        written.review,
        by,
        "written_request_answered",
        f"Response to the written request of {long_date(written.sent_on)} recorded",
    )
    return written
