"""The report's whole journey in a browser, each person signing in through the sign-in page and
working with the keyboard (axe checks every page): the author shares version 1 from the review's
task list; a panel member comments against two sections; the author answers one and resolves it,
then shares version 2 (which names a real person) and sees the other comment carried over; the
manager puts the name on the restricted list; the panel chair approves version 2 seeing the
anonymisation warning and the Independent Chair signs it off; the manager plans publication and
sees the latest date to send the report; the check before publication finds the name and
publication is blocked; the author shares version 3 without it, ending the approval; the panel
chair approves again and the Independent Chair signs off again; the check is clear; the manager
records the sendings and the family's response and publishes."""

import datetime
import io
import re
import zipfile
from xml.sax.saxutils import escape

import pytest
import time_machine
from playwright.sync_api import expect

from lcspr.accounts.models import Role
from lcspr.core.working_days import calendar
from reviews.clocks import deadlines
from reviews.clocks.models import ClockSettings
from reviews.models import ReportStatus
from reviews.publication.models import Publication
from reviews.report.models import ReportApproval
from tests.factories import UserFactory
from tests.reviews.conftest import (
    open_referral,
    to_decided,
    to_rapid_review,
    to_sent,
    to_signed_off,
)
from tests.reviews.publication_fixtures import media  # noqa: F401 - uploads to the test's folder
from tests.reviews.report_fixtures import *  # noqa: F403 - the panel chair, member and author

D = datetime.date
TODAY = D(2026, 12, 14)  # a Monday: the pre-publication clock meets Christmas and New Year
PLANNED = D(2027, 1, 11)
PLANTED = "Kayden Marsh"  # a fictional real name that must not reach the published report


def at(day: datetime.date) -> datetime.datetime:
    """10:00 UTC on `day` (the same date in London in winter)."""
    return datetime.datetime(day.year, day.month, day.day, 10, tzinfo=datetime.UTC)


def long_date(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


@pytest.fixture
def today():
    """Today is Monday 14 December 2026; time runs on, so the live server and browser work."""
    with time_machine.travel(at(TODAY), tick=True) as traveller:
        yield traveller


@pytest.fixture
def lcspr_review(today, manager, local_authority, police, icb, partner_lead, independent_chair):
    leads = [partner_lead] + [
        UserFactory(agency=agency, roles=[Role.STATUTORY_PARTNER_LEAD])
        for agency in (local_authority, icb)
    ]
    review = to_rapid_review(open_referral(manager, local_authority), manager)
    return to_decided(to_sent(to_signed_off(review, manager, leads), manager), independent_chair)


def _docx(path, paragraphs: list[str]):
    """A small real Word document, one paragraph per entry (fictional text)."""
    body = "".join(f"<w:p><w:r><w:t>{escape(text)}</w:t></w:r></w:p>" for text in paragraphs)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats'
            '.org/package/2006/content-types"><Override PartName="/word/document.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.'
            'document.main+xml"/></Types>',
        )
        archive.writestr(
            "word/document.xml",
            '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.'
            'openxmlformats.org/wordprocessingml/2006/main"><w:body>'
            f"{body}</w:body></w:document>",
        )
    path.write_bytes(buffer.getvalue())
    return path


REPORT = [
    "Overview Report: Child T",
    "1. Introduction. This review looks at the help Child T and their family received.",
    "4.2 Information sharing. Agencies did not share concerns about missed appointments.",
    "5. Recommendations. The partnership should audit how referrals are followed up.",
]


def _press(browser, name: str, role: str = "button"):
    """Operate a control from the keyboard: focus it and press Enter, then check the page."""
    control = browser.page.get_by_role(role, name=name, exact=True)
    control.focus()
    with browser.page.expect_navigation():
        browser.page.keyboard.press("Enter")
    browser.page.wait_for_load_state("load")
    browser.check_accessibility()


def _tick(page, label: str):
    """Tick a radio or a checkbox from the keyboard."""
    page.get_by_label(label, exact=True).focus()
    page.keyboard.press("Space")
    expect(page.get_by_label(label, exact=True)).to_be_checked()


def _fill_date(page, legend: str, value: datetime.date):
    group = page.get_by_role("group", name=legend, exact=True)
    for part, number in zip(
        ("Day", "Month", "Year"), (value.day, value.month, value.year), strict=True
    ):
        group.get_by_label(part, exact=True).fill(str(number))


def _row(page, key: str):
    """The summary list row whose key is `key`."""
    return page.locator(".govuk-summary-list__row").filter(
        has=page.locator(".govuk-summary-list__key", has_text=re.compile(f"^{re.escape(key)}$"))
    )


def _switch(browser, user, password):
    browser.click("Sign out")
    browser.sign_in(user, password)


def _task(page, name: str):
    return page.locator(".govuk-task-list__item").filter(has=page.get_by_text(name, exact=True))


def _upload(browser, path, change_note: str = "", reason: str = ""):
    page = browser.page
    browser.click("Upload a new version", role="link")
    _tick(page, "Overview Report")
    page.get_by_label("The file", exact=True).set_input_files(str(path))
    if change_note:
        browser.fill("What changed in this version", change_note)
    if reason:
        browser.fill("Why the approved version is being replaced", reason)
    _press(browser, "Upload and share with the panel")


def _to_approval(browser, review):
    """The panel chair reaches the "check your answers" page of the approval from the task
    list."""
    page = browser.page
    browser.goto(f"/reviews/{review.pk}/")
    browser.click("Panel chair's approval", role="link")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check the report before you approve it"
    )


def _confirm_approval(browser):
    page = browser.page
    _tick(page, "I approve these versions as the final report of the review")
    _press(browser, "Approve as final")
    expect(page.get_by_text("The report has been approved as final.")).to_be_visible()


def _sign_off(browser, review, at_approval: str):
    page = browser.page
    browser.goto(f"/reviews/{review.pk}/")
    browser.click("Independent Chair's sign-off", role="link")
    expect(page.get_by_text(f"Anonymisation check at approval: {at_approval}")).to_be_visible()
    _press(browser, "Sign off for the partnership")
    expect(page.get_by_role("alert")).to_contain_text(
        "Confirm that you sign off the report for the partnership"
    )
    _tick(page, "I sign off the approved report on behalf of the partnership")
    _press(browser, "Sign off for the partnership")
    expect(page.get_by_text("The report has been signed off for the partnership.")).to_be_visible()


def _check_before_publication(browser, version: str):
    """From the review page, run the anonymisation check before publication on `version`."""
    page = browser.page
    browser.click("Anonymisation check", role="link")
    browser.click(f"Run the check on {version}", role="link")
    _tick(page, "Before publication")
    _press(browser, "Run the check")


def test_drafts_to_publication_with_the_anonymisation_block(
    browser,
    today,
    lcspr_review,
    manager,
    independent_chair,
    panel_chair,
    panel_member,
    author,
    password,
    tmp_path,
):
    page = browser.page
    review = lcspr_review
    review_page = f"/reviews/{review.pk}/"
    v1 = _docx(tmp_path / "child-t-overview-draft-1.docx", REPORT)
    v2 = _docx(
        tmp_path / "child-t-overview-draft-2.docx",
        [
            *REPORT[:2],
            f"2. Background. Child T lived with their mother and {PLANTED}.",
            *REPORT[2:],
        ],
    )
    v3 = _docx(
        tmp_path / "child-t-overview-final.docx",
        [
            *REPORT[:2],
            "2. Background. Child T lived with their mother and her partner.",
            *REPORT[2:],
        ],
    )

    # The author shares version 1 from the review page's task list.
    browser.sign_in(author, password)
    browser.goto(review_page)
    expect(page.get_by_role("heading", name="Report and publication")).to_be_visible()
    expect(_task(page, "Draft report")).to_contain_text("Not yet started")
    browser.click("Draft report", role="link")
    _upload(browser, v1)
    expect(
        page.get_by_text("Overview Report version 1 has been shared with the panel.")
    ).to_be_visible()

    # A panel member comments against two sections of version 1.
    _switch(browser, panel_member, password)
    browser.goto(review_page)
    expect(_task(page, "Draft report")).to_contain_text("Overview Report version 1 shared")
    browser.click("Draft report", role="link")
    browser.click("Read the comments on version 1 of the Overview Report", role="link")
    for section, text in (
        ("Section 4.2", "Say which agencies held the information and when."),
        ("Section 5", "Add a date by which the audit should be done."),
    ):
        browser.click("Comment on version 1", role="link")
        browser.fill("Section or page (optional)", section)
        browser.fill("Your comment", text)
        _press(browser, "Add your comment")
        expect(
            page.get_by_text("Your comment on Overview Report version 1 has been added.")
        ).to_be_visible()

    # The author answers the comment on section 4.2 and resolves it; section 5 stays open.
    _switch(browser, author, password)
    browser.goto(review_page)
    browser.click("Draft report", role="link")
    browser.click("Read the comments on version 1 of the Overview Report", role="link")
    card = page.locator(".govuk-summary-card").filter(has_text="Section 4.2")
    card.get_by_role("link", name=re.compile(r"^Respond to the comment by Penny Panel")).click()
    page.wait_for_load_state("load")
    browser.check_accessibility()
    browser.fill(
        "Your response", "Section 4.2 now names the health visiting service and the dates."
    )
    _tick(page, "Mark the comment as resolved")
    _press(browser, "Save your response")
    expect(page.get_by_text("Your response to Penny Panel has been saved.")).to_be_visible()
    card = page.locator(".govuk-summary-card").filter(has_text="Section 4.2")
    expect(card.get_by_text("Resolved", exact=True)).to_be_visible()

    # Version 2 (which names a real person) carries the unresolved comment over.
    browser.click("Back to the report", role="link")
    _upload(browser, v2, change_note="Section 4.2 rewritten; background added.")
    expect(
        page.get_by_text("Overview Report version 2 has been shared with the panel.")
    ).to_be_visible()
    expect(page.get_by_role("heading", name="Unresolved comments from version 1")).to_be_visible()
    carried = page.locator(".govuk-summary-card").filter(has_text="Section 5")
    expect(carried).to_contain_text("Add a date by which the audit should be done.")
    expect(carried.get_by_text("Closed unresolved", exact=True)).to_be_visible()
    expect(page.locator(".govuk-summary-card").filter(has_text="Section 4.2")).to_have_count(0)

    # The manager puts the name on the review's restricted list.
    _switch(browser, manager, password)
    browser.goto(review_page)
    browser.click("Anonymisation check", role="link")
    browser.click("See and change the restricted names", role="link")
    browser.fill("Name or detail", PLANTED)
    _tick(page, "Family member")
    _press(browser, "Add to the list")
    expect(page.get_by_text(f"“{PLANTED}” has been added to the restricted list.")).to_be_visible()

    # The panel chair checks version 2 and sees that the check finds a restricted name (but
    # not the name itself: the restricted list is not theirs to read), then approves it.
    _switch(browser, panel_chair, password)
    _to_approval(browser, review)
    expect(page.get_by_text("Version 2, shared by Ivy Author")).to_be_visible()
    row = _row(page, "Overview Report version 2")
    expect(row).to_contain_text("1 found (family member)")
    expect(page.get_by_text(PLANTED)).to_have_count(0)
    _press(browser, "Approve as final")
    expect(page.get_by_role("alert")).to_contain_text(
        "Confirm that you approve these versions as final"
    )
    _confirm_approval(browser)
    expect(page.get_by_text("Approved", exact=True)).to_be_visible()

    # The Independent Chair signs it off, seeing what the check found at approval.
    _switch(browser, independent_chair, password)
    _sign_off(browser, review, "1 restricted name found")

    # The manager plans publication and sees the latest date to send the final report.
    _switch(browser, manager, password)
    browser.goto(review_page)
    expect(_task(page, "Publication")).to_contain_text("Plan the publication date")
    browser.click("Publication", role="link")
    browser.click("Add planned publication date", role="link")
    _fill_date(page, "Planned publication date", PLANNED)
    _press(browser, "Save the planned date")
    expect(page.get_by_text("The planned publication date has been saved.")).to_be_visible()
    send_by = deadlines.latest_send_date(PLANNED, ClockSettings.load(), calendar())
    assert send_by == D(2026, 12, 30)  # 7 working days back over New Year's Day
    countdown = deadlines.countdown_text(send_by, TODAY, calendar())
    assert countdown == "due in 10 working days"  # Christmas Day and Boxing Day do not count
    row = _row(page, "Send the final report by")
    expect(row).to_contain_text(long_date(send_by))
    expect(row).to_contain_text(countdown)
    browser.goto(review_page)
    expect(_task(page, "Publication")).to_contain_text(f"Planned for {long_date(PLANNED)}")
    expect(_task(page, "Publication")).to_contain_text(f"Due by {long_date(send_by)}")

    # The check before publication finds the name; publication is blocked.
    _check_before_publication(browser, "Overview Report version 2")
    expect(
        page.get_by_text("The check found 1 restricted name in Overview Report version 2.")
    ).to_be_visible()
    expect(page.locator("mark")).to_have_text(PLANTED)
    blocker = (
        "1 restricted name remains in the Overview Report version 2: fix the report or ask the "
        "Independent Chair to override."
    )
    browser.goto(f"/reviews/{review.pk}/publication/")
    expect(page.locator("#blockers")).to_contain_text(blocker)
    expect(page.get_by_role("link", name="Record the publication", exact=True)).to_have_count(0)
    browser.goto(f"/reviews/{review.pk}/publication/publish/")
    expect(page.get_by_text("The report cannot be published yet.")).to_be_visible()
    expect(page.get_by_text(blocker)).to_be_visible()
    expect(page.get_by_role("button", name="Continue")).to_have_count(0)

    # The author shares version 3 without the name, which ends the approval and sign-off.
    _switch(browser, author, password)
    browser.goto(review_page)
    browser.click("Draft report", role="link")
    _upload(
        browser,
        v3,
        change_note="The partner's name taken out of the background.",
        reason="Version 2 named the mother's partner; version 3 does not.",
    )
    expect(
        page.get_by_text("Overview Report version 3 has been shared with the panel.")
    ).to_be_visible()
    assert ReportApproval.objects.filter(review=review, voided_at__isnull=False).count() == 1
    browser.goto(review_page)
    expect(_task(page, "Panel chair's approval")).to_contain_text("Not yet started")

    # The panel chair approves version 3 (nothing found now); the Independent Chair signs off.
    _switch(browser, panel_chair, password)
    _to_approval(browser, review)
    row = _row(page, "Overview Report version 3")
    expect(row).to_contain_text("None found")
    _confirm_approval(browser)
    _switch(browser, independent_chair, password)
    _sign_off(browser, review, "no restricted names found")

    # The check before publication is clear.
    _switch(browser, manager, password)
    browser.goto(review_page)
    _check_before_publication(browser, "Overview Report version 3")
    expect(
        page.get_by_text("The check found no restricted names in Overview Report version 3.")
    ).to_be_visible()
    browser.goto(review_page)
    expect(_task(page, "Anonymisation check")).to_contain_text("Clear for publication")
    browser.click("Sign out")

    # On the planned day the manager records the sendings (on the day of the sign-off, more
    # than 7 working days ago), the family's response, and the publication.
    today.move_to(at(PLANNED))
    browser.sign_in(manager, password)
    browser.goto(review_page)
    browser.click("Publication", role="link")
    for body in ("the National Panel", "the DfE", "Ofsted"):
        browser.click(f"Record the date sent to {body}", role="link")
        _fill_date(page, "Date sent", TODAY)
        _press(browser, "Record the date sent")
        expect(
            page.get_by_text(f"The date the report was sent to {body} is recorded.")
        ).to_be_visible()
    browser.click("Record the family record", role="link")
    _fill_date(page, "Date the family were offered the final draft", TODAY)
    browser.fill(
        "The family's response, or why they were not offered it",
        "The family asked that the report says how the school helped.",
    )
    _press(browser, "Save the family record")
    expect(page.get_by_text("The family record has been saved.")).to_be_visible()
    expect(page.get_by_text(f"Nothing stops publication on {long_date(PLANNED)}.")).to_be_visible()

    browser.click("Record the publication", role="link")
    _fill_date(page, "Date published", PLANNED)
    browser.fill("Web address of the published report", "https://www.example.org.uk/child-t")
    _press(browser, "Continue")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check your answers before recording the publication"
    )
    _press(browser, "Record the publication")
    expect(page.get_by_text("The publication has been recorded.")).to_be_visible()

    browser.goto(review_page)
    expect(_task(page, "Publication")).to_contain_text(f"Published on {long_date(PLANNED)}")
    expect(_task(page, "Publication")).to_contain_text("Completed")
    review.refresh_from_db()
    assert review.report_status == ReportStatus.PUBLISHED
    assert Publication.objects.get(review=review).published_on == PLANNED
