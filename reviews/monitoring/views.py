"""The sub-group's time and quality monitoring of an LCSPR (SI 2018/789 reg. 14): the
checkpoint and completion clocks, the checkpoints held, and written requests to the author."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_http_methods

from lcspr.access_log.services import log_access
from lcspr.core.exceptions import WorkflowError
from lcspr.core.forms import apply_workflow_error
from lcspr.core.steps import posted
from lcspr.core.text import in_sentence
from reviews.models import Stage
from reviews.monitoring import selectors, services
from reviews.monitoring.forms import CheckpointForm, WrittenRequestForm, WrittenResponseForm
from reviews.permissions import get_review_for


def _why_locked(review) -> str:
    if review.stage == Stage.LCSPR:
        return ""
    return (
        "Checkpoints and written requests are recorded while an LCSPR is in progress. This "
        f"review is at the {in_sentence(review.get_stage_display())} stage."
    )


@login_required
@require_GET
def monitoring(request, pk):
    review = get_review_for(request.user, pk, "view_checkpoints")
    log_access(request, what="Time and quality monitoring", obj=review, review_id=review.pk)
    context = {
        "review": review,
        **selectors.monitoring_clocks(review),
        "checkpoints": selectors.checkpoints_for(review),
        "written_requests": selectors.written_requests_for(review),
        "locked": _why_locked(review),
    }
    return render(request, "reviews/monitoring/monitoring_page.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def checkpoint_add(request, pk):
    review = get_review_for(request.user, pk, "record_checkpoints")
    form = CheckpointForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.checkpoint_record(review=review, by=request.user, **form.cleaned_data)
        except WorkflowError as e:
            apply_workflow_error(form, e)
        else:
            messages.success(request, "The checkpoint was recorded.")
            return redirect("reviews:monitoring", pk=review.pk)
    context = {"review": review, "form": form, "locked": _why_locked(review)}
    context.update(selectors.monitoring_clocks(review))
    return render(request, "reviews/monitoring/monitoring_checkpoint_add.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def request_add(request, pk):
    review = get_review_for(request.user, pk, "record_checkpoints")
    form = WrittenRequestForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.written_request_record(review=review, by=request.user, **form.cleaned_data)
        except WorkflowError as e:
            apply_workflow_error(form, e)
        else:
            messages.success(request, "The written request to the author was recorded.")
            return redirect("reviews:monitoring", pk=review.pk)
    context = {"review": review, "form": form, "locked": _why_locked(review)}
    return render(request, "reviews/monitoring/monitoring_request_add.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def request_answer(request, pk, request_pk):
    review = get_review_for(request.user, pk, "record_checkpoints")
    written = get_object_or_404(selectors.written_requests_for(review), pk=request_pk)
    form = WrittenResponseForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.written_request_answer(written=written, by=request.user, **form.cleaned_data)
        except WorkflowError as e:
            apply_workflow_error(form, e)
        else:
            messages.success(request, "The author's response was recorded.")
            return redirect("reviews:monitoring", pk=review.pk)
    context = {"review": review, "written": written, "form": form}
    return render(request, "reviews/monitoring/monitoring_request_answer.html", context)


urlpatterns = [
    path("<int:pk>/monitoring/", monitoring, name="monitoring"),
    path("<int:pk>/monitoring/checkpoints/add/", checkpoint_add, name="checkpoint_add"),
    path("<int:pk>/monitoring/requests/add/", request_add, name="request_add"),
    path(
        "<int:pk>/monitoring/requests/<int:request_pk>/response/",
        request_answer,
        name="request_answer",
    ),
]
