"""A large Executive Partnership report in a browser: the sub-group member follows the report
link from the dashboard, asks for the report to be prepared, watches its progress and downloads
it (axe checks the preparation page and the job page, waiting and ready)."""

from playwright.sync_api import expect

from actions import reports
from actions.jobs import EXECUTIVE_REPORT
from lcspr.core.jobs.models import Job
from lcspr.core.tasks import run_job
from tests.actions.conftest import *  # noqa: F403 - the action-plan fixtures
from tests.actions.conftest import dash_grow


def test_a_subgroup_member_has_a_large_report_prepared_and_downloads_it(
    browser, password, monkeypatch, manager, school, police, dash_themes, subgroup_member
):
    dash_grow(manager, [school, police], dash_themes, reviews=2, per_review=4)
    monkeypatch.setattr(reports, "SYNC_REPORT_LIMIT", 5)
    # The worker: run at once, in the live server's thread, when the request commits.
    monkeypatch.setattr(run_job, "delay", run_job)
    page = browser.page
    browser.sign_in(subgroup_member, password)

    waiting = Job.objects.create(kind=EXECUTIVE_REPORT, requested_by=subgroup_member)
    browser.goto(f"/actions/report/jobs/{waiting.pk}/")
    expect(page.get_by_role("status")).to_have_text("Waiting to start: 0% done.")

    browser.goto("/actions/")
    browser.click("Executive Partnership report (PDF)", role="link")
    expect(page.get_by_text("The report lists 8 actions.")).to_be_visible()
    browser.click("Prepare the report (PDF)")
    expect(page.get_by_role("heading", name="Your report is ready")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the Executive Partnership report (PDF)").click()
    assert download.value.suggested_filename.startswith("action-plans-executive-report-")


def test_a_report_of_many_actions_can_be_prepared_as_a_summary(
    browser, password, monkeypatch, manager, school, police, dash_themes, subgroup_member
):
    dash_grow(manager, [school, police], dash_themes, reviews=2, per_review=4)
    monkeypatch.setattr(reports, "SYNC_REPORT_LIMIT", 5)
    monkeypatch.setattr(reports, "SUMMARY_OFFERED_ABOVE", 5)
    monkeypatch.setattr(run_job, "delay", run_job)
    page = browser.page
    browser.sign_in(subgroup_member, password)

    browser.goto("/actions/report.pdf")
    expect(page.get_by_role("radio", name="The full report", exact=False)).to_be_checked()
    page.get_by_role("radio", name="A summary", exact=False).check()
    browser.click("Prepare the report (PDF)")
    expect(page.get_by_role("heading", name="Your report is ready")).to_be_visible()
    assert Job.objects.get().parameters["form"] == "summary"
