"""A review's panel and team in a browser (axe checks every page)."""

import datetime

import pytest
from playwright.sync_api import expect

from lcspr.accounts.models import Role
from panels import services
from panels.models import MemberRole, Membership
from tests.factories import UserFactory
from tests.reviews.conftest import (
    open_referral,
    to_decided,
    to_rapid_review,
    to_sent,
    to_signed_off,
)


@pytest.fixture
def lcspr_review(manager, local_authority, police, icb, partner_lead, independent_chair):
    leads = [partner_lead] + [
        UserFactory(agency=agency, roles=[Role.STATUTORY_PARTNER_LEAD])
        for agency in (local_authority, icb)
    ]
    review = to_rapid_review(open_referral(manager, local_authority), manager)
    return to_decided(to_sent(to_signed_off(review, manager, leads), manager), independent_chair)


def _fill_date(page, name, value: datetime.date):
    page.fill(f"#id_{name}_0", str(value.day))
    page.fill(f"#id_{name}_1", str(value.month))
    page.fill(f"#id_{name}_2", str(value.year))


def test_the_manager_builds_the_panel_and_appoints_the_author(
    browser, manager, password, lcspr_review, independent_author
):
    UserFactory(
        full_name="Cara Chair", job_title="Head of Safeguarding", roles=[Role.SUBGROUP_MEMBER]
    )
    page = browser.page
    browser.sign_in(manager, password)
    browser.goto(f"/reviews/{lcspr_review.pk}/panel/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Panel and team")
    expect(page.get_by_text("Review to be completed by")).to_be_visible()

    browser.click("Appoint a panel chair", role="link")
    browser.click("Add the person")  # no person chosen: the error summary says so
    expect(page.get_by_role("alert")).to_contain_text("Select the person to add")
    page.get_by_label("Person").select_option(label="Cara Chair – Head of Safeguarding")
    page.get_by_label("Panel chair", exact=True).check()
    browser.click("Add the person")
    expect(page.get_by_text("Cara Chair has been added as panel chair.")).to_be_visible()

    browser.click("Appoint an independent author", role="link")
    page.get_by_label("Person").select_option(label="Ivy Author")
    _fill_date(page, "commissioned_on", datetime.date(2026, 4, 1))
    browser.fill("Contract or agreement reference (optional)", "BSCP-2026-07")
    _fill_date(page, "expected_delivery", datetime.date(2026, 9, 18))
    browser.click("Add the person")
    expect(page.get_by_text("Ivy Author has been added as independent author.")).to_be_visible()
    expect(page.get_by_text("BSCP-2026-07")).to_be_visible()

    page.get_by_role("link", name="Change the appointment of Ivy Author").click()
    browser.check_accessibility()
    browser.fill("Contract or agreement reference (optional)", "BSCP-2026-07a")
    browser.click("Save the appointment")
    expect(page.get_by_text("BSCP-2026-07a")).to_be_visible()
    author = Membership.objects.get(user=independent_author)
    assert author.contract_reference == "BSCP-2026-07a"


def test_the_manager_removes_a_panel_member_and_a_member_sees_the_panel(
    browser, manager, password, lcspr_review, school
):
    member = UserFactory(full_name="Penny Panel", agency=school)
    services.membership_add(
        review=lcspr_review, by=manager, user=member, role=MemberRole.PANEL_MEMBER
    )
    page = browser.page
    browser.sign_in(member, password)
    browser.goto(f"/reviews/{lcspr_review.pk}/panel/")
    expect(page.get_by_role("row", name="Penny Panel")).to_be_visible()
    expect(page.get_by_role("link", name="Add a person")).to_have_count(0)
    browser.click("Sign out")

    browser.sign_in(manager, password)
    browser.goto(f"/reviews/{lcspr_review.pk}/panel/")
    page.get_by_role("link", name="Remove Penny Panel from the panel").click()
    browser.check_accessibility()
    browser.fill("Reason (optional)", "Changed jobs")
    browser.click("Remove Penny Panel")
    expect(page.get_by_text("Their access to the review has ended.")).to_be_visible()
    expect(page.get_by_role("heading", name="Past members")).to_be_visible()
    expect(page.get_by_text("Changed jobs")).to_be_visible()
    assert not Membership.objects.get(user=member).is_active
