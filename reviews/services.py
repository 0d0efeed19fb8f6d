"""Every change to a review, from referral to the Independent Chair's decision.

Each service is atomic, takes the acting user as `by`, records change history (with `by` as
the history user) and one timeline event, recomputes the review's clocks when a date it depends
on changes, and raises `WorkflowError` (a ValidationError) with a reason a manager understands
when the workflow does not allow the step.
"""

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
from reviews import deadlines
from reviews.models import (
    AgencySummaryRequest,
    Child,
    ClockSettings,
    Decision,
    ImmediateAction,
    NationalNotice,
    Notification,
    OtherLearningReview,
    Outcome,
    PartnerSignOff,
    RapidReview,
    RapidReviewMeeting,
    ReferenceSequence,
    Review,
    Stage,
)

MAX_CHILDREN = 4
OUTCOME_STAGE = {
    Outcome.LCSPR: Stage.LCSPR,
    Outcome.OTHER_LEARNING: Stage.OTHER_LEARNING,
    Outcome.NO_FURTHER_ACTION: Stage.CLOSED,
    Outcome.NATIONAL_REVIEW: Stage.NATIONAL_REVIEW,
}


# --- helpers ----------------------------------------------------------------------------------


def _set_stage(review: Review, stage: str, by) -> None:
    review.stage = stage
    # The retention clock (reviews/retention.py) starts on the day a review closes.
    review.closed_on = timezone.localdate() if stage == Stage.CLOSED else None
    save_with_history(review, by, validate=False)


def require_stage(review: Review, *stages: str, doing: str) -> None:
    if review.stage not in stages:
        allowed = " or ".join(Stage(s).label.lower() for s in stages)
        raise WorkflowError(
            f"You cannot {doing} now: the review is at the {review.get_stage_display().lower()} "
            f"stage, and this can only be done at the {allowed} stage."
        )


def _next_reference(year: int) -> str:
    sequence, _ = ReferenceSequence.objects.select_for_update().get_or_create(year=year)
    sequence.last += 1
    sequence.save()
    return f"CSPR-{year}-{sequence.last:03d}"


def _rapid_review(review: Review) -> RapidReview:
    try:
        return review.rapid_review
    except RapidReview.DoesNotExist:
        raise WorkflowError(
            "The rapid review has not started: record the notification first."
        ) from None


# --- referral -----------------------------------------------------------------------------------


@transaction.atomic
def review_open(
    *,
    by,
    pseudonym: str,
    incident_date: datetime.date,
    la_aware_date: datetime.date,
    trigger: str,
    referring_agency: Agency,
    what_is_known: str,
    incident_location: str = "",
    additional_children: str = "",
) -> Review:
    """Record a referral of a serious incident: the case record every later step hangs on."""
    if la_aware_date < incident_date:
        raise WorkflowError(
            {"la_aware_date": "The local authority cannot have become aware before the incident."}
        )
    require_not_future(incident_date, "incident_date")
    require_not_future(la_aware_date, "la_aware_date")
    review = Review(
        reference=_next_reference(timezone.localdate().year),
        pseudonym=pseudonym.strip(),
        incident_date=incident_date,
        incident_location=incident_location,
        la_aware_date=la_aware_date,
        trigger=trigger,
        referring_agency=referring_agency,
        what_is_known=what_is_known,
        additional_children=additional_children,
        created_by=by,
    )
    save_with_history(review, by)
    deadlines.refresh(review, by=by)
    timeline_event(review, by, "review_opened", f"Referral recorded as {review.reference}")
    return review


EDITABLE_DETAILS = (
    "pseudonym",
    "incident_date",
    "incident_location",
    "la_aware_date",
    "trigger",
    "referring_agency",
    "what_is_known",
    "additional_children",
)


@transaction.atomic
def review_update_details(*, review: Review, by, **changes) -> Review:
    """Correct the referral's details; clocks that count from a corrected date move with it."""
    review = lock_row(review)
    if review.stage == Stage.CLOSED:
        raise WorkflowError("The review is closed: its details can no longer change.")
    unknown = set(changes) - set(EDITABLE_DETAILS)
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    changed = [f for f, v in changes.items() if getattr(review, f) != v]
    for field, value in changes.items():
        setattr(review, field, value)
    if review.la_aware_date < review.incident_date:
        raise WorkflowError(
            {"la_aware_date": "The local authority cannot have become aware before the incident."}
        )
    require_not_future(review.incident_date, "incident_date")
    require_not_future(review.la_aware_date, "la_aware_date")
    if not changed:
        return review
    save_with_history(review, by)
    deadlines.refresh(review, by=by)
    labels = ", ".join(str(Review._meta.get_field(f).verbose_name).lower() for f in changed)
    timeline_event(review, by, "details_corrected", f"Details corrected: {labels}", fields=changed)
    return review


@transaction.atomic
def child_add(
    *,
    review: Review,
    by,
    name: str,
    sex: str,
    date_of_birth=None,
    ethnicity="",
    disability="",
    looked_after=False,
) -> Child:
    """Add one of up to four children the incident concerns."""
    review = lock_row(review)
    if review.children.count() >= MAX_CHILDREN:
        raise WorkflowError(
            "A notification names up to four children. Describe any others under "
            "'Other children involved'."
        )
    require_not_future(date_of_birth, "date_of_birth")
    child = save_with_history(
        Child(
            review=review,
            name=name,
            sex=sex,
            date_of_birth=date_of_birth,
            ethnicity=ethnicity,
            disability=disability,
            looked_after=looked_after,
        ),
        by,
    )
    timeline_event(review, by, "child_added", "A child's details were added")
    return child


@transaction.atomic
def child_remove(*, child: Child, by) -> None:
    """Remove a child recorded in error (kept in history)."""
    review = lock_row(child.review)
    if review.stage != Stage.REFERRAL:
        raise WorkflowError("Children can only be removed while the case is a referral.")
    delete_with_history(child, by)
    timeline_event(review, by, "child_removed", "A child's details were removed")


@transaction.atomic
def criteria_record(
    *, review: Review, by, abuse_or_neglect: str, died_or_seriously_harmed: str, note: str = ""
) -> Review:
    """Record the check against the criteria for notifying a serious incident."""
    review = lock_row(review)
    require_stage(review, Stage.REFERRAL, doing="change the criteria check")
    review.abuse_or_neglect = abuse_or_neglect
    review.died_or_seriously_harmed = died_or_seriously_harmed
    review.criteria_note = note
    save_with_history(review, by)
    verdict = "met" if review.criteria_met else "not met"
    timeline_event(review, by, "criteria_checked", f"Criteria for notification checked: {verdict}")
    return review


@transaction.atomic
def review_close_not_notifiable(*, review: Review, by, reason: str) -> Review:
    """Close a referral that does not meet the criteria for notification."""
    review = lock_row(review)
    require_stage(review, Stage.REFERRAL, doing="close the referral")
    if not review.criteria_checked:
        raise WorkflowError("Check the criteria before closing the referral.")
    if review.criteria_met:
        raise WorkflowError(
            "The criteria are met, so the incident must be notified to the National Panel."
        )
    if not reason.strip():
        raise WorkflowError({"reason": "Enter why the referral is closed"})
    review.closed_reason = reason
    _set_stage(review, Stage.CLOSED, by)
    deadlines.refresh(review, by=by)
    timeline_event(
        review, by, "closed_not_notifiable", "Closed: the criteria for notification are not met"
    )
    return review


@transaction.atomic
def notification_record(
    *,
    review: Review,
    by,
    sent_on: datetime.date,
    panel_reference: str = "",
    dfe_notified_on=None,
    ofsted_notified_on=None,
) -> Notification:
    """Record the Serious Incident Notification to the National Panel; the rapid review starts."""
    review = lock_row(review)
    require_stage(review, Stage.REFERRAL, doing="record the notification")
    if not review.criteria_met:
        raise WorkflowError("Record that the criteria are met before recording the notification.")
    if sent_on < review.la_aware_date:
        raise WorkflowError(
            {"sent_on": "The notification cannot be sent before the local authority was aware."}
        )
    require_not_future(sent_on, "sent_on")
    if review.is_looked_after_death and not (dfe_notified_on and ofsted_notified_on):
        raise WorkflowError(
            "A looked-after child's death must also be notified to the DfE and Ofsted: "
            "enter both dates."
        )
    notification = save_with_history(
        Notification(
            review=review,
            sent_on=sent_on,
            sent_by=by,
            panel_reference=panel_reference,
            dfe_notified_on=dfe_notified_on,
            ofsted_notified_on=ofsted_notified_on,
        ),
        by,
    )
    save_with_history(RapidReview(review=review), by)
    _set_stage(review, Stage.RAPID_REVIEW, by)
    deadlines.refresh(review, by=by)
    timeline_event(
        review,
        by,
        "notification_sent",
        f"Serious incident notified to the National Panel on {long_date(sent_on)}",
        panel_reference=panel_reference,
    )
    return notification


@transaction.atomic
def partners_informed_record(*, review: Review, by, informed_on: datetime.date) -> Review:
    """Record the date the safeguarding partners were told of the incident."""
    review = lock_row(review)
    if review.stage == Stage.CLOSED:
        raise WorkflowError("The review is closed.")
    require_not_future(informed_on, "informed_on")
    review.partners_informed_on = informed_on
    save_with_history(review, by)
    deadlines.refresh(review, by=by)
    timeline_event(
        review,
        by,
        "partners_informed",
        f"Safeguarding partners informed on {long_date(informed_on)}",
    )
    return review


# --- rapid review -------------------------------------------------------------------------------

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
def rapid_review_update(*, review: Review, by, **fields) -> RapidReview:
    """Record the rapid review's findings and its check against the local-review criteria."""
    review = lock_row(review)
    require_stage(review, Stage.RAPID_REVIEW, doing="change the rapid review")
    rapid_review = _rapid_review(review)
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
        _set_stage(review, Stage.AWAITING_DECISION, by)
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


# --- decision -----------------------------------------------------------------------------------


def _apply_outcome(review: Review, outcome: str, by) -> None:
    _set_stage(review, OUTCOME_STAGE[outcome], by)
    deadlines.refresh(review, by=by)


def decision_blocker(review: Review) -> str:
    """Why the Independent Chair cannot record a first decision now ("" when they can); the
    decision page shows it before the Chair fills anything in."""
    if review.decisions.exists():
        return (
            "A decision is already recorded. To change it, record a new decision "
            "with the reason for the change."
        )
    if review.stage not in (Stage.RAPID_REVIEW, Stage.AWAITING_DECISION):
        return (
            f"You cannot record the decision now: the review is at the "
            f"{review.get_stage_display().lower()} stage, and this can only be done at the "
            "rapid review or awaiting decision stage."
        )
    rapid_review = RapidReview.objects.filter(review=review).first()
    if rapid_review is None or not rapid_review.recommendation:
        return "The partners have not made a recommendation yet."
    missing = missing_sign_offs(rapid_review)
    if missing:
        return (
            "The recommendation has not been signed off by every statutory partner. Still to "
            f"sign off: {', '.join(str(a) for a in missing)}."
        )
    return ""


@transaction.atomic
def decision_record(
    *, review: Review, by, outcome: str, rationale: str, decided_on: datetime.date
) -> Decision:
    """The Independent Chair decides, on the partners' recommendation, whether a review goes
    ahead. Recorded once; a change is `decision_change`."""
    review = lock_row(review)
    blocker = decision_blocker(review)
    if blocker:
        raise WorkflowError(blocker)
    if not rationale.strip():
        raise WorkflowError({"rationale": "Enter the reasons for the decision"})
    require_not_future(decided_on, "decided_on")
    if decided_on < review.notification.sent_on:
        raise WorkflowError({"decided_on": "The decision cannot come before the notification."})
    decision = save_with_history(
        Decision(
            review=review,
            outcome=outcome,
            rationale=rationale,
            decided_on=decided_on,
            recorded_by=by,
        ),
        by,
    )
    _apply_outcome(review, outcome, by)
    timeline_event(
        review, by, "decision", f"Independent Chair's decision: {decision.get_outcome_display()}"
    )
    return decision


@transaction.atomic
def decision_change(
    *, review: Review, by, outcome: str, rationale: str, decided_on: datetime.date, reason: str
) -> Decision:
    """A changed decision: a new decision that supersedes the one in force; both stay visible."""
    review = lock_row(review)
    current = deadlines.current_decision(review)
    if current is None:
        raise WorkflowError("There is no decision to change yet.")
    if review.stage == Stage.CLOSED and current.outcome != Outcome.NO_FURTHER_ACTION:
        raise WorkflowError("The review is closed; its decision can no longer change.")
    if not reason.strip():
        raise WorkflowError({"reason": "Enter why the decision has changed"})
    if not rationale.strip():
        raise WorkflowError({"rationale": "Enter the reasons for the decision"})
    if decided_on < current.decided_on:
        raise WorkflowError({"decided_on": "A new decision cannot predate the one it replaces."})
    require_not_future(decided_on, "decided_on")
    decision = save_with_history(
        Decision(
            review=review,
            outcome=outcome,
            rationale=rationale,
            decided_on=decided_on,
            recorded_by=by,
            supersedes=current,
            change_reason=reason,
        ),
        by,
    )
    _apply_outcome(review, outcome, by)
    timeline_event(
        review,
        by,
        "decision_changed",
        f"Decision changed to: {decision.get_outcome_display()}",
        reason=reason,
    )
    return decision


@transaction.atomic
def national_notice_record(
    *, review: Review, by, recipient: str, sent_on: datetime.date, reference: str = ""
) -> NationalNotice:
    """Record that DfE, Ofsted or the National Panel was told an LCSPR will take place."""
    review = lock_row(review)
    current = deadlines.current_decision(review)
    if current is None or current.outcome != Outcome.LCSPR:
        raise WorkflowError("These notices are only needed once the decision is an LCSPR.")
    if review.notices.filter(recipient=recipient).exists():
        raise WorkflowError("This notice is already recorded.")
    if sent_on < current.decided_on:
        raise WorkflowError({"sent_on": "The notice cannot predate the decision."})
    require_not_future(sent_on, "sent_on")
    notice = save_with_history(
        NationalNotice(
            review=review, recipient=recipient, sent_on=sent_on, reference=reference, recorded_by=by
        ),
        by,
    )
    deadlines.refresh(review, by=by)
    timeline_event(
        review,
        by,
        "national_notice",
        f"{notice.get_recipient_display()} told on {long_date(sent_on)}",
    )
    return notice


def outstanding_notices(review: Review) -> list[str]:
    """The bodies still to be told that an LCSPR will take place."""
    current = deadlines.current_decision(review)
    if current is None or current.outcome != Outcome.LCSPR:
        return []
    sent = {n.recipient for n in review.notices.all()}
    return [r for r in deadlines.NOTICE_KINDS if r not in sent]


# --- other learning review ----------------------------------------------------------------------


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
    _set_stage(review, Stage.CLOSED, by)
    timeline_event(review, by, "other_learning_closed", f"{other.get_kind_display()} closed")
    return other


# --- settings -----------------------------------------------------------------------------------


@transaction.atomic
def clock_settings_update(*, by, **fields) -> ClockSettings:
    """Change the partnership's clock rules; open clocks of every review are recomputed."""
    clocks = ClockSettings.objects.select_for_update().get(pk=ClockSettings.load().pk)
    for field, value in fields.items():
        setattr(clocks, field, value)
    save_with_history(clocks, by)
    from lcspr.core.working_days import calendar

    cal = calendar()
    for review in Review.objects.exclude(stage=Stage.CLOSED):
        deadlines.refresh(review, by=by, clocks=clocks, cal=cal)
        timeline_event(
            review, by, "clocks_recomputed", "Due dates recomputed after the clock settings changed"
        )
    return clocks


@transaction.atomic
def review_close_completed(*, review: Review, by, reason: str) -> Review:
    """Close an LCSPR whose work is done: its report published and every action of its plan
    closed or handed to another plan (actions/ decides when, and calls this)."""
    review = lock_row(review)
    require_stage(review, Stage.LCSPR, doing="close the review")
    if not reason.strip():
        raise WorkflowError({"reason": "Enter why the review is closed"})
    review.closed_reason = reason
    _set_stage(review, Stage.CLOSED, by)
    deadlines.refresh(review, by=by)
    timeline_event(review, by, "review_closed", f"Review closed: {reason}"[:500])
    return review
