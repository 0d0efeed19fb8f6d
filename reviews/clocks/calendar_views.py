"""The partnership's calendar: its closure days for a year beside that year's England and Wales
bank holidays (the days the clocks do not count), and closure days added and removed. Every
open clock follows a change at once; a met clock keeps its dates (docs/adr/0011)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from lcspr.accounts.models import Role
from lcspr.core import closures
from lcspr.core.permissions import role_required
from lcspr.core.steps import posted, take_step
from lcspr.core.text import long_date
from lcspr.core.working_days import bank_holidays
from reviews.clocks.forms import ClosureDayForm, ClosureDayRemoveForm

# The years the page shows: the holidays package knows these, and no clock runs outside them.
FIRST_YEAR, LAST_YEAR = 2000, 2100
FOLLOWED = (
    "Every open due date now follows it; each review whose due date moved says so on its "
    "timeline. Clocks already met keep their dates."
)

manager_only = role_required(Role.PARTNERSHIP_MANAGER)


def _year(request) -> int:
    raw = request.GET.get("year", "")
    if not raw:
        return timezone.localdate().year
    if not raw.isdigit() or not FIRST_YEAR <= int(raw) <= LAST_YEAR:
        raise Http404
    return int(raw)


def _calendar_url(year: int) -> str:
    return f"{reverse('reviews:calendar')}?year={year}"


@login_required
@manager_only
@require_GET
def calendar(request):
    year = _year(request)
    context = {
        "year": year,
        "closure_days": list(closures.closure_days_in(year)),
        "bank_holidays": [{"date": d, "name": name} for d, name in bank_holidays(year)],
        "previous_year": year - 1 if year > FIRST_YEAR else None,
        "next_year": year + 1 if year < LAST_YEAR else None,
    }
    return render(request, "reviews/clocks/calendar.html", context)


@login_required
@manager_only
@require_http_methods(["GET", "POST"])
def closure_day_add(request):
    form = ClosureDayForm(posted(request))
    done = take_step(
        request,
        form,
        lambda data: closures.closure_day_add(by=request.user, **data),
        success=lambda day: f"{long_date(day.date)} is now a closure day. {FOLLOWED}",
        then=lambda day: _calendar_url(day.date.year),
    )
    return done or render(request, "reviews/clocks/closure_day_add.html", {"form": form})


@login_required
@manager_only
@require_http_methods(["GET", "POST"])
def closure_day_remove(request, pk):
    day = closures.closure_day_for(pk)
    if day is None:
        raise Http404
    form = ClosureDayRemoveForm(posted(request))
    year = day.date.year
    done = take_step(
        request,
        form,
        lambda data: closures.closure_day_remove(by=request.user, day=day, **data),
        success=f"{long_date(day.date)} is no longer a closure day. {FOLLOWED}",
        then=_calendar_url(year),
    )
    return done or render(
        request, "reviews/clocks/closure_day_remove.html", {"day": day, "form": form}
    )


urlpatterns = [
    path("settings/calendar/", calendar, name="calendar"),
    path("settings/calendar/add/", closure_day_add, name="closure_day_add"),
    path("settings/calendar/<int:pk>/remove/", closure_day_remove, name="closure_day_remove"),
]
