"""The chronology spreadsheet parser: UK dates as people type them, every problem reported by
row and column, formulas and macros refused, limits enforced, and the template it reads."""

import datetime
import io
import re
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from chronologies import importer
from chronologies.importer import COLUMNS
from tests.core.office_files import unsafe_files, with_parts, xlsx

# The importer checks learning themes against the partnership's list, which is in the database.
pytestmark = pytest.mark.django_db

HEADINGS = [c.heading for c in COLUMNS]
UNSAFE = unsafe_files()
KLOES = {1, 2}


def csv_file(*lines: str, encoding="utf-8", name="chronology.csv") -> SimpleUploadedFile:
    text = "\r\n".join(lines) + "\r\n"
    return SimpleUploadedFile(name, text.encode(encoding))


def xlsx_file(rows, name="chronology.xlsx", headings=None) -> SimpleUploadedFile:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(headings or ["Date", "Time", "Description"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def parse_csv(*lines, **kwargs):
    return importer.parse(csv_file(*lines, **kwargs), kloe_numbers=KLOES)


def one_date(text):
    return parse_csv("Date,Description", f'"{text}",Visit')


@pytest.mark.parametrize(
    ("typed", "expected", "certainty"),
    [
        ("03/04/2021", datetime.date(2021, 4, 3), "exact"),
        ("3/4/21", datetime.date(2021, 4, 3), "exact"),
        ("3 April 2021", datetime.date(2021, 4, 3), "exact"),
        ("3 Apr 2021", datetime.date(2021, 4, 3), "exact"),
        ("3 april 2021", datetime.date(2021, 4, 3), "exact"),
        ("2021-04-03", datetime.date(2021, 4, 3), "exact"),
        ("April 2021", datetime.date(2021, 4, 1), "month"),
        ("Apr 2021", datetime.date(2021, 4, 1), "month"),
    ],
)
def test_it_reads_dates_as_people_type_them_in_the_uk(typed, expected, certainty):
    result = one_date(typed)
    assert result.errors == []
    assert result.rows[0]["date"] == expected
    assert result.rows[0]["date_certainty"] == certainty


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("31/02/2021", "Row 2, Date: '31/02/2021' is not a real date"),
        ("2021-13-01", "Row 2, Date: '2021-13-01' is not a real date"),
        ("Spring 2021", "Row 2, Date: 'Spring 2021' is not a date in a format we accept"),
        ("44289", "Row 2, Date: '44289' is a number, not a date"),
        ("03/04/2999", "Row 2, Date: '03/04/2999' is in the future"),
    ],
)
def test_it_refuses_dates_that_are_not_real_or_not_recognised(typed, message):
    result = one_date(typed)
    assert result.rows == []
    assert len(result.errors) == 1
    assert result.errors[0].startswith(message)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("14:30", datetime.time(14, 30)),
        ("2:30pm", datetime.time(14, 30)),
        ("2pm", datetime.time(14, 0)),
        ("12:15 am", datetime.time(0, 15)),
    ],
)
def test_it_reads_times(typed, expected):
    result = parse_csv("Date,Time,Description", f"03/04/2021,{typed},Visit")
    assert result.rows[0]["time"] == expected


@pytest.mark.parametrize("typed", ["25:00", "13pm", "soon"])
def test_it_refuses_times_that_are_not_real(typed):
    result = parse_csv("Date,Time,Description", f"03/04/2021,{typed},Visit")
    assert result.errors and result.errors[0].startswith(f"Row 2, Time: '{typed}'")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Yes", "yes"),
        ("y", "yes"),
        ("NO", "no"),
        ("n", "no"),
        ("Not known", "unknown"),
        ("", "unknown"),
    ],
)
def test_it_reads_yes_no_and_not_known(typed, expected):
    result = parse_csv("Date,Description,Child seen", f"03/04/2021,Visit,{typed}")
    assert result.rows[0]["child_seen"] == expected


def test_it_reads_every_column_of_the_template():
    result = parse_csv(
        ",".join(f'"{h}"' for h in HEADINGS),
        '03/04/2021,09:15,Approximate,CN-1,Health visitor,Home visit,Yes,No,"Visited, '
        'saw baby",Smiled,Referred,Seen by GP,Missed chance,"1, 2","Neglect; domestic abuse"',
    )
    assert result.errors == []
    assert result.rows == [
        {
            "date": datetime.date(2021, 4, 3),
            "time": datetime.time(9, 15),
            "date_certainty": "approximate",
            "source_reference": "CN-1",
            "practitioner_role": "Health visitor",
            "event_type": "Home visit",
            "child_seen": "yes",
            "seen_alone": "no",
            "description": "Visited, saw baby",
            "child_voice": "Smiled",
            "action_taken": "Referred",
            "outcome": "Seen by GP",
            "significance": "Missed chance",
            "kloe_numbers": [1, 2],
            "themes": ["Neglect", "Domestic abuse"],
        }
    ]


def test_it_refuses_unknown_key_lines_of_enquiry_and_themes():
    result = parse_csv(
        "Date,Description,Key lines of enquiry,Learning themes",
        "03/04/2021,Visit,7,Weather",
    )
    assert result.errors == [
        "Row 2, Key lines of enquiry: '7' is not one of this review's key lines of enquiry (1, 2)",
        "Row 2, Learning themes: 'Weather' is not a learning theme; use the names listed on the "
        "template's Guidance sheet",
    ]


def test_it_reads_csv_with_a_byte_order_mark():
    result = importer.parse(
        SimpleUploadedFile("c.csv", "\ufeffDate,Description\r\n03/04/2021,Café £5\r\n".encode()),
        kloe_numbers=KLOES,
    )
    assert result.errors == []
    assert result.rows[0]["description"] == "Café £5"


def test_it_reads_csv_as_excel_writes_it_in_the_uk():
    result = parse_csv("Date,Description", "03/04/2021,Paid £5 to the café", encoding="cp1252")
    assert result.rows[0]["description"] == "Paid £5 to the café"


def test_it_strips_control_characters_but_keeps_new_lines():
    result = parse_csv("Date,Description", '03/04/2021,"First\x07 line\nsecond\tline"')
    assert result.rows[0]["description"] == "First line\nsecond\tline"


def test_it_names_the_column_when_text_is_too_long():
    result = parse_csv("Date,Description,Source record reference", f"03/04/2021,Visit,{'x' * 101}")
    assert result.errors == [
        "Row 2, Source record reference: must be 100 characters or fewer (it has 101)"
    ]


def test_it_reads_excel_date_and_time_cells():
    result = importer.parse(
        xlsx_file([[datetime.datetime(2021, 4, 3), datetime.time(14, 30), "Visit"]]),
        kloe_numbers=KLOES,
    )
    assert result.errors == []
    assert result.rows[0]["date"] == datetime.date(2021, 4, 3)
    assert result.rows[0]["time"] == datetime.time(14, 30)


def test_it_refuses_a_number_in_an_excel_date_column():
    result = importer.parse(xlsx_file([[44289, None, "Visit"]]), kloe_numbers=KLOES)
    assert result.errors[0].startswith("Row 2, Date: '44289' is a number, not a date")


def test_it_refuses_formulas_and_never_evaluates_them():
    upload = xlsx_file([["03/04/2021", None, "Visit"], ["03/04/2021", None, "=HYPERLINK(A1)"]])
    result = importer.parse(upload, kloe_numbers=KLOES)
    assert result.errors == ["Row 3, Description: formulas are not accepted"]
    assert result.rows == []


def test_it_refuses_formulas_in_csv_too():
    result = parse_csv("Date,Description", "03/04/2021,=1+1")
    assert result.errors == ["Row 2, Description: formulas are not accepted"]


def test_it_refuses_a_macro_enabled_workbook_by_name():
    upload = xlsx_file([["03/04/2021", None, "Visit"]], name="chronology.xlsm")
    result = importer.parse(upload, kloe_numbers=KLOES)
    assert result.errors[0].startswith("Macro-enabled workbooks are not accepted")


def test_it_refuses_a_workbook_holding_macros_whatever_its_name():
    buffer = io.BytesIO(xlsx_file([["03/04/2021", None, "Visit"]]).read())
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("xl/vbaProject.bin", b"macro")
    result = importer.parse(SimpleUploadedFile("c.xlsx", buffer.getvalue()), kloe_numbers=KLOES)
    assert result.errors == [
        "The file cannot be accepted: it contains macros. Save it as an Excel workbook without "
        "macros (.xlsx) and upload it again"
    ]


@pytest.mark.parametrize("unsafe", list(UNSAFE))
def test_it_refuses_what_every_other_upload_refuses_in_an_office_file(unsafe):
    # The same check as report drafts and action evidence, with the same words.
    name, content, why = UNSAFE[unsafe]
    result = importer.parse(SimpleUploadedFile(name, content), kloe_numbers=KLOES)
    assert result.rows == []
    assert len(result.errors) == 1
    assert result.errors[0].startswith(f"The file cannot be accepted: {why}")


@pytest.mark.parametrize(
    "part", ["xl/workbook.xml", "xl/worksheets/sheet1.xml", "xl/sharedStrings.xml"]
)
def test_it_refuses_a_doctype_in_the_workbook_or_its_sheets(part):
    original = xlsx(["03/04/2021", None, "Visit"])
    with zipfile.ZipFile(io.BytesIO(original)) as archive:
        xml = archive.read(part).decode() if part in archive.namelist() else "<sst/>"
    doctype = '<!DOCTYPE x [<!ENTITY visit "Fictional visit">]>'
    xml = re.sub(r"^(<\?xml[^>]*\?>)?", lambda m: (m[0] or "") + doctype, xml, count=1)
    content = with_parts(original, {part: xml})
    result = importer.parse(SimpleUploadedFile("c.xlsx", content), kloe_numbers=KLOES)
    assert result.errors == [
        "The file cannot be accepted: it contains a DOCTYPE declaration, which Excel never "
        "writes. Save it again from Excel and upload it again"
    ]


def test_it_refuses_a_zip_bomb(monkeypatch):
    monkeypatch.setattr(importer.limits, "MAX_UNCOMPRESSED_BYTES", 1000)
    result = importer.parse(xlsx_file([["03/04/2021", None, "Visit"]]), kloe_numbers=KLOES)
    assert result.errors[0].startswith("The workbook is too large once opened")


def test_it_refuses_a_file_that_is_not_a_workbook():
    result = importer.parse(SimpleUploadedFile("c.xlsx", b"PK\x03\x04junk"), kloe_numbers=KLOES)
    assert result.errors == ["The file is not an Excel workbook we can read"]


@pytest.mark.parametrize("content", [b"", b"Date,Description\r\n", b"\r\n\r\n"])
def test_it_says_an_empty_file_is_empty(content):
    result = importer.parse(SimpleUploadedFile("c.csv", content), kloe_numbers=KLOES)
    assert result.errors == ["The file is empty"]


def test_it_refuses_a_file_over_the_size_limit(monkeypatch):
    monkeypatch.setattr(importer.limits, "MAX_BYTES", 1024 * 1024)
    upload = csv_file("Date,Description", *[f"03/04/2021,{'x' * 1000}"] * 1100)
    result = importer.parse(upload, kloe_numbers=KLOES)
    assert result.errors == [
        "The file is larger than 1 MB; split the chronology or remove images and formatting"
    ]


def test_it_refuses_too_many_rows(monkeypatch):
    monkeypatch.setattr(importer.limits, "MAX_ROWS", 3)
    result = parse_csv("Date,Description", *["03/04/2021,Visit"] * 4)
    assert result.errors == ["The file has more than 3 rows; a chronology can hold up to 3 entries"]


def test_it_names_every_missing_mandatory_column_at_once():
    result = parse_csv("Time,Outcome", "14:30,Fine")
    assert result.errors == [
        "The CSV file is missing the columns Date and Description (the headings must be in one "
        "of the first 10 rows)"
    ]


def test_it_matches_headings_whatever_their_case_and_reports_unknown_columns():
    result = parse_csv("DATE,description,Notes,Staff name", "03/04/2021,Visit,x,y")
    assert result.errors == []
    assert result.rows[0]["description"] == "Visit"
    assert result.warnings == ["These columns were ignored: Notes, Staff name"]


def test_it_lists_every_problem_in_every_row_and_returns_no_rows():
    lines = ["Date,Description,Child seen"]
    lines += ["03/04/2021,Visit,yes"] * 20
    lines[6] = "31/02/2021,,maybe"
    lines += ["", "01/01/2021,Visit,yes", "2021-13-01,Visit,no"]
    result = parse_csv(*lines)
    assert result.rows == []
    assert result.errors == [
        "Row 7, Date: '31/02/2021' is not a real date",
        "Row 7, Description: enter the description",
        "Row 7, Child seen: 'maybe' is not one of Yes, No or Not known",
        "Row 24, Date: '2021-13-01' is not a real date",
    ]


def test_it_skips_blank_rows_and_counts_rows_as_the_spreadsheet_shows_them():
    result = importer.parse(
        xlsx_file([["03/04/2021", None, "Visit"], [None, None, None], ["bad", None, "Visit"]]),
        kloe_numbers=KLOES,
    )
    assert result.errors[0].startswith("Row 4, Date: 'bad'")


def test_the_template_has_headings_guidance_and_lists():
    content = importer.build_template()
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    sheet = workbook["Chronology"]
    assert [c.value for c in sheet[1]] == HEADINGS
    assert sheet.freeze_panes == "A2"
    lists = {str(v.sqref).split(":")[0]: v.formula1 for v in sheet.data_validations.dataValidation}
    assert lists == {
        "C2": '"Exact,Month only,Approximate"',
        "G2": '"Yes,No,Not known"',
        "H2": '"Yes,No,Not known"',
    }
    guidance = list(workbook["Guidance"].iter_rows(values_only=True))
    assert ("Date", "Yes", COLUMNS[0].guidance) in guidance
    assert any(row[0] == "Dates" and "April 2021" in row[2] for row in guidance)


def test_the_template_filled_in_imports_cleanly():
    workbook = openpyxl.load_workbook(io.BytesIO(importer.build_template()))
    workbook["Chronology"].append(
        [datetime.date(2021, 4, 3), None, "Exact"] + [None] * 5 + ["Visit"]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = importer.parse(SimpleUploadedFile("t.xlsx", buffer.getvalue()), kloe_numbers=KLOES)
    assert result.errors == []
    assert len(result.rows) == 1


def rewrite_sheet_xml(upload: SimpleUploadedFile, edit) -> SimpleUploadedFile:
    """The same workbook with its first sheet's XML passed through `edit`: how the tests make
    the files that case-management systems write (openpyxl itself writes them correctly)."""
    source = zipfile.ZipFile(io.BytesIO(upload.read()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = edit(content.decode()).encode()
            target.writestr(info, content)
    return SimpleUploadedFile(upload.name, buffer.getvalue())


def twenty_four_visits():
    return [[f"{day:02d}/04/2025", None, f"Visit {day}"] for day in range(1, 25)]


def with_dimension(ref):
    # openpyxl writes `<dimension ref="A1:C25" />`, or `"/>` when lxml is installed.
    def edit(xml):
        edited, count = re.subn(r'<dimension ref="A1:C25"\s*/>', f'<dimension ref="{ref}"/>', xml)
        assert count == 1
        return edited

    return edit


@pytest.mark.parametrize("stale", ["A1:C3", "A1:A2", "A1", "C5:D9"])
def test_a_stale_dimension_does_not_hide_rows_or_columns(stale):
    # Case-system exports often leave <dimension ref> from an earlier, smaller sheet; Excel and
    # LibreOffice ignore it and show every row, so the import must read every row too.
    upload = rewrite_sheet_xml(xlsx_file(twenty_four_visits()), with_dimension(stale))
    result = importer.parse(upload, kloe_numbers=KLOES)
    assert result.errors == []
    assert [row["description"] for row in result.rows] == [f"Visit {d}" for d in range(1, 25)]
    assert result.rows[-1]["date"] == datetime.date(2025, 4, 24)
    assert result.read_summary == '24 rows read from the sheet "Sheet" (rows 2 to 25)'


def test_rows_the_reader_cannot_see_refuse_the_whole_file():
    # A file from another program with its last rows in a namespace openpyxl does not know:
    # openpyxl silently skips them, so the check against the sheet's own last row must refuse
    # the file rather than import 3 of its 24 visits.
    def foreign_rows(xml):
        head, rest = xml.split('<row r="5"', 1)
        rest = '<row r="5"' + rest
        rest = rest.replace("<row ", "<other:row ").replace("</row>", "</other:row>")
        head = head.replace("<worksheet ", '<worksheet xmlns:other="urn:example:other" ', 1)
        return head + rest

    upload = rewrite_sheet_xml(xlsx_file(twenty_four_visits()), foreign_rows)
    result = importer.parse(upload, kloe_numbers=KLOES)
    assert result.rows == []
    assert result.errors == [
        'Only rows 1 to 4 of the sheet "Sheet" could be read, but it has rows up to 25, so '
        "nothing was imported; save the workbook again in Excel or as CSV and upload it again"
    ]


def test_it_says_which_rows_of_a_csv_file_were_read():
    result = parse_csv("Date,Description", "03/04/2021,Visit", ",", "04/04/2021,Call")
    assert result.errors == []
    assert (
        result.read_summary
        == "2 rows read from the CSV file (values separated by commas; rows 2 to 4)"
    )


def test_a_sheet_damaged_part_way_is_refused_with_a_message_not_a_crash():
    def damage(xml):
        return xml.replace('<row r="9">', '<row r="9"><c r="A9" t="inlineStr"><is><t>&broken', 1)

    upload = rewrite_sheet_xml(xlsx_file(twenty_four_visits()), damage)
    result = importer.parse(upload, kloe_numbers=KLOES)
    assert result.rows == []
    assert result.errors == [
        'The sheet "Sheet" is damaged and could not be read past row 8, so nothing was '
        "imported; save the workbook again in Excel or as CSV and upload it again"
    ]
