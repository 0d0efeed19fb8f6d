"""The rapid review's steps, from its findings to sending it to the National Panel."""

import datetime

from django.db import transaction
from django.utils import timezone

from lcspr.accounts.models import Agency
from lcspr.core.exceptions import WorkflowError
from lcspr.core.services import (
    delete_with_history,
    lock_row,
    require_not_future,
    save_with_history,
    timeline_event,
)
from lcspr.core.text import long_date
from lcspr.core.versions import require_version
from reviews import waiting
from reviews.clocks import deadlines
from reviews.models import Review, Stage
from reviews.rapid_review.models import (
    AgencySummaryRequest,
    ImmediateAction,
    PartnerSignOff,
    RapidReview,
    RapidReviewMeeting,
)
from reviews.workflow import require_stage, set_stage


def _rapid_review(review: Review) -> RapidReview:
    try:
        return review.rapid_review
    except RapidReview.DoesNotExist:
        raise WorkflowError(
            "The rapid review has not started: record the notification first."
        ) from None


RAPID_REVIEW_FIELDS = (
    "facts",
    "emerging_learning",
    "equality_context",
    "crit_learning_potential",
    "crit_recurrent_themes",
    "crit_serious_concern",
    "crit_national_panel_view",
    "may_need_national_review",
    "national_review_reasons",
)


@transaction.atomic
def rapid_review_update(*, review: Review, by, version=None, **fields) -> RapidReview:
    """Record the rapid review's findings and its check against the local-review criteria
    (refused when read at an older `version` and someone has changed them since)."""
    review = lock_row(review)
    require_stage(review, Stage.RAPID_REVIEW, doing="change the rapid review")
    rapid_review = _rapid_review(review)
    require_version(rapid_review, version, fields=RAPID_REVIEW_FIELDS)
    unknown = set(fields) - set(RAPID_REVIEW_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    for field, value in fields.items():
        setattr(rapid_review, field, value)
    save_with_history(rapid_review, by)
    timeline_event(review, by, "rapid_review_updated", "Rapid review findings updated")
    return rapid_review


@transaction.atomic
def rapid_review_meeting_add(
    *, review: Review, by, held_on, attendees: str, notes: str = ""
) -> RapidReviewMeeting:
    """Record a rapid review meeting and who attended."""
    review = lock_row(review)
    require_stage(review, Stage.RAPID_REVIEW, doing="record a rapid review meeting")
    meeting = save_with_history(
        RapidReviewMeeting(
            rapid_review=_rapid_review(review), held_on=held_on, attendees=attendees, notes=notes
        ),
        by,
    )
    timeline_event(
        review, by, "rapid_review_meeting", f"Rapid review meeting on {long_date(held_on)}"
    )
    return meeting


@transaction.atomic
def immediate_action_add(
    *, review: Review, by, description: str, lead_agency: Agency, due_date=None
) -> ImmediateAction:
    """Record an immediate safety action the rapid review identified."""
    review = lock_row(review)
    require_stage(review, Stage.RAPID_REVIEW, doing="add an immediate action")
    action = save_with_history(
        ImmediateAction(
            rapid_review=_rapid_review(review),
            description=description,
            lead_agency=lead_agency,
            due_date=due_date,
        ),
        by,
    )
    timeline_event(review, by, "immediate_action", f"Immediate action for {lead_agency} recorded")
    return action


@transaction.atomic
def agency_summary_request(
    *, review: Review, by, agency: Agency, due_date: datetime.date
) -> AgencySummaryRequest:
    """Ask an involved agency for its summary of involvement."""
    review = lock_row(review)
    require_stage(review, Stage.RAPID_REVIEW, doing="request an agency summary")
    if review.agency_summaries.filter(agency=agency).exists():
        raise WorkflowError({"agency": f"{agency} has already been asked for a summary."})
    if due_date < timezone.localdate():
        raise WorkflowError({"due_date": "The due date must be today or in the future."})
    request = save_with_history(
        AgencySummaryRequest(review=review, agency=agency, due_date=due_date), by
    )
    timeline_event(
        review,
        by,
        "summary_requested",
        f"Agency summary requested from {agency} by {long_date(due_date)}",
    )
    waiting.tell_agency_summary_requested(request)
    return request


@transaction.atomic
def agency_summary_submit(
    *, request: AgencySummaryRequest, by, summary: str = "", file=None
) -> AgencySummaryRequest:
    """Receive an agency's summary (text, a file, or both)."""
    review = lock_row(request.review)
    require_stage(review, Stage.RAPID_REVIEW, doing="submit an agency summary")
    request = AgencySummaryRequest.objects.select_for_update().get(pk=request.pk)
    if not summary.strip() and not file:
        raise WorkflowError({"summary": "Enter the summary or choose a file to upload"})
    request.summary = summary
    if file:
        request.file = file
        request.file_name = file.name[:200]
    request.received_on = timezone.localdate()
    request.submitted_by = by
    save_with_history(request, by, validate=False)
    timeline_event(review, by, "summary_received", f"Agency summary received from {request.agency}")
    return request


@transaction.atomic
def recommendation_record(
    *, review: Review, by, recommendation: str, rationale: str
) -> RapidReview:
    """Record the partners' recommendation; a changed recommendation needs signing off again."""
    review = lock_row(review)
    require_stage(review, Stage.RAPID_REVIEW, doing="record the recommendation")
    rapid_review = _rapid_review(review)
    if not rationale.strip():
        raise WorkflowError({"rationale": "Enter the reasons for the recommendation"})
    changed = rapid_review.recommendation and rapid_review.recommendation != recommendation
    rapid_review.recommendation = recommendation
    rapid_review.recommendation_rationale = rationale
    rapid_review.recommended_on = timezone.localdate()
    save_with_history(rapid_review, by)
    if changed:
        for sign_off in rapid_review.sign_offs.all():
            delete_with_history(sign_off, by)
    timeline_event(
        review,
        by,
        "recommendation",
        f"Recommendation: {rapid_review.get_recommendation_display()}"
        + (" (earlier sign-offs withdrawn)" if changed else ""),
    )
    waiting.tell_partner_leads_to_sign_off(review, missing_sign_offs(rapid_review))
    return rapid_review


def statutory_partners():
    return Agency.objects.filter(is_statutory_partner=True, is_active=True)


@transaction.atomic
def partner_sign_off(*, review: Review, by) -> PartnerSignOff:
    """A statutory partner lead signs off the recommendation for their own agency."""
    review = lock_row(review)
    require_stage(review, Stage.RAPID_REVIEW, doing="sign off the rapid review")
    rapid_review = _rapid_review(review)
    if not rapid_review.recommendation:
        raise WorkflowError("There is no recommendation to sign off yet.")
    agency = by.agency
    if agency is None or not agency.is_statutory_partner:
        raise WorkflowError("Only a lead of one of the three statutory partners can sign off.")
    if rapid_review.sign_offs.filter(agency=agency).exists():
        raise WorkflowError(f"{agency} has already signed off this recommendation.")
    sign_off = save_with_history(
        PartnerSignOff(
            rapid_review=rapid_review,
            agency=agency,
            signed_by=by,
            recommendation=rapid_review.recommendation,
        ),
        by,
    )
    timeline_event(review, by, "partner_sign_off", f"Signed off for {agency}")
    return sign_off


def missing_sign_offs(rapid_review: RapidReview) -> list[Agency]:
    signed = {s.agency_id for s in rapid_review.sign_offs.all()}
    return [a for a in statutory_partners() if a.pk not in signed]


@transaction.atomic
def rapid_review_send(*, review: Review, by, sent_on: datetime.date) -> RapidReview:
    """Record that the signed-off rapid review went to the National Panel."""
    review = lock_row(review)
    require_stage(review, Stage.RAPID_REVIEW, doing="send the rapid review")
    rapid_review = _rapid_review(review)
    if not rapid_review.recommendation:
        raise WorkflowError("Record the partners' recommendation before sending the rapid review.")
    missing = missing_sign_offs(rapid_review)
    if missing:
        raise WorkflowError(
            "The rapid review needs signing off by every statutory partner first. Still to "
            f"sign off: {', '.join(str(a) for a in missing)}."
        )
    if sent_on < review.notification.sent_on:
        raise WorkflowError({"sent_on": "It cannot be sent before the notification was."})
    require_not_future(sent_on, "sent_on")
    rapid_review.sent_to_panel_on = sent_on
    save_with_history(rapid_review, by)
    if not review.decisions.exists():
        set_stage(review, Stage.AWAITING_DECISION, by)
        waiting.tell_chair_to_decide(review)
    deadlines.refresh(review, by=by)
    timeline_event(
        review,
        by,
        "rapid_review_sent",
        f"Rapid review sent to the National Panel on {long_date(sent_on)}",
    )
    return rapid_review


@transaction.atomic
def panel_response_record(
    *, review: Review, by, response: str, response_on: datetime.date, notes: str = ""
) -> RapidReview:
    """Record the National Panel's response to the rapid review."""
    review = lock_row(review)
    rapid_review = _rapid_review(review)
    if not rapid_review.sent_to_panel_on:
        raise WorkflowError("Record that the rapid review was sent before recording a response.")
    if response_on < rapid_review.sent_to_panel_on:
        raise WorkflowError(
            {"response_on": "The response cannot come before the rapid review was sent."}
        )
    require_not_future(response_on, "response_on")
    rapid_review.panel_response = response
    rapid_review.panel_response_on = response_on
    rapid_review.panel_response_notes = notes
    save_with_history(rapid_review, by)
    timeline_event(
        review,
        by,
        "panel_response",
        f"National Panel's response: {rapid_review.get_panel_response_display()}",
    )
    return rapid_review
