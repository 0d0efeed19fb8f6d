"""Criteria not met, learning still wanted: the manager holds a reflective learning session
instead of closing the referral, in a browser (axe checks every page)."""

import datetime

from django.utils import timezone
from playwright.sync_api import expect

from reviews.clocks.models import Deadline
from reviews.models import Stage
from reviews.other_learning.models import OtherLearningReview
from tests.reviews.conftest import open_referral


def _fill_date(page, name, value: datetime.date):
    page.locator(f"#id_{name}_0").fill(str(value.day))
    page.locator(f"#id_{name}_1").fill(str(value.month))
    page.locator(f"#id_{name}_2").fill(str(value.year))


def test_the_manager_holds_a_reflective_session_for_a_referral_that_is_not_notifiable(
    browser, manager, password, local_authority, police, icb
):
    review = open_referral(manager, local_authority)
    page = browser.page
    browser.sign_in(manager, password)
    browser.goto(f"/reviews/{review.pk}/")

    browser.click("Criteria check", role="link")
    page.locator("#id_abuse_or_neglect_1").check()  # no
    page.locator("#id_died_or_seriously_harmed_0").check()  # yes
    browser.click("Save the criteria check")
    expect(page.get_by_text("Criteria check saved: the criteria are not met.")).to_be_visible()
    expect(page.get_by_role("link", name="Close the referral", exact=True).first).to_be_visible()

    page.locator("ul.govuk-task-list").get_by_role(
        "link", name="Hold a learning review instead"
    ).click()
    page.wait_for_load_state("load")
    browser.check_accessibility()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hold a learning review instead")
    browser.click("Start the learning review")  # nothing chosen: the summary names each field
    expect(page.get_by_role("alert")).to_contain_text("Select type of learning review")
    page.get_by_label("Reflective learning session").check()
    browser.fill("Scope or terms of reference", "How agencies shared worries about the baby.")
    browser.click("Start the learning review")
    expect(page.get_by_text("The reflective learning session has started.")).to_be_visible()
    review.refresh_from_db()
    assert review.stage == Stage.OTHER_LEARNING
    assert not Deadline.objects.filter(review=review, met_on=None).exists()

    browser.click("Hold a learning review instead", role="link")
    today = timezone.localdate()
    _fill_date(page, "held_on", today)
    browser.click("Save")  # the session before the scope was sent: refused, named
    expect(page.get_by_role("alert")).to_contain_text(
        "Enter the date the scope was sent to the practitioners"
    )
    _fill_date(page, "scope_sent_on", today - datetime.timedelta(days=14))
    _fill_date(page, "held_on", today)
    browser.fill(
        "Participants (optional)", "Health visitor, ICB\nSocial worker, Children's Services"
    )
    browser.fill("Learning identified (optional)", "Share worries at the first strategy meeting.")
    browser.click("Save")
    expect(page.get_by_text("The learning review has been saved.")).to_be_visible()

    browser.goto(f"/reviews/{review.pk}/other-learning/")
    browser.click("Close the learning review", role="link")
    browser.click("Close the learning review")
    expect(page.get_by_text("The learning review is closed.")).to_be_visible()
    review.refresh_from_db()
    assert review.stage == Stage.CLOSED
    other = OtherLearningReview.objects.get(review=review)
    assert other.closed_on == today
    assert other.scope_sent_on == today - datetime.timedelta(days=14)
