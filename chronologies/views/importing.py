"""Importing a chronology from a spreadsheet: the XLSX template, the upload, and the
confirmation before a re-import replaces the draft. All or nothing: when any row is bad, the
page lists every problem and nothing is stored."""

import datetime
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_http_methods

from chronologies import importer, services
from chronologies.forms.importing import ImportConfirmForm, ImportUploadForm
from chronologies.permissions import get_request_for
from lcspr.core.exceptions import WorkflowError
from lcspr.core.forms import apply_workflow_error
from lcspr.core.text import in_sentence

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ERRORS_SHOWN = 200
# Parsed rows are kept between the upload and the confirmation only when small; a larger
# file is chosen again on the confirmation page rather than bloating the session table.
MAX_SESSION_BYTES = 2 * 1024 * 1024


def _session_key(chronology) -> str:
    return f"chronology_import_{chronology.pk}"


def _blocked(chronology) -> str:
    if chronology.is_editable:
        return ""
    status = in_sentence(chronology.get_status_display())
    return f"The chronology is {status}: it cannot be imported into now."


def _kloe_numbers(chronology) -> set[int]:
    return {int(number) for number, _text in chronology.kloes}


def _keep(request, chronology, rows, name, summary) -> bool:
    """Keep the parsed rows in the session until the user confirms; False when too large."""
    serialised = [
        {
            k: v.isoformat() if isinstance(v, datetime.date | datetime.time) else v
            for k, v in r.items()
        }
        for r in rows
    ]
    if len(json.dumps(serialised, separators=(",", ":"))) > MAX_SESSION_BYTES:
        request.session.pop(_session_key(chronology), None)
        return False
    request.session[_session_key(chronology)] = {
        "name": name,
        "rows": serialised,
        "summary": summary,
    }
    return True


def _kept_rows(pending) -> list[dict]:
    rows = []
    for row in pending["rows"]:
        row = dict(row)
        row["date"] = datetime.date.fromisoformat(row["date"])
        if row.get("time"):
            row["time"] = datetime.time.fromisoformat(row["time"])
        rows.append(row)
    return rows


def _replace(request, chronology, form, rows, name, warnings, summary):
    """Store the rows; the redirect on success, None (with the refusal on the form) if not.
    The message says what was read from the file, so the person can check it against the
    rows they see in it."""
    try:
        count = services.entries_replace(request=chronology, by=request.user, rows=rows)
    except WorkflowError as e:
        apply_workflow_error(form, e)
        return None
    request.session.pop(_session_key(chronology), None)
    entries = "entry" if count == 1 else "entries"
    message = f"Imported {count:,} {entries} from {name}: {summary}."
    if warnings:
        message += " " + " ".join(warnings)
    messages.success(request, message)
    return redirect("chronologies:request", pk=chronology.pk)


def _problems(result) -> dict:
    return {
        "problems": result.errors[:ERRORS_SHOWN],
        "problem_count": len(result.errors),
        "more_problems": max(0, len(result.errors) - ERRORS_SHOWN),
    }


@login_required
@require_GET
def template_download(request):
    response = HttpResponse(importer.build_template(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="chronology-template.xlsx"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def import_entries(request, pk):
    chronology = get_request_for(request.user, pk, "edit")
    if request.method == "POST" and request.POST.get("confirm"):
        return _confirm(request, chronology)
    context = {"chronology": chronology, "review": chronology.review}
    context["blocked"] = blocked = _blocked(chronology)
    form = ImportUploadForm(*((request.POST, request.FILES) if request.method == "POST" else ()))
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if blocked:
            form.add_error(None, blocked)
            return render(request, "chronologies/import_form.html", {**context, "form": form})
        result = importer.parse(upload, kloe_numbers=_kloe_numbers(chronology))
        if result.errors:
            form.add_error("file", f"Correct the problems in {upload.name} and upload it again")
            context.update(_problems(result))
        elif (existing := chronology.entries.count()) == 0:
            done = _replace(
                request,
                chronology,
                form,
                result.rows,
                upload.name,
                result.warnings,
                result.read_summary,
            )
            if done:
                return done
        else:
            kept = _keep(request, chronology, result.rows, upload.name, result.read_summary)
            context.update(
                form=ImportConfirmForm(),
                existing=existing,
                incoming=len(result.rows),
                name=upload.name,
                summary=result.read_summary,
                kept=kept,
                warnings=result.warnings,
            )
            return render(request, "chronologies/import_confirm.html", context)
    context["form"] = form
    return render(request, "chronologies/import_form.html", context)


def _confirm(request, chronology):
    """The second step of a re-import: replace the draft with the rows kept (or the file
    chosen again)."""
    context = {"chronology": chronology, "review": chronology.review}
    pending = request.session.get(_session_key(chronology))
    form = ImportConfirmForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        if upload:
            result = importer.parse(upload, kloe_numbers=_kloe_numbers(chronology))
            if result.errors:
                # Bound to the file, so the page shows it as the one with problems.
                upload_form = ImportUploadForm({}, {"file": upload})
                upload_form.is_valid()
                upload_form.add_error(
                    "file", f"Correct the problems in {upload.name} and upload it again"
                )
                context.update(_problems(result), form=upload_form, blocked="")
                return render(request, "chronologies/import_form.html", context)
            rows, name, warnings = result.rows, upload.name, result.warnings
            summary = result.read_summary
        elif pending:
            rows, name, warnings = _kept_rows(pending), pending["name"], []
            summary = pending["summary"]
        else:
            form.add_error("file", "Choose the file again: the imported rows were not kept")
            rows = None
        if rows is not None:
            done = _replace(request, chronology, form, rows, name, warnings, summary)
            if done:
                return done
    context.update(
        form=form,
        existing=chronology.entries.count(),
        incoming=len(pending["rows"]) if pending else None,
        name=pending["name"] if pending else "",
        summary=pending["summary"] if pending else "",
        kept=bool(pending),
    )
    return render(request, "chronologies/import_confirm.html", context)


urlpatterns = [
    path("template.xlsx", template_download, name="template"),
    path("requests/<int:pk>/import/", import_entries, name="import"),
]
