"""The retention pages: settings, removals and legal holds."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lcspr.accounts.models import Role
from lcspr.core.exceptions import WorkflowError
from lcspr.core.forms import apply_workflow_error
from lcspr.core.permissions import role_required
from lcspr.core.steps import posted, refuse
from lcspr.core.versions import version_of
from reviews.permissions import get_review_for
from reviews.retention import selectors
from reviews.retention import services as retention
from reviews.retention.forms import LegalHoldForm, LegalHoldLiftForm, RetentionSettingsForm
from reviews.retention.models import RetentionSettings, RetentionType

REMOVALS_SHOWN = 200


@login_required
@role_required(Role.PARTNERSHIP_MANAGER)
@require_http_methods(["GET", "POST"])
def retention_settings(request):
    periods = RetentionSettings.load()
    form = RetentionSettingsForm(
        posted(request), instance=periods, initial={"version": version_of(periods)}
    )
    if request.method == "POST" and form.is_valid():
        if not form.has_changed():
            messages.info(request, "Nothing changed.")
            return redirect("reviews:retention_settings")
        try:
            retention.retention_settings_update(by=request.user, **form.cleaned_data)
        except WorkflowError as e:
            apply_workflow_error(form, e)
        else:
            messages.success(request, "Retention periods saved.")
            return redirect("reviews:retention_settings")
    return render(request, "reviews/retention/retention_settings.html", {"form": form})


@login_required
@role_required(Role.PARTNERSHIP_MANAGER)
@require_GET
def retention_removals(request):
    today = timezone.localdate()
    rows = retention.closed_reviews_retention()
    removals = selectors.removals(REMOVALS_SHOWN)
    return render(
        request,
        "reviews/retention/retention_removals.html",
        {
            "due": [row for row in rows if row.is_due(today)],
            "held": [row for row in rows if row.on_hold],
            "removals": removals,
            "type_labels": dict(RetentionType.choices),
            "today": today,
        },
    )


def _hold_page(request, review, *, set_form=None, lift_form=None):
    hold = retention.hold_in_force(review)
    if hold is None and set_form is None:
        set_form = LegalHoldForm()
    if hold is not None and lift_form is None:
        lift_form = LegalHoldLiftForm()
    context = {
        "review": review,
        "hold": hold,
        "holds": selectors.legal_holds(review),
        "row": retention.retention_row(review),
        "form": set_form if hold is None else lift_form,
    }
    return render(request, "reviews/retention/legal_hold.html", context)


def _hold_step(request, review, form, service, done: str, form_name: str):
    """Set or lift a hold: the service, then back to the hold page with what happened."""
    if form.is_valid():
        try:
            service(review=review, by=request.user, **form.cleaned_data)
        except retention.RetentionRefused as error:
            if not hasattr(error, "error_dict"):  # refused whatever was typed: say why
                refuse(request, " ".join(error.messages))
                return redirect("reviews:legal_hold", pk=review.pk)
            apply_workflow_error(form, error)
        else:
            messages.success(request, done)
            return redirect("reviews:legal_hold", pk=review.pk)
    return _hold_page(request, review, **{form_name: form})


@login_required
@require_http_methods(["GET", "POST"])
def legal_hold(request, pk):
    review = get_review_for(request.user, pk, "legal_hold")
    if request.method == "GET":
        return _hold_page(request, review)
    return _hold_step(
        request,
        review,
        LegalHoldForm(request.POST),
        retention.legal_hold_set,
        "Legal hold set. Nothing of this review will be removed.",
        "set_form",
    )


@login_required
@require_POST
def legal_hold_lift(request, pk):
    review = get_review_for(request.user, pk, "legal_hold")
    return _hold_step(
        request,
        review,
        LegalHoldLiftForm(request.POST),
        retention.legal_hold_lift,
        "Legal hold lifted. The retention period applies again.",
        "lift_form",
    )


urlpatterns = [
    path("settings/retention/", retention_settings, name="retention_settings"),
    path("retention/removals/", retention_removals, name="retention_removals"),
    path("<int:pk>/legal-hold/", legal_hold, name="legal_hold"),
    path("<int:pk>/legal-hold/lift/", legal_hold_lift, name="legal_hold_lift"),
]
