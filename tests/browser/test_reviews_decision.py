"""The Independent Chair's decision and what follows, in a browser (axe checks every page)."""

import pytest
from playwright.sync_api import expect

from lcspr.accounts.models import Role
from reviews.decision import services
from reviews.decision.models import Decision, NationalNotice, Outcome
from reviews.models import Stage
from tests.factories import UserFactory
from tests.reviews.conftest import (
    open_referral,
    to_decided,
    to_rapid_review,
    to_sent,
    to_signed_off,
)


@pytest.fixture
def leads(local_authority, police, icb, partner_lead):
    """One lead for each of the three statutory partners."""
    return [partner_lead] + [
        UserFactory(agency=agency, roles=[Role.STATUTORY_PARTNER_LEAD])
        for agency in (local_authority, icb)
    ]


@pytest.fixture
def awaiting_decision(manager, local_authority, leads):
    """A rapid review whose LCSPR recommendation all three partners signed off, sent to the
    National Panel."""
    review = to_rapid_review(open_referral(manager, local_authority), manager)
    return to_sent(to_signed_off(review, manager, leads), manager)


@pytest.fixture
def lcspr_review(awaiting_decision, independent_chair):
    return to_decided(awaiting_decision, independent_chair)


def _fill_date(browser, value):
    browser.fill("Day", str(value.day))
    browser.fill("Month", str(value.month))
    browser.fill("Year", str(value.year))


def test_the_chair_records_a_decision_after_checking_their_answers(
    browser, independent_chair, password, awaiting_decision
):
    page = browser.page
    browser.sign_in(independent_chair, password)
    browser.goto(f"/reviews/{awaiting_decision.pk}/decision/")
    expect(page.get_by_role("heading", level=1)).to_have_text("The Independent Chair's decision")

    browser.click("Continue")  # nothing chosen: the error summary names each field
    expect(page.get_by_role("alert")).to_contain_text("Select the decision")

    page.get_by_label("An LCSPR will take place").check()
    browser.fill("Reasons for the decision", "The criteria for a local review are met.")
    _fill_date(browser, awaiting_decision.rapid_review.sent_to_panel_on)
    browser.click("Continue")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check your answers before recording the decision"
    )
    assert not Decision.objects.exists()

    browser.click("Record the decision")
    expect(page.get_by_text("The decision has been recorded.")).to_be_visible()
    awaiting_decision.refresh_from_db()
    assert awaiting_decision.stage == Stage.LCSPR

    browser.goto(f"/reviews/{awaiting_decision.pk}/decision/change/")
    expect(page.get_by_label("Why the decision has changed")).to_be_visible()


def test_a_differing_decision_takes_effect_once_the_three_partners_agree(
    browser, independent_chair, password, awaiting_decision, leads
):
    page = browser.page
    review = awaiting_decision
    browser.sign_in(independent_chair, password)
    browser.goto(f"/reviews/{review.pk}/decision/")
    expect(page.get_by_text("The partners recommended: An LCSPR will take place.")).to_be_visible()
    page.get_by_label("No further action").check()
    browser.fill("Reasons for the decision", "A recent review covered the same learning.")
    _fill_date(browser, review.rapid_review.sent_to_panel_on)
    browser.click("Continue")
    expect(page.get_by_text("until they agree, it is recorded as awaiting")).to_be_visible()
    browser.click("Record the decision")
    expect(page.get_by_text("takes effect once the three statutory partners agree")).to_be_visible()
    review.refresh_from_db()
    assert review.stage == Stage.AWAITING_DECISION
    browser.click("Sign out")

    for lead in leads:
        browser.sign_in(lead, password)
        browser.goto(f"/reviews/{review.pk}/")
        browser.click("Partners' agreement to the decision", role="link")
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Agree to the Independent Chair's decision"
        )
        page.get_by_label("Yes, we agree").check()
        browser.click("Record your answer")
        expect(
            page.get_by_text(f"Your answer for {lead.agency} has been recorded.")
        ).to_be_visible()
        browser.click("Sign out")

    review.refresh_from_db()
    assert review.stage == Stage.CLOSED
    assert Decision.objects.get().outcome == Outcome.NO_FURTHER_ACTION


def test_the_manager_records_a_notice_and_sees_the_clock_settings(
    browser, manager, password, lcspr_review
):
    page = browser.page
    browser.sign_in(manager, password)
    browser.goto(f"/reviews/{lcspr_review.pk}/notices/dfe/")
    expect(page.get_by_text("overdue by")).to_be_visible()
    _fill_date(browser, lcspr_review.decisions.get().decided_on)
    browser.fill("Their reference (optional)", "DFE-0001")
    browser.click("Record the notice")
    expect(
        page.get_by_text("The notice to Department for Education has been recorded.")
    ).to_be_visible()
    assert NationalNotice.objects.get().reference == "DFE-0001"

    browser.goto("/reviews/settings/clocks/")
    expect(page.get_by_text("Default 6 months from the decision (Working Together")).to_be_visible()


def test_the_manager_runs_and_closes_an_other_learning_review(
    browser, manager, password, awaiting_decision, independent_chair, leads
):
    review = to_decided(
        awaiting_decision, independent_chair, outcome=Outcome.OTHER_LEARNING, leads=leads
    )
    page = browser.page
    browser.sign_in(manager, password)
    browser.goto(f"/reviews/{review.pk}/other-learning/")
    page.get_by_label("Reflective learning session").check()
    browser.fill("Scope or terms of reference", "How agencies shared concerns.")
    decided_on = review.decisions.get().decided_on
    for name in ("scope_sent_on", "held_on"):
        page.locator(f"#id_{name}_0").fill(str(decided_on.day))
        page.locator(f"#id_{name}_1").fill(str(decided_on.month))
        page.locator(f"#id_{name}_2").fill(str(decided_on.year))
    browser.fill("Learning identified (optional)", "Share concerns at the first meeting.")
    browser.click("Save")
    expect(page.get_by_text("The learning review has been saved.")).to_be_visible()

    browser.goto(f"/reviews/{review.pk}/other-learning/close/")
    browser.click("Close the learning review")
    expect(page.get_by_text("The learning review is closed.")).to_be_visible()
    review.refresh_from_db()
    assert review.stage == Stage.CLOSED
    assert services.outstanding_notices(review) == []
