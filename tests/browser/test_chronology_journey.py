"""The chronology journey in a browser: the school's representative downloads the XLSX
template, fills it, imports it once with errors (listed per row, nothing stored) and once
clean, names themself as author, declares independence and submits; the manager accepts; a
panel member reads the merged chronology with its timeline picture and exports it as XLSX and
PDF (axe checks every page)."""

import datetime
import io

import openpyxl
from playwright.sync_api import expect

from chronologies.models import RequestStatus
from lcspr.celery import app as celery_app
from lcspr.core.jobs.models import Job
from lcspr.core.tasks import run_job
from tests.chronologies.conftest import *  # noqa: F403 - the agreed review and its personas

D = datetime.date


def _filled_template(template: bytes, path, rows):
    """The downloaded template with rows added below the headings, as a person would."""
    workbook = openpyxl.load_workbook(io.BytesIO(template))
    sheet = workbook.worksheets[0]
    headings = [cell.value for cell in sheet[1]]
    for number, values in enumerate(rows, start=2):
        for heading, value in values.items():
            sheet.cell(row=number, column=headings.index(heading) + 1, value=value)
    workbook.save(path)
    return path


def _import(browser, path):
    browser.page.get_by_label("Upload a file").set_input_files(str(path))
    browser.click("Import the file")


def test_an_agency_chronology_from_template_to_merged_exports(
    browser, school_request, manager, agency_author, panel_member, password, tmp_path, monkeypatch
):
    page = browser.page
    review = school_request.review

    # The school's representative downloads the template from the request page.
    browser.sign_in(agency_author, password)
    browser.goto(f"/chronologies/requests/{school_request.pk}/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the template", exact=True).click()
    download = download_info.value
    assert download.suggested_filename == "chronology-template.xlsx"
    template = download.path().read_bytes()

    # First attempt: one date that does not exist. Every problem listed, nothing stored.
    bad = _filled_template(
        template,
        tmp_path / "school-chronology-draft.xlsx",
        [
            {"Date": D(2025, 3, 4), "Child seen": "Yes", "Description": "Home visit by nurse."},
            {"Date": "31/02/2025", "Child seen": "No", "Description": "Phone call to parent."},
        ],
    )
    browser.click("Import a spreadsheet", role="link")
    _import(browser, bad)
    expect(page.get_by_text("Row 3, Date: '31/02/2025' is not a real date")).to_be_visible()
    expect(page.get_by_text("Nothing was imported.")).to_be_visible()
    assert school_request.entries.count() == 0

    # Second attempt: the corrected file goes in whole.
    good = _filled_template(
        template,
        tmp_path / "school-chronology.xlsx",
        [
            {
                "Date": D(2025, 3, 4),
                "Child seen": "Yes",
                "Practitioner role": "School nurse",
                "Description": "Home visit by the school nurse.",
            },
            {
                "Date": "28/02/2025",
                "Child seen": "No",
                "Practitioner role": "Class teacher",
                "Description": "Phone call to parent about absence.",
            },
        ],
    )
    _import(browser, good)
    expect(
        page.get_by_text(
            'Imported 2 entries from school-chronology.xlsx: 2 rows read from the sheet "Chronology" (rows 2 to 3).'
        )
    ).to_be_visible()
    assert school_request.entries.count() == 2

    # Names themself as author, declares independence and submits.
    browser.goto(f"/chronologies/requests/{school_request.pk}/")
    browser.click("Change the authors", role="link")
    page.get_by_label("Alex Agency").check()
    browser.click("Save the authors")
    browser.click("Check and submit the chronology", role="link")
    expect(page.get_by_text("I had no direct involvement")).to_be_visible()
    page.get_by_label("I confirm this declaration").check()
    browser.click("Submit the chronology")
    expect(page.get_by_text("Version 1 of the chronology has been submitted.")).to_be_visible()
    browser.click("Sign out")

    # The manager accepts it.
    browser.sign_in(manager, password)
    browser.goto(f"/chronologies/requests/{school_request.pk}/")
    browser.click("Accept or return the chronology", role="link")
    page.get_by_label("Accept the chronology").check()
    browser.click("Save the decision")
    expect(page.get_by_text("chronology has been accepted")).to_be_visible()
    school_request.refresh_from_db()
    assert school_request.status == RequestStatus.ACCEPTED
    browser.click("Sign out")

    # A panel member reads the merged chronology: the timeline picture and the entries.
    browser.sign_in(panel_member, password)
    browser.goto(f"/chronologies/reviews/{review.pk}/merged/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Merged chronology")
    expect(page.locator("svg[role=img]")).to_be_visible()
    expect(page.get_by_role("link", name="Home visit by the school nurse.")).to_be_visible()
    expect(page.get_by_role("link", name="Phone call to parent about absence.")).to_be_visible()

    # Exports it as XLSX...
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download as a spreadsheet (XLSX)", exact=True).click()
    exported = openpyxl.load_workbook(io.BytesIO(download_info.value.path().read_bytes()))
    cells = [c for row in exported.worksheets[0].iter_rows(values_only=True) for c in row]
    assert "Home visit by the school nurse." in cells
    assert "Phone call to parent about absence." in cells

    # ...and as PDF, rendered by the worker (run here in the test's process).
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    browser.click("Prepare a PDF")
    job = Job.objects.about(review).get()
    run_job(job.pk)  # a no-op when the eager task has already rendered it
    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    browser.goto(f"/chronologies/reviews/{review.pk}/exports/{job.pk}/")
    link = page.get_by_role("link", name="Download the merged chronology (PDF)", exact=True)
    expect(link).to_be_visible()
    response = page.request.get(browser.base_url + link.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
