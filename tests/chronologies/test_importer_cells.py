"""The chronology importer on the files people really upload: headings written loosely, Excel
cells of every type, dates and times typed many ways, and files that are not what their name
says. Every problem is named by row and column; nothing is read from a file with one."""

import datetime
import io
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from chronologies import importer

pytestmark = pytest.mark.django_db  # learning themes are the partnership's, in the database

KLOES = {1, 2, 3}
D = datetime.date
T = datetime.time


def parse_csv(*lines, encoding="utf-8", name="chronology.csv"):
    content = ("\r\n".join(lines) + "\r\n").encode(encoding)
    return importer.parse(SimpleUploadedFile(name, content), kloe_numbers=KLOES)


def parse_xlsx(headings, *rows):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(headings)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return importer.parse(SimpleUploadedFile("c.xlsx", buffer.getvalue()), kloe_numbers=KLOES)


def only_row(result):
    assert result.errors == []
    [row] = result.rows
    return row


# --- headings -----------------------------------------------------------------------------------


def test_it_matches_headings_written_loosely():
    # Upper case, a required-field asterisk, doubled spaces and a typographic apostrophe.
    result = parse_csv(
        "  DATE * ,Description*,Child\u2019s  voice / lived experience,LEARNING THEMES",
        "03/04/2021,Visit,Said she was cold,neglect",
    )
    row = only_row(result)
    assert (row["description"], row["child_voice"]) == ("Visit", "Said she was cold")
    assert row["themes"] == ["Neglect"]
    assert result.warnings == []


def test_a_column_given_twice_uses_the_first_and_says_so():
    result = parse_csv("Date,Description,description", "03/04/2021,First,Second")
    assert only_row(result)["description"] == "First"
    assert result.warnings == ["The column Description appears twice; the first is used"]


def test_headings_below_a_blank_first_row_are_found():
    result = parse_csv(",", "Date,Description", "03/04/2021,Visit")
    assert result.errors == []
    assert (
        result.read_summary
        == "1 row read from the CSV file (values separated by commas; headings in row 2; row 3)"
    )


def test_a_file_of_headings_and_blank_rows_only_is_empty():
    result = parse_csv("Date,Description", ",", " , ")
    assert result.errors == ["The file is empty"]
    assert result.read_summary == ""


# --- dates and times as people type them --------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected", "certainty"),
    [
        ("3rd April 2021", D(2021, 4, 3), "exact"),
        ("1st Sept 2021", D(2021, 9, 1), "exact"),
        ("3 Apr. 2021", D(2021, 4, 3), "exact"),
        ("3 April, 2021", D(2021, 4, 3), "exact"),
        ("03.04.2021", D(2021, 4, 3), "exact"),
        ("3-4-21", D(2021, 4, 3), "exact"),
        ("3/4/85", D(1985, 4, 3), "exact"),
        ("Sept 2021", D(2021, 9, 1), "month"),
        ("  april 2021 ", D(2021, 4, 1), "month"),
    ],
)
def test_it_reads_more_of_the_ways_dates_are_typed(typed, expected, certainty):
    row = only_row(parse_csv("Date,Description", f'"{typed}",Visit'))
    assert (row["date"], row["date_certainty"]) == (expected, certainty)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("01/01/1899", "Row 2, Date: '01/01/1899' is before 1900"),
        ("Smarch 2021", "Row 2, Date: 'Smarch 2021' is not a date in a format we accept"),
        ("12345.5", "Row 2, Date: '12345.5' is a number, not a date"),
    ],
)
def test_it_refuses_dates_out_of_range_or_unrecognised(typed, message):
    result = parse_csv("Date,Description", f'"{typed}",Visit')
    assert result.rows == []
    assert len(result.errors) == 1 and result.errors[0].startswith(message)


def test_a_month_alone_is_month_only_whatever_the_certainty_column_says():
    result = parse_csv(
        "Date,Date certainty,Description",
        "April 2021,Exact,Visit",
        "03/04/2021,Month,Call",
        "03/04/2021,approx,Letter",
        "03/04/2021,,Meeting",
    )
    assert [r["date_certainty"] for r in result.rows] == ["month", "month", "approximate", "exact"]


def test_an_unknown_date_certainty_is_named():
    result = parse_csv("Date,Date certainty,Description", "03/04/2021,Roughly,Visit")
    assert result.errors == [
        "Row 2, Date certainty: 'Roughly' is not one of Exact, Month only or Approximate"
    ]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("12pm", T(12, 0)),
        ("12am", T(0, 0)),
        ("14.30", T(14, 30)),
        ("09:05:30", T(9, 5, 30)),
        ("2.30 p.m.", T(14, 30)),
    ],
)
def test_it_reads_more_of_the_ways_times_are_typed(typed, expected):
    assert only_row(parse_csv("Date,Time,Description", f"03/04/2021,{typed},Visit"))["time"] == (
        expected
    )


@pytest.mark.parametrize("typed", ["0:30pm", "14:30pm", "12:61"])
def test_a_time_that_cannot_be_is_not_a_real_time(typed):
    result = parse_csv("Date,Time,Description", f"03/04/2021,{typed},Visit")
    assert result.errors == [f"Row 2, Time: '{typed}' is not a real time"]


# --- Excel cells of every type ------------------------------------------------------------------


def test_it_reads_excel_cells_of_every_type_as_the_text_the_person_sees():
    headings = [
        "Date",
        "Time",
        "Description",
        "Source record reference",
        "Outcome",
        "Child seen",
        "Child seen alone",
        "Key lines of enquiry",
    ]
    row = only_row(
        parse_xlsx(
            headings,
            [
                D(2021, 4, 3),
                datetime.datetime(2021, 4, 3, 16, 45),
                "Visit",
                40213,
                D(2021, 5, 1),
                True,
                False,
                2,
            ],
        )
    )
    assert (row["date"], row["time"]) == (D(2021, 4, 3), T(16, 45))
    assert row["source_reference"] == "40213"  # not "40213.0"
    assert row["outcome"] == "01/05/2021"
    assert (row["child_seen"], row["seen_alone"]) == ("yes", "no")
    assert row["kloe_numbers"] == [2]


def test_a_decimal_number_in_a_text_column_keeps_its_decimals():
    row = only_row(parse_xlsx(["Date", "Description", "Outcome"], ["03/04/2021", "Visit", 2.5]))
    assert row["outcome"] == "2.5"


def test_it_refuses_a_number_in_an_excel_time_column():
    result = parse_xlsx(["Date", "Time", "Description"], ["03/04/2021", 0.5, "Visit"])
    assert result.errors == [
        "Row 2, Time: '0.5' is a number, not a time; use 14:30, 1430 or 2:30pm"
    ]


def test_an_excel_date_in_the_future_is_named_as_the_person_sees_it():
    result = parse_xlsx(["Date", "Description"], [datetime.datetime(2099, 1, 31), "Visit"])
    assert result.errors == ["Row 2, Date: '31/01/2099' is in the future"]


def test_a_description_of_invisible_characters_only_is_missing():
    result = parse_csv("Date,Description", '03/04/2021,"\x07\x08"')
    assert result.errors == ["Row 2, Description: enter the description"]


# --- key lines of enquiry and themes ------------------------------------------------------------


def test_key_lines_and_themes_are_read_once_each_in_the_order_given():
    row = only_row(
        parse_csv(
            "Date,Description,Key lines of enquiry,Learning themes",
            '03/04/2021,Visit,"3; 1 1",NEGLECT; ; Neglect;Information  sharing',
        )
    )
    assert row["kloe_numbers"] == [3, 1]
    assert row["themes"] == ["Neglect", "Information sharing"]


def test_a_key_line_that_is_not_a_number_is_named():
    result = parse_csv("Date,Description,Key lines of enquiry", '03/04/2021,Visit,"1, two"')
    assert result.errors == [
        "Row 2, Key lines of enquiry: 'two' is not a number; give numbers such as \"1, 3\""
    ]


def test_a_review_without_key_lines_says_there_are_none():
    result = importer.parse(
        SimpleUploadedFile("c.csv", b"Date,Description,Key lines of enquiry\r\n03/04/2021,V,1\r\n"),
        kloe_numbers=set(),
    )
    assert result.errors == [
        "Row 2, Key lines of enquiry: '1' is not one of this review's key lines of enquiry (none)"
    ]


# --- what was read ------------------------------------------------------------------------------


def test_one_row_read_is_said_in_the_singular():
    result = parse_csv("Date,Description", "03/04/2021,Visit")
    assert result.read_summary == "1 row read from the CSV file (values separated by commas; row 2)"


def test_the_sheet_named_chronology_is_read_whatever_sheet_is_first():
    workbook = openpyxl.Workbook()
    workbook.active.title = "Notes"
    workbook.active.append(["Nothing to import here"])
    sheet = workbook.create_sheet("Chronology")
    sheet.append(["Date", "Description"])
    sheet.append(["03/04/2021", "Visit"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = importer.parse(SimpleUploadedFile("c.xlsx", buffer.getvalue()), kloe_numbers=KLOES)
    assert only_row(result)["description"] == "Visit"
    assert result.read_summary == '1 row read from the sheet "Chronology" (row 2)'


# --- files that are not what they seem ----------------------------------------------------------


def test_an_old_excel_file_is_refused_with_how_to_save_it():
    result = importer.parse(
        SimpleUploadedFile("chronology.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64),
        kloe_numbers=KLOES,
    )
    assert result.errors == [
        "The file is not an Excel workbook we can read; save it as .xlsx or as CSV"
    ]


def test_a_word_document_named_as_a_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    result = importer.parse(
        SimpleUploadedFile("chronology.xlsx", buffer.getvalue()), kloe_numbers=KLOES
    )
    assert result.errors == ["The file is not an Excel workbook we can read"]


def test_a_csv_saved_as_unicode_text_is_read_by_its_byte_order_mark():
    result = parse_csv("Date,Description", "03/04/2021,Visit", encoding="utf-16")
    assert result.errors == []
    assert only_row(result)["description"] == "Visit"


def test_a_csv_in_utf_16_without_a_byte_order_mark_is_refused_with_how_to_save_it():
    result = parse_csv("Date,Description", "03/04/2021,Visit", encoding="utf-16-le")
    assert result.errors == ["The file is not a CSV file we can read; save it as CSV or .xlsx"]


def test_a_csv_whose_characters_cannot_be_read_is_refused():
    result = importer.parse(
        SimpleUploadedFile("c.csv", b"Date,Description\r\n03/04/2021,\x81\x8d\r\n"),
        kloe_numbers=KLOES,
    )
    assert result.errors == [
        "The file's characters could not be read; save it as 'CSV UTF-8' and try again"
    ]


def test_a_csv_cell_too_large_for_the_reader_is_refused_and_nothing_read():
    result = parse_csv("Date,Description", "03/04/2021,Visit", f'03/04/2021,"{"x" * 140_000}"')
    assert result.rows == []
    assert result.errors == [
        "The CSV file could not be read: field larger than field limit (131072)"
    ]
