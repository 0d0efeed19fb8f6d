"""The Terms of Reference in a browser: the author drafts and shares, a panel member comments,
the panel chair agrees on the check page, and the PDF downloads (axe checks every page)."""

import pytest
from playwright.sync_api import expect

from lcspr.accounts.models import Role
from panels.models import MemberRole
from panels.services import membership_add
from reviews.terms.models import TermsOfReference
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


@pytest.fixture
def team(lcspr_review, manager, independent_author, school):
    chair = UserFactory(full_name="Chris Chairperson", roles=[Role.SUBGROUP_MEMBER])
    member = UserFactory(full_name="Penny Panel", agency=school, roles=[Role.AGENCY_REPRESENTATIVE])
    for user, role in (
        (chair, MemberRole.PANEL_CHAIR),
        (member, MemberRole.PANEL_MEMBER),
        (independent_author, MemberRole.AUTHOR),
    ):
        membership_add(review=lcspr_review, by=manager, user=user, role=role)
    return {"chair": chair, "member": member, "author": independent_author}


def _sign_out(browser):
    browser.click("Sign out")


def test_the_terms_of_reference_are_drafted_shared_commented_on_and_agreed(
    browser, lcspr_review, team, password
):
    page = browser.page
    terms_url = f"/reviews/{lcspr_review.pk}/terms/"

    # The independent author drafts the sections and the key lines of enquiry.
    browser.sign_in(team["author"], password)
    browser.goto(terms_url)
    browser.click("Start the Terms of Reference")
    expect(
        page.get_by_text("Version 1 of the Terms of Reference has been started.")
    ).to_be_visible()
    browser.click("Edit the sections", role="link")
    page.locator("#id_period_start_0").fill("1")
    page.locator("#id_period_start_1").fill("1")
    page.locator("#id_period_start_2").fill("2025")
    page.locator("#id_period_end_0").fill("2")
    page.locator("#id_period_end_1").fill("3")
    page.locator("#id_period_end_2").fill("2026")
    browser.fill("Methodology", "A systems approach with practitioner conversations.")
    page.get_by_label("Northbridge Constabulary").check()
    page.get_by_label("Northbridge Council Children's Services").check()
    browser.click("Save the sections")
    expect(page.get_by_text("Version 1 has been saved.")).to_be_visible()
    browser.click("Edit the key lines of enquiry", role="link")
    browser.fill("Key line of enquiry 1", "How well was the baby's daily life understood?")
    browser.fill("Key line of enquiry 2", "How was information about risk shared?")
    browser.click("Save the key lines of enquiry")
    expect(page.get_by_text("KLOE 2")).to_be_visible()
    browser.click("Share with the panel for comment", role="link")
    browser.click("Share with the panel")
    expect(page.get_by_text("has been shared with the panel for comment")).to_be_visible()
    _sign_out(browser)

    # A panel member comments on the shared draft.
    browser.sign_in(team["member"], password)
    browser.goto(terms_url)
    browser.click("Comment on the draft", role="link")
    page.get_by_label("Which section is your comment about?").select_option("Agencies in scope")
    browser.fill("Your comment", "Please add the GP practice.")
    browser.click("Add your comment")
    expect(page.get_by_text("Please add the GP practice.")).to_be_visible()
    _sign_out(browser)

    # The panel chair checks the draft, sees the comment, and agrees it.
    browser.sign_in(team["chair"], password)
    browser.goto(terms_url)
    browser.click("Check and agree version 1", role="link")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check the Terms of Reference before you agree them"
    )
    expect(page.get_by_text("Please add the GP practice.")).to_be_visible()
    browser.click("Agree version 1")
    expect(page.get_by_text("Version 1 of the Terms of Reference agreed.")).to_be_visible()
    assert lcspr_review.tor_versions.get().status == TermsOfReference.Status.AGREED

    href = page.get_by_role("link", name="Download version 1 (PDF)").get_attribute("href")
    response = page.request.get(browser.base_url + href)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")

    browser.click("Version 1", role="link")
    expect(page.get_by_role("heading", level=1)).to_have_text("Terms of Reference version 1")
