"""Browser journey: the partnership manager puts a closed review on legal hold, sees the banner
on the review page, looks at who has read the review in the access log, changes the retention
periods and looks at the removals page. Every page is checked with axe."""

import pytest
from playwright.sync_api import expect

from reviews.referral import services
from tests.reviews.conftest import open_referral

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def closed_review(manager, local_authority):
    review = open_referral(manager, local_authority, pseudonym="Child W")
    services.criteria_record(
        review=review, by=manager, abuse_or_neglect="no", died_or_seriously_harmed="yes"
    )
    return services.review_close_not_notifiable(
        review=review, by=manager, reason="The criteria are not met."
    )


def test_the_manager_holds_a_review_and_reads_the_access_log(
    browser, manager, password, closed_review
):
    page = browser.page
    browser.sign_in(manager, password)
    browser.goto(f"/reviews/{closed_review.pk}/")
    browser.click("Legal hold", role="link")
    expect(page.get_by_role("heading", name="Set a legal hold")).to_be_visible()
    expect(page.get_by_text("7 years: kept until")).to_be_visible()

    browser.click("Set the legal hold")
    expect(page.get_by_role("alert")).to_contain_text("Enter why the review is on legal hold")
    browser.fill("Why the review is on legal hold", "A fictional civil claim has been made.")
    browser.click("Set the legal hold")
    expect(page.get_by_text("Legal hold set.")).to_be_visible()
    expect(page.get_by_role("heading", name="Lift the legal hold")).to_be_visible()

    browser.click("Back to the review", role="link")
    expect(page.get_by_text("This review is on legal hold")).to_be_visible()

    browser.click("Who has looked at this review", role="link")
    expect(page.get_by_role("heading", name="Access log", level=1)).to_be_visible()
    table = page.get_by_role("table")
    expect(table).to_contain_text("Morgan Manager")
    expect(table).to_contain_text("Review page")
    expect(table).to_contain_text(f"{closed_review.reference}: legal hold")
    expect(page.get_by_label("Review reference")).to_have_value(closed_review.reference)

    browser.goto("/reviews/settings/retention/")
    browser.fill("LCSPRs: years kept", "0")
    browser.click("Save retention periods")
    expect(page.get_by_role("alert")).to_contain_text("Years to keep lcsprs must be 1 or more")
    browser.fill("LCSPRs: years kept", "80")
    browser.click("Save retention periods")
    expect(page.get_by_text("Retention periods saved.")).to_be_visible()

    browser.click("Reviews due for removal, on legal hold and removed", role="link")
    expect(page.get_by_role("heading", name="On legal hold")).to_be_visible()
    expect(page.get_by_role("link", name=f"{closed_review.reference} : legal hold")).to_be_visible()
