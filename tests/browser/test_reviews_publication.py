"""Publication in a browser (axe checks every page): the manager plans, sends, records the
family's response and the proceedings, then publishes after checking their answers; the
Independent Chair reads the page."""

import datetime

import pytest
import time_machine
from playwright.sync_api import expect

from lcspr.accounts.models import Role
from reviews.models import ReportStatus
from reviews.publication.models import Proceeding, Publication
from tests.factories import UserFactory
from tests.reviews.conftest import (
    open_referral,
    to_decided,
    to_rapid_review,
    to_sent,
    to_signed_off,
)
from tests.reviews.publication_fixtures import *  # noqa: F403
from tests.reviews.publication_fixtures import TODAY, at
from tests.reviews.report_fixtures import *  # noqa: F403

D = datetime.date


@pytest.fixture
def today():
    """Today is Monday 14 December 2026; time runs on, so the live server and browser work."""
    with time_machine.travel(at(TODAY), tick=True) as traveller:
        yield traveller


@pytest.fixture
def lcspr_review(manager, local_authority, police, icb, partner_lead, independent_chair):
    leads = [partner_lead] + [
        UserFactory(agency=agency, roles=[Role.STATUTORY_PARTNER_LEAD])
        for agency in (local_authority, icb)
    ]
    review = to_rapid_review(open_referral(manager, local_authority), manager)
    return to_decided(to_sent(to_signed_off(review, manager, leads), manager), independent_chair)


def _fill_date(page, name: str, value: datetime.date):
    for part, number in enumerate((value.day, value.month, value.year)):
        page.locator(f"#id_{name}_{part}").fill(str(number))


def test_the_manager_takes_the_report_to_publication(
    browser, manager, independent_chair, password, publication_ready, today
):
    review = publication_ready
    page = browser.page
    base = f"/reviews/{review.pk}/publication/"
    browser.sign_in(manager, password)
    browser.goto(base)
    expect(page.get_by_role("heading", name="What stops publication")).to_be_visible()

    browser.goto(base + "plan/")
    browser.click("Save the planned date")
    expect(page.get_by_role("alert")).to_contain_text("Enter planned publication date")
    _fill_date(page, "planned_on", D(2027, 1, 4))
    browser.click("Save the planned date")
    expect(page.get_by_text("The planned publication date has been saved.")).to_be_visible()
    expect(page.get_by_text("due in 5 working days")).to_be_visible()

    for recipient in ("national_panel", "dfe", "ofsted"):
        browser.goto(f"{base}sent/{recipient}/")
        _fill_date(page, "sent_on", TODAY)
        browser.click("Record the date sent")

    browser.goto(base + "proceedings/add/")
    page.get_by_label("Criminal proceedings").check()
    page.get_by_label("Under way").check()
    browser.fill("Description (optional)", "Crown Court trial")
    browser.click("Add the proceedings")
    expect(page.get_by_text("Criminal proceedings have not concluded")).to_be_visible()
    browser.click("Change criminal proceedings (1)", role="link")
    page.get_by_label("Concluded", exact=True).check()
    _fill_date(page, "concluded_on", TODAY)
    browser.click("Save the changes")
    assert Proceeding.objects.get().status == Proceeding.Status.CONCLUDED

    browser.goto(base + "improvements-only/")
    expect(page.get_by_text("The final report still goes to the National Panel")).to_be_visible()
    browser.goto(base + "family/")
    expect(
        page.get_by_label("The family's response, or why they were not offered it")
    ).to_have_value("The family asked that the report says how the school helped.")

    today.move_to(at(D(2027, 1, 4)))
    browser.sign_in(manager, password)
    browser.goto(base)
    browser.click("Record the publication", role="link")
    _fill_date(page, "published_on", D(2027, 1, 4))
    browser.fill("Web address of the published report", "https://www.example.org.uk/child-t")
    browser.click("Continue")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check your answers before recording the publication"
    )
    browser.click("Record the publication")
    expect(page.get_by_text("The publication has been recorded.")).to_be_visible()
    review.refresh_from_db()
    assert review.report_status == ReportStatus.PUBLISHED
    assert Publication.objects.get().published_on == D(2027, 1, 4)
    browser.goto(base + "removed/")
    expect(page.get_by_text("may come down from 4 January 2028")).to_be_visible()

    page.get_by_role("button", name="Sign out").click()
    browser.sign_in(independent_chair, password)
    browser.goto(base)
    expect(page.get_by_text("https://www.example.org.uk/child-t")).to_be_visible()
    expect(page.get_by_role("link", name="Record the date the report came down")).to_have_count(0)
