"""A review's action plan and the agency's own actions: the plan page (actions grouped by the
recommendation they answer, immediate actions still to track), adding actions, turning the final
report's recommendations into actions, tracking an immediate action of the rapid review, closing
the review once the plan is complete, and "Our actions" for an agency's representatives. One
action's own pages are in actions/views/action_pages.py."""

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from actions import selectors, services
from actions.forms import plans as forms
from actions.permissions import (
    actions_for_user,
    can_action,
    get_review_for_plan,
    may_list_agency_actions,
)
from actions.tasks_section import counts_text, plan_counts
from actions.views import action_pages
from actions.views.action_pages import with_countdowns
from lcspr.access_log.services import log_access
from lcspr.core.exceptions import WorkflowError
from lcspr.core.forms import apply_workflow_error
from lcspr.core.steps import posted, refuse
from reviews.models import Stage

AGENCY_PAGE_SIZE = 50
MORE_ROWS, MAX_EXTRA_ROWS = 3, 30


# --- the review's plan --------------------------------------------------------------------------


@login_required
@require_GET
def review_plan(request, pk):
    review = get_review_for_plan(request.user, pk, "view_plan")
    today = timezone.localdate()
    actions = with_countdowns(
        list(
            review.actions.select_related("lead_agency", "owner", "recommendation").order_by(
                "number"
            )
        ),
        today,
    )
    by_recommendation = defaultdict(list)
    for action in actions:
        by_recommendation[action.recommendation_id].append(action)
    recommendations = list(review.recommendations.all())
    for recommendation in recommendations:
        recommendation.plan_actions = by_recommendation.get(recommendation.pk, [])
        recommendation.table_caption = f"Actions answering recommendation {recommendation.number}"
    untracked = selectors.untracked_immediate_actions(review)
    counts = plan_counts(review, today)
    log_access(request, what="Viewed the action plan", obj=review, review_id=review.pk)
    context = {
        "review": review,
        "recommendations": recommendations,
        "other_actions": by_recommendation.get(None, []),
        "untracked": list(untracked),
        "counts": counts,
        "counts_text": counts_text(counts),
        "close_blocker": services.plan_close_blocker(review) if review.stage == Stage.LCSPR else "",
        "is_open": review.stage != Stage.CLOSED,
    }
    return render(request, "actions/plan_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def action_add(request, pk):
    review = get_review_for_plan(request.user, pk, "manage_plan")
    form = forms.ActionAddForm(posted(request), review=review)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            action = services.action_add(review=review, by=request.user, **data)
        except WorkflowError as e:
            apply_workflow_error(form, e)
        else:
            messages.success(request, f"Action {action.number} has been added to the plan.")
            return redirect("actions:detail", action.pk)
    return render(request, "actions/plan_action_add.html", {"review": review, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def from_recommendations(request, pk):
    review = get_review_for_plan(request.user, pk, "manage_plan")
    recommendations = list(review.recommendations.annotate(action_count=Count("actions")))
    try:
        extra = min(max(int(request.GET.get("rows", MORE_ROWS)), 0), MAX_EXTRA_ROWS)
    except ValueError:
        extra = MORE_ROWS
    initial = [{"recommendation": r.pk} for r in recommendations] + [{}] * extra
    formset = forms.RecommendationRowFormSet(
        posted(request), initial=initial, form_kwargs={"review": review}, prefix="rows"
    )
    problem = ""
    if request.method == "POST" and formset.is_valid():
        rows = [f.cleaned_data for f in formset if not f.is_blank]
        try:
            actions = services.actions_from_recommendations(
                review=review, by=request.user, rows=rows
            )
        except WorkflowError as e:
            problem = " ".join(e.messages)
        else:
            messages.success(request, f"{len(actions)} actions have been added to the plan.")
            return redirect("actions:review_plan", review.pk)
    context = {
        "review": review,
        "recommendations": recommendations,
        "formset": formset,
        "problem": problem,
        "has_errors": bool(problem) or (formset.is_bound and not formset.is_valid()),
        "more_rows": min(extra + MORE_ROWS, MAX_EXTRA_ROWS),
        "blocker": ""
        if review.stage == Stage.LCSPR and recommendations
        else "The final report's recommendations are recorded on the review's learning page "
        "first; they become actions while the review is an LCSPR.",
    }
    return render(request, "actions/plan_from_recommendations.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def from_immediate(request, pk, immediate_pk):
    review = get_review_for_plan(request.user, pk, "manage_plan")
    immediate = selectors.immediate_action_or_404(review, immediate_pk)
    form = forms.ImmediateForm(posted(request), initial={"due_date": immediate.due_date})
    if request.method == "POST" and form.is_valid():
        try:
            action = services.action_from_immediate(
                immediate_action=immediate, by=request.user, **form.cleaned_data
            )
        except WorkflowError as e:
            apply_workflow_error(form, e)
        else:
            messages.success(request, f"The immediate action is now action {action.number}.")
            return redirect("actions:detail", action.pk)
    context = {"review": review, "immediate": immediate, "form": form}
    return render(request, "actions/plan_from_immediate.html", context)


@login_required
@require_POST
def review_close(request, pk):
    review = get_review_for_plan(request.user, pk, "manage_plan")
    blocker = services.plan_close_blocker(review)
    if blocker:
        refuse(request, f"The review cannot close yet. {blocker}")
    elif services.review_close_if_done(review=review, by=request.user):
        messages.success(request, f"{review.reference} is closed: its action plan is complete.")
    return redirect("actions:review_plan", review.pk)


# --- our agency's actions -----------------------------------------------------------------------


@login_required
@require_GET
def agency_list(request):
    user = request.user
    if not may_list_agency_actions(user):
        raise PermissionDenied
    form = forms.StatusFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    ours = Q(owner=user) | Q(shared_with_agencies=True)
    if user.agency_id:
        ours |= Q(lead_agency_id=user.agency_id)
    actions = actions_for_user(user).filter(ours)
    if status:
        actions = actions.filter(status=status)
    actions = actions.select_related("review", "lead_agency", "owner").order_by(
        "due_date", "review__reference", "number"
    )
    page = Paginator(actions, AGENCY_PAGE_SIZE).get_page(request.GET.get("page"))
    with_countdowns(page.object_list)
    for action in page.object_list:
        action.may_update = can_action(user, "update", action)
    log_access(request, what="Viewed our agency's actions")
    context = {"form": form, "page": page, "status": status, "agency": user.agency}
    return render(request, "actions/agency_list.html", context)


urlpatterns = [
    path("reviews/<int:pk>/", review_plan, name="review_plan"),
    path("reviews/<int:pk>/add/", action_add, name="action_add"),
    path(
        "reviews/<int:pk>/from-recommendations/",
        from_recommendations,
        name="from_recommendations",
    ),
    path("reviews/<int:pk>/immediate/<int:immediate_pk>/", from_immediate, name="from_immediate"),
    path("reviews/<int:pk>/close/", review_close, name="review_close"),
    path("agency/", agency_list, name="agency_list"),
    *action_pages.urlpatterns,
]
