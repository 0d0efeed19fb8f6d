"""The yearly report as PDF (lcspr.core.pdf) and XLSX, from the context its selector builds.
Reviews are named by reference and pseudonym only, as on the page."""

import datetime
import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from lcspr.core.pdf import render_pdf
from lcspr.core.text import neutralise

TITLE = "Yearly report on reviews"


def heading(context: dict) -> str:
    return f"{TITLE}: {context['period'].label}"


def to_pdf(context: dict) -> bytes:
    return render_pdf("pdf/yearly_report.html", context, title=heading(context), landscape=True)


def _write(sheet, row: int, column: int, value, *, bold=False):
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, datetime.date):
        cell.value = value
        cell.number_format = "DD/MM/YYYY"
    elif isinstance(value, int):
        cell.value = value
    elif value is None:
        cell.value = None
    else:
        # The value first and the type after: openpyxl would otherwise read "=..." as a formula.
        cell.value = neutralise(str(value))
        cell.data_type = "s"
    if bold:
        cell.font = Font(bold=True)
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    return cell


def _sheet(workbook, title: str, headings, rows, widths, *, first=False):
    sheet = workbook.active if first else workbook.create_sheet()
    sheet.title = title
    for column, text in enumerate(headings, start=1):
        _write(sheet, 1, column, text, bold=True)
        sheet.column_dimensions[get_column_letter(column)].width = widths[column - 1]
    for number, row in enumerate(rows, start=2):
        for column, value in enumerate(row, start=1):
            _write(sheet, number, column, value)
    sheet.freeze_panes = "A2"
    return sheet


def _summary_rows(context):
    period, figures = context["period"], context["figures"]
    return [
        ("Report", heading(context)),
        ("From", period.start),
        ("To", period.end),
        ("Produced on", context["today"]),
        ("Serious incidents notified to the National Panel", figures["notified"]),
        ("Rapid reviews sent to the National Panel", figures["rapid_reviews"]),
        ("Decisions", figures["decisions"]),
        ("LCSPRs started", figures["lcsprs_started"]),
        ("LCSPRs completed (final report signed off)", figures["lcsprs_completed"]),
        ("Reports published", figures["published"]),
    ]


def to_xlsx(context: dict) -> bytes:
    """A workbook: Summary, Decisions, Timeliness, Late steps, Learning themes and, when
    actions/ adds them, Actions and Actions closed."""
    workbook = Workbook()
    _sheet(workbook, "Summary", ("Item", "Value"), _summary_rows(context), (50, 40), first=True)
    _sheet(
        workbook,
        "Decisions",
        ("Outcome", "Decisions"),
        [(label, count) for _key, label, count in context["decisions"]],
        (50, 12),
    )
    _sheet(
        workbook,
        "Timeliness",
        ("Statutory step", "On time", "Late", "Not met and overdue", "Not yet due", "Total"),
        [(s.label, s.on_time, s.late, s.overdue, s.open, s.total) for s in context["timeliness"]],
        (60, 10, 10, 20, 14, 10),
    )
    _sheet(
        workbook,
        "Late steps",
        (
            "Review",
            "Pseudonym",
            "Statutory step",
            "Due",
            "Met on",
            "Working days late",
            "Reasons recorded",
        ),
        [
            (
                late.review.reference,
                late.review.pseudonym,
                late.label,
                late.due_date,
                late.met_on or "Not met",
                late.working_days_late,
                "\n".join(late.reasons) or "None recorded",
            )
            for late in context["late"]
        ],
        (18, 14, 50, 12, 12, 12, 70),
    )
    _sheet(
        workbook,
        "Learning themes",
        ("Learning theme", "Reviews (primary theme)", "Reviews (other theme)"),
        context["themes"],
        (50, 16, 16),
    )
    for part in context["actions"]:
        _sheet(
            workbook,
            "Actions",
            ("Status today", "Actions"),
            [
                *[(label, count) for _key, label, count in part.by_status],
                ("All actions open at some point in the 12 months", part.total),
                ("Of which with evidence of impact", part.with_impact),
            ],
            (50, 12),
        )
        _sheet(
            workbook,
            "Actions closed",
            (
                "Action",
                "Review",
                "Pseudonym",
                "What was done",
                "Lead agency",
                "Closed on",
                "Evidence of impact",
                "How the impact was assured",
            ),
            [
                (
                    row["reference"],
                    row["review"].reference,
                    row["review"].pseudonym,
                    row["text"],
                    row["lead_agency"],
                    row["closed_on"],
                    row["impact_evidence"] or "None recorded",
                    row["assurance"],
                )
                for row in part.completed
            ],
            (16, 18, 14, 50, 28, 12, 60, 24),
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
