"""Each role's first day, in a browser, on the demo partnership: a person signs in, follows the
item in "Waiting for you" on their home page, completes the step on the page it leads to, and
back home the item is gone. Nothing is reached by typing an address. axe-core checks every page.

The statutory partner lead's journey (a pending sign-off) is in test_home_queue.py."""

import datetime
import io
import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from lcspr.accounts.demo import DEMO_PASSWORD, demo_email
from lcspr.accounts.models import User
from reviews.models import Review


@pytest.fixture
def demo(live_server):
    """The demo partnership, loaded as `make run` loads it."""
    call_command("seed_demo", "--no-logins", stdout=io.StringIO())


def reference(pseudonym: str) -> str:
    return Review.objects.get(pseudonym=pseudonym).reference


def waiting_for_you(page):
    return page.get_by_role("table", name="Waiting for you")


def fill_date(page, legend: str, value: datetime.date):
    group = page.get_by_role("group", name=legend, exact=True)
    group.get_by_label("Day", exact=True).fill(str(value.day))
    group.get_by_label("Month", exact=True).fill(str(value.month))
    group.get_by_label("Year", exact=True).fill(str(value.year))


def heading(page):
    return page.get_by_role("heading", level=1)


# --- completing each step, on the page the home page leads to --------------------------------


def tell_ofsted(browser):
    page = browser.page
    fill_date(page, "Date sent", timezone.localdate())
    browser.fill("Their reference (optional)", "OFSTED-2026-114")
    browser.click("Record the notice")
    expect(page.get_by_text("The notice to Ofsted has been recorded.")).to_be_visible()


def decide(browser):
    page = browser.page
    expect(heading(page)).to_have_text("The Independent Chair's decision")
    page.get_by_label("An LCSPR will take place").check()
    browser.fill("Reasons for the decision", "The criteria for a local review are met.")
    fill_date(page, "Date decided", timezone.localdate())
    browser.click("Continue")
    expect(heading(page)).to_have_text("Check your answers before recording the decision")
    browser.click("Record the decision")
    expect(page.get_by_text("The decision has been recorded.")).to_be_visible()


def send_summary(browser):
    page = browser.page
    browser.fill("Summary", "The hospital saw Child C twice in the emergency department.")
    browser.click("Send the summary")
    expect(page.get_by_text("twice in the emergency department")).to_be_visible()


def update_action(browser):
    page = browser.page
    browser.fill("What progress has been made?", "Every missed appointment is now followed up.")
    page.get_by_label("Complete", exact=True).check()
    browser.click("Save the update")
    expect(
        page.get_by_text(re.compile(r"Progress on action \d+ has been recorded."))
    ).to_be_visible()


def approve_draft(browser):
    page = browser.page
    expect(heading(page)).to_have_text("Check the report before you approve it")
    page.get_by_label("I approve these versions as the final report of the review").check()
    browser.click("Approve as final")
    expect(page.get_by_text("The report has been approved as final.")).to_be_visible()


def run_anonymisation_check(browser):
    page = browser.page
    page.get_by_role("link", name=re.compile("^Run the check on ")).first.click()
    page.wait_for_load_state("load")
    browser.check_accessibility()
    page.get_by_label("Before publication", exact=True).check()
    browser.click("Run the check")
    expect(page.get_by_text(re.compile("check", re.I)).first).to_be_visible()


def hold_checkpoint(browser):
    page = browser.page
    browser.click("Record a checkpoint", role="link")
    fill_date(page, "Date of the checkpoint", timezone.localdate())
    page.get_by_role("group", name="Progress against the timescale").get_by_label(
        "On track", exact=True
    ).check()
    browser.fill("Notes on progress", "Chronologies in; the author is drafting.")
    browser.click("Record the checkpoint")
    expect(page.get_by_text("The checkpoint was recorded.")).to_be_visible()


@dataclass(frozen=True)
class Journey:
    login: str
    pseudonym: str
    what: str  # the item's text in "Waiting for you", as a pattern
    complete: Callable


JOURNEYS = {
    "partnership manager": Journey(
        "manager", "Child E", "Tell Ofsted an LCSPR will take place", tell_ofsted
    ),
    "Independent Chair": Journey("chair", "Child D", "Independent Chair's decision", decide),
    "agency representative": Journey(
        "health.rep", "Child C", "Send your agency's summary for the rapid review", send_summary
    ),
    "action owner": Journey("health.rep", "Child H", r"Update CSPR-\d+-\d+\/A2: ", update_action),
    "panel chair": Journey("subgroup", "Child H", "Panel chair's approval", approve_draft),
    "independent author": Journey(
        "author", "Child H", "Anonymisation check", run_anonymisation_check
    ),
}


@pytest.mark.parametrize("role", JOURNEYS)
def test_a_person_completes_their_first_waiting_task_from_the_home_page(browser, demo, role):
    journey = JOURNEYS[role]
    page = browser.page
    user = User.objects.get(email=demo_email(journey.login))
    ref = reference(journey.pseudonym)
    # The link's name ends with the review's reference, hidden from sight but read out.
    name = re.compile(f"^{journey.what}.* for {re.escape(ref)}$")

    browser.sign_in(user, DEMO_PASSWORD)
    expect(page.get_by_role("heading", name="Waiting for you")).to_be_visible()
    item = waiting_for_you(page).get_by_role("link", name=name)
    expect(item).to_have_count(1)
    item.click()
    page.wait_for_load_state("load")
    browser.check_accessibility()

    journey.complete(browser)

    browser.click("Home", role="link")
    expect(page.get_by_role("heading", name="Waiting for you")).to_be_visible()
    expect(page.get_by_role("link", name=name)).to_have_count(0)


def test_a_sub_group_member_holds_the_checkpoint_and_the_next_one_is_what_waits(browser, demo):
    """The checkpoint clock rolls: once held, the step waits again for the next interval."""
    page = browser.page
    user = User.objects.get(email=demo_email("subgroup"))
    ref = reference("Child H")
    name = f"Time and quality checkpoints for {ref}"
    browser.sign_in(user, DEMO_PASSWORD)
    row = (
        waiting_for_you(page)
        .get_by_role("row")
        .filter(has=page.get_by_role("link", name=name, exact=True))
    )
    due_before = row.get_by_role("cell").nth(2).inner_text()
    browser.click(name, role="link")
    expect(heading(page)).to_have_text(re.compile("Time and quality"))
    hold_checkpoint(browser)

    browser.click("Home", role="link")
    expect(row).to_have_count(1)
    expect(row.get_by_role("cell").nth(2)).not_to_have_text(due_before)
