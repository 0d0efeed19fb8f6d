"""An agency's chronology: the manager asks the agencies in scope; the agency's representatives
add entries, name the authors, declare and submit; the manager or panel chair accepts or
returns it; the panel reads each submitted version. Another agency's request is a 404."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Max
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from chronologies import services
from chronologies.forms import agency as forms
from chronologies.models import DateCertainty, RequestStatus, YesNoUnknown
from chronologies.permissions import can_request, get_request_for, get_review_for_chronology
from chronologies.permissions import requests_for_user as visible_requests
from lcspr.access_log.services import log_access
from lcspr.core.exceptions import WorkflowError
from lcspr.core.forms import apply_workflow_error
from lcspr.core.steps import posted
from lcspr.core.text import in_sentence
from lcspr.core.versions import version_of
from lcspr.core.working_days import calendar


def _with_countdowns(requests):
    """Attach the working days left before each open request's due date (None once accepted)."""
    today, cal = timezone.localdate(), calendar()
    for r in requests:
        accepted = r.status == RequestStatus.ACCEPTED
        r.countdown = None if accepted else cal.count_between(today, r.due_date)
    return requests


def _locked(chronology) -> str:
    """Why the chronology cannot change now, or "" while it can."""
    if chronology.is_editable:
        return ""
    status = in_sentence(chronology.get_status_display())
    return f"The chronology is {status}: it cannot change now." + (
        " It can change again if it is returned to the agency."
        if chronology.status == RequestStatus.SUBMITTED
        else ""
    )


# --- the manager's page of a review -------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def review_requests(request, pk):
    review = get_review_for_chronology(request.user, pk, "request_chronologies")
    form = forms.RequestChronologiesForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            created = services.requests_create_from_terms(
                review=review, by=request.user, due_date=form.cleaned_data["due_date"]
            )
        except WorkflowError as e:
            apply_workflow_error(form, e)
        else:
            messages.success(
                request, f"{len(created)} agencies have been asked for their chronologies."
            )
            return redirect("chronologies:review_requests", pk=review.pk)
    chronologies = _with_countdowns(
        list(
            review.chronologies.select_related("agency").annotate(
                entry_count=Count("entries", distinct=True),
                latest_version=Max("submissions__version"),
            )
        )
    )
    log_access(request, what="Viewed the chronology requests", obj=review, review_id=review.pk)
    return render(
        request,
        "chronologies/review_requests.html",
        {"review": review, "chronologies": chronologies, "form": form},
    )


# --- the agency's pages -------------------------------------------------------------------------


@login_required
@require_GET
def my_requests(request):
    chronologies = visible_requests(request.user).select_related("review", "agency")
    if request.user.agency_id:
        # An agency's own requests first, then those of reviews the user is on the panel of.
        chronologies = sorted(
            chronologies,
            key=lambda r: (r.agency_id != request.user.agency_id, r.due_date, r.pk),
        )
    else:
        chronologies = list(chronologies.order_by("due_date", "pk"))
    return render(
        request,
        "chronologies/request_list.html",
        {"chronologies": _with_countdowns(chronologies)},
    )


@login_required
@require_GET
def request_detail(request, pk):
    chronology = get_request_for(request.user, pk, "view")
    user = request.user
    may_draft = can_request(user, "view_draft", chronology)
    may_edit = can_request(user, "edit", chronology)
    submissions = list(chronology.submissions.select_related("submitted_by", "outcome_by"))
    returned = next(
        (s for s in submissions if s.outcome == "returned"),
        None,
    )
    log_access(request, what="Viewed a chronology", obj=chronology, review_id=chronology.review_id)
    return render(
        request,
        "chronologies/request_detail.html",
        {
            "review": chronology.review,
            "chronology": chronology,
            "entries": list(chronology.entries.all()) if may_draft else None,
            "authors": list(chronology.authors.all()),
            "submissions": submissions,
            "returned": returned if chronology.status == RequestStatus.RETURNED else None,
            "may_edit": may_edit and chronology.is_editable,
            "may_decide": can_request(user, "decide", chronology)
            and chronology.status == RequestStatus.SUBMITTED,
            "countdown": _with_countdowns([chronology])[0].countdown,
        },
    )


def _entry_page(request, chronology, entry):
    if entry is None:
        form = forms.EntryForm(posted(request), kloes=chronology.kloes)
    else:
        initial = {**forms.EntryForm.initial_for(entry), "version": version_of(entry)}
        form = forms.EntryEditForm(posted(request), kloes=chronology.kloes, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.entry_save(
                request=chronology, by=request.user, entry=entry, **form.cleaned_data
            )
        except WorkflowError as e:
            apply_workflow_error(form, e)
        else:
            verb = "changed" if entry else "added"
            messages.success(request, f"Entry {saved.sequence} has been {verb}.")
            return redirect("chronologies:request", pk=chronology.pk)
    return render(
        request,
        "chronologies/entry_form.html",
        {
            "review": chronology.review,
            "chronology": chronology,
            "entry": entry,
            "form": form,
            "locked": _locked(chronology),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def entry_add(request, pk):
    chronology = get_request_for(request.user, pk, "edit")
    return _entry_page(request, chronology, None)


@login_required
@require_http_methods(["GET", "POST"])
def entry_edit(request, pk, entry_pk):
    chronology = get_request_for(request.user, pk, "edit")
    entry = get_object_or_404(chronology.entries, pk=entry_pk)
    return _entry_page(request, chronology, entry)


@login_required
@require_http_methods(["GET", "POST"])
def entry_delete(request, pk, entry_pk):
    chronology = get_request_for(request.user, pk, "edit")
    entry = get_object_or_404(chronology.entries, pk=entry_pk)
    form = forms.Form(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.entry_delete(entry=entry, by=request.user)
        except WorkflowError as e:
            apply_workflow_error(form, e)
        else:
            messages.success(request, f"Entry {entry.sequence} has been deleted.")
            return redirect("chronologies:request", pk=chronology.pk)
    return render(
        request,
        "chronologies/entry_delete.html",
        {
            "review": chronology.review,
            "chronology": chronology,
            "entry": entry,
            "form": form,
            "locked": _locked(chronology),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def authors(request, pk):
    chronology = get_request_for(request.user, pk, "edit")
    form = forms.AuthorsForm(
        posted(request),
        agency=chronology.agency,
        initial={"authors": list(chronology.authors.all())},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.authors_set(
                request=chronology, by=request.user, authors=list(form.cleaned_data["authors"])
            )
        except WorkflowError as e:
            apply_workflow_error(form, e)
        else:
            messages.success(request, "The chronology's authors have been saved.")
            return redirect("chronologies:request", pk=chronology.pk)
    return render(
        request,
        "chronologies/request_authors.html",
        {
            "review": chronology.review,
            "chronology": chronology,
            "form": form,
            "locked": _locked(chronology),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def submit(request, pk):
    chronology = get_request_for(request.user, pk, "edit")
    form = forms.SubmitForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            submission = services.submit(
                request=chronology,
                by=request.user,
                declaration_confirmed=form.cleaned_data["declaration"],
            )
        except WorkflowError as e:
            apply_workflow_error(form, e)
        else:
            messages.success(
                request, f"Version {submission.version} of the chronology has been submitted."
            )
            return redirect("chronologies:request", pk=chronology.pk)
    return render(
        request,
        "chronologies/request_submit.html",
        {
            "review": chronology.review,
            "chronology": chronology,
            "form": form,
            "entry_count": chronology.entries.count(),
            "authors": list(chronology.authors.all()),
            "declaration": services.DECLARATION,
            "locked": _locked(chronology),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def decide(request, pk):
    chronology = get_request_for(request.user, pk, "decide")
    form = forms.DecideForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["outcome"] == "accept":
                services.accept(request=chronology, by=request.user, comments=data["comments"])
            else:
                services.return_for_changes(
                    request=chronology, by=request.user, comments=data["comments"]
                )
        except WorkflowError as e:
            apply_workflow_error(form, e)
        else:
            done = "accepted" if data["outcome"] == "accept" else "returned to the agency"
            messages.success(request, f"The {chronology.agency} chronology has been {done}.")
            return redirect("chronologies:request", pk=chronology.pk)
    latest = chronology.submissions.select_related("submitted_by").first()
    return render(
        request,
        "chronologies/request_decide.html",
        {
            "review": chronology.review,
            "chronology": chronology,
            "form": form,
            "latest": latest,
            "not_submitted": chronology.status != RequestStatus.SUBMITTED,
        },
    )


def _snapshot_rows(entries: list[dict]) -> list[dict]:
    """The snapshot's entries with real dates and readable choices, for the template."""
    certainty, yes_no = dict(DateCertainty.choices), dict(YesNoUnknown.choices)
    rows = []
    for e in entries:
        row = dict(e)
        row["date"] = datetime.date.fromisoformat(e["date"]) if e.get("date") else None
        row["time"] = datetime.time.fromisoformat(e["time"]) if e.get("time") else None
        row["date_certainty"] = certainty.get(e.get("date_certainty"), "")
        row["child_seen"] = yes_no.get(e.get("child_seen"), "")
        row["seen_alone"] = yes_no.get(e.get("seen_alone"), "")
        rows.append(row)
    return rows


@login_required
@require_GET
def version(request, pk, version):
    chronology = get_request_for(request.user, pk, "view")
    submission = get_object_or_404(
        chronology.submissions.select_related("submitted_by", "outcome_by"), version=version
    )
    log_access(
        request,
        what=f"Viewed version {version} of a chronology",
        obj=chronology,
        review_id=chronology.review_id,
    )
    return render(
        request,
        "chronologies/request_version.html",
        {
            "review": chronology.review,
            "chronology": chronology,
            "submission": submission,
            "rows": _snapshot_rows(submission.entries),
        },
    )


urlpatterns = [
    path("reviews/<int:pk>/", review_requests, name="review_requests"),
    path("requests/", my_requests, name="my_requests"),
    path("requests/<int:pk>/", request_detail, name="request"),
    path("requests/<int:pk>/entries/add/", entry_add, name="entry_add"),
    path("requests/<int:pk>/entries/<int:entry_pk>/", entry_edit, name="entry_edit"),
    path("requests/<int:pk>/entries/<int:entry_pk>/delete/", entry_delete, name="entry_delete"),
    path("requests/<int:pk>/authors/", authors, name="authors"),
    path("requests/<int:pk>/submit/", submit, name="submit"),
    path("requests/<int:pk>/decide/", decide, name="decide"),
    path("requests/<int:pk>/versions/<int:version>/", version, name="version"),
]
