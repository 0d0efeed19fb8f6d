"""The learning in a browser (axe checks every page): the author writes the learning summary with
its themes and enters the recommendations; the manager looks after the partnership's themes;
the review page and the reviews list show the report's progress."""

from importlib import import_module

import pytest
from playwright.sync_api import expect

from lcspr.accounts.models import Role
from reviews.learning.models import LearningSummary, LearningTheme
from tests.factories import UserFactory
from tests.reviews.conftest import (
    open_referral,
    to_decided,
    to_rapid_review,
    to_sent,
    to_signed_off,
)
from tests.reviews.report_fixtures import *  # noqa: F403


@pytest.fixture(autouse=True)
def themes(transactional_db):
    """The seeded themes: a live-server test empties every table after it, migration data too."""
    seeded = import_module("reviews.migrations.0004_seed_learning_themes").THEMES
    for position, name in enumerate(seeded, start=1):
        LearningTheme.objects.get_or_create(name=name, defaults={"position": position})


@pytest.fixture
def lcspr_review(manager, local_authority, police, icb, partner_lead, independent_chair):
    leads = [partner_lead] + [
        UserFactory(agency=agency, roles=[Role.STATUTORY_PARTNER_LEAD])
        for agency in (local_authority, icb)
    ]
    review = to_rapid_review(open_referral(manager, local_authority), manager)
    return to_decided(to_sent(to_signed_off(review, manager, leads), manager), independent_chair)


def test_the_author_writes_the_learning_and_its_recommendations(
    browser, author, password, lcspr_review
):
    page = browser.page
    browser.sign_in(author, password)
    browser.goto(f"/reviews/{lcspr_review.pk}/")
    expect(page.get_by_role("heading", name="Report and publication")).to_be_visible()
    browser.click("Learning summary and recommendations", role="link")
    browser.click("Write the learning summary", role="link")

    for name in ("Neglect", "Domestic abuse", "Young carers", "Disabled children"):
        primary = page.get_by_role("group", name="Primary learning themes")
        primary.get_by_label(name, exact=True).check()
    browser.fill("The report's findings", "Missed appointments were not followed up.")
    browser.click("Save the learning summary")
    expect(page.get_by_role("alert")).to_contain_text("Choose up to 3 primary learning themes")
    page.get_by_role("group", name="Primary learning themes").get_by_label(
        "Disabled children", exact=True
    ).uncheck()
    page.get_by_role("group", name="Other learning themes").get_by_label(
        "Recording quality", exact=True
    ).check()
    browser.click("Save the learning summary")
    expect(page.get_by_text("The learning summary has been saved.")).to_be_visible()
    expect(page.get_by_text("Recording quality", exact=True)).to_be_visible()

    browser.click("Add a recommendation")
    browser.fill("Recommendation", "Health visitors should follow up every missed appointment.")
    browser.click("Add it and enter another")
    expect(page.get_by_role("heading", name="Add recommendation 2")).to_be_visible()
    browser.fill("Recommendation", "Schools should escalate falling attendance.")
    browser.click("Add the recommendation")
    expect(page.get_by_role("row", name="2 Schools should escalate")).to_be_visible()

    browser.click("Change recommendation 2", role="link")
    browser.fill("Number in the report", "1")
    browser.click("Save the recommendation")
    expect(page.get_by_role("alert")).to_contain_text("Recommendation 1 already exists")
    browser.click("Back to the learning summary", role="link")
    browser.click("Remove recommendation 2", role="link")
    browser.click("Remove recommendation 2")
    expect(page.get_by_text("Recommendation 2 has been removed.")).to_be_visible()
    summary = LearningSummary.objects.get(review=lcspr_review)
    assert summary.primary_themes.count() == 3


def test_the_manager_keeps_the_partnership_themes(browser, manager, password, lcspr_review):
    page = browser.page
    browser.sign_in(manager, password)
    browser.goto("/reviews/")
    expect(page.get_by_role("columnheader", name="Report")).to_be_visible()
    browser.click("learning themes", role="link")
    browser.click("Add the theme")
    expect(page.get_by_role("alert")).to_contain_text("Enter name of the theme")
    browser.fill("Name of the theme", "Online harm")
    browser.click("Add the theme")
    expect(page.get_by_text("Online harm has been added to the learning themes.")).to_be_visible()
    browser.click("Move down Neglect")
    browser.click("Retire Young carers")
    expect(page.get_by_text("Young carers has been retired")).to_be_visible()
    browser.click("Rename Domestic abuse", role="link")
    browser.fill("Name of the theme", "Domestic abuse and coercive control")
    browser.click("Save the name")
    expect(
        page.get_by_role("rowheader", name="Domestic abuse and coercive control")
    ).to_be_visible()
