"""Reading an uploaded file into rows of raw cell values: XLSX (every row really in the sheet,
checked against the sheet's own XML) or CSV (UTF-8, UTF-16 or Windows encoding; separated by
commas, semicolons or tabs)."""

import csv
import io
import itertools
import re
import zipfile

import openpyxl

from chronologies.importer import limits
from chronologies.importer.columns import (
    DATA_SHEET,
    HEADING_ROWS,
    REQUIRED,
    heading_row,
    recognised,
)
from chronologies.importer.result import ImportResult
from lcspr.core.documents import archive_problem
from lcspr.core.uploads import last_row_in_sheet_xml as _last_row_in_sheet_xml
from lcspr.core.uploads import office_problem


class IncompleteRead(Exception):
    """The reader stopped before the end of the sheet: the file must not be partly imported."""


def read_rows(upload, result: ImportResult):
    """The file's rows as tuples of raw values, or None (with an error) if it cannot be read."""
    name = (getattr(upload, "name", "") or "").lower()
    size = getattr(upload, "size", None)
    if size is not None and size > limits.MAX_BYTES:
        result.errors.append(
            f"The file is larger than {limits.MAX_BYTES // (1024 * 1024)} MB; split the chronology "
            "or remove images and formatting"
        )
        return None
    if name.endswith((".xlsm", ".xltm", ".xlam")):
        result.errors.append(
            "Macro-enabled workbooks are not accepted; save the file as an Excel workbook "
            "(.xlsx) or as CSV"
        )
        return None
    data = upload.read(limits.MAX_BYTES + 1)
    if len(data) > limits.MAX_BYTES:
        result.errors.append(f"The file is larger than {limits.MAX_BYTES // (1024 * 1024)} MB")
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
    problem = _package_problem(data)
    if problem:
        result.errors.append(problem)
        return None
    try:
        workbook = openpyxl.load_workbook(
            io.BytesIO(data), read_only=True, data_only=False, keep_links=False
        )
        sheet = _chronology_sheet(workbook, result)
    except Exception:  # openpyxl raises many kinds for a damaged file
        result.errors.append("The file is not an Excel workbook we can read")
        return None
    if sheet is None:
        workbook.close()
        return None
    result.source = f'the sheet "{sheet.title}"'
    last_row = _last_row_in_sheet_xml(data, getattr(sheet, "_worksheet_path", None))
    return _read_to_the_end(workbook, sheet, last_row)


def _chronology_sheet(workbook, result: ImportResult):
    """The sheet to read: the visible one named Chronology if it has the headings, else the
    first visible sheet that has them. Hidden sheets are never read (the person uploading
    cannot see them), and are named in a warning. None (with an error naming the sheets looked
    at) if no visible sheet has the headings."""
    visible = [s for s in workbook.worksheets if s.sheet_state == "visible"]
    hidden = [s.title for s in workbook.worksheets if s.sheet_state != "visible"]
    if hidden:
        result.warnings.append(
            ("The hidden sheet " if len(hidden) == 1 else "The hidden sheets ")
            + _names(hidden)
            + " "
            + ("was" if len(hidden) == 1 else "were")
            + " not read"
        )
    named_first = sorted(visible, key=lambda s: s.title.strip().lower() != DATA_SHEET.lower())
    for sheet in named_first:
        _forget_dimensions(sheet)
        if heading_row(sheet.iter_rows(max_row=HEADING_ROWS, values_only=True)) is not None:
            return sheet
    if len(visible) == 1 and not hidden:
        return visible[0]  # the only sheet there is: the parser says which headings it lacks
    headings = " and ".join(c.heading for c in REQUIRED)
    message = (
        f"No visible sheet has the columns {headings} in its first {HEADING_ROWS} rows, so "
        "nothing was imported. "
    )
    if visible:
        message += f"Sheets looked at: {_names([s.title for s in visible])}. "
    message += f"Hidden sheets are never read: {_names(hidden)}." if hidden else ""
    result.errors.append(message.strip())
    return None


def _forget_dimensions(sheet) -> None:
    # Read-only mode trusts the sheet's <dimension> tag, which case-system exports often leave
    # stale (Excel and LibreOffice ignore it): forget it so that every row in the sheet is read.
    sheet.reset_dimensions()


def _names(titles: list[str]) -> str:
    quoted = [f'"{title}"' for title in titles]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


def _package_problem(data: bytes) -> str:
    """Why the workbook must not be opened, or "": a zip bomb, judged from the zip directory
    before anything is decompressed, then what every Office upload refuses (macros, external
    links, embedded objects, a DOCTYPE or a damaged part), in the same words."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            problem = archive_problem(archive.infolist(), max_bytes=limits.MAX_UNCOMPRESSED_BYTES)
            if problem:
                return (
                    f"The workbook is too large once opened ({problem}); remove images and "
                    "other sheets, or save it as CSV"
                )
            problem = office_problem(archive)
    except zipfile.BadZipFile:
        return "The file is not an Excel workbook we can read"
    return f"The file cannot be accepted: {problem}" if problem else ""


_ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row(?=[\s/>])([^>]*)>")
_ROW_NUMBER = re.compile(rb"""\br\s*=\s*["'](\d+)["']""")


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


# The separators a CSV file may use: commas (UK Excel), semicolons (European Excel, where the
# comma is the decimal mark) and tabs (Excel's "Unicode Text").
SEPARATORS = {",": "commas", ";": "semicolons", "\t": "tabs"}


def _read_csv(data: bytes, result: ImportResult):
    result.source = "the CSV file"
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            text = data.decode("utf-16")  # Excel's "Unicode Text", with its byte order mark
        else:
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
    separator = _separator(text)
    result.separator = SEPARATORS[separator]
    return csv.reader(io.StringIO(text, newline=""), delimiter=separator)


def _separator(text: str) -> str:
    """The separator that makes the file's first rows hold the template's headings (the one
    giving the most headings if several do); failing that, the one csv.Sniffer picks among the
    three; failing that, a comma."""
    best, most = None, 0
    for separator in SEPARATORS:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
        try:
            top = list(itertools.islice(reader, HEADING_ROWS))
        except csv.Error:
            continue
        found = heading_row(top)
        if found is not None and len(recognised(top[found])) > most:
            best, most = separator, len(recognised(top[found]))
    if best:
        return best
    sample = "\n".join(text.splitlines()[:HEADING_ROWS])
    try:
        return csv.Sniffer().sniff(sample, delimiters="".join(SEPARATORS)).delimiter
    except csv.Error:
        return ","
