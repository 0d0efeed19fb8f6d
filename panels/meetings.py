"""Services for a review's panel meetings, practitioner events and contact with the family.

Same rules as reviews/services.py: atomic, keyword-only, `by` is the acting user (and the
history user), a timeline event for every change, and `WorkflowError` with a reason when the
step is not allowed now. Who may take each step is decided by panels/permissions.py before
these are called.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from lcspr.core.exceptions import WorkflowError
from lcspr.core.services import lock_row, require_not_future, save_with_history, timeline_event
from lcspr.core.text import in_sentence, long_date
from lcspr.core.versions import require_version
from panels.emails import send_practitioner_invitation
from panels.models import FamilyContact, Membership, PanelMeeting, Practitioner, PractitionerEvent
from reviews.models import Review, Stage


def _lock_lcspr(review: Review, doing: str) -> Review:
    """Lock the review row, refusing unless an LCSPR is in progress."""
    review = lock_row(review)
    if review.stage != Stage.LCSPR:
        raise WorkflowError(
            f"You cannot {doing} now: they are recorded while an LCSPR is in progress, and this "
            f"review is at the {in_sentence(review.get_stage_display())} stage."
        )
    return review


# --- panel meetings -------------------------------------------------------------------------


def _check_attendees(review: Review, present, apologies, already=()) -> None:
    """Attendees are active members of this review (or were recorded on this meeting
    before they left); nobody is both present and absent."""
    allowed = set(
        Membership.objects.filter(review=review, ended_at__isnull=True).values_list("pk", flat=True)
    ) | {m.pk for m in already}
    for field, members in (("present", present), ("apologies", apologies)):
        if any(m.pk not in allowed for m in members):
            raise WorkflowError({field: "Choose only current members of this review's panel."})
    both = {m.pk for m in present} & {m.pk for m in apologies}
    if both:
        names = ", ".join(str(m.user) for m in apologies if m.pk in both)
        raise WorkflowError({"apologies": f"{names} cannot be both present and giving apologies."})


# What a meeting's edit form changes, in its record's history.
MEETING_FIELDS = (
    "held_on",
    "agenda",
    "others_present",
    "minutes",
    "minutes_file",
    "decisions",
    "actions_arising",
    "next_meeting_on",
    "present",
    "apologies",
)


def _apply_meeting(meeting: PanelMeeting, *, by, present, apologies, minutes_file, **fields):
    for field, value in fields.items():
        setattr(meeting, field, value)
    if minutes_file:
        meeting.minutes_file = minutes_file
        meeting.minutes_file_name = minutes_file.name[:200]
    require_not_future(meeting.held_on, "held_on")
    if meeting.next_meeting_on and meeting.next_meeting_on <= meeting.held_on:
        raise WorkflowError({"next_meeting_on": "The next meeting must be after this one."})
    save_with_history(meeting, by)
    meeting.present.set(present)
    meeting.apologies.set(apologies)
    return meeting


@transaction.atomic
def meeting_record(
    *,
    review: Review,
    by,
    held_on: datetime.date,
    agenda: str = "",
    present=(),
    apologies=(),
    others_present: str = "",
    minutes: str = "",
    minutes_file=None,
    decisions: str = "",
    actions_arising: str = "",
    next_meeting_on: datetime.date | None = None,
) -> PanelMeeting:
    """Record a panel meeting: who came, who sent apologies, the minutes and what was
    decided, and when the panel meets next."""
    review = _lock_lcspr(review, "record a panel meeting")
    present, apologies = list(present), list(apologies)
    _check_attendees(review, present, apologies)
    meeting = _apply_meeting(
        PanelMeeting(review=review, recorded_by=by),
        by=by,
        present=present,
        apologies=apologies,
        minutes_file=minutes_file,
        held_on=held_on,
        agenda=agenda,
        others_present=others_present,
        minutes=minutes,
        decisions=decisions,
        actions_arising=actions_arising,
        next_meeting_on=next_meeting_on,
    )
    timeline_event(
        review=review,
        by=by,
        kind="panel_meeting",
        summary=f"Panel meeting of {long_date(held_on)} recorded",
    )
    return meeting


@transaction.atomic
def meeting_update(
    *,
    meeting: PanelMeeting,
    by,
    held_on: datetime.date,
    agenda: str = "",
    present=(),
    apologies=(),
    others_present: str = "",
    minutes: str = "",
    minutes_file=None,
    decisions: str = "",
    actions_arising: str = "",
    next_meeting_on: datetime.date | None = None,
    version: int | None = None,
) -> PanelMeeting:
    """Correct or complete a meeting's record (for example, add the minutes once agreed). A
    new minutes file replaces the old one; without one the old file stays. A change read at
    an older `version` is refused when someone has changed the record since."""
    review = _lock_lcspr(meeting.review, "change a panel meeting")
    meeting = PanelMeeting.objects.select_for_update().get(pk=meeting.pk)
    require_version(meeting, version, fields=MEETING_FIELDS)
    present, apologies = list(present), list(apologies)
    recorded = [*meeting.present.all(), *meeting.apologies.all()]
    _check_attendees(review, present, apologies, already=recorded)
    _apply_meeting(
        meeting,
        by=by,
        present=present,
        apologies=apologies,
        minutes_file=minutes_file,
        held_on=held_on,
        agenda=agenda,
        others_present=others_present,
        minutes=minutes,
        decisions=decisions,
        actions_arising=actions_arising,
        next_meeting_on=next_meeting_on,
    )
    timeline_event(
        review=review,
        by=by,
        kind="panel_meeting_updated",
        summary=f"Record of the panel meeting of {long_date(held_on)} updated",
    )
    return meeting


# --- practitioner events --------------------------------------------------------------------


@transaction.atomic
def practitioner_event_record(
    *,
    review: Review,
    by,
    format: str,
    held_on: datetime.date,
    learning: str = "",
    scope: str = "",
) -> PractitionerEvent:
    """Record a practitioner event, small group or one-to-one conversation."""
    review = _lock_lcspr(review, "record a practitioner event")
    require_not_future(held_on, "held_on")
    event = save_with_history(
        PractitionerEvent(
            review=review,
            format=format,
            held_on=held_on,
            scope=scope.strip(),
            learning=learning,
            recorded_by=by,
        ),
        by,
    )
    timeline_event(
        review=review,
        by=by,
        kind="practitioner_event",
        summary=f"{event.get_format_display()} of {long_date(held_on)} recorded",
    )
    return event


def _lock_event(event: PractitionerEvent, doing: str) -> PractitionerEvent:
    _lock_lcspr(event.review, doing)
    return lock_row(event)


@transaction.atomic
def practitioner_add(
    *, event: PractitionerEvent, by, name: str, role: str, agency, email: str = ""
) -> Practitioner:
    """Invite a practitioner to an event. They are not users and get no access to the review;
    given an e-mail address, they are sent the event's date and scope."""
    event = _lock_event(event, "invite a practitioner")
    email = (email or "").strip()
    if email and not event.scope.strip():
        raise WorkflowError(
            {
                "email": "Record the event's scope before inviting by e-mail: the practitioner "
                "is sent it beforehand"
            }
        )
    practitioner = save_with_history(
        Practitioner(event=event, name=name, role=role, agency=agency, email=email), by
    )
    summary = (
        f"{role} from {agency} invited to the {in_sentence(event.get_format_display())} "
        f"of {long_date(event.held_on)}"
    )
    if email:
        send_practitioner_invitation(practitioner=practitioner)
        practitioner.scope_sent_at = timezone.now()
        save_with_history(practitioner, by, validate=False)
        summary += "; the scope was e-mailed to them"
    timeline_event(review=event.review, by=by, kind="practitioner_invited", summary=summary)
    return practitioner


@transaction.atomic
def attendance_record(*, event: PractitionerEvent, by, attended_ids) -> list[Practitioner]:
    """Record who attended an event: the practitioners in `attended_ids` came, the other
    invited practitioners did not."""
    event = _lock_event(event, "record attendance")
    attended_ids = {int(pk) for pk in attended_ids}
    practitioners = list(event.practitioners.all())
    if attended_ids - {p.pk for p in practitioners}:
        raise WorkflowError({"attended": "Choose only practitioners invited to this event."})
    for practitioner in practitioners:
        came = practitioner.pk in attended_ids
        if practitioner.attended is not came:
            practitioner.attended = came
            save_with_history(practitioner, by)
    timeline_event(
        review=event.review,
        by=by,
        kind="practitioner_attendance",
        summary=f"Attendance at the {in_sentence(event.get_format_display())} of "
        f"{long_date(event.held_on)}: {len(attended_ids)} of {len(practitioners)} attended",
    )
    return practitioners


@transaction.atomic
def event_scope_update(
    *, event: PractitionerEvent, by, scope: str, version: int | None = None
) -> PractitionerEvent:
    """Record what the practitioners are told before the event (those invited by e-mail from now
    on are sent it); refused when read at an older `version` and the scope has changed since."""
    event = _lock_event(event, "record the scope of an event")
    require_version(event, version, fields=("scope",))
    if not scope.strip():
        raise WorkflowError({"scope": "Enter the scope sent to the practitioners"})
    event.scope = scope.strip()
    save_with_history(event, by)
    timeline_event(
        review=event.review,
        by=by,
        kind="practitioner_scope",
        summary=f"Scope of the {in_sentence(event.get_format_display())} of "
        f"{long_date(event.held_on)} recorded",
    )
    return event


@transaction.atomic
def event_learning_update(
    *, event: PractitionerEvent, by, learning: str, version: int | None = None
) -> PractitionerEvent:
    """Record the learning captured at an event (refused when read at an older `version` and
    the learning has changed since)."""
    event = _lock_event(event, "record the learning of an event")
    require_version(event, version, fields=("learning",))
    event.learning = learning
    save_with_history(event, by)
    timeline_event(
        review=event.review,
        by=by,
        kind="practitioner_learning",
        summary=f"Learning from the {in_sentence(event.get_format_display())} of "
        f"{long_date(event.held_on)} recorded",
    )
    return event


# --- the family -----------------------------------------------------------------------------


@transaction.atomic
def family_contact_record(
    *,
    review: Review,
    by,
    family_member: str,
    contacted_on: datetime.date,
    method: str,
    advocate_offered: bool = False,
    views_shared: str = "",
    wants_to_see_draft: bool | None = None,
    wants_to_meet_panel: bool | None = None,
) -> FamilyContact:
    """Log a contact with a family member and what they said they want."""
    review = _lock_lcspr(review, "record contact with the family")
    require_not_future(contacted_on, "contacted_on")
    contact = save_with_history(
        FamilyContact(
            review=review,
            family_member=family_member,
            contacted_on=contacted_on,
            method=method,
            advocate_offered=advocate_offered,
            views_shared=views_shared,
            wants_to_see_draft=wants_to_see_draft,
            wants_to_meet_panel=wants_to_meet_panel,
            recorded_by=by,
        ),
        by,
    )
    # The timeline is seen more widely than the family log: no names or views here.
    timeline_event(
        review=review,
        by=by,
        kind="family_contact",
        summary=f"Contact with the family recorded ({long_date(contacted_on)})",
    )
    return contact
