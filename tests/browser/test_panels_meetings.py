"""Panel meetings, practitioner events, family contact and the sub-group's checkpoints in a
browser, each recorded by the person whose job it is. axe-core checks every page."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from lcspr.accounts.models import Role
from panels.models import FamilyContact, MemberRole, PanelMeeting, Practitioner
from panels.services import membership_add
from reviews.monitoring.models import Checkpoint
from tests.factories import UserFactory
from tests.reviews.conftest import (
    open_referral,
    to_decided,
    to_rapid_review,
    to_sent,
    to_signed_off,
)

YESTERDAY = timezone.localdate() - datetime.timedelta(days=1)


@pytest.fixture
def panel(
    manager,
    independent_chair,
    local_authority,
    police,
    icb,
    school,
    partner_lead,
    independent_author,
):
    """An LCSPR with a panel chair, a panel member for the school and an author."""
    leads = [partner_lead] + [
        UserFactory(agency=agency, roles=[Role.STATUTORY_PARTNER_LEAD])
        for agency in (local_authority, icb)
    ]
    review = to_rapid_review(open_referral(manager, local_authority), manager)
    review = to_decided(to_sent(to_signed_off(review, manager, leads), manager), independent_chair)
    chair = UserFactory(full_name="Cara Chair", roles=[Role.SUBGROUP_MEMBER])
    member = UserFactory(full_name="Penny Panel", agency=school, roles=[Role.AGENCY_REPRESENTATIVE])
    for user, role in (
        (chair, MemberRole.PANEL_CHAIR),
        (member, MemberRole.PANEL_MEMBER),
        (independent_author, MemberRole.AUTHOR),
    ):
        membership_add(review=review, by=manager, user=user, role=role)
    return {"review": review, "chair": chair, "member": member, "author": independent_author}


def fill_date(page, legend: str, value: datetime.date):
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(value.day))
    group.get_by_label("Month").fill(str(value.month))
    group.get_by_label("Year").fill(str(value.year))


def choose(page, legend: str, option: str):
    page.get_by_role("group", name=legend).get_by_label(option, exact=True).check()


def expect_banner(page, text: str):
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(text)


def switch_user(browser, user, password):
    browser.click("Sign out")
    browser.sign_in(user, password)


def test_meetings_events_family_contact_and_checkpoints_are_recorded(
    browser, password, panel, subgroup_member, police
):
    page, review = browser.page, panel["review"]
    next_meeting = timezone.localdate() + datetime.timedelta(days=21)

    # The panel chair records a meeting with who came and who sent apologies.
    browser.sign_in(panel["chair"], password)
    browser.goto(f"/reviews/{review.pk}/meetings/")
    expect(page.get_by_text("No panel meetings have been recorded yet.")).to_be_visible()
    browser.click("Record a meeting", role="link")
    browser.click("Record the meeting")  # nothing entered: the error summary says what
    expect(page.get_by_role("alert")).to_contain_text("Enter date of the meeting")
    fill_date(page, "Date of the meeting", YESTERDAY)
    browser.fill("Agenda", "1. Terms of Reference\n2. Chronology requests")
    choose(page, "Members present", "Cara Chair – Panel chair")
    choose(page, "Members present", "Ivy Author – Independent author")
    choose(page, "Apologies", "Penny Panel – Panel member, Riverside Primary School")
    browser.fill("Minutes", "The panel agreed the Terms of Reference.")
    browser.fill("Decisions made", "Hold a practitioner event.")
    fill_date(page, "Date of the next meeting", next_meeting)
    browser.click("Record the meeting")
    expect_banner(page, "was recorded")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Panel meeting of")
    expect(page.locator(".govuk-summary-list")).to_contain_text("Penny Panel")
    meeting = PanelMeeting.objects.get()
    assert meeting.present.count() == 2 and meeting.apologies.count() == 1
    browser.click("Back to panel meetings", role="link")
    expect(page.locator(".govuk-inset-text")).to_contain_text(f"{next_meeting:%B %Y}")

    # The author records a small-group event, invites a practitioner, notes who came and
    # what was learned.
    switch_user(browser, panel["author"], password)
    browser.goto(f"/reviews/{review.pk}/practitioner-events/")
    browser.click("Record a practitioner event", role="link")
    choose(page, "Format", "Small group")
    fill_date(page, "Date of the event", YESTERDAY)
    browser.click("Record the event")
    expect_banner(page, "Small group")
    # Inviting by e-mail sends the scope, so the scope comes first.
    browser.fill("Name", "Hana Visitor")
    browser.fill("Role", "Health visitor")
    page.get_by_label("Agency", exact=True).select_option(label=str(police))
    browser.fill("E-mail address", "hana@example.org")
    browser.click("Add the practitioner")
    expect(page.get_by_role("alert")).to_contain_text("Record the event's scope before inviting")
    page.get_by_label("Scope sent to the practitioners", exact=True).fill(
        "How agencies shared what they knew about the family."
    )
    browser.click("Save the scope")
    expect_banner(page, "The scope was saved")
    browser.fill("Name", "Hana Visitor")
    browser.fill("Role", "Health visitor")
    page.get_by_label("Agency", exact=True).select_option(label=str(police))
    browser.fill("E-mail address", "hana@example.org")
    browser.click("Add the practitioner")
    expect_banner(page, "Hana Visitor was added")
    page.get_by_label("Hana Visitor – Health visitor, Northbridge Constabulary").check()
    browser.click("Save attendance")
    expect(page.locator(".govuk-table")).to_contain_text("Yes")
    browser.fill("Learning captured", "Practitioners did not know who else was involved.")
    browser.click("Save the learning")
    expect_banner(page, "The learning was saved.")
    assert Practitioner.objects.get().attended is True
    browser.click("Back to practitioner events", role="link")

    # The author logs a contact with the family.
    browser.goto(f"/reviews/{review.pk}/family/")
    browser.click("Record a contact", role="link")
    browser.fill("Who was contacted", "Mother")
    fill_date(page, "Date of contact", YESTERDAY)
    choose(page, "How were they contacted?", "Letter")
    page.get_by_label("An advocate was offered").check()
    browser.fill("Views they shared", "She wants the review to hear about the housing move.")
    choose(page, "Do they want to see the draft report?", "Yes")
    choose(page, "Do they want to meet the panel?", "Not asked")
    browser.click("Record the contact")
    expect_banner(page, "The contact with the family was recorded.")
    expect(page.locator(".govuk-table")).to_contain_text("housing move")
    assert FamilyContact.objects.get().wants_to_meet_panel is None

    # A sub-group member records a checkpoint; the next one falls due a month later.
    switch_user(browser, subgroup_member, password)
    browser.goto(f"/reviews/{review.pk}/monitoring/")
    expect(page.get_by_text("No checkpoint has been held yet.")).to_be_visible()
    browser.click("Record a checkpoint", role="link")
    fill_date(page, "Date of the checkpoint", YESTERDAY)
    choose(page, "Progress against the timescale", "On track")
    browser.fill("Notes on progress", "Chronologies requested.")
    browser.click("Record the checkpoint")
    expect_banner(page, "The checkpoint was recorded.")
    expect(page.locator(".govuk-table").first).to_contain_text("Chronologies requested.")
    assert Checkpoint.objects.get().recorded_by == subgroup_member
    browser.click("Record a written request", role="link")
    fill_date(page, "Date sent", YESTERDAY)
    browser.fill("What was asked for", "A progress note on the chronologies.")
    browser.click("Record the request")
    browser.click(
        f"Record the response to the request of {YESTERDAY.day} {YESTERDAY:%B %Y}", "link"
    )
    fill_date(page, "Date of the response", YESTERDAY)
    browser.fill("The author's response", "All chronologies are in.")
    browser.click("Record the response")
    expect_banner(page, "response was recorded")
