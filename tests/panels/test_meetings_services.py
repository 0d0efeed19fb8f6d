"""The rules of panel meetings, practitioner events and family contact (panels/meetings.py):
only this review's members attend its meetings, dates are not in the future (except the next
meeting), and nothing is recorded unless an LCSPR is in progress."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.html import escape

from lcspr.accounts.models import Role
from lcspr.core.exceptions import WorkflowError
from lcspr.core.models import OutboundEmail
from panels import meetings
from panels.models import MemberRole, Practitioner
from panels.services import membership_add, membership_end
from reviews.models import Review, Stage
from tests.factories import UserFactory
from tests.reviews.conftest import (
    open_referral,
    to_decided,
    to_rapid_review,
    to_sent,
    to_signed_off,
)

pytestmark = pytest.mark.django_db


def another_lcspr(manager, agency, leads, chair):
    """A second review that is an LCSPR, with a panel of its own."""
    review = to_rapid_review(open_referral(manager, agency, pseudonym="Child U"), manager)
    return to_decided(to_sent(to_signed_off(review, manager, leads), manager), chair)


TODAY = timezone.localdate()
YESTERDAY = TODAY - datetime.timedelta(days=1)
TOMORROW = TODAY + datetime.timedelta(days=1)
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def media(settings, tmp_path):
    """Uploaded files go to a folder of the test's own."""
    default = dict(settings.STORAGES["default"])
    default["OPTIONS"] = {**default.get("OPTIONS", {}), "location": str(tmp_path)}
    settings.STORAGES = {**settings.STORAGES, "default": default}
    return tmp_path


@pytest.fixture
def chair(lcspr_review, manager):
    user = UserFactory(full_name="Cara Chair", roles=[Role.SUBGROUP_MEMBER])
    return membership_add(review=lcspr_review, by=manager, user=user, role=MemberRole.PANEL_CHAIR)


@pytest.fixture
def member(lcspr_review, manager, school):
    user = UserFactory(full_name="Penny Panel", agency=school, roles=[Role.AGENCY_REPRESENTATIVE])
    return membership_add(review=lcspr_review, by=manager, user=user, role=MemberRole.PANEL_MEMBER)


@pytest.fixture
def author(lcspr_review, manager, independent_author):
    return membership_add(
        review=lcspr_review, by=manager, user=independent_author, role=MemberRole.AUTHOR
    )


def record(review, by, **fields):
    return meetings.meeting_record(review=review, by=by, held_on=YESTERDAY, **fields)


SCOPE = "How agencies shared concerns about Child T's school attendance."


def event_of(review, by, **fields):
    fields.setdefault("format", "small_group")
    fields.setdefault("scope", SCOPE)
    return meetings.practitioner_event_record(review=review, by=by, held_on=YESTERDAY, **fields)


# --- panel meetings ----------------------------------------------------------------------------


def test_a_meeting_records_who_came_who_sent_apologies_and_the_next_date(
    lcspr_review, manager, chair, member, author
):
    meeting = record(
        lcspr_review,
        chair.user,
        agenda="1. Chronology\n2. Practitioner event",
        present=[chair, author],
        apologies=[member],
        decisions="Hold a practitioner event.",
        next_meeting_on=TODAY + datetime.timedelta(days=28),
    )
    assert set(meeting.present.all()) == {chair, author}
    assert list(meeting.apologies.all()) == [member]
    assert meeting.recorded_by == chair.user
    assert meeting.history.first().history_user == chair.user
    event = lcspr_review.events.first()
    assert event.kind == "panel_meeting" and event.actor == chair.user


def test_only_this_reviews_members_can_attend_its_meetings(
    lcspr_review, manager, chair, local_authority, partner_leads, independent_chair
):
    other = another_lcspr(manager, local_authority, partner_leads, independent_chair)
    stranger = membership_add(
        review=other,
        by=manager,
        user=UserFactory(roles=[Role.SUBGROUP_MEMBER]),
        role=MemberRole.PANEL_CHAIR,
    )
    with pytest.raises(WorkflowError) as error:
        record(lcspr_review, chair.user, present=[chair, stranger])
    assert error.value.message_dict == {
        "present": ["Choose only current members of this review's panel."]
    }
    with pytest.raises(WorkflowError, match="current members"):
        record(lcspr_review, chair.user, apologies=[stranger])
    assert not lcspr_review.panel_meetings.exists()


def test_a_member_who_has_left_cannot_be_marked_present(lcspr_review, manager, chair, member):
    membership_end(membership=member, by=manager, reason="Moved on")
    with pytest.raises(WorkflowError, match="current members"):
        record(lcspr_review, chair.user, present=[member])


def test_nobody_is_both_present_and_giving_apologies(lcspr_review, chair, member):
    with pytest.raises(WorkflowError) as error:
        record(lcspr_review, chair.user, present=[chair, member], apologies=[member])
    assert error.value.message_dict["apologies"] == [
        "Penny Panel cannot be both present and giving apologies."
    ]


def test_a_meeting_cannot_be_in_the_future_but_the_next_one_must_be_after_it(lcspr_review, chair):
    with pytest.raises(WorkflowError) as error:
        meetings.meeting_record(review=lcspr_review, by=chair.user, held_on=TOMORROW)
    assert "held_on" in error.value.message_dict
    with pytest.raises(WorkflowError) as error:
        record(lcspr_review, chair.user, next_meeting_on=YESTERDAY)
    assert error.value.message_dict == {
        "next_meeting_on": ["The next meeting must be after this one."]
    }
    meeting = record(lcspr_review, chair.user, next_meeting_on=TOMORROW)
    assert meeting.next_meeting_on == TOMORROW


def test_updating_a_meeting_keeps_a_member_who_has_since_left_and_the_old_minutes_file(
    lcspr_review, manager, chair, member, media
):
    minutes = SimpleUploadedFile("minutes.pdf", PDF, content_type="application/pdf")
    meeting = record(lcspr_review, chair.user, present=[chair, member], minutes_file=minutes)
    membership_end(membership=member, by=manager, reason="Moved on")
    meetings.meeting_update(
        meeting=meeting,
        by=chair.user,
        held_on=YESTERDAY,
        present=[chair, member],
        minutes="Agreed at the next meeting.",
    )
    meeting.refresh_from_db()
    assert set(meeting.present.all()) == {chair, member}
    assert meeting.minutes == "Agreed at the next meeting."
    assert meeting.minutes_file_name == "minutes.pdf"
    assert meeting.minutes_file.read() == PDF
    assert lcspr_review.events.first().kind == "panel_meeting_updated"


# --- practitioner events -------------------------------------------------------------------------


def test_an_event_records_practitioners_attendance_and_learning(
    lcspr_review, author, police, school
):
    by = author.user
    event = event_of(lcspr_review, by)
    health_visitor = meetings.practitioner_add(
        event=event, by=by, name="Hana Visitor", role="Health visitor", agency=police
    )
    teacher = meetings.practitioner_add(
        event=event, by=by, name="Tom Teacher", role="Class teacher", agency=school
    )
    meetings.attendance_record(event=event, by=by, attended_ids=[str(teacher.pk)])
    health_visitor.refresh_from_db()
    teacher.refresh_from_db()
    assert (teacher.attended, health_visitor.attended) == (True, False)
    meetings.event_learning_update(event=event, by=by, learning="Ask about fathers.")
    event.refresh_from_db()
    assert event.learning == "Ask about fathers."
    kinds = list(lcspr_review.events.values_list("kind", flat=True)[:5])
    assert kinds == [
        "practitioner_learning",
        "practitioner_attendance",
        "practitioner_invited",
        "practitioner_invited",
        "practitioner_event",
    ]
    # Practitioners are not users: the timeline does not even name them.
    assert "Hana" not in " ".join(lcspr_review.events.values_list("summary", flat=True))


def test_attendance_is_only_of_practitioners_invited_to_that_event(lcspr_review, author, school):
    first, second = event_of(lcspr_review, author.user), event_of(lcspr_review, author.user)
    elsewhere = meetings.practitioner_add(
        event=second, by=author.user, name="Tom Teacher", role="Teacher", agency=school
    )
    with pytest.raises(WorkflowError) as error:
        meetings.attendance_record(event=first, by=author.user, attended_ids=[elsewhere.pk])
    assert "attended" in error.value.message_dict
    elsewhere.refresh_from_db()
    assert elsewhere.attended is None


def test_an_event_cannot_be_recorded_in_the_future(lcspr_review, author):
    with pytest.raises(WorkflowError) as error:
        meetings.practitioner_event_record(
            review=lcspr_review, by=author.user, format="event", held_on=TOMORROW
        )
    assert error.value.message_dict == {"held_on": ["The date must be today or in the past."]}


def test_a_practitioner_invited_by_email_is_sent_the_date_and_scope(lcspr_review, author, school):
    event = event_of(lcspr_review, author.user)
    teacher = meetings.practitioner_add(
        event=event,
        by=author.user,
        name="Tom Teacher",
        role="Class teacher",
        agency=school,
        email="tom.teacher@example.org",
    )
    email = OutboundEmail.objects.get(kind="practitioner_invitation")
    assert email.to == "tom.teacher@example.org"
    assert SCOPE in email.body_text
    assert escape(SCOPE) in email.body_html
    assert lcspr_review.reference in email.subject
    # No link into the service: practitioners are not users.
    assert "http" not in email.body_text
    teacher.refresh_from_db()
    assert teacher.scope_sent_at is not None
    assert lcspr_review.events.filter(
        kind="practitioner_invited", summary__endswith="the scope was e-mailed to them"
    ).exists()


def test_inviting_by_email_needs_the_scope_first(lcspr_review, author, school):
    event = event_of(lcspr_review, author.user, scope="")
    with pytest.raises(WorkflowError) as error:
        meetings.practitioner_add(
            event=event,
            by=author.user,
            name="T",
            role="Teacher",
            agency=school,
            email="t@example.org",
        )
    assert (
        "Record the event's scope before inviting by e-mail" in error.value.message_dict["email"][0]
    )
    assert not Practitioner.objects.exists()
    assert not OutboundEmail.objects.exists()
    meetings.event_scope_update(event=event, by=author.user, scope=SCOPE)
    meetings.practitioner_add(
        event=event, by=author.user, name="T", role="Teacher", agency=school, email="t@example.org"
    )
    assert OutboundEmail.objects.filter(kind="practitioner_invitation").count() == 1


def test_a_practitioner_needs_a_valid_email_address(lcspr_review, author, school):
    event = event_of(lcspr_review, author.user)
    with pytest.raises(ValidationError) as error:
        meetings.practitioner_add(
            event=event, by=author.user, name="T", role="Teacher", agency=school, email="nope"
        )
    assert "email" in error.value.message_dict
    assert not Practitioner.objects.exists()


# --- the family -------------------------------------------------------------------------------


def test_a_family_contact_is_logged_without_its_details_on_the_timeline(lcspr_review, author):
    contact = meetings.family_contact_record(
        review=lcspr_review,
        by=author.user,
        family_member="Mother",
        contacted_on=YESTERDAY,
        method="letter",
        advocate_offered=True,
        views_shared="She felt nobody listened.",
        wants_to_see_draft=True,
        wants_to_meet_panel=None,
    )
    assert (contact.wants_to_see_draft, contact.wants_to_meet_panel) == (True, None)
    summary = lcspr_review.events.first().summary
    assert "Mother" not in summary and "listened" not in summary


def test_a_family_contact_cannot_be_in_the_future(lcspr_review, author):
    with pytest.raises(WorkflowError) as error:
        meetings.family_contact_record(
            review=lcspr_review,
            by=author.user,
            family_member="Father",
            contacted_on=TOMORROW,
            method="phone",
        )
    assert "contacted_on" in error.value.message_dict


# --- only while an LCSPR is in progress --------------------------------------------------------


@pytest.mark.parametrize(
    "step",
    [
        "meeting_record",
        "meeting_update",
        "practitioner_event_record",
        "practitioner_add",
        "attendance_record",
        "event_learning_update",
        "family_contact_record",
    ],
)
def test_nothing_is_recorded_unless_an_lcspr_is_in_progress(
    lcspr_review, chair, author, school, step
):
    meeting = record(lcspr_review, chair.user)
    event = event_of(lcspr_review, author.user)
    Review.objects.filter(pk=lcspr_review.pk).update(stage=Stage.CLOSED)
    by = author.user
    calls = {
        "meeting_record": lambda: record(lcspr_review, by),
        "meeting_update": lambda: meetings.meeting_update(
            meeting=meeting, by=by, held_on=YESTERDAY
        ),
        "practitioner_event_record": lambda: event_of(lcspr_review, by),
        "practitioner_add": lambda: meetings.practitioner_add(
            event=event, by=by, name="T", role="Teacher", agency=school
        ),
        "attendance_record": lambda: meetings.attendance_record(
            event=event, by=by, attended_ids=[]
        ),
        "event_learning_update": lambda: meetings.event_learning_update(
            event=event, by=by, learning="Late"
        ),
        "family_contact_record": lambda: meetings.family_contact_record(
            review=lcspr_review, by=by, family_member="Aunt", contacted_on=YESTERDAY, method="phone"
        ),
    }
    with pytest.raises(WorkflowError, match="while an LCSPR is in progress"):
        calls[step]()


def test_the_refusal_names_the_stage(awaiting_decision, manager):
    with pytest.raises(WorkflowError, match="awaiting decision stage"):
        meetings.meeting_record(review=awaiting_decision, by=manager, held_on=YESTERDAY)
