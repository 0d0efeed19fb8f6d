"""The merged chronology as CSV and XLSX. Text that a spreadsheet would read as a formula
(starting = + - @, a tab or a carriage return) is prefixed with a single quote and, in XLSX,
stored as a string, so an export never carries a live formula (CSV injection)."""

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Font

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
    "Practitioner role",
    "Event or contact type",
    "Child seen",
    "Child seen alone",
    "Description",
    "The child's voice or lived experience",
    "Action or decision taken",
    "Outcome",
    "Significance",
    "Key lines of enquiry",
    "Learning themes",
    "Child's age",
    "Possible duplicate",
)


def row_for(entry) -> list[str]:
    return [
        str(entry.sequence),
        entry.date.strftime("%d/%m/%Y"),
        entry.get_date_certainty_display(),
        entry.time.strftime("%H:%M") if entry.time else "",
        entry.request.agency.name,
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
    ]


def to_csv(entries) -> bytes:
    """UTF-8 with a byte order mark, so that Excel reads accents and symbols right."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for entry in entries:
        writer.writerow([neutralise(value) for value in row_for(entry)])
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(entries, *, title: str = "Merged chronology") -> bytes:
    workbook = Workbook(write_only=False)
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append(COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for row_number, entry in enumerate(entries, start=2):
        for column, value in enumerate(row_for(entry), start=1):
            cell = sheet.cell(row=row_number, column=column)
            # Assigning the value first and the type after stops openpyxl guessing a formula.
            cell.value = neutralise(value)
            cell.data_type = "s"
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
