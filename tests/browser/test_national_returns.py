"""The national returns in a browser (axe checks every page): the manager fills the national
notification from the answers page and records it, downloads the rapid review in the National
Panel's template and opens it back with python-docx, and reads and downloads the final report's
covering information for the National Panel, the DfE and Ofsted."""

import datetime
import io
import re

import pytest
import time_machine
from docx import Document
from playwright.sync_api import expect

from lcspr.accounts.models import Role
from reviews.models import Child, SocialCareStatus
from reviews.rapid_review import services as rapid_review_services
from reviews.referral import services as referral_services
from reviews.referral.models import Notification
from tests.factories import UserFactory
from tests.reviews.conftest import (
    open_referral,
    to_decided,
    to_rapid_review,
    to_sent,
    to_signed_off,
)
from tests.reviews.publication_fixtures import *  # noqa: F403
from tests.reviews.publication_fixtures import TODAY, at
from tests.reviews.report_fixtures import *  # noqa: F403

D = datetime.date
CHILD_NAME = "Robin Fictional"
PANEL_SECTIONS = [
    "1. The case",
    "2. Facts of the case",
    "3. Agency involvement",
    "4. Analysis of key practice episodes",
    "5. Immediate actions",
    "6. Equality and diversity",
    "7. Learning",
    "8. The safeguarding partners' decision and rationale",
]


@pytest.fixture
def today():
    """Today is Monday 14 December 2026 for the publication fixtures; time runs on, so the live
    server and the browser work."""
    with time_machine.travel(at(TODAY), tick=True) as traveller:
        yield traveller


def _child(review, manager):
    return referral_services.child_add(
        review=review,
        by=manager,
        name=CHILD_NAME,
        sex=Child.Sex.FEMALE,
        date_of_birth=D(2025, 11, 20),  # 3 months old on the incident, 2 March 2026
        ethnicity="White British",
        social_care_status=SocialCareStatus.CHILD_PROTECTION_PLAN,
    )


@pytest.fixture
def leads(partner_lead, local_authority, icb):
    return [partner_lead] + [
        UserFactory(agency=agency, roles=[Role.STATUTORY_PARTNER_LEAD])
        for agency in (local_authority, icb)
    ]


@pytest.fixture
def lcspr_review(manager, local_authority, police, leads, independent_chair):
    review = open_referral(manager, local_authority)
    _child(review, manager)
    review = to_rapid_review(review, manager)
    return to_decided(to_sent(to_signed_off(review, manager, leads), manager), independent_chair)


def _fill_date(page, name: str, value: datetime.date):
    for part, number in enumerate((value.day, value.month, value.year)):
        page.locator(f"#id_{name}_{part}").fill(str(number))


def _answer(page, question: str):
    """The answer beside `question` on a copy-ready answers page."""
    row = page.locator(".govuk-summary-list__row").filter(
        has=page.locator("dt", has_text=re.compile(f"^{re.escape(question)}$"))
    )
    return row.locator(".govuk-summary-list__value")


def _copy(browser, question: str) -> str:
    """Click the copy button of `question` and return what the clipboard then holds."""
    page = browser.page
    page.get_by_role("button", name=f"Copy {question}", exact=True).click()
    expect(page.locator("[data-copy-status]")).to_have_text(f"Copied {question}")
    return page.evaluate("navigator.clipboard.readText()")


def test_the_manager_fills_the_national_notification_and_records_it_in_time(
    browser, manager, password, local_authority, police
):
    review = open_referral(manager, local_authority)
    _child(review, manager)
    referral_services.criteria_record(
        review=review, by=manager, abuse_or_neglect="yes", died_or_seriously_harmed="yes"
    )
    page = browser.page
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    browser.sign_in(manager, password)
    browser.goto(f"/reviews/{review.pk}/")
    browser.click("Notify the National Panel", role="link")
    expect(page.get_by_text("Due by 10 March 2026")).to_be_visible()
    browser.click("Answers for the national notification form", role="link")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Answers for the national notification"
    )
    expect(_answer(page, "Local authority")).to_have_text(local_authority.name)
    expect(_answer(page, "Date the local authority became aware")).to_have_text("3 March 2026")
    expect(_answer(page, "Age at the time of the incident")).to_have_text("3 months old")
    expect(_answer(page, "Children's social care status")).to_have_text(
        "Subject to a child protection plan"
    )
    # Where the service does not hold the answer, the page says so and what to do.
    expect(_answer(page, "Category of abuse or neglect")).to_contain_text("Not held")
    assert _copy(browser, "date of the incident") == "2 March 2026"

    browser.click("Back to recording the notification", role="link")
    _fill_date(page, "sent_on", D(2026, 3, 6))
    browser.fill("National Panel's reference", "NP-123")
    browser.click("Record the notification")
    expect(page.get_by_text("the rapid review has started")).to_be_visible()
    assert Notification.objects.get(review=review).sent_on == D(2026, 3, 6)

    browser.goto(f"/reviews/{review.pk}/notification/answers/")
    expect(page.locator(".govuk-inset-text").filter(has_text="was sent on")).to_have_text(
        "The notification was sent on 6 March 2026 (the National Panel's reference NP-123). It "
        "was due by 10 March 2026: the notification clock is met."
    )


def test_the_manager_downloads_the_rapid_review_for_the_panel_and_it_opens_in_word(
    browser, manager, password, local_authority, police
):
    review = to_rapid_review(open_referral(manager, local_authority), manager)
    _child(review, manager)
    rapid_review_services.rapid_review_update(
        review=review,
        by=manager,
        facts="Child T was taken to hospital by ambulance; the police were called.",
        emerging_learning="Agencies did not share what each knew about the household.",
    )
    page = browser.page
    browser.sign_in(manager, password)
    browser.goto(f"/reviews/{review.pk}/")
    browser.click("Findings", role="link")
    with page.expect_download() as download_info:
        page.get_by_role(
            "link", name="Download the rapid review in the National Panel's template (Word)"
        ).click()
    download = download_info.value
    assert download.suggested_filename == (
        f"{review.reference}-rapid-review-for-the-national-panel.docx"
    )
    doc = Document(io.BytesIO(download.path().read_bytes()))
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings == PANEL_SECTIONS
    cells = [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    text = "\n".join([p.text for p in doc.paragraphs] + cells)
    assert "Child T was taken to hospital by ambulance" in text
    assert "NP-0001" in text
    assert "Robin" not in text and "Fictional" not in text


def test_the_manager_reads_copies_and_downloads_the_covering_information(
    browser, manager, password, publication_ready, local_authority, referral_for_refusal
):
    review = publication_ready
    page = browser.page
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    browser.sign_in(manager, password)
    browser.goto(f"/reviews/{review.pk}/publication/plan/")
    _fill_date(page, "planned_on", D(2027, 1, 4))
    browser.click("Save the planned date")

    browser.goto(f"/reviews/{review.pk}/")
    browser.click("Covering information for the National Panel, the DfE and Ofsted", role="link")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Covering information for the final report"
    )
    expect(_answer(page, "Child (pseudonym)")).to_have_text("Child T")
    expect(_answer(page, "Local authority")).to_have_text(local_authority.name)
    expect(_answer(page, "Age")).to_have_text("3 months old")
    expect(_answer(page, "Planned publication date")).to_have_text("4 January 2027")
    expect(
        _answer(page, "Send the final report by (7 working days before publication)")
    ).to_have_text("21 December 2026")
    expect(_answer(page, "Will the full report be published")).to_have_text("Yes: the full report.")
    expect(_answer(page, "Main learning themes")).to_contain_text("Not held")
    expect(page.get_by_text(CHILD_NAME)).to_have_count(0)
    assert _copy(browser, "review reference") == review.reference

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the covering information (Word)").click()
    doc = Document(io.BytesIO(download_info.value.path().read_bytes()))
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings == [
        "The review",
        "The child at the time of the incident",
        "Dates",
        "Publication",
        "Learning and the agencies involved",
        "The author and contacts",
    ]
    cells = {row.cells[0].text: row.cells[1].text for t in doc.tables for row in t.rows}
    assert cells["Planned publication date"] == "4 January 2027"
    text = "\n".join([p.text for p in doc.paragraphs] + list(cells.values()))
    assert "Robin" not in text and "Fictional" not in text

    # The way back is the publication page, which links the covering information too.
    browser.click("Back to publication", role="link")
    expect(
        page.get_by_role(
            "link", name="Covering information for the National Panel, the DfE and Ofsted"
        )
    ).to_be_visible()

    # A review with no final report refuses, and says why.
    response = browser.goto(f"/reviews/{referral_for_refusal.pk}/publication/covering/")
    assert response.status == 409
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "There is no covering information yet"
    )
    expect(page.get_by_text("no LCSPR was decided for this review")).to_be_visible()


@pytest.fixture
def referral_for_refusal(manager, police):
    return open_referral(manager, police, pseudonym="Child V")
