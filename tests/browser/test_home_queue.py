"""The home page's work queues in a browser: a partner lead follows "Waiting for you" to the
sign-off waiting for them and completes it; the manager reminds an agency that is late. Every
page is checked by axe on each visit."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from lcspr.accounts.models import Role
from reviews.rapid_review import services
from reviews.rapid_review.models import AgencySummaryRequest, Recommendation
from tests.factories import UserFactory
from tests.reviews.conftest import open_referral, to_rapid_review


@pytest.fixture
def in_rapid_review(manager, local_authority, police, icb):
    return to_rapid_review(open_referral(manager, local_authority), manager)


def test_a_partner_lead_follows_waiting_for_you_to_the_sign_off_and_completes_it(
    browser, in_rapid_review, manager, partner_lead, police, password
):
    services.recommendation_record(
        review=in_rapid_review,
        by=manager,
        recommendation=Recommendation.LCSPR,
        rationale="Learning for every agency.",
    )
    browser.sign_in(partner_lead, password)
    browser.goto("/")
    expect(browser.page.get_by_role("heading", name="Waiting for you")).to_be_visible()
    browser.click(f"Partner sign-offs for {in_rapid_review.reference}", role="link")
    expect(browser.page.get_by_role("heading", level=1)).to_have_text(
        "Check the rapid review before you sign it off"
    )
    browser.click(f"Sign off for {police}")
    expect(
        browser.page.get_by_text(f"You signed off the rapid review for {police}.")
    ).to_be_visible()

    browser.goto("/")
    expect(browser.page.get_by_text("Nothing is waiting for you.")).to_be_visible()
    expect(browser.page.get_by_role("link", name="Partner sign-offs", exact=False)).to_have_count(0)


def test_the_manager_reminds_an_agency_that_is_late(
    browser, in_rapid_review, manager, school, password
):
    rep = UserFactory(full_name="Rita Rep", agency=school, roles=[Role.AGENCY_REPRESENTATIVE])
    request = services.agency_summary_request(
        review=in_rapid_review,
        by=manager,
        agency=school,
        due_date=timezone.localdate() + datetime.timedelta(days=5),
    )
    AgencySummaryRequest.objects.filter(pk=request.pk).update(due_date=datetime.date(2026, 3, 9))
    browser.sign_in(manager, password)
    browser.goto("/")
    expect(browser.page.get_by_role("heading", name="Waiting for others")).to_be_visible()
    browser.page.get_by_role("button", name="Send a reminder", exact=False).click()
    browser.page.wait_for_load_state("load")
    browser.check_accessibility()
    expect(browser.page.get_by_text(f"Reminder sent to {rep}", exact=False)).to_be_visible()
