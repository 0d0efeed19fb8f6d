"""The statutory record's hard cases in a browser (axe checks every page): a looked-after
child's death notified to the DfE and Ofsted although the National Panel is not, and a recorded
date corrected with its reason."""

import datetime

from playwright.sync_api import expect

from reviews.clocks.models import DeadlineKind
from reviews.models import Trigger
from reviews.referral import services as referral_services
from tests.reviews.conftest import NOTIFIED, open_referral, to_rapid_review

D = datetime.date


def _fill_date(page, prefix, value):
    page.locator(f"#id_{prefix}_0").fill(str(value.day))
    page.locator(f"#id_{prefix}_1").fill(str(value.month))
    page.locator(f"#id_{prefix}_2").fill(str(value.year))


def test_the_manager_notifies_the_dfe_and_ofsted_of_a_looked_after_childs_death(
    browser, manager, password, local_authority
):
    review = open_referral(manager, local_authority, trigger=Trigger.LOOKED_AFTER_DEATH)
    referral_services.criteria_record(
        review=review, by=manager, abuse_or_neglect="no", died_or_seriously_harmed="yes"
    )
    page = browser.page
    browser.sign_in(manager, password)
    browser.goto(f"/reviews/{review.pk}/")
    page.get_by_role(
        "link", name="Notify the DfE and Ofsted of a looked-after child's death"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Notify the DfE and Ofsted of a looked-after child's death"
    )
    browser.click("Record the notice")
    expect(page.get_by_role("alert")).to_contain_text("Enter the date the DfE was notified")
    _fill_date(page, "dfe_notified_on", NOTIFIED)
    _fill_date(page, "ofsted_notified_on", NOTIFIED)
    browser.click("Record the notice")
    expect(page.get_by_text("The notice to the DfE and Ofsted has been recorded.")).to_be_visible()
    assert review.deadlines.get(kind=DeadlineKind.LOOKED_AFTER_DEATH).met_on == NOTIFIED


def test_the_manager_corrects_the_notification_date_with_a_reason(
    browser, manager, password, local_authority
):
    review = to_rapid_review(open_referral(manager, local_authority), manager)
    page = browser.page
    browser.sign_in(manager, password)
    browser.goto(f"/reviews/{review.pk}/")
    page.get_by_role("link", name="Recorded dates and corrections").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Recorded dates")
    page.get_by_role("link", name="Correct the date the National Panel was notified").click()
    _fill_date(page, "value", D(2026, 3, 2))
    page.get_by_label("Why the date is being corrected").fill("The e-mail was sent on Thursday")
    browser.click("Correct the date")
    expect(page.get_by_role("alert")).to_contain_text(
        "cannot be before the date the local authority became aware (3 March 2026)"
    )
    _fill_date(page, "value", D(2026, 3, 5))
    browser.click("Correct the date")
    expect(
        page.get_by_text("The date the National Panel was notified has been corrected.")
    ).to_be_visible()
    browser.goto(f"/reviews/{review.pk}/timeline/")
    expect(page.get_by_text("The e-mail was sent on Thursday", exact=False)).to_be_visible()


def test_the_manager_says_why_a_step_was_late(browser, manager, password, local_authority):
    # Notified on Friday 13 March 2026, three working days after its due date.
    review = open_referral(manager, local_authority)
    referral_services.criteria_record(
        review=review, by=manager, abuse_or_neglect="yes", died_or_seriously_harmed="yes"
    )
    referral_services.notification_record(review=review, by=manager, sent_on=D(2026, 3, 13))
    page = browser.page
    browser.sign_in(manager, password)
    browser.goto(f"/reviews/{review.pk}/")
    page.get_by_role("link", name="Steps taken late and why").click()
    page.get_by_role("link", name="Say why “Notify the National Panel” was late").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Why was this late?")
    browser.click("Save the reason")
    expect(page.get_by_role("alert")).to_contain_text("Enter why this was late")
    page.get_by_label("Reason for the delay").fill("The Panel's online form was unavailable.")
    browser.click("Save the reason")
    expect(
        page.get_by_text(
            "The reason for the delay to “Notify the National Panel” has been recorded."
        )
    ).to_be_visible()
    expect(page.get_by_text("The Panel's online form was unavailable.")).to_be_visible()
