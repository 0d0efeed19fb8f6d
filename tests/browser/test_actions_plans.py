"""An action plan in a browser: the sub-group turns the final report's recommendations into
actions, the school's representative updates progress with an evidence file and records the
evidence of impact the sub-group asked for, and the sub-group checks it and closes the action.
axe checks every page on the way, including the sub-group's other steps."""

import subprocess

import pytest
from playwright.sync_api import expect

from actions.models import Action, EvidenceFile, Status
from reviews.rapid_review.models import ImmediateAction
from tests.actions import conftest as action_fixtures
from tests.reviews.conftest import *  # noqa: F403 - the review fixtures
from tests.reviews.report_fixtures import *  # noqa: F403 - the people of one LCSPR

# The action-plan fixtures: the report's recommendations, and uploads kept in the test's folder.
recommendations = action_fixtures.recommendations
media = action_fixtures.media


def _date(page, prefix, day, month, year):
    page.locator(f"#id_{prefix}_0").fill(day)
    page.locator(f"#id_{prefix}_1").fill(month)
    page.locator(f"#id_{prefix}_2").fill(year)


def test_recommendations_become_actions_updated_with_evidence_and_closed_on_impact(
    browser, lcspr_review, recommendations, subgroup_member, agency_author, school, password, media
):
    page = browser.page

    # The sub-group turns the two recommendations into actions.
    browser.sign_in(subgroup_member, password)
    browser.goto(f"/actions/reviews/{lcspr_review.pk}/")
    browser.click("Turn the recommendations into actions", role="link")
    for row, text in enumerate(
        ("Audit the follow-up of missed appointments.", "Share attendance concerns weekly.")
    ):
        page.locator(f"#id_rows-{row}-text").fill(text)
        page.locator(f"#id_rows-{row}-lead_agency").select_option(label=str(school))
        _date(page, f"rows-{row}-due_date", "31", "3", "2027")
    browser.click("Add the actions")
    expect(page.get_by_text("2 actions have been added to the plan.")).to_be_visible()
    expect(page.get_by_text("Actions answering recommendation 2")).to_be_visible()
    action = Action.objects.get(number=2)

    # The sub-group's other pages, each checked with axe.
    browser.click("Add an action", role="link")
    browser.click("Add the action")  # nothing filled in: the error summary
    expect(page.get_by_text("There is a problem")).to_be_visible()
    for name in ("Rate the action", "Move the due date", "Change the action"):
        browser.goto(f"/actions/{action.pk}/")
        browser.click(name, role="link")
    browser.goto(f"/actions/{action.pk}/")
    browser.click("Ask for evidence of impact", role="link")
    browser.fill("What evidence of impact does the sub-group need?", "An audit of 20 cases.")
    browser.click("Ask for the evidence")
    expect(page.get_by_text("has been asked for evidence of the impact")).to_be_visible()
    browser.click("Sign out")

    # The school's representative updates progress with an evidence file.
    browser.sign_in(agency_author, password)
    browser.click("Our actions", role="link")
    page.get_by_role("link", name=f"{lcspr_review.reference}/A2: ").click()
    browser.check_accessibility()
    browser.click("Update progress", role="link")
    browser.fill("What progress has been made?", "Weekly sharing started; figures attached.")
    page.get_by_label("In progress").check()
    page.locator("#id_files").set_input_files(
        files=[{"name": "figures.csv", "mimeType": "text/csv", "buffer": b"week,shared\n1,4\n"}]
    )
    browser.click("Save the update")
    expect(page.get_by_text("Progress on action 2 has been recorded.")).to_be_visible()
    expect(page.get_by_role("link", name="figures.csv")).to_be_visible()
    browser.click("Record evidence of completion", role="link")
    browser.fill("Evidence of completion", "Every class teacher shares concerns weekly.")
    browser.click("Record the evidence")
    browser.click("Record evidence of impact", role="link")
    browser.fill("What changed in practice?", "20 of 20 sampled concerns reached the nurse.")
    page.get_by_label("Audit").check()
    browser.click("Record the evidence of impact")
    expect(page.get_by_text("Evidence of impact on action 2 has been recorded.")).to_be_visible()
    browser.click("Sign out")

    # The sub-group checks the evidence and closes the action.
    browser.sign_in(subgroup_member, password)
    browser.goto(f"/actions/{action.pk}/")
    browser.click("Check the evidence and close the action", role="link")
    expect(page.get_by_text("20 of 20 sampled concerns reached the nurse.")).to_be_visible()
    browser.click("Close the action")
    expect(page.get_by_text("Action 2 is closed.")).to_be_visible()
    action.refresh_from_db()
    assert action.status == Status.CLOSED
    assert EvidenceFile.objects.get().file_name == "figures.csv"
    browser.click("Back to the action plan", role="link")
    browser.goto(f"/reviews/{lcspr_review.pk}/")
    expect(page.get_by_text("2 of 2 recommendations have actions")).to_be_visible()

    # The sub-group's dashboard counts it closed ...
    browser.goto("/actions/")
    status_rows = page.locator("#status-table tbody tr")
    expect(status_rows.filter(has_text="Closed")).to_contain_text("1")
    expect(status_rows.filter(has_text="Not started")).to_contain_text("1")

    # ... and the Executive Partnership's report lists it with its evidence of impact.
    response = page.request.get(browser.base_url + "/actions/report.pdf")
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    text = pdf_text(response.body())
    # The action by its name (its text wraps in columns, so read the name, not a phrase).
    assert f"{lcspr_review.reference}/A2:" in text and "weekly." in text
    assert "20 of 20 sampled concerns reached the nurse." in text


def pdf_text(data: bytes) -> str:
    """The text of a PDF, read back with poppler's pdftotext."""
    result = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True)
    return " ".join(result.stdout.decode().split())


@pytest.fixture
def open_action(lcspr_review, recommendations, manager, school, subgroup_member):
    return action_fixtures.add_action(
        lcspr_review, manager, school, recommendation=recommendations[0]
    )


def test_the_sub_groups_hand_over_and_reopen_pages(browser, open_action, subgroup_member, password):
    page = browser.page
    browser.sign_in(subgroup_member, password)
    browser.goto(f"/actions/{open_action.pk}/")
    browser.click("Hand the action to another plan", role="link")
    browser.fill("Which plan is the action handed to?", "The school's own improvement plan.")
    browser.click("Hand over the action")
    expect(page.get_by_text("has been handed to another plan")).to_be_visible()
    browser.click("Reopen the action", role="link")
    browser.fill("Why is the action reopened?", "The plan it went to has ended.")
    browser.click("Reopen the action")
    expect(page.get_by_text("is in progress again")).to_be_visible()
    browser.click("Share with every agency for learning")
    expect(page.get_by_text("Yes, read-only")).to_be_visible()

    # An immediate action of the rapid review joins the plan.
    immediate = ImmediateAction.objects.create(
        rapid_review=open_action.review.rapid_review,
        description="Check every sibling in the household has a current safety plan.",
        lead_agency=open_action.lead_agency,
    )
    browser.goto(f"/actions/reviews/{open_action.review_id}/")
    browser.goto(f"/actions/reviews/{open_action.review_id}/immediate/{immediate.pk}/")
    _date(page, "due_date", "18", "12", "2026")
    browser.click("Track the action")
    expect(page.get_by_text("The immediate action is now action 2.")).to_be_visible()
