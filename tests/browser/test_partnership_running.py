"""Running the partnership in a browser (axe checks every page): the manager adds, renames and
retires an agency, adds and removes a closure day beside the bank holidays, and reads what
changed in a review's details and decision from its timeline."""

import datetime

import pytest
from playwright.sync_api import expect

from lcspr.accounts.models import Agency, Role
from lcspr.core.models import ClosureDay
from reviews.clocks.models import DeadlineKind
from reviews.referral import services as referral_services
from tests.factories import UserFactory
from tests.reviews.conftest import (
    open_referral,
    to_decided,
    to_rapid_review,
    to_sent,
    to_signed_off,
)

D = datetime.date


@pytest.fixture
def in_rapid_review(manager, local_authority):
    return to_rapid_review(open_referral(manager, local_authority), manager)


@pytest.fixture
def lcspr_review(
    in_rapid_review, manager, local_authority, police, icb, partner_lead, independent_chair
):
    leads = [partner_lead] + [
        UserFactory(agency=agency, roles=[Role.STATUTORY_PARTNER_LEAD])
        for agency in (local_authority, icb)
    ]
    review = to_sent(to_signed_off(in_rapid_review, manager, leads), manager)
    return to_decided(review, independent_chair)


def _fill_date(page, prefix, value):
    page.locator(f"#id_{prefix}_0").fill(str(value.day))
    page.locator(f"#id_{prefix}_1").fill(str(value.month))
    page.locator(f"#id_{prefix}_2").fill(str(value.year))


def test_the_manager_adds_renames_and_retires_an_agency(
    browser, manager, password, police, partner_lead
):
    page = browser.page
    browser.sign_in(manager, password)
    browser.goto("/")
    browser.click("Agencies", role="link")
    expect(page.get_by_role("heading", level=1)).to_have_text("Agencies")
    browser.click("Add an agency", role="button")
    browser.click("Add the agency")
    expect(page.get_by_role("alert")).to_contain_text("Enter name")
    browser.fill("Name", "Northbridge Youth Service")
    page.get_by_label("Voluntary sector").check()
    page.get_by_label("No", exact=True).check()
    browser.click("Add the agency")
    expect(page.get_by_text("Northbridge Youth Service has been added.")).to_be_visible()

    browser.click("Change the name", role="link")
    browser.fill("Name", "Northbridge Youth and Play Service")
    browser.click("Save the name")
    expect(
        page.get_by_text("The agency is now called Northbridge Youth and Play Service.")
    ).to_be_visible()

    browser.click("What changed for Northbridge Youth and Play Service", role="link")
    expect(page.get_by_role("heading", level=1)).to_have_text("What changed")
    row = page.get_by_role("row", name="Name Northbridge Youth Service Northbridge Youth and Play")
    expect(row).to_be_visible()
    browser.click("Back to the agency", role="link")

    browser.click("Retire this agency", role="button")
    browser.fill("Why is the agency being retired?", "Merged into the council's early help")
    browser.click("Retire the agency")
    expect(page.get_by_text("This agency is retired.")).to_be_visible()
    assert not Agency.objects.get(name="Northbridge Youth and Play Service").is_active

    # A statutory partner with a lead cannot stop being one: the page says why.
    browser.goto(f"/account/agencies/{police.pk}/statutory-partner/")
    browser.click("It is no longer a statutory partner")
    expect(page.get_by_role("alert")).to_contain_text(
        "while Pat Partner is its statutory partner lead"
    )
    assert Agency.objects.get(pk=police.pk).is_statutory_partner


def test_the_manager_adds_and_removes_a_closure_day(browser, manager, password, in_rapid_review):
    page = browser.page
    browser.sign_in(manager, password)
    browser.goto("/")
    browser.click("Closure days and bank holidays", role="link")
    browser.goto("/reviews/settings/calendar/?year=2026")
    expect(page.get_by_role("row", name="Friday 25 December 2026 Christmas Day")).to_be_visible()
    browser.click("Add a closure day", role="button")
    browser.click("Add the closure day")
    expect(page.get_by_role("alert")).to_contain_text("Enter the date")
    _fill_date(page, "date", D(2026, 3, 16))
    browser.fill("Why the partnership is closed that day", "Council closure")
    browser.click("Add the closure day")
    expect(page.get_by_text("16 March 2026 is now a closure day.")).to_be_visible()
    assert in_rapid_review.deadlines.get(kind=DeadlineKind.RAPID_REVIEW).due_date == D(2026, 3, 30)

    browser.click("Remove 16 March 2026", role="link")
    browser.fill("Why is this closure day being removed?", "The council opened after all")
    browser.click("Remove the closure day")
    expect(page.get_by_text("16 March 2026 is no longer a closure day.")).to_be_visible()
    assert not ClosureDay.objects.exists()
    assert in_rapid_review.deadlines.get(kind=DeadlineKind.RAPID_REVIEW).due_date == D(2026, 3, 27)


def test_the_timeline_leads_to_what_changed(browser, manager, password, lcspr_review):
    referral_services.review_update_details(
        review=lcspr_review, by=manager, incident_location="Eastbridge"
    )
    page = browser.page
    browser.sign_in(manager, password)
    browser.goto(f"/reviews/{lcspr_review.pk}/timeline/")
    browser.click("What changed by this event (Details corrected: where it happened)", role="link")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "What changed in the review's details"
    )
    expect(page.get_by_role("row", name="Where it happened Northbridge Eastbridge")).to_be_visible()
    browser.goto(f"/reviews/{lcspr_review.pk}/timeline/")
    browser.click(
        "What changed by this event (Independent Chair's decision: An LCSPR will take place)",
        role="link",
    )
    expect(
        page.get_by_role("row", name="Outcome Nothing before An LCSPR will take place")
    ).to_be_visible()
