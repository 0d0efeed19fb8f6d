"""The action-plan reports: a review's action-plan progress report and the
partnership-wide report for the Executive Partnership, as PDF (lcspr.core.pdf) and XLSX. Both
say what was recommended, what was done and the evidence of impact, with totals by status and
RAG, for the partnership's yearly report.

Each report is a plain context dict built by a function of its own, then rendered. An Executive
report of more than SYNC_REPORT_LIMIT actions is rendered by a worker (actions.jobs), as the
merged chronology PDF is: the benchmark measured WeasyPrint at tens of milliseconds per action
(docs/performance.md), minutes for a partnership's whole plan.
"""

import datetime
import io
import math

from django.http import QueryDict
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from actions.models import RAG_MEANING, Action, ActionSettings, Source
from actions.selectors import (
    filtered_actions,
    report_actions,
    report_breakdown,
    report_totals,
    stale_cutoff,
)
from lcspr.core.jobs.models import Job
from lcspr.core.jobs.services import job_start
from lcspr.core.pdf import render_pdf, render_pdf_in_bounded_memory
from lcspr.core.text import neutralise
from reviews.learning.models import ReportRecommendation

SOURCE_HEADINGS = {
    Source.IMMEDIATE: "Immediate actions from the rapid review",
    Source.DURING_REVIEW: "Actions identified during the review",
    Source.PARTNERSHIP: "Partnership-wide actions",
}


def _group(actions, recommendations=()) -> list[dict]:
    """A review's actions under the recommendation they answer (each recommendation listed even
    with no action yet), then those from other sources."""
    by_recommendation = {r.pk: {"recommendation": r, "actions": []} for r in recommendations}
    by_source = {}
    for action in actions:
        if action.recommendation_id:
            group = by_recommendation.setdefault(
                action.recommendation_id,
                {"recommendation": action.recommendation, "actions": []},
            )
        else:
            group = by_source.setdefault(
                action.source, {"heading": SOURCE_HEADINGS.get(action.source, ""), "actions": []}
            )
        group["actions"].append(action)
    groups = sorted(by_recommendation.values(), key=lambda g: g["recommendation"].number)
    return groups + [by_source[s] for s in SOURCE_HEADINGS if s in by_source]


def review_report_context(review, *, today: datetime.date | None = None) -> dict:
    """Everything the review's progress report shows, in a fixed number of queries."""
    today = today or timezone.localdate()
    actions = Action.objects.filter(review=review)
    rows = list(report_actions(actions))
    recommendations = ReportRecommendation.objects.filter(review=review).order_by("number")
    return {
        "kind": "review",
        "heading": f"Action plan progress report: {review.reference} ({review.pseudonym})",
        "review": review,
        "today": today,
        "filters": [],
        "reviews": [{"review": review, "groups": _group(rows, recommendations)}],
        "actions": rows,
        "totals": report_totals(actions, today),
        "rag_meanings": _rag_meanings(),
    }


def executive_report_context(user, filters: dict, *, filter_labels=(), today=None) -> dict:
    """The partnership-wide report over the actions `user` sees that match the dashboard's
    filters, grouped by review and recommendation."""
    today = today or timezone.localdate()
    cutoff = stale_cutoff(today, ActionSettings.load().stale_update_weeks)
    actions = filtered_actions(user, filters, today=today, cutoff=cutoff)
    rows = list(report_actions(actions))
    reviews, current = [], None
    for action in rows:
        if current is None or current["review"].pk != action.review_id:
            current = {"review": action.review, "actions": []}
            reviews.append(current)
        current["actions"].append(action)
    for entry in reviews:
        entry["groups"] = _group(entry.pop("actions"))
    return {
        "kind": "executive",
        "heading": "Action plans: report to the Executive Partnership",
        "review": None,
        "today": today,
        "filters": list(filter_labels),
        "reviews": reviews,
        "actions": rows,
        "totals": report_totals(actions, today),
        "rag_meanings": _rag_meanings(),
    }


# Up to this many actions the Executive report PDF is rendered in the request (a few seconds);
# a larger one by a worker, with a progress page.
SYNC_REPORT_LIMIT = 100


def executive_report_size(user, filters: dict, *, today=None) -> int:
    """How many actions the Executive report over these filters would list (one COUNT)."""
    today = today or timezone.localdate()
    cutoff = stale_cutoff(today, ActionSettings.load().stale_update_weeks)
    return filtered_actions(user, filters, today=today, cutoff=cutoff).count()


def _filters_for_query(user, query: str) -> tuple[dict, list]:
    """The selector's filters and their description from a URL query string (what a job
    stores), read by the dashboard's own filter form."""
    from actions.forms.dashboard import DashboardFilterForm
    from actions.permissions import actions_for_user

    data = QueryDict(query)
    form = DashboardFilterForm(
        data if DashboardFilterForm.is_filtered(data) else None,
        stale_weeks=ActionSettings.load().stale_update_weeks,
        actions=actions_for_user(user),
    )
    return form.selector_filters(), form.describe()


def executive_report_for_query(user, query: str) -> dict:
    """The Executive report's context for the dashboard filters of a URL query string."""
    filters, labels = _filters_for_query(user, query)
    return executive_report_context(user, filters, filter_labels=labels)


# The two forms of the Executive report a worker prepares. A report of more than
# SUMMARY_OFFERED_ABOVE actions is offered in both: the full one runs to hundreds of pages.
FULL, SUMMARY = "full", "summary"
REPORT_FORMS = {FULL: "The full report", SUMMARY: "A summary"}
SUMMARY_OFFERED_ABOVE = 1000
# Actions laid out at a time in the full report's PDF (a part; whole reviews only, so a part
# can run over for a review with many actions): the layout of one part is all that is ever
# held in memory (lcspr.core.pdf.render_pdf_in_bounded_memory).
PART_SIZE = 250


def _review_parts(actions, part_size: int):
    """The report's reviews (as executive_report_context groups them) a part at a time: at
    least `part_size` actions a part unless it is the last, a review never split."""
    part, current, count = [], None, 0
    for action in actions:
        if current is None or current["review"].pk != action.review_id:
            if count >= part_size:
                yield _grouped(part)
                part, count = [], 0
            current = {"review": action.review, "actions": []}
            part.append(current)
        current["actions"].append(action)
        count += 1
    if part:
        yield _grouped(part)


def _grouped(reviews: list[dict]) -> list[dict]:
    for entry in reviews:
        entry["groups"] = _group(entry.pop("actions"))
    return reviews


def executive_report_pdf(user, query: str, *, form: str = FULL, progress=None) -> bytes:
    """The Executive report PDF over the dashboard filters in `query`, as a worker makes it:
    the summary (totals, and figures by review and by lead agency) or the full report, laid out
    a part at a time so that its memory stays flat and its time grows with its length.
    `progress(done, total)` follows the parts."""
    report = progress or (lambda done, total: None)
    filters, labels = _filters_for_query(user, query)
    today = timezone.localdate()
    cutoff = stale_cutoff(today, ActionSettings.load().stale_update_weeks)
    actions = filtered_actions(user, filters, today=today, cutoff=cutoff)
    context = {
        "kind": "executive",
        "form": form,
        "heading": "Action plans: report to the Executive Partnership",
        "review": None,
        "today": today,
        "filters": list(labels),
        "totals": report_totals(actions, today),
        "rag_meanings": _rag_meanings(),
    }
    if form == SUMMARY:
        context["heading"] += " (summary)"
        context["by_agency"], context["by_review"] = report_breakdown(actions, today)
        report(1, 2)
        pdf = render_pdf(
            "pdf/action_executive_summary.html", context, title=context["heading"], landscape=True
        )
        report(2, 2)
        return pdf
    steps = math.ceil(context["totals"]["total"] / PART_SIZE) + 1
    report(0, steps)
    return render_pdf_in_bounded_memory(
        "pdf/action_executive_report.html",
        context,
        rows_key="reviews",
        chunks=_review_parts(report_actions(actions).iterator(chunk_size=PART_SIZE), PART_SIZE),
        title=context["heading"],
        landscape=True,
        progress=lambda done: report(min(done, steps - 1), steps),
    )


def executive_report_request(*, by, query: str, form: str = FULL) -> Job:
    """Ask a worker for the Executive report PDF over the dashboard filters in `query`, in
    full or as a summary."""
    from actions.jobs import EXECUTIVE_REPORT

    if form not in REPORT_FORMS:
        raise ValueError(f"No such form of the report: {form!r}")
    return job_start(kind=EXECUTIVE_REPORT, by=by, parameters={"query": query[:1000], "form": form})


def _rag_meanings():
    return [(rag.label, meaning) for rag, meaning in RAG_MEANING.items()]


def to_pdf(context: dict) -> bytes:
    template = (
        "pdf/action_review_report.html"
        if context["kind"] == "review"
        else "pdf/action_executive_report.html"
    )
    return render_pdf(template, context, title=context["heading"], landscape=True)


# The Actions sheet: heading, column width, the value of an action.
ACTION_COLUMNS = (
    ("Review", 16, lambda a: a.review.reference),
    ("Pseudonym", 14, lambda a: a.review.pseudonym),
    ("Action", 12, lambda a: a.reference),
    ("Recommendation number", 14, lambda a: a.recommendation.number if a.recommendation else ""),
    ("Recommendation", 50, lambda a: a.recommendation.text if a.recommendation else ""),
    ("Source", 24, lambda a: a.get_source_display()),
    ("What will be done", 60, lambda a: a.text),
    ("Lead agency", 28, lambda a: a.lead_agency.name),
    ("Named owner", 22, lambda a: a.owner.full_name if a.owner else ""),
    ("Due date", 12, lambda a: a.due_date),
    ("Status", 16, lambda a: a.get_status_display()),
    ("RAG rating", 10, lambda a: a.get_rag_display() if a.rag else "Not rated"),
    ("What the rating means", 20, lambda a: a.rag_meaning),
    ("Latest update on", 14, lambda a: _date(a.latest_update_at)),
    ("Latest update", 60, lambda a: a.latest_update_text or ""),
    ("Evidence of completion", 50, lambda a: a.completion_evidence),
    ("Evidence of impact", 60, lambda a: a.impact_evidence),
    ("How the impact was assured", 24, lambda a: a.get_assurance_method_display()),
    ("Assurance detail", 40, lambda a: a.assurance_detail),
    ("Closed on", 12, lambda a: _date(a.closed_at)),
    ("Handed to", 30, lambda a: a.handed_to),
    ("Learning themes", 40, lambda a: ", ".join(t.name for t in a.themes.all())),
)


def _date(moment):
    return timezone.localtime(moment).date() if moment else ""


def _write(sheet, row: int, column: int, value, *, bold=False):
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, datetime.date):
        cell.value = value
        cell.number_format = "DD/MM/YYYY"
    elif isinstance(value, int):
        cell.value = value
    else:
        # The value first and the type after: openpyxl would otherwise read "=..." as a formula.
        cell.value = neutralise(value)
        cell.data_type = "s"
    if bold:
        cell.font = Font(bold=True)
    return cell


def _summary_sheet(sheet, context):
    sheet.title = "Summary"
    rows = [
        ("Report", context["heading"]),
        ("Produced on", context["today"]),
        *[(label, value) for label, value in context["filters"]],
        ("Actions", context["totals"]["total"]),
        ("Overdue", context["totals"]["overdue"]),
        (
            f"Without an update for {context['totals']['stale_weeks']} weeks",
            context["totals"]["stale"],
        ),
        (None, None),
        ("Status", "Actions"),
        *[(f.label, f.count) for f in context["totals"]["by_status"]],
        (None, None),
        ("RAG rating", "Actions", "What it means"),
        *[(f.label, f.count, f.meaning) for f in context["totals"]["by_rag"]],
    ]
    _write(sheet, 1, 1, "Item", bold=True)
    _write(sheet, 1, 2, "Value", bold=True)
    for number, row in enumerate(rows, start=2):
        bold = row[0] in ("Status", "RAG rating")
        for column, value in enumerate(row, start=1):
            if value is not None:
                _write(sheet, number, column, value, bold=bold)
    sheet.freeze_panes = "A2"
    for letter, width in zip("ABC", (40, 70, 24), strict=True):
        sheet.column_dimensions[letter].width = width


def to_xlsx(context: dict) -> bytes:
    """A workbook with a Summary sheet (totals by status and RAG) and an Actions sheet (one row
    per action, header frozen, filterable)."""
    workbook = Workbook()
    _summary_sheet(workbook.active, context)
    sheet = workbook.create_sheet("Actions")
    for column, (heading, width, _value) in enumerate(ACTION_COLUMNS, start=1):
        _write(sheet, 1, column, heading, bold=True)
        sheet.column_dimensions[get_column_letter(column)].width = width
    wrap = Alignment(wrap_text=True, vertical="top")
    for number, action in enumerate(context["actions"], start=2):
        for column, (_heading, _width, value) in enumerate(ACTION_COLUMNS, start=1):
            _write(sheet, number, column, value(action)).alignment = wrap
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = (
        f"A1:{get_column_letter(len(ACTION_COLUMNS))}{max(len(context['actions']) + 1, 1)}"
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
