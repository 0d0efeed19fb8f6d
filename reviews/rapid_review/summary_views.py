"""Agency summaries as the agencies see them: the requests addressed to their agency, and
submitting one."""

import os

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from lcspr.access_log.services import log_access
from lcspr.core.exceptions import WorkflowError
from lcspr.core.forms import apply_workflow_error
from lcspr.core.permissions import can
from lcspr.core.uploads import document_content_type
from lcspr.core.working_days import calendar
from reviews.clocks import deadlines
from reviews.models import Stage
from reviews.permissions import (
    get_summary_request_for,
    may_list_summaries,
    summary_requests_for_user,
)
from reviews.rapid_review import services
from reviews.rapid_review.forms import SummarySubmitForm


@login_required
@require_GET
def summary_list(request):
    if not may_list_summaries(request.user):
        raise PermissionDenied
    summary_requests = list(
        summary_requests_for_user(request.user)
        .select_related("review", "agency")
        .order_by(F("received_on").asc(nulls_first=True), "due_date", "pk")
    )
    today, cal = timezone.localdate(), calendar()
    for summary_request in summary_requests:
        summary_request.countdown = deadlines.countdown(summary_request.due_date, today, cal)
    context = {"summary_requests": summary_requests, "today": today}
    return render(request, "reviews/rapid_review/agency_summary_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def summary_detail(request, pk):
    action = "submit" if request.method == "POST" else "view"
    summary_request = get_summary_request_for(request.user, pk, action)
    form = SummarySubmitForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.agency_summary_submit(
                request=summary_request,
                by=request.user,
                summary=form.cleaned_data["summary"],
                file=form.cleaned_data["file"],
            )
        except WorkflowError as e:
            apply_workflow_error(form, e)
        else:
            messages.success(request, f"The summary from {summary_request.agency} was received.")
            return redirect("reviews:summary_detail", pk=summary_request.pk)
    log_access(
        request,
        what="Viewed an agency summary request",
        obj=summary_request,
        review_id=summary_request.review_id,
    )
    may_submit = can(request.user, "submit", summary_request)
    context = {
        "summary_request": summary_request,
        "review": summary_request.review,
        "form": form,
        "may_submit": may_submit,
        "open": summary_request.review.stage == Stage.RAPID_REVIEW,
    }
    return render(request, "reviews/rapid_review/agency_summary_detail.html", context)


@login_required
@require_GET
def summary_file(request, pk):
    summary_request = get_summary_request_for(request.user, pk, "view")
    if not summary_request.file:
        raise Http404
    try:
        file = summary_request.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    log_access(
        request,
        what="Downloaded an agency summary file",
        obj=summary_request,
        review_id=summary_request.review_id,
    )
    name = summary_request.file_name or os.path.basename(summary_request.file.name)
    response = FileResponse(
        file, as_attachment=True, filename=name, content_type=document_content_type(name)
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


urlpatterns = [
    path("agency-summaries/", summary_list, name="summary_list"),
    path("agency-summaries/<int:pk>/", summary_detail, name="summary_detail"),
    path("agency-summaries/<int:pk>/file/", summary_file, name="summary_file"),
]
