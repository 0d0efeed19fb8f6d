"""The learning pages: the summary, the briefing, recommendations and the themes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lcspr.access_log.services import log_access
from lcspr.accounts.models import Role
from lcspr.core.exceptions import WorkflowError
from lcspr.core.forms import Form, apply_workflow_error
from lcspr.core.pdf import pdf_response, render_pdf
from lcspr.core.permissions import role_required
from lcspr.core.steps import posted, refuse
from lcspr.core.text import in_sentence
from lcspr.core.versions import version_of
from reviews.learning import selectors, services
from reviews.learning.briefing import briefing_context
from reviews.learning.forms import (
    LearningSummaryForm,
    RecommendationEditForm,
    RecommendationForm,
    ThemeEditForm,
    ThemeForm,
)
from reviews.models import Stage
from reviews.permissions import get_review_for


def _blocker(review) -> str:
    """Why the learning cannot change now, or "" while it can."""
    if review.stage == Stage.LCSPR:
        return ""
    return (
        f"The review is at the {in_sentence(review.get_stage_display())} stage: the learning is "
        "recorded while the review is an LCSPR."
    )


def _log(request, review, what):
    log_access(request, what=what, obj=review, review_id=review.pk)


@login_required
@require_GET
def learning_summary(request, pk):
    review = get_review_for(request.user, pk, "view_learning")
    _log(request, review, "Viewed the learning summary and recommendations")
    context = {
        "review": review,
        "summary": selectors.learning_summary(review),
        "recommendations": selectors.recommendations(review),
        "blocker": _blocker(review),
    }
    return render(request, "reviews/learning/learning_summary.html", context)


@login_required
@require_GET
def learning_briefing(request, pk):
    review = get_review_for(request.user, pk, "view_learning")
    context = briefing_context(
        review, selectors.learning_summary(review), review.recommendations.order_by("number")
    )
    pdf = render_pdf(
        "pdf/learning_briefing.html",
        context,
        title=f"7-minute briefing: {review.pseudonym}",
        landscape=True,
    )
    _log(request, review, "Downloaded the learning briefing (PDF)")
    return pdf_response(pdf, filename=f"{review.reference}-learning-briefing.pdf")


@login_required
@require_http_methods(["GET", "POST"])
def learning_edit(request, pk):
    review = get_review_for(request.user, pk, "edit_learning")
    summary = selectors.learning_summary(review)
    form = LearningSummaryForm(posted(request), summary=summary)
    if request.method == "POST" and form.is_valid():
        try:
            services.learning_summary_update(review=review, by=request.user, **form.cleaned_data)
        except WorkflowError as e:
            apply_workflow_error(form, e)
        else:
            messages.success(request, "The learning summary has been saved.")
            return redirect("reviews:learning", review.pk)
    _log(request, review, "Opened the learning summary to change it")
    context = {"review": review, "form": form, "blocker": _blocker(review)}
    return render(request, "reviews/learning/learning_edit.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def learning_recommendation_add(request, pk):
    review = get_review_for(request.user, pk, "edit_learning")
    form = RecommendationForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            recommendation = services.recommendation_add(
                review=review, by=request.user, **form.cleaned_data
            )
        except WorkflowError as e:
            apply_workflow_error(form, e)
        else:
            messages.success(request, f"Recommendation {recommendation.number} has been added.")
            if "another" in request.POST:
                return redirect("reviews:learning_recommendation_add", review.pk)
            return redirect("reviews:learning", review.pk)
    next_number = (max(review.recommendations.values_list("number", flat=True), default=0)) + 1
    context = {
        "review": review,
        "form": form,
        "next_number": next_number,
        "blocker": _blocker(review),
    }
    return render(request, "reviews/learning/learning_recommendation_add.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def learning_recommendation_edit(request, pk, rec_pk):
    review = get_review_for(request.user, pk, "edit_learning")
    recommendation = get_object_or_404(review.recommendations, pk=rec_pk)
    initial = {f: getattr(recommendation, f) for f in ("number", "text", "finding")}
    initial["version"] = version_of(recommendation)
    form = RecommendationEditForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            recommendation = services.recommendation_update(
                recommendation=recommendation, by=request.user, **form.cleaned_data
            )
        except WorkflowError as e:
            apply_workflow_error(form, e)
        else:
            messages.success(request, f"Recommendation {recommendation.number} has been saved.")
            return redirect("reviews:learning", review.pk)
    context = {
        "review": review,
        "recommendation": recommendation,
        "form": form,
        "blocker": _blocker(review),
    }
    return render(request, "reviews/learning/learning_recommendation_edit.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def learning_recommendation_remove(request, pk, rec_pk):
    review = get_review_for(request.user, pk, "edit_learning")
    recommendation = get_object_or_404(selectors.recommendations(review), pk=rec_pk)
    form = Form(posted(request))
    if request.method == "POST" and form.is_valid():
        number = recommendation.number
        try:
            services.recommendation_remove(recommendation=recommendation, by=request.user)
        except WorkflowError as e:
            apply_workflow_error(form, e)
        else:
            messages.success(request, f"Recommendation {number} has been removed.")
            return redirect("reviews:learning", review.pk)
    blocker = _blocker(review)
    if not blocker and recommendation.action_count:
        count = recommendation.action_count
        blocker = (
            f"Recommendation {recommendation.number} cannot be removed: {count} "
            f"action{'s' if count != 1 else ''} in the action plan answer"
            f"{'s' if count == 1 else ''} it."
        )
    context = {
        "review": review,
        "recommendation": recommendation,
        "form": form,
        "blocker": blocker,
    }
    return render(request, "reviews/learning/learning_recommendation_remove.html", context)


manager_only = role_required(Role.PARTNERSHIP_MANAGER)


@login_required
@manager_only
@require_http_methods(["GET", "POST"])
def learning_themes(request):
    form = ThemeForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            theme = services.learning_theme_add(by=request.user, name=form.cleaned_data["name"])
        except WorkflowError as e:
            apply_workflow_error(form, e)
        else:
            messages.success(request, f"{theme.name} has been added to the learning themes.")
            return redirect("reviews:learning_themes")
    themes = selectors.themes()
    return render(
        request, "reviews/learning/learning_themes.html", {"form": form, "themes": themes}
    )


@login_required
@manager_only
@require_http_methods(["GET", "POST"])
def learning_theme_edit(request, theme_pk):
    theme = selectors.theme_or_404(theme_pk)
    initial = {"name": theme.name, "version": version_of(theme)}
    form = ThemeEditForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        old = theme.name
        try:
            theme = services.learning_theme_update(
                theme=theme, by=request.user, **form.cleaned_data
            )
        except WorkflowError as e:
            apply_workflow_error(form, e)
        else:
            messages.success(request, f"{old} has been renamed {theme.name}.")
            return redirect("reviews:learning_themes")
    return render(
        request, "reviews/learning/learning_theme_edit.html", {"form": form, "theme": theme}
    )


@login_required
@manager_only
@require_POST
def learning_theme_in_use(request, theme_pk):
    """Retire a theme (posted `in_use=no`) or bring it back (`in_use=yes`)."""
    theme = selectors.theme_or_404(theme_pk)
    in_use = request.POST.get("in_use") == "yes"
    services.learning_theme_update(theme=theme, by=request.user, is_active=in_use)
    if in_use:
        messages.success(request, f"{theme.name} is in use again.")
    else:
        messages.success(
            request,
            f"{theme.name} has been retired: it stays on what was tagged with it, but cannot "
            "be chosen again.",
        )
    return redirect("reviews:learning_themes")


@login_required
@manager_only
@require_POST
def learning_theme_move(request, theme_pk):
    theme = selectors.theme_or_404(theme_pk)
    try:
        services.learning_theme_move(
            theme=theme, by=request.user, up=request.POST.get("direction") == "up"
        )
    except WorkflowError as e:
        refuse(request, " ".join(e.messages))
    return redirect("reviews:learning_themes")


urlpatterns = [
    path("<int:pk>/learning/", learning_summary, name="learning"),
    path("<int:pk>/learning/edit/", learning_edit, name="learning_edit"),
    path("<int:pk>/learning/briefing.pdf", learning_briefing, name="learning_briefing"),
    path(
        "<int:pk>/learning/recommendations/add/",
        learning_recommendation_add,
        name="learning_recommendation_add",
    ),
    path(
        "<int:pk>/learning/recommendations/<int:rec_pk>/",
        learning_recommendation_edit,
        name="learning_recommendation_edit",
    ),
    path(
        "<int:pk>/learning/recommendations/<int:rec_pk>/remove/",
        learning_recommendation_remove,
        name="learning_recommendation_remove",
    ),
    path("settings/themes/", learning_themes, name="learning_themes"),
    path("settings/themes/<int:theme_pk>/", learning_theme_edit, name="learning_theme_edit"),
    path(
        "settings/themes/<int:theme_pk>/in-use/",
        learning_theme_in_use,
        name="learning_theme_in_use",
    ),
    path("settings/themes/<int:theme_pk>/move/", learning_theme_move, name="learning_theme_move"),
]
