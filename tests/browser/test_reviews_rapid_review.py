"""The rapid review in a browser: every page type, checked by axe on each visit."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from lcspr.accounts.models import Role
from reviews.rapid_review import services
from reviews.rapid_review.models import Recommendation
from tests.factories import UserFactory
from tests.reviews.conftest import SENT, open_referral, to_rapid_review, to_signed_off


@pytest.fixture
def in_rapid_review(manager, local_authority, police, icb):
    return to_rapid_review(open_referral(manager, local_authority), manager)


@pytest.fixture
def partner_leads(partner_lead, local_authority, icb):
    return [
        partner_lead,
        *(
            UserFactory(agency=agency, roles=[Role.STATUTORY_PARTNER_LEAD])
            for agency in (local_authority, icb)
        ),
    ]


def fill_date(browser, day, month, year):
    browser.fill("Day", str(day))
    browser.fill("Month", str(month))
    browser.fill("Year", str(year))


def test_the_manager_works_through_the_rapid_review(
    browser, in_rapid_review, manager, school, password
):
    page = browser.page
    base = f"/reviews/{in_rapid_review.pk}"
    browser.sign_in(manager, password)

    browser.goto(f"{base}/rapid-review/")
    expect(
        page.get_by_role("group", name="Criteria for a local review (SI 2018/789 regulation 11)")
    ).to_be_visible()
    browser.fill("Facts established so far", "A fictional infant was seen at hospital.")
    page.get_by_label(
        "Highlights recurrent themes in the safeguarding and promotion of the welfare of children"
    ).check()
    browser.click("Save the findings")
    expect(page.get_by_text("The rapid review's findings were saved.")).to_be_visible()

    browser.goto(f"{base}/rapid-review/meetings/add/")
    browser.click("Record the meeting")
    expect(page.get_by_role("alert")).to_contain_text("Enter date of the meeting")
    fill_date(browser, SENT.day, SENT.month, SENT.year)
    browser.fill("Who attended", "Police: detective inspector")
    browser.click("Record the meeting")
    # Each step lands on the task list, where the next step is.
    expect(page.get_by_text("The rapid review meeting was recorded.")).to_be_visible()
    expect(page).to_have_url(f"{browser.base_url}{base}/")

    browser.goto(f"{base}/rapid-review/actions/add/")
    browser.fill("What must be done", "Check the sibling is safe.")
    page.get_by_label("Lead agency").select_option(label=str(school))
    browser.click("Add the action")
    expect(page.get_by_text("The immediate action was recorded.")).to_be_visible()
    expect(page).to_have_url(f"{browser.base_url}{base}/")

    browser.goto(f"{base}/agency-summaries/add/")
    page.get_by_label("Agency", exact=True).select_option(label=str(school))
    due = timezone.localdate() + datetime.timedelta(days=7)
    fill_date(browser, due.day, due.month, due.year)
    browser.click("Send the request")
    expect(page.get_by_text("The agency was asked for its summary.")).to_be_visible()
    expect(page).to_have_url(f"{browser.base_url}{base}/")
    browser.goto(f"{base}/rapid-review/")
    expect(page.get_by_text("Police: detective inspector")).to_be_visible()
    expect(page.get_by_role("cell", name="Check the sibling is safe.")).to_be_visible()
    expect(page.get_by_role("link", name=str(school))).to_be_visible()

    browser.goto(f"{base}/recommendation/")
    page.get_by_label("Carry out an LCSPR").check()
    browser.fill("Reasons for the recommendation", "Learning for every agency.")
    browser.click("Save the recommendation")
    expect(page.get_by_text("The recommendation was recorded.")).to_be_visible()

    browser.goto(f"{base}/send/")
    expect(page.get_by_text("The rapid review is not ready to send.")).to_be_visible()


def test_a_partner_lead_signs_off_after_checking_the_answers(
    browser, in_rapid_review, manager, partner_lead, police, password
):
    services.recommendation_record(
        review=in_rapid_review,
        by=manager,
        recommendation=Recommendation.LCSPR,
        rationale="Learning for every agency.",
    )
    browser.sign_in(partner_lead, password)
    browser.goto(f"/reviews/{in_rapid_review.pk}/sign-off/")
    expect(browser.page.get_by_role("heading", level=1)).to_have_text(
        "Check the rapid review before you sign it off"
    )
    browser.click(f"Sign off for {police}")
    expect(
        browser.page.get_by_text(f"You signed off the rapid review for {police}.")
    ).to_be_visible()


def test_the_manager_sends_the_rapid_review_and_records_the_response(
    browser, in_rapid_review, manager, partner_leads, password
):
    review = to_signed_off(in_rapid_review, manager, partner_leads)
    browser.sign_in(manager, password)
    browser.goto(f"/reviews/{review.pk}/send/")
    fill_date(browser, SENT.day, SENT.month, SENT.year)
    browser.click("Record as sent")
    expect(browser.page.get_by_text("recorded as sent to the National Panel")).to_be_visible()

    browser.goto(f"/reviews/{review.pk}/panel-response/")
    browser.page.get_by_label("Agrees with the recommendation").check()
    fill_date(browser, SENT.day, SENT.month, SENT.year)
    browser.click("Save the response")
    expect(browser.page.get_by_text("The National Panel's response was recorded.")).to_be_visible()

    browser.goto(f"/reviews/{review.pk}/rapid-review/")
    expect(browser.page.get_by_text("it can no longer change")).to_be_visible()


def test_an_agency_representative_sends_their_summary(
    browser, in_rapid_review, manager, school, agency_author, password
):
    services.agency_summary_request(
        review=in_rapid_review,
        by=manager,
        agency=school,
        due_date=timezone.localdate() + datetime.timedelta(days=7),
    )
    browser.sign_in(agency_author, password)
    browser.goto("/reviews/agency-summaries/")
    browser.click(str(in_rapid_review), role="link")
    browser.click("Send the summary")
    expect(browser.page.get_by_role("alert")).to_contain_text(
        "Enter the summary or choose a summary file"
    )
    browser.fill("Summary", "The school saw the child every day.")
    browser.click("Send the summary")
    expect(browser.page.get_by_text("The school saw the child every day.")).to_be_visible()
