"""The referral: opening a case, correcting its details, its children, the check against the
criteria for notification, closing a referral that does not meet them, the notification and
informing the safeguarding partners."""

import datetime

from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Lower, Replace
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
from lcspr.core.text import in_sentence, long_date
from lcspr.core.versions import require_version
from reviews.clocks import deadlines
from reviews.models import Child, ReferenceSequence, Review, Stage
from reviews.rapid_review.models import RapidReview
from reviews.referral.models import Adult, LookedAfterDeathNotice, Notification
from reviews.workflow import require_stage, set_stage

MAX_CHILDREN = 4


def _next_reference(year: int) -> str:
    sequence, _ = ReferenceSequence.objects.select_for_update().get_or_create(year=year)
    sequence.last += 1
    sequence.save()
    return f"CSPR-{year}-{sequence.last:03d}"


def _pseudonym_key(pseudonym: str) -> str:
    return "".join(pseudonym.split()).lower()


def _refuse_a_pseudonym_in_use(pseudonym: str, *, exclude: Review | None = None) -> None:
    """Two open reviews with one pseudonym would be confused in every list, e-mail and
    report: refuse one that another open review uses, whatever its case and spaces."""
    others = (
        Review.objects.exclude(stage=Stage.CLOSED)
        .annotate(pseudonym_key=Lower(Replace("pseudonym", Value(" "), Value(""))))
        .filter(pseudonym_key=_pseudonym_key(pseudonym))
    )
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    other = others.order_by("reference").first()
    if other is not None:
        raise WorkflowError(
            {
                "pseudonym": f"The open review {other.reference} already uses the pseudonym "
                f"“{other.pseudonym}”: choose another, so the two cannot be confused"
            }
        )


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
    _refuse_a_pseudonym_in_use(pseudonym)
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
def review_update_details(*, review: Review, by, version=None, **changes) -> Review:
    """Correct the referral's details; clocks that count from a corrected date move with it.
    An edit read at an older `version` is refused when someone has since changed the details."""
    review = lock_row(review)
    require_version(review, version, fields=EDITABLE_DETAILS)
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
    if "pseudonym" in changed:
        _refuse_a_pseudonym_in_use(review.pseudonym, exclude=review)
    notification = Notification.objects.filter(review=review).first()
    if notification is not None and review.la_aware_date > notification.sent_on:
        raise WorkflowError(
            {
                "la_aware_date": "The local authority must have become aware on or before the "
                f"day the National Panel was notified ({long_date(notification.sent_on)})."
            }
        )
    if not changed:
        return review
    save_with_history(review, by)
    # A corrected start date changes what every clock counting from it should always have been.
    deadlines.refresh(review, by=by, recompute_met=deadlines.ALL_KINDS)
    labels = ", ".join(in_sentence(str(Review._meta.get_field(f).verbose_name)) for f in changed)
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
    social_care_status="",
    address="",
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
            social_care_status=social_care_status,
            address=address,
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


ADULT_FIELDS = ("name", "relationship", "date_of_birth", "address")


def adults_blocker(review: Review) -> str:
    """Why the adults a review is about cannot change now ("" when they can)."""
    if review.stage == Stage.CLOSED:
        return "The review is closed: the adults it is about can no longer change."
    return ""


def _require_adults_open(review: Review) -> None:
    blocker = adults_blocker(review)
    if blocker:
        raise WorkflowError(blocker)


def _relationship(adult: Adult) -> str:
    return in_sentence(adult.get_relationship_display())


@transaction.atomic
def adult_add(
    *, review: Review, by, name: str, relationship: str, date_of_birth=None, address=""
) -> Adult:
    """Record a parent, carer or member of the household the review is about."""
    review = lock_row(review)
    _require_adults_open(review)
    require_not_future(date_of_birth, "date_of_birth")
    adult = save_with_history(
        Adult(
            review=review,
            name=name,
            relationship=relationship,
            date_of_birth=date_of_birth,
            address=address,
        ),
        by,
    )
    # The timeline is read by people who may not see identities: the relationship, no name.
    timeline_event(
        review, by, "adult_added", f"An adult's details were added ({_relationship(adult)})"
    )
    return adult


@transaction.atomic
def adult_update(*, adult: Adult, by, version=None, **fields) -> Adult:
    """Correct what is recorded of an adult; refused when read at an older `version` and
    someone has changed it since."""
    review = lock_row(adult.review)
    _require_adults_open(review)
    adult = Adult.objects.select_for_update().get(pk=adult.pk)
    require_version(adult, version, fields=ADULT_FIELDS)
    unknown = set(fields) - set(ADULT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown adult fields: {', '.join(sorted(unknown))}")
    require_not_future(fields.get("date_of_birth"), "date_of_birth")
    changed = [f for f, v in fields.items() if getattr(adult, f) != v]
    if not changed:
        return adult
    for field, value in fields.items():
        setattr(adult, field, value)
    save_with_history(adult, by)
    labels = ", ".join(in_sentence(str(Adult._meta.get_field(f).verbose_name)) for f in changed)
    timeline_event(
        review,
        by,
        "adult_updated",
        f"An adult's details were corrected ({_relationship(adult)}): {labels}",
        fields=changed,
    )
    return adult


@transaction.atomic
def adult_remove(*, adult: Adult, by) -> None:
    """Remove an adult recorded in error (kept in history)."""
    review = lock_row(adult.review)
    _require_adults_open(review)
    delete_with_history(adult, by)
    timeline_event(
        review, by, "adult_removed", f"An adult's details were removed ({_relationship(adult)})"
    )


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
    set_stage(review, Stage.CLOSED, by)
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
    notification = save_with_history(
        Notification(review=review, sent_on=sent_on, sent_by=by, panel_reference=panel_reference),
        by,
    )
    save_with_history(RapidReview(review=review), by)
    set_stage(review, Stage.RAPID_REVIEW, by)
    deadlines.refresh(review, by=by)
    timeline_event(
        review,
        by,
        "notification_sent",
        f"Serious incident notified to the National Panel on {long_date(sent_on)}",
        panel_reference=panel_reference,
    )
    return notification


def looked_after_death_blocker(review: Review) -> str:
    """Why the DfE and Ofsted notice cannot be recorded ("" when it can)."""
    if not review.is_looked_after_death:
        return "Only the death of a looked-after child is notified to the DfE and Ofsted this way."
    return ""


@transaction.atomic
def looked_after_death_notice_record(
    *, review: Review, by, dfe_notified_on: datetime.date, ofsted_notified_on: datetime.date
) -> LookedAfterDeathNotice:
    """Record that the DfE and Ofsted were told of a looked-after child's death: whatever the
    cause of death, at any stage, whether or not the National Panel is notified. Recording it
    again corrects the dates."""
    review = lock_row(review)
    blocker = looked_after_death_blocker(review)
    if blocker:
        raise WorkflowError(blocker)
    dates = {"dfe_notified_on": dfe_notified_on, "ofsted_notified_on": ofsted_notified_on}
    for field, value in dates.items():
        if value is None:
            raise WorkflowError({field: "Enter the date"})
        require_not_future(value, field)
        if value < review.incident_date:
            raise WorkflowError(
                {field: f"It cannot be before the death ({long_date(review.incident_date)})."}
            )
    notice = LookedAfterDeathNotice.objects.filter(review=review).first()
    if notice is None:
        notice = LookedAfterDeathNotice(review=review, recorded_by=by, **dates)
        summary = (
            f"The DfE (notified on {long_date(dfe_notified_on)}) and Ofsted (notified on "
            f"{long_date(ofsted_notified_on)}) told of the looked-after child's death"
        )
    elif all(getattr(notice, f) == v for f, v in dates.items()):
        raise WorkflowError("These dates are already recorded.")
    else:
        summary = (
            "Dates the DfE and Ofsted were told of the death corrected: DfE "
            f"{long_date(notice.dfe_notified_on)} to {long_date(dfe_notified_on)}, Ofsted "
            f"{long_date(notice.ofsted_notified_on)} to {long_date(ofsted_notified_on)}"
        )
        for field, value in dates.items():
            setattr(notice, field, value)
    save_with_history(notice, by)
    deadlines.refresh(review, by=by)
    timeline_event(review, by, "looked_after_death_notified", summary)
    return notice


def partners_informed_blocker(review: Review) -> str:
    """Why the date the partners were informed cannot be recorded now ("" when it can)."""
    if review.stage == Stage.CLOSED and review.partners_informed_on:
        return "The review is closed and the date is recorded: it no longer changes."
    return ""


@transaction.atomic
def partners_informed_record(*, review: Review, by, informed_on: datetime.date) -> Review:
    """Record the date the safeguarding partners were told of the incident. A review closed
    before it was recorded still takes it (its clock would otherwise stay open for ever); once
    recorded, a closed review's date no longer changes."""
    review = lock_row(review)
    blocker = partners_informed_blocker(review)
    if blocker:
        raise WorkflowError(blocker)
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
