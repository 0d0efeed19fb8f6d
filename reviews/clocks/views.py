"""The partnership's clock settings page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_http_methods

from lcspr.accounts.models import Role
from lcspr.core.permissions import role_required
from lcspr.core.steps import posted
from reviews.clocks import selectors, services
from reviews.clocks.forms import ClockSettingsForm
from reviews.clocks.models import ClockSettings


@login_required
@role_required(Role.PARTNERSHIP_MANAGER)
@require_http_methods(["GET", "POST"])
def clock_settings(request):
    form = ClockSettingsForm(posted(request), instance=ClockSettings.load())
    if request.method == "POST" and form.is_valid():
        if form.has_changed():
            services.clock_settings_update(by=request.user, **form.cleaned_data)
            count = selectors.open_review_count()
            noun = "review's" if count == 1 else "reviews'"
            messages.success(
                request, f"Clock settings saved. {count} {noun} due dates were recomputed."
            )
        else:
            messages.info(request, "Nothing changed, so no due dates were recomputed.")
        return redirect("reviews:clock_settings")
    return render(request, "reviews/clocks/clock_settings_edit.html", {"form": form})


urlpatterns = [
    path("settings/clocks/", clock_settings, name="clock_settings"),
]
