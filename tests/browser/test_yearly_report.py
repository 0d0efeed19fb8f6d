"""The yearly report on reviews in a browser: the partnership manager opens it from the
navigation, reads the last financial year's figures, chooses the year before and reads its
figures (axe checks every page, the charts and their tables included)."""

from playwright.sync_api import expect

from tests.reviews.yearly.conftest import *  # noqa: F403 - the yearly report's reviews


def figure(page, label: str):
    row = page.locator(".govuk-summary-list__row", has=page.get_by_text(label, exact=True))
    return row.locator(".govuk-summary-list__value")


def test_the_manager_reads_one_year_then_the_year_before(browser, password, year_data, manager):
    page = browser.page
    browser.sign_in(manager, password)
    browser.click("Yearly report", role="link")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Yearly report on reviews: April 2025 to March 2026"
    )
    notified = "Serious incidents notified to the National Panel"
    expect(figure(page, notified)).to_have_text("2")
    expect(page.get_by_role("img", name="Timeliness of each statutory step")).to_be_visible()
    expect(page.get_by_role("table", name="Timeliness of each statutory step")).to_be_visible()
    expect(page.get_by_text("The author was away for six weeks.")).to_be_visible()

    browser.fill("Year", "2024")
    browser.click("Show these 12 months")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Yearly report on reviews: April 2024 to March 2025"
    )
    assert "month=4" in page.url and "year=2024" in page.url
    expect(figure(page, notified)).to_have_text("1")  # Child F, notified in March 2025
    expect(figure(page, "LCSPRs started")).to_have_text("0")
