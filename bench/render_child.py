"""One document render of the benchmark, in a process of its own so that its peak memory is its
own: bench/run.py starts this with the benchmark's environment and reads one line of JSON, the
render's wall time and the process's peak resident memory (getrusage(RUSAGE_SELF).ru_maxrss at
the end, which covers Django, the data loaded and the render: the whole worker's cost).

    .venv/bin/python bench/render_child.py executive-full 2000
    .venv/bin/python bench/render_child.py executive-summary 0     # every action
    .venv/bin/python bench/render_child.py chronology 4000
    .venv/bin/python bench/render_child.py bare-table 4000

`chronology` renders the merged chronology PDF as its worker does (render_pdf_in_parts with the
real template) over the largest review's merged entries repeated to the number of rows asked;
`bare-table` renders the same rows' cell texts as one plain HTML table with WeasyPrint and no
stylesheet, the yardstick of issue 18's target (the merged PDF within 1.2x of it).
"""

import json
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lcspr.settings")

import django  # noqa: E402

django.setup()

from django.utils.html import escape  # noqa: E402

from lcspr.accounts.models import Role, User  # noqa: E402


def _subgroup():
    users = User.objects.filter(role_assignments__role=Role.SUBGROUP_MEMBER, is_active=True)
    return users.filter(email__startswith="scale.").order_by("pk").first() or users.first()


def _due_by_query(rows: int) -> tuple[str, int]:
    """A dashboard filter (due by a date) that selects about `rows` actions (0: all of them),
    and how many it selects."""
    from actions.models import Action

    if not rows:
        return "", Action.objects.count()
    due = Action.objects.order_by("due_date").values_list("due_date", flat=True)
    day = due[min(rows, due.count()) - 1]
    query = f"due_to_0={day.day}&due_to_1={day.month}&due_to_2={day.year}"
    return query, Action.objects.filter(due_date__lte=day).count()


def executive(rows: int, form: str) -> dict:
    from actions import reports

    query, count = _due_by_query(rows)
    pdf = reports.executive_report_pdf(_subgroup(), query, form=form)
    return {"rows": count, "bytes": len(pdf)}


def _merged_rows(rows: int):
    from django.db.models import Count, Q

    from chronologies import selectors
    from chronologies.models import RequestStatus
    from reviews.models import Review

    review = (
        Review.objects.annotate(
            n=Count("chronologies__entries", filter=Q(chronologies__status=RequestStatus.ACCEPTED))
        )
        .order_by("-n", "pk")
        .first()
    )
    merged = selectors.merged_entries(review)
    entries = merged.entries
    return review, merged, [entries[n % len(entries)] for n in range(rows)]


def chronology(rows: int) -> dict:
    from chronologies.jobs import PART_SIZE
    from lcspr.core.pdf import render_pdf_in_parts

    review, merged, entries = _merged_rows(rows)
    started = time.perf_counter()
    pdf = render_pdf_in_parts(
        "pdf/merged_chronology.html",
        {
            "review": review,
            "entries": entries,
            "total": len(entries),
            "duplicates": sum(1 for e in entries if e.possible_duplicate),
            "gaps": merged.gaps,
            "filters": {},
        },
        rows_key="entries",
        part_size=PART_SIZE,
        title=f"Merged chronology: {review.reference}",
        landscape=True,
    )
    return {"rows": rows, "bytes": len(pdf), "render_s": round(time.perf_counter() - started, 2)}


def bare_table(rows: int) -> dict:
    from weasyprint import HTML

    _review, _merged, entries = _merged_rows(rows)
    started = time.perf_counter()
    cells = (
        lambda e: e.date.isoformat(),
        lambda e: e.request.agency.name,
        lambda e: f"{e.practitioner_role} {e.event_type}",
        lambda e: e.description,
        lambda e: e.child_voice,
        lambda e: f"{e.action_taken} {e.outcome}",
        lambda e: e.significance,
        lambda e: e.get_child_seen_display(),
    )
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(cell(e))}</td>" for cell in cells) + "</tr>" for e in entries
    )
    html = (
        "<!doctype html><html><head><style>@page { size: A4 landscape }</style></head><body>"
        f"<table><tbody>{body}</tbody></table></body></html>"
    )
    pdf = HTML(string=html).write_pdf()
    return {"rows": rows, "bytes": len(pdf), "render_s": round(time.perf_counter() - started, 2)}


def main() -> None:
    kind, rows = sys.argv[1], int(sys.argv[2])
    started = time.perf_counter()
    if kind == "executive-full":
        result = executive(rows, "full")
    elif kind == "executive-summary":
        result = executive(rows, "summary")
    elif kind == "chronology":
        result = chronology(rows)
    elif kind == "bare-table":
        result = bare_table(rows)
    else:
        raise SystemExit(f"Unknown render: {kind}")
    result["seconds"] = round(time.perf_counter() - started, 2)
    result["peak_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
