"""The partnership manager's pages for agencies: the list, add, rename, statutory partner or
not, retire and reinstate, and what changed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lcspr.accounts import agencies
from lcspr.accounts.agency_forms import AgencyAddForm, AgencyRenameForm, AgencyRetireForm
from lcspr.accounts.models import Role
from lcspr.core.changes import record_changes
from lcspr.core.exceptions import WorkflowError
from lcspr.core.forms import without_version
from lcspr.core.permissions import role_required
from lcspr.core.steps import posted, take_step
from lcspr.core.versions import version_of

manager_only = role_required(Role.PARTNERSHIP_MANAGER)
CHANGE_LABELS = {
    "is_statutory_partner": "Statutory safeguarding partner",
    "is_active": "Offered where an agency is chosen (not retired)",
}


@login_required
@manager_only
@require_GET
def agency_list(request):
    """Every agency of the partnership, retired ones last."""
    return render(request, "accounts/agencies/list.html", {"agencies": agencies.agency_list()})


@login_required
@manager_only
@require_http_methods(["GET", "POST"])
def agency_add(request):
    form = AgencyAddForm(posted(request))
    done = take_step(
        request,
        form,
        lambda data: agencies.agency_add(by=request.user, **form.service_data()),
        success=lambda agency: f"{agency} has been added.",
        then=lambda agency: reverse("accounts:agency_detail", args=[agency.pk]),
    )
    return done or render(request, "accounts/agencies/add.html", {"form": form})


@login_required
@manager_only
@require_GET
def agency_detail(request, pk):
    agency = agencies.get_agency_for(request.user, pk)
    return render(
        request,
        "accounts/agencies/detail.html",
        {"agency": agency, "statutory_leads": agencies.statutory_leads(agency)},
    )


@login_required
@manager_only
@require_http_methods(["GET", "POST"])
def agency_rename(request, pk):
    agency = agencies.get_agency_for(request.user, pk)
    initial = {"name": agency.name, "short_name": agency.short_name}
    form = AgencyRenameForm(posted(request), initial={**initial, "version": version_of(agency)})
    done = take_step(
        request,
        form,
        lambda data: agencies.agency_rename(
            agency=agency, by=request.user, version=data["version"], **without_version(data)
        ),
        success=lambda renamed: f"The agency is now called {renamed}.",
        then=reverse("accounts:agency_detail", args=[agency.pk]),
    )
    return done or render(
        request, "accounts/agencies/rename.html", {"agency": agency, "form": form}
    )


@login_required
@manager_only
@require_http_methods(["GET", "POST"])
def agency_statutory(request, pk):
    """Mark the agency as a statutory safeguarding partner, or no longer: check, then confirm."""
    agency = agencies.get_agency_for(request.user, pk)
    error = None
    if request.method == "POST":
        try:
            agencies.agency_statutory_set(
                agency=agency, by=request.user, is_statutory_partner=not agency.is_statutory_partner
            )
        except WorkflowError as refused:
            error = " ".join(refused.messages)
        else:
            agency.refresh_from_db()
            state = "is now" if agency.is_statutory_partner else "is no longer"
            messages.success(request, f"{agency} {state} a statutory safeguarding partner.")
            return redirect("accounts:agency_detail", pk=agency.pk)
    return render(
        request,
        "accounts/agencies/statutory.html",
        {"agency": agency, "error": error, "statutory_leads": agencies.statutory_leads(agency)},
        status=400 if error else 200,
    )


@login_required
@manager_only
@require_http_methods(["GET", "POST"])
def agency_retire(request, pk):
    agency = agencies.get_agency_for(request.user, pk)
    form = AgencyRetireForm(posted(request))
    done = take_step(
        request,
        form,
        lambda data: agencies.agency_retire(agency=agency, by=request.user, **data),
        success=lambda retired: (
            f"{retired} has been retired. It stays on the records that "
            "name it and is no longer offered where an agency is chosen."
        ),
        then=reverse("accounts:agency_detail", args=[agency.pk]),
    )
    return done or render(
        request,
        "accounts/agencies/retire.html",
        {"agency": agency, "form": form},
    )


@login_required
@manager_only
@require_POST
def agency_reinstate(request, pk):
    agency = agencies.get_agency_for(request.user, pk)
    try:
        agencies.agency_reinstate(agency=agency, by=request.user)
    except WorkflowError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(request, f"{agency} has been reinstated: it is offered again.")
    return redirect("accounts:agency_detail", pk=agency.pk)


@login_required
@manager_only
@require_GET
def agency_changes(request, pk):
    """What changed: every change to the agency, with its old and new names."""
    agency = agencies.get_agency_for(request.user, pk)
    return render(
        request,
        "accounts/agencies/changes.html",
        {"agency": agency, "changes": record_changes(agency.history.all(), labels=CHANGE_LABELS)},
    )
