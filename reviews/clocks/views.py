"""The partnership's clock settings page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from lcspr.access_log.services import log_access
from lcspr.accounts.models import Role
from lcspr.core.exceptions import WorkflowError
from lcspr.core.forms import apply_workflow_error
from lcspr.core.permissions import role_required
from lcspr.core.steps import posted, take_step
from lcspr.core.versions import version_of
from reviews.clocks import corrections, services
from reviews.clocks.forms import ClockSettingsForm, DateCorrectionForm, LateReasonForm
from reviews.clocks.models import ClockSettings, DeadlineKind
from reviews.permissions import get_review_for


@login_required
@role_required(Role.PARTNERSHIP_MANAGER)
@require_http_methods(["GET", "POST"])
def clock_settings(request):
    clocks = ClockSettings.load()
    form = ClockSettingsForm(
        posted(request), instance=clocks, initial={"version": version_of(clocks)}
    )
    if request.method == "POST" and form.is_valid():
        if not form.has_changed():
            messages.info(request, "Nothing changed, so no due dates were recomputed.")
            return redirect("reviews:clock_settings")
        try:
            moved = services.clock_settings_update(by=request.user, **form.cleaned_data)
        except WorkflowError as e:
            apply_workflow_error(form, e)
        else:
            messages.success(request, f"Clock settings saved. {_moved_text(moved)}")
            return redirect("reviews:clock_settings")
    return render(request, "reviews/clocks/clock_settings_edit.html", {"form": form})


def _moved_text(moved: int) -> str:
    if not moved:
        return "No open due date moved; met clocks keep the dates they were met against."
    reviews = "1 review" if moved == 1 else f"{moved} reviews"
    return (
        f"Open due dates moved on {reviews} (each review's timeline says which); met clocks "
        "keep the dates they were met against."
    )


@login_required
@require_GET
def review_dates(request, pk):
    """The dates of the review's statutory record, each with a way to correct it, and the
    clocks met late or overdue, each with a way to say why."""
    review = get_review_for(request.user, pk, "manage")
    log_access(request, what="Recorded dates", obj=review, review_id=review.pk)
    rows = [
        {"date": date, "value": value, "blocker": corrections.correction_blocker(review, date.key)}
        for date, value in corrections.recorded_dates(review)
    ]
    today = timezone.localdate()
    late = [deadline for deadline in review.deadlines.all() if deadline.is_late(today)]
    context = {"review": review, "rows": rows, "late": late}
    return render(request, "reviews/clocks/review_dates.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def date_correct(request, pk, key):
    review = get_review_for(request.user, pk, "manage")
    if key not in corrections.DATES:
        raise Http404
    date = corrections.DATES[key]
    blocker = corrections.correction_blocker(review, key)
    initial = {"version": corrections.version_read(review, key)}
    form = DateCorrectionForm(posted(request), label=date.label, initial=initial)
    if not blocker:
        done = take_step(
            request,
            form,
            lambda data: corrections.date_correct(review=review, by=request.user, key=key, **data),
            success=f"{date.title} has been corrected.",
            then=reverse("reviews:dates", args=[review.pk]),
        )
        if done:
            return done
    current = {d.key: v for d, v in corrections.recorded_dates(review)}.get(key)
    log_access(request, what="Recorded dates", obj=review, review_id=review.pk)
    context = {
        "review": review,
        "date": date,
        "current": current,
        "form": form,
        "blocker": blocker,
    }
    return render(request, "reviews/clocks/date_correct.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def late_reason(request, pk, kind):
    """Why a clock of the review was met late, or is overdue."""
    review = get_review_for(request.user, pk, "manage")
    if kind not in DeadlineKind.values:
        raise Http404
    deadline = review.deadlines.filter(kind=kind).first()
    if deadline is None:
        blocker = "This review has no clock for this step, so there is no reason to record."
    else:
        blocker = services.late_reason_blocker(deadline, timezone.localdate())
    form = LateReasonForm(
        posted(request),
        initial={
            "late_reason": deadline.late_reason if deadline else "",
            "version": version_of(deadline) if deadline else None,
        },
    )
    if not blocker:
        done = take_step(
            request,
            form,
            lambda data: services.late_reason_record(deadline=deadline, by=request.user, **data),
            success=f"The reason for the delay to “{DeadlineKind(kind).label}” has been recorded.",
            then=reverse("reviews:dates", args=[review.pk]) + "#late",
        )
        if done:
            return done
    log_access(request, what="Recorded dates", obj=review, review_id=review.pk)
    context = {
        "review": review,
        "label": DeadlineKind(kind).label,
        "deadline": deadline,
        "form": form,
        "blocker": blocker,
    }
    return render(request, "reviews/clocks/late_reason.html", context)


urlpatterns = [
    path("settings/clocks/", clock_settings, name="clock_settings"),
    path("<int:pk>/dates/", review_dates, name="dates"),
    path("<int:pk>/dates/<slug:key>/", date_correct, name="date_correct"),
    path("<int:pk>/clocks/<slug:kind>/late-reason/", late_reason, name="late_reason"),
]
