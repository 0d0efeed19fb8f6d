"""An agency's chronology in a browser: the manager asks the agencies in scope, the school's
representative adds an entry from the keyboard, names themself as author, declares and submits,
and the manager accepts (axe checks every page)."""

import datetime

from django.utils import timezone
from playwright.sync_api import expect

from chronologies.models import RequestStatus
from tests.chronologies.conftest import *  # noqa: F403 - the agreed review and its personas


def _sign_out(browser):
    browser.click("Sign out")


def test_an_agency_submits_its_chronology_and_the_manager_accepts_it(
    browser, agreed_review, manager, agency_author, school, password
):
    page = browser.page
    due = timezone.localdate() + datetime.timedelta(days=40)

    # The manager asks the agencies in scope.
    browser.sign_in(manager, password)
    browser.goto(f"/chronologies/reviews/{agreed_review.pk}/")
    page.locator("#id_due_date_0").fill(str(due.day))
    page.locator("#id_due_date_1").fill(str(due.month))
    page.locator("#id_due_date_2").fill(str(due.year))
    browser.click("Ask the agencies for their chronologies")
    expect(page.get_by_text("2 agencies have been asked")).to_be_visible()
    _sign_out(browser)

    # The school's representative finds the request and adds an entry from the keyboard.
    browser.sign_in(agency_author, password)
    browser.goto("/chronologies/requests/")
    page.get_by_role("link", name=agreed_review.reference).click()
    browser.check_accessibility()
    browser.click("Add an entry", role="link")
    browser.fill("Day", "3")
    browser.fill("Month", "6")
    browser.fill("Year", "2025")
    page.get_by_role("group", name="Was the child seen?").get_by_label("Yes").check()
    browser.fill("Practitioner role", "Class teacher")
    browser.fill("Description", "Bruise on the arm noticed in PE.")
    page.get_by_label("Neglect").check()
    page.get_by_label("Time (optional)").fill("14:30")
    with page.expect_navigation():
        page.keyboard.press("Enter")  # submits the form, as a keyboard user would
    browser.check_accessibility()
    expect(page.get_by_text("Entry 1 has been added.")).to_be_visible()

    browser.click("Change the authors", role="link")
    page.get_by_label("Alex Agency").check()
    browser.click("Save the authors")
    browser.click("Check and submit the chronology", role="link")
    expect(page.get_by_text("I had no direct involvement")).to_be_visible()
    page.get_by_label("I confirm this declaration").check()
    browser.click("Submit the chronology")
    expect(page.get_by_text("Version 1 of the chronology has been submitted.")).to_be_visible()
    _sign_out(browser)

    # The manager reads version 1 and accepts it.
    request = agreed_review.chronologies.get(agency=school)
    browser.sign_in(manager, password)
    browser.goto(f"/chronologies/requests/{request.pk}/")
    browser.click("Version 1", role="link")
    expect(page.get_by_text("Bruise on the arm noticed in PE.")).to_be_visible()
    browser.goto(f"/chronologies/requests/{request.pk}/")
    browser.click("Accept or return the chronology", role="link")
    page.get_by_label("Accept the chronology").check()
    browser.click("Save the decision")
    expect(page.get_by_text("chronology has been accepted")).to_be_visible()
    request.refresh_from_db()
    assert request.status == RequestStatus.ACCEPTED
