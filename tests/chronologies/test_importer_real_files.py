"""Spreadsheets as agencies really make them: a title above the headings, several sheets (some
hidden), dates and times as Excel and case systems write them, CSV from European Excel. Each
file is built to reproduce the quirk; each is imported whole or refused by row and column."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from chronologies import importer

pytestmark = pytest.mark.django_db

KLOES = {1, 2}


def workbook_file(workbook, name="chronology.xlsx") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def parse(upload):
    return importer.parse(upload, kloe_numbers=KLOES)


def titled_sheet(sheet, rows, *, title_rows=3):
    """A case-system export: a merged title across the columns, a line saying who ran the
    report, a blank row, then the headings (in row `title_rows + 1`) and the rows."""
    sheet["A1"] = "Northbridge Police: chronology for Child A"
    sheet.merge_cells("A1:C1")
    if title_rows >= 2:
        sheet["A2"] = "Report run 01/05/2025 by the records team"
    for _ in range(max(0, title_rows - sheet.max_row)):
        sheet.append([])
    sheet.append(["Date", "Time", "Description"])
    for row in rows:
        sheet.append(row)


# --- headings below a title ----------------------------------------------------------------


def test_headings_below_a_merged_title_are_found_and_rows_numbered_as_excel_shows_them():
    workbook = openpyxl.Workbook()
    titled_sheet(workbook.active, [["01/04/2025", None, f"Visit {n}"] for n in range(1, 5)])
    result = parse(workbook_file(workbook))
    assert result.errors == []
    assert [r["description"] for r in result.rows] == ["Visit 1", "Visit 2", "Visit 3", "Visit 4"]
    assert (
        result.read_summary == '4 rows read from the sheet "Sheet" (headings in row 4; rows 5 to 8)'
    )


def test_an_error_under_headings_in_row_4_is_reported_by_the_row_excel_shows():
    workbook = openpyxl.Workbook()
    rows = [["01/04/2025", None, "Visit"], ["02/04/2025", None, "Call"], ["31/02/2025", None, "x"]]
    titled_sheet(workbook.active, rows)
    result = parse(workbook_file(workbook))
    assert result.rows == []
    assert result.errors == ["Row 7, Date: '31/02/2025' is not a real date"]


def test_title_rows_above_the_headings_of_a_csv_file():
    content = (
        "Chronology for Child A,,\r\n"
        "Northbridge Primary School,,\r\n"
        "Date,Time,Description\r\n"
        "01/04/2025,09:00,Visit\r\n"
        "bad,,Call\r\n"
    )
    result = parse(SimpleUploadedFile("c.csv", content.encode()))
    assert result.rows == []
    assert result.errors == [
        "Row 5, Date: 'bad' is not a date in a format we accept; use a date such as "
        "03/04/2021 or 3 April 2021"
    ]


def test_headings_further_down_than_the_first_rows_are_refused_saying_where_they_must_be():
    workbook = openpyxl.Workbook()
    titled_sheet(workbook.active, [["01/04/2025", None, "Visit"]], title_rows=10)
    result = parse(workbook_file(workbook))
    assert result.rows == []
    assert result.errors == [
        'The sheet "Sheet" is missing the columns Date and Description (the headings must be '
        "in one of the first 10 rows)"
    ]


def test_a_title_naming_a_required_heading_is_not_mistaken_for_the_headings():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Date", "of the report: 01/05/2025"])
    sheet.append(["Date", "Description"])
    sheet.append(["01/04/2025", "Visit"])
    result = parse(workbook_file(workbook))
    assert result.errors == []
    assert result.read_summary == '1 row read from the sheet "Sheet" (headings in row 2; row 3)'
