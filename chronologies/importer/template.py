"""The XLSX template agencies fill in."""

import io

import openpyxl
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from chronologies.importer import limits
from chronologies.importer.columns import (
    COLUMNS,
    DATA_SHEET,
    DATE_FORMATS_HELP,
    HEADING_ROWS,
    TIME_FORMATS_HELP,
)
from chronologies.models import DateCertainty, YesNoUnknown
from reviews.learning.themes import theme_names


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
    last = limits.MAX_ROWS + 1
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
        (
            "One row per event",
            "Blank rows are skipped. The headings may be below a title, in any of the first "
            f"{HEADING_ROWS} rows; the rows above them are not read.",
        ),
        (
            "Limits",
            f"Up to {limits.MAX_ROWS:,} rows and {limits.MAX_BYTES // (1024 * 1024)} MB. "
            "Formulas and macros are not accepted: type values only.",
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
