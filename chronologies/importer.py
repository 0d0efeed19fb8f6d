"""Chronology spreadsheets: the XLSX template agencies fill in, and the parser that turns an
uploaded XLSX or CSV into entry values. Parsing is all or nothing: every problem in every row is
collected, and rows are returned only when there are none. Formulas are refused, never
evaluated; macro-enabled workbooks are refused unopened."""

import csv
import datetime
import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import NamedTuple

import openpyxl
from django.utils import timezone
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from chronologies.models import DateCertainty, Entry, YesNoUnknown
from lcspr.core.documents import archive_problem
from reviews.learning.themes import theme_names

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 10_000
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
DATA_SHEET = "Chronology"


class Column(NamedTuple):
    heading: str
    field: str
    required: bool
    guidance: str
    width: int = 20


COLUMNS = (
    Column("Date", "date", True, "The date of the event, for example 03/04/2021.", 14),
    Column("Time", "time", False, "The time, if known: 14:30 or 2:30pm.", 10),
    Column(
        "Date certainty",
        "date_certainty",
        False,
        "Exact, Month only or Approximate. Leave blank for Exact. A date given as a month "
        "(April 2021) is always Month only.",
        16,
    ),
    Column(
        "Source record reference",
        "source_reference",
        False,
        "Where the event is recorded in your agency's system (a case note or record number).",
        22,
    ),
    Column(
        "Practitioner role",
        "practitioner_role",
        False,
        "The role of the practitioner involved, not their name (for example: Health visitor).",
        22,
    ),
    Column(
        "Event or contact type",
        "event_type",
        False,
        "For example: home visit, phone call, referral, strategy meeting.",
        22,
    ),
    Column("Child seen", "child_seen", False, "Yes, No or Not known.", 12),
    Column("Child seen alone", "seen_alone", False, "Yes, No or Not known.", 14),
    Column("Description", "description", True, "What happened, factually.", 50),
    Column(
        "Child's voice / lived experience",
        "child_voice",
        False,
        "What the child said, did or showed, and what life was like for them.",
        40,
    ),
    Column(
        "Action or decision taken",
        "action_taken",
        False,
        "What your agency did or decided as a result.",
        35,
    ),
    Column("Outcome", "outcome", False, "What came of it.", 30),
    Column(
        "Agency analysis of significance",
        "significance",
        False,
        "Your agency's view of why this event matters to the review.",
        40,
    ),
    Column(
        "Key lines of enquiry",
        "kloe_numbers",
        False,
        'The numbers of the key lines of enquiry the event relates to, for example "1, 3".',
        14,
    ),
    Column(
        "Learning themes",
        "themes",
        False,
        'Learning themes separated by ";", using the names on this sheet.',
        30,
    ),
)

DATE_FORMATS_HELP = (
    "03/04/2021, 3/4/21, 3 April 2021, 3 Apr 2021, 2021-04-03, a date cell in Excel, or a "
    "month alone (April 2021), which is recorded as the 1st of the month with the certainty "
    "Month only."
)
TIME_FORMATS_HELP = "14:30, 2:30pm, 2pm, or a time cell in Excel."

_MONTHS = {}
for _number in range(1, 13):
    _name = datetime.date(2000, _number, 1).strftime("%B").lower()
    _MONTHS[_name] = _number
    _MONTHS[_name[:3]] = _number
_MONTHS["sept"] = 9

_DMY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})")
_YMD = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_D_MONTH_Y = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{4})")
_MONTH_Y = re.compile(r"([a-z]+)\.?,?\s+(\d{4})")
_TIME = re.compile(r"(\d{1,2})(?:[:.](\d{2}))?(?::(\d{2}))?\s*([ap]\.?m\.?)?")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_YES_NO = {
    "yes": YesNoUnknown.YES,
    "y": YesNoUnknown.YES,
    "no": YesNoUnknown.NO,
    "n": YesNoUnknown.NO,
    "not known": YesNoUnknown.UNKNOWN,
    "unknown": YesNoUnknown.UNKNOWN,
    "nk": YesNoUnknown.UNKNOWN,
    "n/k": YesNoUnknown.UNKNOWN,
}
_CERTAINTY = {
    "exact": DateCertainty.EXACT,
    "month only": DateCertainty.MONTH,
    "month": DateCertainty.MONTH,
    "approximate": DateCertainty.APPROXIMATE,
    "approx": DateCertainty.APPROXIMATE,
}
_MAX_LENGTHS = {
    f.name: f.max_length
    for f in Entry._meta.get_fields()
    if getattr(f, "max_length", None) and f.name not in ("date_certainty", "child_seen")
}
_MAX_LENGTHS.pop("seen_alone", None)


class CellError(ValueError):
    """A cell's value is not acceptable; the message says why, in the user's words."""


class IncompleteRead(Exception):
    """The reader stopped before the end of the sheet: the file must not be partly imported."""


@dataclass
class ImportResult:
    rows: list[dict] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Where the rows came from, so the confirmation can say what was read: 'the sheet
    # "Chronology"' or 'the CSV file', and the spreadsheet row numbers of the first and last
    # rows with entries.
    source: str = ""
    first_row: int | None = None
    last_row: int | None = None

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def read_summary(self) -> str:
        """What was read, in words a user can check against the file they opened."""
        if not self.rows:
            return ""
        count = len(self.rows)
        rows = "row" if count == 1 else "rows"
        span = (
            f"row {self.first_row}"
            if self.first_row == self.last_row
            else f"rows {self.first_row} to {self.last_row}"
        )
        return f"{count:,} {rows} read from {self.source} ({span})"


def _heading_key(text) -> str:
    text = str(text or "").strip().lower().replace("\u2019", "'").rstrip("*").strip()
    return re.sub(r"\s+", " ", text)


_BY_HEADING = {_heading_key(column.heading): column for column in COLUMNS}


# --- Cell parsers: each takes the raw value (str, number, date...) and returns the field value.


def _shown(value) -> str:
    return str(value).strip()


def parse_date(value) -> tuple[datetime.date, str | None]:
    """A date as people type it in the UK; returns (date, certainty forced by the format)."""
    if isinstance(value, datetime.datetime):
        return value.date(), None
    if isinstance(value, datetime.date):
        return value, None
    if isinstance(value, int | float):  # bool included: a tick box is not a date either
        raise CellError(
            f"'{_excel_number(value)}' is a number, not a date (a date saved from Excel as a "
            "number); format the column as a date, for example 03/04/2021"
        )
    text = _shown(value)
    lowered = text.lower()
    if re.fullmatch(r"\d{4,6}(\.\d+)?", text):
        raise CellError(
            f"'{text}' is a number, not a date (a date saved from Excel as a number); format "
            "the column as a date, for example 03/04/2021"
        )
    certainty = None
    if m := _DMY.fullmatch(lowered):
        day, month, year = int(m[1]), int(m[2]), m[3]
        year = (
            int(year)
            if len(year) == 4
            else 2000 + int(year)
            if int(year) < 70
            else 1900 + int(year)
        )
    elif m := _YMD.fullmatch(lowered):
        year, month, day = int(m[1]), int(m[2]), int(m[3])
    elif (m := _D_MONTH_Y.fullmatch(lowered)) and m[2] in _MONTHS:
        day, month, year = int(m[1]), _MONTHS[m[2]], int(m[3])
    elif (m := _MONTH_Y.fullmatch(lowered)) and m[1] in _MONTHS:
        day, month, year, certainty = 1, _MONTHS[m[1]], int(m[2]), DateCertainty.MONTH
    else:
        raise CellError(
            f"'{text}' is not a date in a format we accept; use a date such as 03/04/2021 or "
            "3 April 2021"
        )
    try:
        return datetime.date(year, month, day), certainty
    except ValueError:
        raise CellError(f"'{text}' is not a real date") from None


def parse_time(value) -> datetime.time:
    if isinstance(value, datetime.datetime):
        return value.time()
    if isinstance(value, datetime.time):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise CellError(f"'{_excel_number(value)}' is a number, not a time; use 14:30 or 2:30pm")
    text = _shown(value)
    m = _TIME.fullmatch(text.lower())
    if not m or (m[2] is None and not m[4]):
        raise CellError(f"'{text}' is not a time in a format we accept; use 14:30 or 2:30pm")
    hour, minute, second = int(m[1]), int(m[2] or 0), int(m[3] or 0)
    if m[4]:
        if not 1 <= hour <= 12:
            raise CellError(f"'{text}' is not a real time")
        hour = hour % 12 + (12 if m[4].startswith("p") else 0)
    try:
        return datetime.time(hour, minute, second)
    except ValueError:
        raise CellError(f"'{text}' is not a real time") from None


def _choice(table: dict, allowed: str):
    def parse(value):
        if isinstance(value, bool) and table is _YES_NO:
            return YesNoUnknown.YES if value else YesNoUnknown.NO
        text = _shown(value)
        try:
            return table[re.sub(r"\s+", " ", text.lower())].value
        except KeyError:
            raise CellError(f"'{text}' is not one of {allowed}") from None

    return parse


def _excel_number(value) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def _text(field_name: str):
    limit = _MAX_LENGTHS.get(field_name)

    def parse(value) -> str:
        if isinstance(value, datetime.datetime | datetime.date):
            text = value.strftime("%d/%m/%Y")
        elif isinstance(value, int | float) and not isinstance(value, bool):
            text = _excel_number(value)
        else:
            text = str(value)
        text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).strip()
        if limit and len(text) > limit:
            raise CellError(f"must be {limit:,} characters or fewer (it has {len(text):,})")
        return text

    return parse


def _kloes(kloe_numbers: set[int]):
    known = ", ".join(str(n) for n in sorted(kloe_numbers)) or "none"

    def parse(value) -> list[int]:
        if isinstance(value, int | float) and not isinstance(value, bool):
            parts = [_excel_number(value)]
        else:
            parts = [p for p in re.split(r"[,;\s]+", _shown(value)) if p]
        numbers = []
        for part in parts:
            if not part.isdigit():
                raise CellError(f"'{part}' is not a number; give numbers such as \"1, 3\"")
            number = int(part)
            if number not in kloe_numbers:
                raise CellError(
                    f"'{part}' is not one of this review's key lines of enquiry ({known})"
                )
            if number not in numbers:
                numbers.append(number)
        return numbers

    return parse


def _themes_parser(known: list[str]):
    """Parse a cell of themes against the partnership's themes in use."""
    by_name = {theme.lower(): theme for theme in known}

    def parse(value) -> list[str]:
        return _themes(value, by_name)

    return parse


def _themes(value, by_name: dict[str, str]) -> list[str]:
    themes = []
    for part in str(value).split(";"):
        part = re.sub(r"\s+", " ", part.strip().replace("\u2019", "'"))
        if not part:
            continue
        try:
            theme = by_name[part.lower()]
        except KeyError:
            raise CellError(
                f"'{part}' is not a learning theme; use the names listed on the template's "
                "Guidance sheet"
            ) from None
        if theme not in themes:
            themes.append(theme)
    return themes


def _parsers(kloe_numbers: set[int]) -> dict:
    parsers = {c.field: _text(c.field) for c in COLUMNS}
    parsers.update(
        date=parse_date,
        time=parse_time,
        date_certainty=_choice(_CERTAINTY, "Exact, Month only or Approximate"),
        child_seen=_choice(_YES_NO, "Yes, No or Not known"),
        seen_alone=_choice(_YES_NO, "Yes, No or Not known"),
        kloe_numbers=_kloes(kloe_numbers),
        themes=_themes_parser(theme_names()),
    )
    return parsers


_DEFAULTS = {
    **{c.field: "" for c in COLUMNS},
    "time": None,
    "date_certainty": DateCertainty.EXACT.value,
    "child_seen": YesNoUnknown.UNKNOWN.value,
    "seen_alone": YesNoUnknown.UNKNOWN.value,
    "kloe_numbers": [],
    "themes": [],
}


def _is_formula(value) -> bool:
    if isinstance(value, str):
        return value.startswith("=")
    # openpyxl gives array and data-table formulas as objects of its own.
    return type(value).__name__ in ("ArrayFormula", "DataTableFormula")


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# --- Reading the file.


def _read_rows(upload, result: ImportResult):
    """The file's rows as tuples of raw values, or None (with an error) if it cannot be read."""
    name = (getattr(upload, "name", "") or "").lower()
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_BYTES:
        result.errors.append(
            f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB; split the chronology "
            "or remove images and formatting"
        )
        return None
    if name.endswith((".xlsm", ".xltm", ".xlam")):
        result.errors.append(
            "Macro-enabled workbooks are not accepted; save the file as an Excel workbook "
            "(.xlsx) or as CSV"
        )
        return None
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        result.errors.append(f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB")
        return None
    if not data:
        result.errors.append("The file is empty")
        return None
    if data.startswith(b"PK\x03\x04"):
        return _read_xlsx(data, result)
    if name.endswith((".xls", ".xlsx", ".ods", ".numbers")):
        result.errors.append(
            "The file is not an Excel workbook we can read; save it as .xlsx or as CSV"
        )
        return None
    return _read_csv(data, result)


def _read_xlsx(data: bytes, result: ImportResult):
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except zipfile.BadZipFile:
        result.errors.append("The file is not an Excel workbook we can read")
        return None
    if any(info.filename.lower().endswith("vbaproject.bin") for info in infos):
        result.errors.append(
            "Macro-enabled workbooks are not accepted; save the file as an Excel workbook "
            "(.xlsx) or as CSV"
        )
        return None
    # Judged from the zip directory, before openpyxl decompresses anything (zip bombs).
    problem = archive_problem(infos, max_bytes=MAX_UNCOMPRESSED_BYTES)
    if problem:
        result.errors.append(
            f"The workbook is too large once opened ({problem}); remove images and other "
            "sheets, or save it as CSV"
        )
        return None
    try:
        workbook = openpyxl.load_workbook(
            io.BytesIO(data), read_only=True, data_only=False, keep_links=False
        )
    except Exception:  # openpyxl raises many kinds for a damaged file
        result.errors.append("The file is not an Excel workbook we can read")
        return None
    sheet = workbook[DATA_SHEET] if DATA_SHEET in workbook.sheetnames else workbook.worksheets[0]
    result.source = f'the sheet "{sheet.title}"'
    # Read-only mode trusts the sheet's <dimension> tag, which case-system exports often leave
    # stale (Excel and LibreOffice ignore it): forget it so that every row in the sheet is read.
    sheet.reset_dimensions()
    last_row = _last_row_in_sheet_xml(data, getattr(sheet, "_worksheet_path", None))
    return _read_to_the_end(workbook, sheet, last_row)


_ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row(?=[\s/>])([^>]*)>")
_ROW_NUMBER = re.compile(rb"""\br\s*=\s*["'](\d+)["']""")


def _last_row_in_sheet_xml(data: bytes, path: str | None) -> int | None:
    """The number of the sheet's last row, read from its XML independently of openpyxl: the
    safety net that refuses an import when the reader stopped short. None if the part cannot
    be found (the check then cannot be made, and the import is refused)."""
    if not path:
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            xml = archive.read(path.lstrip("/"))
    except (KeyError, zipfile.BadZipFile, OSError):
        return None
    last = 0
    for match in _ROW_TAG.finditer(xml):
        number = _ROW_NUMBER.search(match[1])
        last = int(number[1]) if number else last + 1
    return last


def _read_to_the_end(workbook, sheet, last_row: int | None):
    """Yield the sheet's rows; once they run out, refuse if fewer were read than the sheet
    holds."""
    read = 0
    rows = sheet.iter_rows(values_only=True)
    try:
        while True:
            try:
                row = next(rows)
            except StopIteration:
                break
            except Exception:  # openpyxl parses the sheet lazily: a damaged part fails here
                raise IncompleteRead(
                    f'The sheet "{sheet.title}" is damaged and could not be read past row '
                    f"{read}, so nothing was imported; save the workbook again in Excel or as CSV "
                    "and upload it again"
                ) from None
            read += 1
            yield row
    finally:
        workbook.close()
    if last_row is None:
        raise IncompleteRead(
            f"{sheet.title!r} could not be checked for completeness, so nothing was imported; "
            "save the workbook again in Excel or as CSV and upload it again"
        )
    if read < last_row:
        raise IncompleteRead(
            f'Only rows 1 to {read} of the sheet "{sheet.title}" could be read, but it has '
            f"rows up to {last_row}, so nothing was imported; save the workbook again in Excel "
            "or as CSV and upload it again"
        )


def _read_csv(data: bytes, result: ImportResult):
    result.source = "the CSV file"
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            result.errors.append(
                "The file's characters could not be read; save it as 'CSV UTF-8' and try again"
            )
            return None
    if "\x00" in text:
        result.errors.append("The file is not a CSV file we can read; save it as CSV or .xlsx")
        return None
    return csv.reader(io.StringIO(text, newline=""))


def parse(upload, *, kloe_numbers: set[int]) -> ImportResult:
    """Read an uploaded XLSX or CSV chronology. Every problem is collected, row by row and
    column by column; `rows` holds entry field values only when there are none."""
    result = ImportResult()
    rows = _read_rows(upload, result)
    if rows is None:
        return result
    try:
        _parse_rows(rows, kloe_numbers, result)
    except csv.Error as e:
        result.errors = [f"The CSV file could not be read: {e}"]
    except IncompleteRead as e:
        result.errors = [str(e)]
    if result.errors:
        result.rows = []
    return result


def _parse_rows(rows, kloe_numbers: set[int], result: ImportResult) -> None:
    rows = iter(rows)
    header = next(rows, None)
    if header is not None and all(_is_blank(v) for v in header):
        header = None
    if header is None:
        if not any(any(not _is_blank(v) for v in row) for row in rows):
            result.errors.append("The file is empty")
        else:
            result.errors.append(
                "Row 1 must hold the column headings: " + ", ".join(c.heading for c in COLUMNS)
            )
        return
    columns, ignored = [], []
    for index, heading in enumerate(header):
        column = _BY_HEADING.get(_heading_key(heading))
        if column is None:
            if not _is_blank(heading):
                ignored.append(str(heading).strip())
        elif any(c.field == column.field for _, c in columns):
            result.warnings.append(f"The column {column.heading} appears twice; the first is used")
        else:
            columns.append((index, column))
    missing = [c.heading for c in COLUMNS if c.required and c not in {c for _, c in columns}]
    if missing:
        result.errors.append(
            "The file is missing the column"
            + ("s " if len(missing) > 1 else " ")
            + " and ".join(missing)
            + " (the headings must be in row 1)"
        )
        return
    if ignored:
        result.warnings.append("These columns were ignored: " + ", ".join(ignored))

    parsers = _parsers(kloe_numbers)
    today = timezone.localdate()
    errors, parsed = result.errors, result.rows
    count = 0
    for number, row in enumerate(rows, start=2):
        width = len(row)
        cells = [(c, row[i] if i < width else None) for i, c in columns]
        if all(_is_blank(v) for _, v in cells):
            continue
        count += 1
        result.first_row = result.first_row or number
        result.last_row = number
        if count > MAX_ROWS:
            result.errors[:] = [
                f"The file has more than {MAX_ROWS:,} rows; a chronology can hold up to "
                f"{MAX_ROWS:,} entries"
            ]
            return
        values = dict(_DEFAULTS)
        forced_certainty = None
        for column, raw in cells:
            if _is_blank(raw):
                if column.required:
                    errors.append(
                        f"Row {number}, {column.heading}: enter the {column.heading.lower()}"
                    )
                continue
            if _is_formula(raw):
                errors.append(f"Row {number}, {column.heading}: formulas are not accepted")
                continue
            try:
                if column.field == "date":
                    value, forced_certainty = parse_date(raw)
                    if value > today:
                        raise CellError(f"'{_shown_date(raw)}' is in the future")
                    if value.year < 1900:
                        raise CellError(f"'{_shown_date(raw)}' is before 1900")
                else:
                    value = parsers[column.field](raw)
            except CellError as e:
                errors.append(f"Row {number}, {column.heading}: {e}")
                continue
            if column.required and value == "":
                errors.append(f"Row {number}, {column.heading}: enter the {column.heading.lower()}")
                continue
            values[column.field] = value
        if forced_certainty:
            values["date_certainty"] = forced_certainty.value
        if not errors:
            parsed.append(values)
    if count == 0:
        result.errors.append("The file is empty")


def _shown_date(raw) -> str:
    if isinstance(raw, datetime.date):
        return raw.strftime("%d/%m/%Y")
    return _shown(raw)


# --- The template.


def build_template(request=None) -> bytes:
    """The XLSX template agencies fill in: one row per event, a Guidance sheet, and lists for
    the columns with fixed answers. Given a chronology request, its key lines of enquiry are
    listed too."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = DATA_SHEET
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDDDDD")
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index, value=column.heading)
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
    sheet.freeze_panes = "A2"
    letters = {c.field: get_column_letter(i) for i, c in enumerate(COLUMNS, start=1)}
    last = MAX_ROWS + 1
    lists = {
        "date_certainty": [c.label for c in DateCertainty],
        "child_seen": [c.label for c in YesNoUnknown],
        "seen_alone": [c.label for c in YesNoUnknown],
    }
    for field_name, options in lists.items():
        validation = DataValidation(
            type="list",
            formula1='"' + ",".join(options) + '"',
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="Choose from the list",
            error="Choose one of: " + ", ".join(options),
        )
        validation.add(f"{letters[field_name]}2:{letters[field_name]}{last}")
        sheet.add_data_validation(validation)

    guidance = workbook.create_sheet("Guidance")
    guidance.column_dimensions["A"].width = 34
    guidance.column_dimensions["B"].width = 12
    guidance.column_dimensions["C"].width = 90
    guidance.append(["Column", "Required", "What to put"])
    for cell in guidance[1]:
        cell.font, cell.fill = bold, fill
    for column in COLUMNS:
        guidance.append([column.heading, "Yes" if column.required else "No", column.guidance])
    guidance.append([])
    notes = [
        ("Dates", DATE_FORMATS_HELP),
        ("Times", TIME_FORMATS_HELP),
        ("One row per event", "Blank rows are skipped. Row 1 must hold the column headings."),
        (
            "Limits",
            f"Up to {MAX_ROWS:,} rows and {MAX_BYTES // (1024 * 1024)} MB. Formulas and "
            "macros are not accepted: type values only.",
        ),
        (
            "Errors",
            "If any row has a problem nothing is imported, and every problem is listed by row "
            "and column so you can correct them all at once.",
        ),
        (
            "Importing again",
            "Importing replaces every entry in your draft; you are asked to confirm first.",
        ),
    ]
    for title, text in notes:
        guidance.append([title, "", text])
        guidance.cell(row=guidance.max_row, column=1).font = bold
    guidance.append([])
    guidance.append(["Learning themes", "", "; ".join(theme_names())])
    guidance.cell(row=guidance.max_row, column=1).font = bold
    if request is not None and request.kloes:
        guidance.append(["Key lines of enquiry", "", ""])
        guidance.cell(row=guidance.max_row, column=1).font = bold
        for number, text in request.kloes:
            guidance.append([str(number), "", text])
    for row in guidance.iter_rows(min_row=2):
        row[2].alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
