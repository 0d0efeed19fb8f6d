"""The partnership's clock settings page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_http_methods

from lcspr.accounts.models import Role
from lcspr.core.permissions import role_required
from lcspr.core.steps import posted
from reviews.clocks import services
from reviews.clocks.forms import ClockSettingsForm
from reviews.clocks.models import ClockSettings


@login_required
@role_required(Role.PARTNERSHIP_MANAGER)
@require_http_methods(["GET", "POST"])
def clock_settings(request):
    form = ClockSettingsForm(posted(request), instance=ClockSettings.load())
    if request.method == "POST" and form.is_valid():
        if form.has_changed():
            moved = services.clock_settings_update(by=request.user, **form.cleaned_data)
            messages.success(request, f"Clock settings saved. {_moved_text(moved)}")
        else:
            messages.info(request, "Nothing changed, so no due dates were recomputed.")
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


urlpatterns = [
    path("settings/clocks/", clock_settings, name="clock_settings"),
]
