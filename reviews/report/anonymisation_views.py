"""The anonymisation pages: the restricted list, checks and overrides."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lcspr.access_log.services import log_access
from lcspr.accounts.reauth import recent_authentication_required
from lcspr.core import permissions
from lcspr.core.exceptions import WorkflowError
from lcspr.core.forms import apply_workflow_error
from lcspr.core.steps import posted, refuse
from reviews.permissions import get_review_for, reviews_for_user
from reviews.report import anonymisation as services
from reviews.report import forms, selectors
from reviews.report.models import AnonymisationCheck, NameCategory


def _review_for_findings(user, pk):
    """The review, for those who may see what a check found (real names): 404 if they may not
    know it exists, 403 if they may but hold neither `view_names` nor `run_check`."""
    return permissions.get_object_for(
        user,
        visible=reviews_for_user(user),
        pk=pk,
        allowed=lambda review: (
            permissions.can(user, "view_names", review)
            or permissions.can(user, "run_check", review)
        ),
    )


def _log(request, review, what):
    log_access(request, what=what, obj=review, review_id=review.pk)


def _highlighted(finding: dict) -> dict:
    """A finding with its sentence split around the match, for <mark> in the template (the
    template escapes each part)."""
    context, match = finding.get("context", ""), finding.get("match", "")
    category = finding.get("category", "")
    label = NameCategory(category).label if category in NameCategory.values else category
    offset = finding.get("offset")
    if offset is None or context[offset : offset + len(match)] != match:
        offset = context.find(match)
    if offset < 0:
        parts = {"before": context, "marked": "", "after": ""}
    else:
        end = offset + len(match)
        parts = {"before": context[:offset], "marked": match, "after": context[end:]}
    return {**finding, **parts, "category_label": label}


def _may_override(user, check: AnonymisationCheck, latest: AnonymisationCheck | None) -> bool:
    return (
        bool(check.findings)
        and check.overridden_at is None
        and check.version.is_current
        and latest is not None
        and latest.pk == check.pk
        and permissions.can(user, "override_anonymisation", check.review)
    )


@login_required
@require_GET
def anonymisation_names(request, pk):
    review = get_review_for(request.user, pk, "view_names")
    return _names_page(request, review, forms.RestrictedNameForm())


@login_required
@require_POST
def anonymisation_name_add(request, pk):
    review = get_review_for(request.user, pk, "edit_names")
    form = forms.RestrictedNameForm(request.POST)
    if form.is_valid():
        try:
            name = services.restricted_name_add(review=review, by=request.user, **form.cleaned_data)
        except WorkflowError as e:
            apply_workflow_error(form, e)
        else:
            messages.success(request, f"“{name.term}” has been added to the restricted list.")
            return redirect("reviews:anonymisation_names", review.pk)
    return _names_page(request, review, form)


def _names_page(request, review, form):
    names = selectors.restricted_names(review)
    _log(request, review, "Viewed the restricted list of real names")
    context = {
        "review": review,
        "names": names,
        "form": form,
        "may_edit": permissions.can(request.user, "edit_names", review),
    }
    return render(request, "reviews/report/anonymisation_names.html", context)


@login_required
@require_POST
def anonymisation_name_remove(request, pk, name_pk):
    review = get_review_for(request.user, pk, "edit_names")
    name = selectors.restricted_name_or_404(review, name_pk)
    try:
        services.restricted_name_remove(name=name, by=request.user)
    except WorkflowError as e:
        refuse(request, " ".join(e.messages))
    else:
        messages.success(request, f"“{name.term}” has been removed from the restricted list.")
    return redirect("reviews:anonymisation_names", review.pk)


@login_required
@require_GET
def anonymisation_checks(request, pk):
    review = _review_for_findings(request.user, pk)
    versions = selectors.current_versions(review)
    latest = services.latest_checks(versions)
    rows = [{"version": v, "check": latest.get(v.pk)} for v in versions]
    checks = selectors.checks(review)
    _log(request, review, "Viewed the anonymisation checks")
    context = {
        "review": review,
        "rows": rows,
        "checks": checks,
        "name_count": selectors.restricted_name_count(review),
        "may_run": permissions.can(request.user, "run_check", review),
        "may_view_names": permissions.can(request.user, "view_names", review),
    }
    return render(request, "reviews/report/anonymisation_checks.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def anonymisation_run(request, pk, version_pk):
    review = get_review_for(request.user, pk, "run_check")
    version = selectors.any_version_or_404(review, version_pk)
    form = forms.RunCheckForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            check = services.anonymisation_check_run(
                review=review, version=version, by=request.user, **form.cleaned_data
            )
        except WorkflowError as e:
            apply_workflow_error(form, e)
        else:
            if check.findings:
                messages.warning(
                    request,
                    f"The check found {check.finding_count} restricted "
                    f"{'name' if check.finding_count == 1 else 'names'} in {version}.",
                )
            else:
                messages.success(request, f"The check found no restricted names in {version}.")
            return redirect("reviews:anonymisation_check", review.pk, check.pk)
    context = {
        "review": review,
        "version": version,
        "form": form,
        "name_count": selectors.restricted_name_count(review),
        "may_view_names": permissions.can(request.user, "view_names", review),
    }
    return render(request, "reviews/report/anonymisation_run.html", context)


@login_required
@require_GET
def anonymisation_check(request, pk, check_pk):
    review = _review_for_findings(request.user, pk)
    check = selectors.check_or_404(review, check_pk)
    latest = services.latest_checks([check.version]).get(check.version_id)
    _log(request, review, f"Viewed the findings of an anonymisation check of {check.version}")
    context = {
        "review": review,
        "check": check,
        "findings": [_highlighted(f) for f in check.findings],
        "is_latest": latest is not None and latest.pk == check.pk,
        "may_override": _may_override(request.user, check, latest),
        "may_run": permissions.can(request.user, "run_check", review),
    }
    return render(request, "reviews/report/anonymisation_check.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@recent_authentication_required
def anonymisation_override(request, pk, check_pk):
    review = get_review_for(request.user, pk, "override_anonymisation")
    check = selectors.check_or_404(review, check_pk)
    form = forms.OverrideForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.anonymisation_override(
                check=check, by=request.user, reason=form.cleaned_data["reason"]
            )
        except WorkflowError as e:
            apply_workflow_error(form, e)
        else:
            messages.success(
                request, f"The check of {check.version} has been overridden. Your reason is kept."
            )
            return redirect("reviews:anonymisation_check", review.pk, check.pk)
    latest = services.latest_checks([check.version]).get(check.version_id)
    blocker = ""
    if not _may_override(request.user, check, latest):
        blocker = _why_not_overridable(check, latest)
    _log(request, review, f"Viewed the findings of an anonymisation check of {check.version}")
    context = {
        "review": review,
        "check": check,
        "findings": [_highlighted(f) for f in check.findings],
        "form": form,
        "blocker": blocker,
    }
    return render(request, "reviews/report/anonymisation_override.html", context)


def _why_not_overridable(check, latest) -> str:
    if not check.findings:
        return "This check found no restricted names: there is nothing to override."
    if check.overridden_at is not None:
        return "This check has already been overridden."
    if not check.version.is_current:
        return f"{check.version} has been replaced by a newer version: check the current one."
    if latest is None or latest.pk != check.pk:
        return "A newer check of this version has been run: override that one."
    return "This check cannot be overridden."


urlpatterns = [
    path("<int:pk>/anonymisation/", anonymisation_checks, name="anonymisation_checks"),
    path("<int:pk>/anonymisation/names/", anonymisation_names, name="anonymisation_names"),
    path(
        "<int:pk>/anonymisation/names/add/",
        anonymisation_name_add,
        name="anonymisation_name_add",
    ),
    path(
        "<int:pk>/anonymisation/names/<int:name_pk>/remove/",
        anonymisation_name_remove,
        name="anonymisation_name_remove",
    ),
    path(
        "<int:pk>/anonymisation/versions/<int:version_pk>/run/",
        anonymisation_run,
        name="anonymisation_run",
    ),
    path(
        "<int:pk>/anonymisation/checks/<int:check_pk>/",
        anonymisation_check,
        name="anonymisation_check",
    ),
    path(
        "<int:pk>/anonymisation/checks/<int:check_pk>/override/",
        anonymisation_override,
        name="anonymisation_override",
    ),
]
