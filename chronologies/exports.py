"""The merged chronology as CSV and XLSX, each row with its source record reference, the
possible-duplicate flag and the days with no agency contact before it (the gaps), as
selectors.merged_entries works them out for the page and the PDF.

Formula injection is a CSV problem: a spreadsheet opening a CSV evaluates text starting with
= + - @ (or a tab or carriage return), so in CSV such text gets a leading quote. In XLSX every
text is written as a string cell, which no spreadsheet evaluates, so it is kept exactly as
written ("-5 degrees", "+44 ..."); dates and times are real date and time cells and numbers are
numbers, so a panel can sort and filter them."""

import csv
import datetime
import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from chronologies.jobs import MERGED_PDF
from lcspr.core.jobs.models import Job
from lcspr.core.jobs.services import job_start
from lcspr.core.text import neutralise

COLUMNS = (
    "Sequence",
    "Date",
    "Date certainty",
    "Time",
    "Agency",
    "Source record reference",
    "Practitioner role",
    "Event or contact type",
    "Child seen",
    "Child seen alone",
    "Description",
    "The child's voice or lived experience",
    "Action or decision taken",
    "Outcome",
    "The agency's analysis of significance",
    "Key lines of enquiry",
    "Learning themes",
    "Child's age",
    "Possible duplicate",
    "Days with no agency contact before this entry",
)
# Column widths in the XLSX (characters), in the order of COLUMNS.
WIDTHS = (10, 12, 14, 8, 28, 18, 20, 20, 10, 10, 60, 40, 40, 30, 40, 12, 24, 18, 12, 18)
DATE_FORMAT = "dd/mm/yyyy"
TIME_FORMAT = "hh:mm"
GAP_COLUMNS = ("Last contact before the gap", "Next contact", "Days with no agency contact")


def row_for(entry) -> list:
    """One entry's values in the order of COLUMNS, typed: the sequence and the gap are
    numbers (None when there is no gap), the date a date, the time a time (or None), the rest
    text."""
    return [
        entry.sequence,
        entry.date,
        entry.get_date_certainty_display(),
        entry.time,
        entry.request.agency.name,
        entry.source_reference,
        entry.practitioner_role,
        entry.event_type,
        entry.get_child_seen_display(),
        entry.get_seen_alone_display(),
        entry.description,
        entry.child_voice,
        entry.action_taken,
        entry.outcome,
        entry.significance,
        ", ".join(str(n) for n in entry.kloe_numbers or []),
        ", ".join(entry.themes or []),
        getattr(entry, "age", ""),
        "Yes" if getattr(entry, "possible_duplicate", False) else "",
        getattr(entry, "gap_before", None),
    ]


def _as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M")
    return str(value)


def to_csv(entries) -> bytes:
    """UTF-8 with a byte order mark, so that Excel reads accents and symbols right; text a
    spreadsheet would evaluate gets a leading quote."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for entry in entries:
        writer.writerow([neutralise(_as_text(value)) for value in row_for(entry)])
    return buffer.getvalue().encode("utf-8-sig")


def _write(sheet, row: int, column: int, value):
    """A typed cell: text always as a string cell (never a formula, never altered), dates and
    times with a UK number format."""
    cell = sheet.cell(row=row, column=column)
    if value is None or value == "":
        return cell
    if isinstance(value, str):
        # Setting the value lets openpyxl guess a formula from a leading "="; the type set
        # after it makes the cell a plain string again, written as text.
        cell.value = value
        cell.data_type = "s"
    else:
        cell.value = value
        if isinstance(value, datetime.date):
            cell.number_format = DATE_FORMAT
        elif isinstance(value, datetime.time):
            cell.number_format = TIME_FORMAT
    return cell


def to_xlsx(entries, *, gaps=(), title: str = "Merged chronology") -> bytes:
    """A workbook with the entries (heading frozen, filterable) and a sheet listing the gaps
    in contact."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    for column, (heading, width) in enumerate(zip(COLUMNS, WIDTHS, strict=True), start=1):
        _write(sheet, 1, column, heading).font = bold
        sheet.column_dimensions[get_column_letter(column)].width = width
    count = 0
    for count, entry in enumerate(entries, start=1):
        for column, value in enumerate(row_for(entry), start=1):
            _write(sheet, count + 1, column, value).alignment = wrap
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{count + 1}"

    gap_sheet = workbook.create_sheet("Gaps in contact")
    for column, heading in enumerate(GAP_COLUMNS, start=1):
        _write(gap_sheet, 1, column, heading).font = bold
        gap_sheet.column_dimensions[get_column_letter(column)].width = 28
    for row, (start, end, days) in enumerate(gaps, start=2):
        for column, value in enumerate((start, end, days), start=1):
            _write(gap_sheet, row, column, value)
    gap_sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def pdf_export_request(*, review, by, filters: dict) -> Job:
    """Ask a worker for the merged chronology as a PDF; the job records the filters as JSON."""
    stored = {
        "agency_ids": filters.get("agency_ids") or [],
        "date_from": filters["date_from"].isoformat() if filters.get("date_from") else "",
        "date_to": filters["date_to"].isoformat() if filters.get("date_to") else "",
        "kloe": filters.get("kloe") or "",
        "theme": filters.get("theme") or "",
    }
    return job_start(kind=MERGED_PDF, by=by, parameters=stored, about=review)
