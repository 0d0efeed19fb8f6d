"""Importing a chronology in a browser: the school's representative uploads a file with
problems (every one listed, nothing stored), then a clean one, then re-imports and confirms
(axe checks every page)."""

import os

from playwright.sync_api import expect

from tests.chronologies.conftest import *  # noqa: F403 - the agreed review and its personas

SHOTS = os.environ.get("IMPORT_SCREENSHOTS")


def _csv(tmp_path, name, *rows):
    path = tmp_path / name
    path.write_text("Date,Description,Child seen\n" + "".join(f"{r}\n" for r in rows))
    return path


def _shot(page, name):
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def test_an_agency_imports_its_chronology(
    browser, school_request, agency_author, password, tmp_path
):
    page = browser.page
    browser.sign_in(agency_author, password)
    browser.goto(f"/chronologies/requests/{school_request.pk}/import/")
    _shot(page, "import_form")

    bad = _csv(tmp_path, "bad.csv", "31/02/2025,Visit,yes", "03/04/2025,,maybe")
    page.get_by_label("Upload a file").set_input_files(str(bad))
    browser.click("Import the file")
    expect(page.get_by_text("Row 2, Date: '31/02/2025' is not a real date")).to_be_visible()
    expect(page.get_by_text("Row 3, Description: enter the description")).to_be_visible()
    _shot(page, "import_errors")
    assert school_request.entries.count() == 0

    good = _csv(tmp_path, "good.csv", "03/04/2025,Home visit,yes", "April 2025,Phone call,no")
    page.get_by_label("Upload a file").set_input_files(str(good))
    browser.click("Import the file")
    expect(
        page.get_by_text(
            "Imported 2 entries from good.csv: 2 rows read from the CSV file (values separated by commas; rows 2 to 3)."
        )
    ).to_be_visible()

    browser.goto(f"/chronologies/requests/{school_request.pk}/import/")
    again = _csv(tmp_path, "again.csv", "05/04/2025,Strategy meeting,not known")
    page.get_by_label("Upload a file").set_input_files(str(again))
    browser.click("Import the file")
    expect(
        page.get_by_text(
            "This will replace the 2 entries in your draft with 1 entry from again.csv"
        )
    ).to_be_visible()
    _shot(page, "import_confirm")
    browser.click("Replace the entries")
    expect(
        page.get_by_text(
            "Imported 1 entry from again.csv: 1 row read from the CSV file (values separated by commas; row 2)."
        )
    ).to_be_visible()
    assert list(school_request.entries.values_list("description", flat=True)) == [
        "Strategy meeting"
    ]
