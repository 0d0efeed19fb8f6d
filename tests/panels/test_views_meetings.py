"""The pages of panel meetings, practitioner events and the family involvement log: who may
reach each one (a member of another review never can), recording through them, and the
minutes file served only through the permission check."""

import datetime
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from lcspr.access_log.models import AccessLog
from lcspr.accounts.models import Role, User
from panels import meetings
from panels.models import FamilyContact, MemberRole, PanelMeeting, Practitioner
from panels.services import membership_add
from reviews.models import Review, Stage
from tests.core.test_documents import docx
from tests.factories import UserFactory
from tests.helpers import assert_constant_queries, form_as_read, two_editors
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
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
DOCX = docx("Fictional minutes.")


@pytest.fixture
def media(settings, tmp_path):
    """Uploaded files go to a folder of the test's own."""
    default = dict(settings.STORAGES["default"])
    default["OPTIONS"] = {**default.get("OPTIONS", {}), "location": str(tmp_path)}
    settings.STORAGES = {**settings.STORAGES, "default": default}
    return tmp_path


def seat(review, manager, user, role):
    return membership_add(review=review, by=manager, user=user, role=role)


@pytest.fixture
def panel_chair(lcspr_review, manager):
    user = UserFactory(full_name="Cara Chair", roles=[Role.SUBGROUP_MEMBER])
    seat(lcspr_review, manager, user, MemberRole.PANEL_CHAIR)
    return user


@pytest.fixture
def panel_member(lcspr_review, manager, school):
    user = UserFactory(full_name="Penny Panel", agency=school, roles=[Role.AGENCY_REPRESENTATIVE])
    seat(lcspr_review, manager, user, MemberRole.PANEL_MEMBER)
    return user


@pytest.fixture
def author(lcspr_review, manager, independent_author):
    seat(lcspr_review, manager, independent_author, MemberRole.AUTHOR)
    return independent_author


@pytest.fixture
def other_review_member(manager, local_authority, police, partner_leads, independent_chair):
    """A panel member of another review, who must not learn this one exists."""
    other = another_lcspr(manager, local_authority, partner_leads, independent_chair)
    user = UserFactory(
        full_name="Nina Elsewhere", agency=police, roles=[Role.AGENCY_REPRESENTATIVE]
    )
    seat(other, manager, user, MemberRole.PANEL_MEMBER)
    return user


@pytest.fixture
def meeting(lcspr_review, panel_chair, panel_member):
    chair, member = lcspr_review.memberships.order_by("pk")[:2]
    return meetings.meeting_record(
        review=lcspr_review,
        by=panel_chair,
        held_on=YESTERDAY,
        agenda="Chronology",
        present=[chair],
        apologies=[member],
        minutes="The panel discussed the chronology.",
        next_meeting_on=datetime.date(2099, 1, 15),
    )


@pytest.fixture
def meeting_with_minutes_file(lcspr_review, panel_chair, media):
    return meetings.meeting_record(
        review=lcspr_review,
        by=panel_chair,
        held_on=YESTERDAY,
        minutes_file=SimpleUploadedFile("minutes.pdf", PDF, content_type="application/pdf"),
    )


@pytest.fixture
def event(lcspr_review, author, school):
    event = meetings.practitioner_event_record(
        review=lcspr_review,
        by=author,
        format="small_group",
        held_on=YESTERDAY,
        scope="How agencies shared concerns about Child T's school attendance.",
    )
    meetings.practitioner_add(
        event=event, by=author, name="Tom Teacher", role="Class teacher", agency=school
    )
    return event


def url(name, review, *more):
    return reverse(f"panels:{name}", args=[review.pk, *more])


def date_fields(name, value: datetime.date) -> dict:
    return {f"{name}_0": value.day, f"{name}_1": value.month, f"{name}_2": value.year}


def signed_in(client, user):
    client.force_login(user)
    return client


# --- who may reach which page --------------------------------------------------------------------

# page -> (the personas allowed to open it, a visible-but-not-allowed persona)
PAGES = {
    "meetings": ("panel_member", "subgroup_member"),
    "meeting_add": ("panel_chair", "panel_member"),
    "meeting_detail": ("panel_member", "subgroup_member"),
    "meeting_edit": ("panel_chair", "panel_member"),
    "minutes_file": ("panel_member", "subgroup_member"),
    "events": ("panel_member", "subgroup_member"),
    "event_add": ("author", "panel_member"),
    "event_detail": ("panel_member", "subgroup_member"),
    "family": ("author", "subgroup_member"),
    "family_add": ("author", "panel_chair"),
}


def page_url(name, review, request):
    if name in {"meeting_detail", "meeting_edit"}:
        return url(name, review, request.getfixturevalue("meeting").pk)
    if name == "minutes_file":
        return url(name, review, request.getfixturevalue("meeting_with_minutes_file").pk)
    if name == "event_detail":
        return url(name, review, request.getfixturevalue("event").pk)
    return url(name, review)


@pytest.mark.parametrize("name", PAGES)
def test_every_page_is_hidden_from_outsiders_agencies_and_members_of_other_reviews(
    client, lcspr_review, outsider, agency_author, other_review_member, name, request
):
    target = page_url(name, lcspr_review, request)
    for user in (outsider, agency_author, other_review_member):
        assert signed_in(client, user).get(target).status_code == 404, user


@pytest.mark.parametrize("name", PAGES)
def test_every_page_opens_for_who_may_use_it_and_refuses_who_may_not(
    client, lcspr_review, name, request
):
    allowed, refused = (request.getfixturevalue(p) for p in PAGES[name])
    target = page_url(name, lcspr_review, request)
    assert signed_in(client, allowed).get(target).status_code == 200
    client = signed_in(client, refused)
    assert client.get(target).status_code == 403
    if name not in {"meetings", "meeting_detail", "minutes_file", "events", "family"}:
        assert client.post(target, {}).status_code == 403


def test_a_panel_member_reads_practitioner_events_but_records_nothing_on_them(
    client, lcspr_review, panel_member, event
):
    client = signed_in(client, panel_member)
    target = url("event_detail", lcspr_review, event.pk)
    page = client.get(target)
    assert page.status_code == 200
    assert event.get_format_display() in page.content.decode()
    assert client.post(target, {"form": "learning", "learning": "x"}).status_code == 403
    assert client.get(url("event_add", lcspr_review)).status_code == 403


@pytest.mark.parametrize("name", PAGES)
def test_every_page_refuses_the_wrong_method(client, lcspr_review, manager, name, request):
    target = page_url(name, lcspr_review, request)
    assert signed_in(client, manager).put(target).status_code == 405


@pytest.mark.parametrize("name", ["meetings", "meeting_detail", "minutes_file", "events", "family"])
def test_read_only_pages_cannot_be_posted_to(client, lcspr_review, manager, name, request):
    target = page_url(name, lcspr_review, request)
    assert signed_in(client, manager).post(target).status_code == 405


# --- panel meetings ------------------------------------------------------------------------------


def test_the_list_shows_each_meeting_and_the_next_meeting_date(
    client, lcspr_review, meeting, panel_member
):
    response = signed_in(client, panel_member).get(url("meetings", lcspr_review))
    page = response.content.decode()
    assert "Thursday 15 January 2099" in page  # the next meeting, prominent
    assert f"{YESTERDAY:%-d %B %Y}" in page
    row = response.context["meetings"][0]
    assert (row.present_count, row.apologies_count) == (1, 1)
    assert url("meeting_detail", lcspr_review, meeting.pk) in page
    assert "Record a meeting" not in page  # a panel member does not manage meetings
    assert AccessLog.objects.filter(user=panel_member, what="Panel meetings").exists()


def test_the_list_runs_a_constant_number_of_queries(client, lcspr_review, meeting, panel_chair):
    client = signed_in(client, panel_chair)
    members = list(lcspr_review.memberships.all())

    def grow():
        for _ in range(5):
            meetings.meeting_record(
                review=lcspr_review, by=panel_chair, held_on=YESTERDAY, present=members
            )

    assert_constant_queries(client, url("meetings", lcspr_review), grow)


def test_the_chair_records_a_meeting_with_attendees_and_a_minutes_file(
    client, lcspr_review, panel_chair, panel_member, author, media
):
    chair_seat, member_seat, author_seat = (
        lcspr_review.memberships.get(user=u) for u in (panel_chair, panel_member, author)
    )
    client = signed_in(client, panel_chair)
    form = client.get(url("meeting_add", lcspr_review)).content.decode()
    assert "Penny Panel – Panel member, Riverside Primary School" in form
    assert "Cara Chair – Panel chair" in form
    response = client.post(
        url("meeting_add", lcspr_review),
        {
            **date_fields("held_on", YESTERDAY),
            "agenda": "1. Terms of Reference",
            "present": [chair_seat.pk, author_seat.pk],
            "apologies": [member_seat.pk],
            "others_present": "Minute taker, business unit",
            "minutes_file": SimpleUploadedFile("Minutes 1.docx", DOCX),
            "decisions": "Agree the ToR.",
            "actions_arising": "Author to draft the chronology request.",
            **date_fields("next_meeting_on", TODAY + datetime.timedelta(days=30)),
        },
        follow=True,
    )
    meeting = PanelMeeting.objects.get()
    assert response.redirect_chain[-1][0] == url("meeting_detail", lcspr_review, meeting.pk)
    page = response.content.decode()
    assert f"The panel meeting of {YESTERDAY:%-d %B %Y} was recorded." in page
    assert "Download the minutes (Minutes 1.docx)" in page
    assert set(meeting.present.all()) == {chair_seat, author_seat}
    assert list(meeting.apologies.all()) == [member_seat]


def test_a_meeting_needs_its_date_and_nothing_is_stored_without_it(
    client, lcspr_review, panel_chair
):
    response = signed_in(client, panel_chair).post(
        url("meeting_add", lcspr_review), {"agenda": "Chronology"}
    )
    assert response.status_code == 200
    assert "Enter date of the meeting" in response.content.decode()
    assert not PanelMeeting.objects.exists()


def test_the_minutes_file_must_really_be_a_pdf_or_word_document(
    client, lcspr_review, panel_chair, media
):
    response = signed_in(client, panel_chair).post(
        url("meeting_add", lcspr_review),
        {
            **date_fields("held_on", YESTERDAY),
            "minutes_file": SimpleUploadedFile("minutes.pdf", b"<html>not a pdf</html>"),
        },
    )
    assert "The minutes file must be a PDF or a Word (DOCX) document" in response.content.decode()
    assert not PanelMeeting.objects.exists()
    assert not [p for p in media.rglob("*") if p.is_file()]


def test_someone_cannot_be_both_present_and_giving_apologies(
    client, lcspr_review, panel_chair, panel_member
):
    seat_pk = lcspr_review.memberships.get(user=panel_member).pk
    response = signed_in(client, panel_chair).post(
        url("meeting_add", lcspr_review),
        {**date_fields("held_on", YESTERDAY), "present": [seat_pk], "apologies": [seat_pk]},
    )
    assert "Penny Panel cannot be both present and giving apologies." in response.content.decode()
    assert not PanelMeeting.objects.exists()


def test_a_member_of_another_review_cannot_be_marked_present(
    client, lcspr_review, panel_chair, other_review_member
):
    elsewhere = other_review_member.memberships.get().pk
    response = signed_in(client, panel_chair).post(
        url("meeting_add", lcspr_review),
        {**date_fields("held_on", YESTERDAY), "present": [elsewhere]},
    )
    assert "Select a valid choice" in response.content.decode()
    assert not PanelMeeting.objects.exists()


def test_a_meeting_cannot_be_dated_in_the_future(client, lcspr_review, panel_chair):
    response = signed_in(client, panel_chair).post(
        url("meeting_add", lcspr_review),
        date_fields("held_on", TODAY + datetime.timedelta(days=3)),
    )
    assert "The date must be today or in the past." in response.content.decode()
    assert not PanelMeeting.objects.exists()


def test_no_meeting_can_be_recorded_once_the_review_is_not_an_lcspr_in_progress(
    client, lcspr_review, manager
):
    Review.objects.filter(pk=lcspr_review.pk).update(stage=Stage.CLOSED)
    client = signed_in(client, manager)
    page = client.get(url("meeting_add", lcspr_review)).content.decode()
    assert "recorded while an LCSPR is in progress" in page
    assert "<form" not in page.split('id="main-content"')[1].split("</main>")[0]


def test_the_chair_adds_the_minutes_later(client, lcspr_review, meeting, panel_chair):
    client = signed_in(client, panel_chair)
    form = client.get(url("meeting_edit", lcspr_review, meeting.pk))
    assert form.context["form"].initial["agenda"] == "Chronology"
    response = client.post(
        url("meeting_edit", lcspr_review, meeting.pk),
        {
            **date_fields("held_on", YESTERDAY),
            "agenda": "Chronology",
            "minutes": "Minutes as agreed.",
        },
        follow=True,
    )
    assert "was updated" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.minutes == "Minutes as agreed."


def test_a_panel_member_reads_the_whole_record_of_a_meeting(
    client, lcspr_review, meeting, panel_member
):
    response = signed_in(client, panel_member).get(url("meeting_detail", lcspr_review, meeting.pk))
    page = response.content.decode()
    for text in ("Chronology", "The panel discussed the chronology.", "Cara Chair", "Penny Panel"):
        assert text in page
    assert "Change the record of this meeting" not in page
    assert AccessLog.objects.filter(user=panel_member, what="Panel meeting").exists()


def test_a_meeting_of_another_review_is_not_found(
    client, lcspr_review, meeting, manager, local_authority
):
    other = open_referral(manager, local_authority, pseudonym="Child U")
    response = signed_in(client, manager).get(url("meeting_detail", other, meeting.pk))
    assert response.status_code == 404


def test_the_minutes_file_is_downloaded_through_the_permission_check(
    client, lcspr_review, meeting_with_minutes_file, panel_member
):
    target = url("minutes_file", lcspr_review, meeting_with_minutes_file.pk)
    response = signed_in(client, panel_member).get(target)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="minutes.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store"
    assert AccessLog.objects.filter(
        user=panel_member, what="Downloaded panel meeting minutes"
    ).exists()


def test_a_meeting_without_a_minutes_file_has_nothing_to_download(
    client, lcspr_review, meeting, manager
):
    response = signed_in(client, manager).get(url("minutes_file", lcspr_review, meeting.pk))
    assert response.status_code == 404


# --- practitioner events -------------------------------------------------------------------------


def test_the_events_list_shows_format_date_invited_and_attended(
    client, lcspr_review, event, author
):
    meetings.attendance_record(event=event, by=author, attended_ids=[])
    response = signed_in(client, author).get(url("events", lcspr_review))
    page = response.content.decode()
    assert "Small group" in page and f"{YESTERDAY:%-d %B %Y}" in page
    row = response.context["events"][0]
    assert (row.invited, row.attended) == (1, 0)
    assert url("event_detail", lcspr_review, event.pk) in page


def test_the_author_records_an_event_and_is_taken_to_it(client, lcspr_review, author):
    response = signed_in(client, author).post(
        url("event_add", lcspr_review),
        {"format": "one_to_one", **date_fields("held_on", YESTERDAY)},
        follow=True,
    )
    event = lcspr_review.practitioner_events.get()
    assert response.redirect_chain[-1][0] == url("event_detail", lcspr_review, event.pk)
    assert "One-to-one conversation" in response.content.decode()


def test_an_event_needs_its_format(client, lcspr_review, author):
    response = signed_in(client, author).post(
        url("event_add", lcspr_review), date_fields("held_on", YESTERDAY)
    )
    assert "Select the format of the event" in response.content.decode()
    assert not lcspr_review.practitioner_events.exists()


def test_the_author_invites_a_practitioner_who_gets_no_account(
    client, lcspr_review, event, author, police
):
    users = User.objects.count()
    response = signed_in(client, author).post(
        url("event_detail", lcspr_review, event.pk),
        {
            "form": "practitioner",
            "practitioner-name": "Hana Visitor",
            "practitioner-role": "Health visitor",
            "practitioner-agency": police.pk,
            "practitioner-email": "hana@example.org",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "Hana Visitor was added to the practitioners invited." in page
    assert "hana@example.org" in page and "Not recorded" in page
    assert Practitioner.objects.filter(event=event).count() == 2
    # She is e-mailed the event's date and scope before it.
    assert Practitioner.objects.get(name="Hana Visitor").scope_sent_at is not None
    assert User.objects.count() == users


def test_a_practitioner_needs_a_name_role_and_agency(client, lcspr_review, event, author):
    response = signed_in(client, author).post(
        url("event_detail", lcspr_review, event.pk),
        {"form": "practitioner", "practitioner-email": "not-an-address"},
    )
    page = response.content.decode()
    for message in ("Enter name", "Enter role", "Select agency", "Enter a valid email address"):
        assert message in page
    assert 'href="#id_practitioner-name"' in page  # the error summary links to the field
    assert event.practitioners.count() == 1


def test_the_author_records_attendance_and_learning(client, lcspr_review, event, author):
    teacher = event.practitioners.get()
    client = signed_in(client, author)
    client.post(
        url("event_detail", lcspr_review, event.pk),
        {"form": "attendance", "attendance-attended": [teacher.pk]},
    )
    response = client.post(
        url("event_detail", lcspr_review, event.pk),
        {"form": "learning", "learning-learning": "Schools did not hear about the injuries."},
        follow=True,
    )
    assert "The learning was saved." in response.content.decode()
    teacher.refresh_from_db()
    event.refresh_from_db()
    assert teacher.attended is True
    assert event.learning == "Schools did not hear about the injuries."


def test_the_chair_sees_an_event_and_a_panel_member_may_not_record_one(
    client, lcspr_review, event, panel_chair, panel_member
):
    page = signed_in(client, panel_chair).get(url("event_detail", lcspr_review, event.pk))
    assert "Tom Teacher" in page.content.decode()
    response = signed_in(client, panel_member).post(
        url("event_detail", lcspr_review, event.pk),
        {"form": "learning", "learning-learning": "Sneaky"},
    )
    assert response.status_code == 403
    event.refresh_from_db()
    assert event.learning == ""


# --- the family ---------------------------------------------------------------------------------


@pytest.fixture
def contact(lcspr_review, author):
    return meetings.family_contact_record(
        review=lcspr_review,
        by=author,
        family_member="Mother",
        contacted_on=YESTERDAY,
        method="visit",
        views_shared="She felt nobody listened.",
        wants_to_see_draft=True,
    )


@pytest.mark.parametrize("persona", ["panel_chair", "author", "manager"])
def test_the_family_log_is_seen_by_the_chair_the_author_and_the_manager(
    client, lcspr_review, contact, persona, request
):
    user = request.getfixturevalue(persona)
    response = signed_in(client, user).get(url("family", lcspr_review))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Mother" in page and "She felt nobody listened." in page and "Not asked" in page
    assert AccessLog.objects.filter(user=user, what="Family involvement log").exists()


@pytest.mark.parametrize("persona", ["panel_member", "subgroup_member"])
def test_the_family_log_is_refused_to_panel_members_and_the_sub_group(
    client, lcspr_review, contact, persona, request
):
    user = request.getfixturevalue(persona)
    assert signed_in(client, user).get(url("family", lcspr_review)).status_code == 403


@pytest.mark.parametrize("persona", ["other_review_member", "outsider", "agency_author"])
def test_the_family_log_does_not_exist_for_anyone_else(
    client, lcspr_review, contact, persona, request
):
    user = request.getfixturevalue(persona)
    assert signed_in(client, user).get(url("family", lcspr_review)).status_code == 404


def test_the_author_records_a_contact_with_the_family(client, lcspr_review, author):
    response = signed_in(client, author).post(
        url("family_add", lcspr_review),
        {
            "family_member": "Father",
            **date_fields("contacted_on", YESTERDAY),
            "method": "via_advocate",
            "advocate_offered": "on",
            "views_shared": "He wants the review to look at housing.",
            "wants_to_see_draft": "no",
            "wants_to_meet_panel": "not_asked",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == url("family", lcspr_review)
    assert "The contact with the family was recorded." in response.content.decode()
    contact = FamilyContact.objects.get()
    assert contact.advocate_offered is True
    assert (contact.wants_to_see_draft, contact.wants_to_meet_panel) == (False, None)


def test_a_family_contact_needs_who_when_how_and_their_wishes(client, lcspr_review, author):
    response = signed_in(client, author).post(url("family_add", lcspr_review), {})
    page = response.content.decode()
    for message in (
        "Enter who was contacted",
        "Enter date of contact",
        "Select how they were contacted",
        "Select whether they want to see the draft report",
        "Select whether they want to meet the panel",
    ):
        assert message in page
    assert not FamilyContact.objects.exists()


# --- two people editing an event's scope or learning at once ------------------------------------


@pytest.mark.parametrize(
    ("name", "first_text", "second_text", "label"),
    [
        (
            "scope",
            "How fictional agencies shared concerns about attendance and health.",
            "How agencies shared concerns about Child T's lateness.",
            "Scope sent to the practitioners",
        ),
        (
            "learning",
            "Teachers did not know who to tell.",
            "The school nurse was not invited.",
            "Learning captured",
        ),
    ],
)
def test_an_event_saved_over_a_newer_one_is_refused(
    lcspr_review, event, author, manager, name, first_text, second_text, label
):
    target = url("event_detail", lcspr_review, event.pk)
    field = f"{name}-{name}"
    first, second = two_editors(target, manager, author, having=field)
    first.form[field] = first_text
    assert first.save(target).status_code == 302
    events = lcspr_review.events.count()

    second.form[field] = second_text
    page = second.save(target).content.decode()
    html = unescape(page)
    assert "Morgan Manager changed this at " in html
    assert f"while you were editing: {label} from " in html
    assert f"to “{first_text}”" in html
    assert "Your changes have not been saved." in html
    event.refresh_from_db()
    assert getattr(event, name) == first_text
    assert lcspr_review.events.count() == events
    # Their own text is kept for them to check and save again.
    again = form_as_read(page, having=field)
    assert again[field] == second_text
    assert second.client.post(target, again).status_code == 302
    event.refresh_from_db()
    assert getattr(event, name) == second_text
