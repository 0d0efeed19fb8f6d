"""A review's panel and team: who sits on it, adding and removing people (which gives and takes
away their access to the review), and the independent author's appointment."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from lcspr.access_log.services import log_access
from lcspr.core.exceptions import WorkflowError
from lcspr.core.forms import apply_workflow_error
from lcspr.core.steps import posted
from lcspr.core.text import in_sentence
from lcspr.core.versions import version_of
from lcspr.core.working_days import calendar
from panels import selectors, services
from panels.forms.members import (
    AUTHOR_FIELDS,
    AppointmentEditForm,
    MemberAddForm,
    MemberRemoveForm,
)
from panels.models import MemberRole, Membership
from panels.permissions import get_review_for_panel
from reviews.clocks.models import DeadlineKind
from reviews.models import Stage

CLOSED_NOTE = "The review is closed: nobody new can join it."


def _membership(review, membership_pk, **filters) -> Membership:
    return selectors.membership_or_404(review, membership_pk, **filters)


@login_required
@require_GET
def panel_detail(request, pk):
    review = get_review_for_panel(request.user, pk, "view_panel")
    memberships = list(
        review.memberships.select_related("user__agency", "agency", "added_by", "ended_by")
    )
    completion = review.deadlines.filter(kind=DeadlineKind.COMPLETION).first()
    if completion is not None:
        completion.countdown = calendar().count_between(timezone.localdate(), completion.due_date)
    log_access(request, what="Review panel and team", obj=review, review_id=review.pk)
    active = [m for m in memberships if m.is_active]

    def with_role(role):
        return [m for m in active if m.role == role]

    chairs = with_role(MemberRole.PANEL_CHAIR)
    return render(
        request,
        "panels/panel_detail.html",
        {
            "review": review,
            "chair": chairs[0] if chairs else None,
            "members": sorted(with_role(MemberRole.PANEL_MEMBER), key=lambda m: str(m.agency)),
            "authors": with_role(MemberRole.AUTHOR),
            "staff": with_role(MemberRole.BUSINESS_UNIT),
            "past": sorted(
                (m for m in memberships if not m.is_active),
                key=lambda m: m.ended_at,
                reverse=True,
            ),
            "completion": completion,
            "is_closed": review.stage == Stage.CLOSED,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_add(request, pk):
    review = get_review_for_panel(request.user, pk, "manage_panel")
    form = MemberAddForm(posted(request), initial={"role": request.GET.get("role")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["role"] == MemberRole.AUTHOR:
                membership = services.author_appoint(
                    review=review, by=request.user, user=data["user"], **form.appointment()
                )
            else:
                membership = services.membership_add(
                    review=review,
                    by=request.user,
                    user=data["user"],
                    role=data["role"],
                    agency=data["agency"] if data["role"] == MemberRole.PANEL_MEMBER else None,
                )
        except WorkflowError as e:
            apply_workflow_error(form, e)
        else:
            role = in_sentence(membership.get_role_display())
            messages.success(
                request,
                f"{membership.user} has been added as {role}. "
                "Their access to the review starts now.",
            )
            return redirect("panels:panel", review.pk)
    return render(
        request,
        "panels/member_add.html",
        {
            "review": review,
            "form": form,
            "closed_note": CLOSED_NOTE if review.stage == Stage.CLOSED else "",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_remove(request, pk, membership_pk):
    review = get_review_for_panel(request.user, pk, "manage_panel")
    membership = _membership(review, membership_pk)
    form = MemberRemoveForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_end(
                membership=membership, by=request.user, reason=form.cleaned_data["reason"]
            )
        except WorkflowError as e:
            apply_workflow_error(form, e)
        else:
            person, role = membership.user, in_sentence(membership.get_role_display())
            others = review.memberships.filter(user=person, ended_at__isnull=True)
            if others.exists():
                still = ", ".join(in_sentence(m.get_role_display()) for m in others)
                access = f"They keep their access to the review as {still}."
            else:
                access = "Their access to the review has ended."
            messages.success(request, f"{person} is no longer {role}. {access}")
            return redirect("panels:panel", review.pk)
    return render(
        request,
        "panels/member_remove.html",
        {"review": review, "membership": membership, "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def author_edit(request, pk, membership_pk):
    review = get_review_for_panel(request.user, pk, "manage_panel")
    membership = _membership(review, membership_pk, role=MemberRole.AUTHOR)
    initial = {name: getattr(membership, name) for name in AUTHOR_FIELDS}
    initial["version"] = version_of(membership)
    form = AppointmentEditForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.author_appointment_set(
                membership=membership, by=request.user, **form.cleaned_data
            )
        except WorkflowError as e:
            apply_workflow_error(form, e)
        else:
            messages.success(request, f"{membership.user}'s appointment details have been saved.")
            return redirect("panels:panel", review.pk)
    return render(
        request,
        "panels/member_author_edit.html",
        {"review": review, "membership": membership, "form": form},
    )


urlpatterns = [
    path("<int:pk>/panel/", panel_detail, name="panel"),
    path("<int:pk>/panel/add/", member_add, name="member_add"),
    path("<int:pk>/panel/<int:membership_pk>/remove/", member_remove, name="member_remove"),
    path("<int:pk>/panel/<int:membership_pk>/appointment/", author_edit, name="author_edit"),
]
