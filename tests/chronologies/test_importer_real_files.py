"""Spreadsheets as agencies really make them: a title above the headings, several sheets (some
hidden), dates and times as Excel and case systems write them, CSV from European Excel. Each
file is built to reproduce the quirk; each is imported whole or refused by row and column."""

import datetime
import html
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from chronologies import importer, services

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


# --- which sheet is read --------------------------------------------------------------------


def chronology_rows(sheet, description="Visit"):
    sheet.append(["Date", "Description"])
    sheet.append(["01/04/2025", description])


@pytest.mark.parametrize("state", ["hidden", "veryHidden"])
def test_a_hidden_sheet_is_never_read_even_when_it_comes_first_and_is_named_chronology(state):
    workbook = openpyxl.Workbook()
    old = workbook.active
    old.title = "Chronology"
    chronology_rows(old, "From the hidden sheet")
    old.sheet_state = state
    chronology_rows(workbook.create_sheet("Police export"), "From the visible sheet")
    workbook.active = 1
    result = parse(workbook_file(workbook))
    assert result.errors == []
    assert [r["description"] for r in result.rows] == ["From the visible sheet"]
    assert result.read_summary == '1 row read from the sheet "Police export" (row 2)'
    assert result.warnings == ['The hidden sheet "Chronology" was not read']


@pytest.mark.parametrize("title", ["Chronology", "CHRONOLOGY", " chronology "])
def test_the_sheet_named_chronology_is_read_before_others_with_the_headings(title):
    workbook = openpyxl.Workbook()
    chronology_rows(workbook.active, "From the first sheet")
    chronology_rows(workbook.create_sheet(title), "From the chronology sheet")
    result = parse(workbook_file(workbook))
    assert [r["description"] for r in result.rows] == ["From the chronology sheet"]
    assert result.read_summary == f'1 row read from the sheet "{title}" (row 2)'


def test_else_the_first_visible_sheet_with_the_headings_is_read():
    workbook = openpyxl.Workbook()
    workbook.active.title = "Cover"
    workbook.active.append(["Northbridge Police chronology for the review of Child A"])
    notes = workbook.create_sheet("Chronology")
    notes.append(["Notes for the panel"])
    chronology_rows(workbook.create_sheet("Export 1"), "From Export 1")
    chronology_rows(workbook.create_sheet("Export 2"), "From Export 2")
    result = parse(workbook_file(workbook))
    assert result.errors == []
    assert [r["description"] for r in result.rows] == ["From Export 1"]
    assert result.read_summary == '1 row read from the sheet "Export 1" (row 2)'


def test_a_workbook_with_no_visible_sheet_holding_the_headings_is_refused_naming_the_sheets():
    workbook = openpyxl.Workbook()
    workbook.active.title = "Cover"
    workbook.active.append(["Chronology for Child A"])
    workbook.create_sheet("Notes").append(["Date", "Notes"])
    hidden = workbook.create_sheet("Old chronology")
    chronology_rows(hidden)
    hidden.sheet_state = "hidden"
    result = parse(workbook_file(workbook))
    assert result.rows == []
    assert result.errors == [
        "No visible sheet has the columns Date and Description in its first 10 rows, so nothing "
        'was imported. Sheets looked at: "Cover" and "Notes". Hidden sheets are never read: '
        '"Old chronology".'
    ]


def test_a_single_sheet_without_the_headings_is_refused_naming_what_it_lacks():
    workbook = openpyxl.Workbook()
    workbook.active.title = "Data"
    workbook.active.append(["Date", "Notes"])
    workbook.active.append(["01/04/2025", "Visit"])
    result = parse(workbook_file(workbook))
    assert result.errors == [
        'The sheet "Data" is missing the column Description (the headings must be in one of '
        "the first 10 rows)"
    ]


def test_the_confirmation_says_which_sheet_was_read(client, agency_author, school_request):
    services.entry_save(
        request=school_request,
        by=agency_author,
        date=datetime.date(2025, 6, 3),
        description="Typed by hand",
    )
    workbook = openpyxl.Workbook()
    workbook.active.title = "Cover"
    chronology_rows(workbook.create_sheet("Police export"))
    client.force_login(agency_author)
    response = client.post(
        reverse("chronologies:import", args=[school_request.pk]),
        {"file": workbook_file(workbook)},
    )
    page = html.unescape(response.content.decode())
    assert "This will replace the 1 entry in your draft with 1 entry from chronology.xlsx." in page
    assert '1 row read from the sheet "Police export" (row 2).' in page


# --- dates and times as real files spell them -----------------------------------------------


def one_row_csv(date, time=None, *, separator=","):
    headings = ["Date", "Time", "Description"] if time is not None else ["Date", "Description"]
    cells = [date, time, "Visit"] if time is not None else [date, "Visit"]
    lines = [separator.join(headings), separator.join(f'"{c}"' for c in cells)]
    return parse(SimpleUploadedFile("c.csv", ("\r\n".join(lines) + "\r\n").encode()))


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("3-Apr-25", datetime.date(2025, 4, 3)),
        ("03-Apr-25", datetime.date(2025, 4, 3)),
        ("3-apr-2025", datetime.date(2025, 4, 3)),
        ("3-APR-2025", datetime.date(2025, 4, 3)),
        ("3-April-2025", datetime.date(2025, 4, 3)),
        ("14-Sep-99", datetime.date(1999, 9, 14)),
        ("Thu 03/04/2025", datetime.date(2025, 4, 3)),
        ("thu 3/4/25", datetime.date(2025, 4, 3)),
        ("Thursday, 3 April 2025", datetime.date(2025, 4, 3)),
        ("THURS 3-Apr-2025", datetime.date(2025, 4, 3)),
        ("Tue 01/04/2025", datetime.date(2025, 4, 1)),
    ],
)
def test_dates_as_excel_and_case_systems_write_them(typed, expected):
    result = one_row_csv(typed)
    assert result.errors == []
    assert result.rows[0]["date"] == expected
    assert result.rows[0]["date_certainty"] == "exact"
    assert result.rows[0]["time"] is None


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (
            "Fri 03/04/2025",
            "'Fri 03/04/2025' does not add up: 3 April 2025 was a Thursday, not a Friday (dates "
            "are read day first, as in the UK)",
        ),
        (
            # 4 March 2025 was a Tuesday: the weekday of a month-first (American) date.
            "Tue 03/04/2025",
            "'Tue 03/04/2025' does not add up: 3 April 2025 was a Thursday, not a Tuesday (dates "
            "are read day first, as in the UK)",
        ),
        ("Thu April 2025", "'Thu April 2025' gives a weekday but not the day of the month"),
        ("31-Feb-25", "'31-Feb-25' is not a real date"),
        ("3-Foo-25", "'3-Foo-25' is not a date in a format we accept"),
        ("Someday 03/04/2025", "'Someday 03/04/2025' is not a date in a format we accept"),
        ("03/04/2025 25:10", "'25:10' is not a real time"),
        ("03/04/2025 1430", "'03/04/2025 1430' is not a date in a format we accept"),
    ],
)
def test_dates_that_do_not_add_up_are_refused_by_row_and_column(typed, message):
    result = one_row_csv(typed)
    assert result.rows == []
    assert len(result.errors) == 1
    assert result.errors[0].startswith(f"Row 2, Date: {message}")


@pytest.mark.parametrize(
    ("typed", "date", "time"),
    [
        ("03/04/2025 14:30", datetime.date(2025, 4, 3), datetime.time(14, 30)),
        ("03/04/2025 14:30:15", datetime.date(2025, 4, 3), datetime.time(14, 30, 15)),
        ("2025-04-03T09:05", datetime.date(2025, 4, 3), datetime.time(9, 5)),
        ("3 April 2025 2:30pm", datetime.date(2025, 4, 3), datetime.time(14, 30)),
        ("Thu 3-Apr-25 2pm", datetime.date(2025, 4, 3), datetime.time(14, 0)),
        ("03/04/2025 00:00", datetime.date(2025, 4, 3), None),
    ],
)
def test_a_date_and_time_in_one_cell_are_split(typed, date, time):
    result = one_row_csv(typed)
    assert result.errors == []
    assert (result.rows[0]["date"], result.rows[0]["time"]) == (date, time)


@pytest.mark.parametrize("time_column", ["", "14:30", "2:30pm", "1430"])
def test_the_time_column_may_be_blank_or_say_the_same(time_column):
    result = one_row_csv("03/04/2025 14:30", time_column)
    assert result.errors == []
    assert result.rows[0]["time"] == datetime.time(14, 30)


def test_a_different_time_in_the_time_column_is_refused():
    result = one_row_csv("03/04/2025 14:30", "15:00")
    assert result.rows == []
    assert result.errors == [
        "Row 2, Time: '15:00' is not the time given in the Date column (14:30); give the time "
        "once, or the same in both"
    ]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("1430", datetime.time(14, 30)), ("0905", datetime.time(9, 5)), ("0000", datetime.time(0))],
)
def test_24_hour_times_without_a_colon(typed, expected):
    result = one_row_csv("03/04/2025", typed)
    assert result.errors == []
    assert result.rows[0]["time"] == expected


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("2460", "'2460' is not a real time"),
        ("2530", "'2530' is not a real time"),
        ("14300", "'14300' is not a time in a format we accept; use 14:30, 1430 or 2:30pm"),
    ],
)
def test_impossible_times_without_a_colon_are_refused(typed, message):
    result = one_row_csv("03/04/2025", typed)
    assert result.errors == [f"Row 2, Time: {message}"]


def excel_row(*cells, headings=("Date", "Time", "Description")):
    workbook = openpyxl.Workbook()
    workbook.active.append(list(headings))
    workbook.active.append(list(cells))
    return parse(workbook_file(workbook))


def test_an_excel_date_and_time_cell_keeps_both():
    result = excel_row(datetime.datetime(2025, 4, 3, 14, 30), None, "Visit")
    assert result.errors == []
    assert (result.rows[0]["date"], result.rows[0]["time"]) == (
        datetime.date(2025, 4, 3),
        datetime.time(14, 30),
    )


def test_an_excel_date_and_time_cell_with_another_time_beside_it_is_refused():
    result = excel_row(datetime.datetime(2025, 4, 3, 14, 30), datetime.time(9, 0), "Visit")
    assert result.errors == [
        "Row 2, Time: '09:00' is not the time given in the Date column (14:30); give the time "
        "once, or the same in both"
    ]


def test_an_excel_date_cell_gives_no_time_and_the_time_column_is_kept():
    result = excel_row(datetime.datetime(2025, 4, 3), datetime.time(9, 0), "Visit")
    assert (result.rows[0]["date"], result.rows[0]["time"]) == (
        datetime.date(2025, 4, 3),
        datetime.time(9, 0),
    )


@pytest.mark.parametrize(
    ("number", "expected"), [(1430, datetime.time(14, 30)), (905, datetime.time(9, 5))]
)
def test_a_24_hour_time_typed_into_an_excel_number_cell(number, expected):
    result = excel_row("03/04/2025", number, "Visit")
    assert result.errors == []
    assert result.rows[0]["time"] == expected


@pytest.mark.parametrize("number", [30, 2400, 1460, 14.5])
def test_other_numbers_in_an_excel_time_column_are_refused(number):
    result = excel_row("03/04/2025", number, "Visit")
    assert result.rows == []
    assert len(result.errors) == 1
    assert result.errors[0].startswith("Row 2, Time: ")


# --- CSV as UK and European Excel save it ----------------------------------------------------


def csv_bytes(lines, separator, encoding="utf-8") -> SimpleUploadedFile:
    text = "\r\n".join(separator.join(cells) for cells in lines) + "\r\n"
    return SimpleUploadedFile("chronology.csv", text.encode(encoding))


EUROPEAN = [
    ["Date", "Time", "Description", "Key lines of enquiry", "Learning themes"],
    ["03.04.2025", "14:30", "Home visit, child seen", '"1,2"', "Neglect"],
    ["04/04/2025", "", "Call to school; no answer", "2", ""],
]


@pytest.mark.parametrize(
    ("separator", "name"), [(",", "commas"), (";", "semicolons"), ("\t", "tabs")]
)
def test_the_separator_is_detected_and_named_in_the_summary(separator, name):
    lines = [["Date", "Description"], ["03/04/2025", "Visit"], ["04/04/2025", "Call"]]
    result = parse(csv_bytes(lines, separator))
    assert result.errors == []
    assert [r["description"] for r in result.rows] == ["Visit", "Call"]
    assert result.read_summary == (
        f"2 rows read from the CSV file (values separated by {name}; rows 2 to 3)"
    )


def test_a_csv_file_from_european_excel_is_read_whole():
    # European Excel separates values with semicolons (the comma is its decimal mark) and saves
    # in the Windows encoding; text with commas and semicolons in it is quoted where needed.
    lines = [[c if c.startswith('"') or ";" not in c else f'"{c}"' for c in r] for r in EUROPEAN]
    result = parse(csv_bytes(lines, ";", encoding="cp1252"))
    assert result.errors == []
    assert [(r["date"], r["time"], r["description"], r["kloe_numbers"]) for r in result.rows] == [
        (datetime.date(2025, 4, 3), datetime.time(14, 30), "Home visit, child seen", [1, 2]),
        (datetime.date(2025, 4, 4), None, "Call to school; no answer", [2]),
    ]
    assert "values separated by semicolons" in result.read_summary


def test_a_semicolon_file_with_a_title_row_and_an_error_is_refused_by_row_and_column():
    text = (
        "Chronology for Child A;;\r\n"
        "Date;Time;Description\r\n"
        "03.04.2025;14:30;Visit\r\n"
        "31.04.2025;;Call\r\n"
    )
    result = parse(SimpleUploadedFile("c.csv", text.encode("cp1252")))
    assert result.rows == []
    assert result.errors == ["Row 4, Date: '31.04.2025' is not a real date"]


def test_excel_unicode_text_is_read():
    # Excel's "Unicode Text": UTF-16 with a byte order mark, separated by tabs.
    text = "Date\tDescription\r\n03/04/2025\tVisite à domicile\r\n"
    result = parse(SimpleUploadedFile("c.txt", text.encode("utf-16")))
    assert result.errors == []
    assert result.rows[0]["description"] == "Visite à domicile"
    assert "values separated by tabs" in result.read_summary


def test_a_file_with_none_of_the_headings_is_refused_whatever_its_separator():
    result = parse(csv_bytes([["Name", "Notes"], ["Alex", "x"]], ";"))
    assert result.errors == [
        "The CSV file is missing the columns Date and Description (the headings must be in one "
        "of the first 10 rows)"
    ]


def test_the_success_message_says_which_sheet_was_read_and_which_hidden_ones_were_not(
    client, agency_author, school_request
):
    workbook = openpyxl.Workbook()
    workbook.active.title = "Old export"
    chronology_rows(workbook.active, "From the hidden sheet")
    workbook.active.sheet_state = "hidden"
    chronology_rows(workbook.create_sheet("Police export"), "From the visible sheet")
    workbook.active = 1
    client.force_login(agency_author)
    response = client.post(
        reverse("chronologies:import", args=[school_request.pk]),
        {"file": workbook_file(workbook)},
        follow=True,
    )
    assert list(school_request.entries.values_list("description", flat=True)) == [
        "From the visible sheet"
    ]
    assert (
        'Imported 1 entry from chronology.xlsx: 1 row read from the sheet "Police export" '
        '(row 2). The hidden sheet "Old export" was not read'
    ) in html.unescape(response.content.decode())
