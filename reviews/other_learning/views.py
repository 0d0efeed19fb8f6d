"""The other learning review pages: starting one for a referral that does not meet the
criteria for notification, recording it, and closing it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_http_methods

from lcspr.access_log.services import log_access
from lcspr.core.exceptions import WorkflowError
from lcspr.core.forms import apply_workflow_error
from lcspr.core.steps import posted, take_step
from lcspr.core.text import in_sentence
from lcspr.core.versions import version_of
from reviews.decision.forms import ConfirmForm
from reviews.decision.models import Outcome
from reviews.other_learning import selectors, services
from reviews.other_learning.forms import LearningReviewStartForm, OtherLearningForm
from reviews.permissions import get_review_for


@login_required
@require_http_methods(["GET", "POST"])
def learning_review_start(request, pk):
    """Hold a learning review instead of closing a referral whose criteria are not met."""
    review = get_review_for(request.user, pk, "manage")
    blocker = services.learning_review_start_blocker(review)
    form = LearningReviewStartForm(posted(request))
    if not blocker:
        done = take_step(
            request,
            form,
            lambda data: services.learning_review_start(review=review, by=request.user, **data),
            success=lambda other: (
                f"The {in_sentence(other.get_kind_display())} has started. Send its scope to the "
                "practitioners before it is held."
            ),
            then=reverse("reviews:detail", args=[review.pk]),
        )
        if done:
            return done
    log_access(request, what="Other learning review", obj=review, review_id=review.pk)
    return render(
        request,
        "reviews/other_learning/learning_review_start.html",
        {"review": review, "form": form, "blocker": blocker},
    )


@login_required
@require_http_methods(["GET", "POST"])
def other_learning(request, pk):
    review = get_review_for(request.user, pk, "manage")
    log_access(request, what="Other learning review", obj=review, review_id=review.pk)
    existing = selectors.other_learning(review)
    initial = {"version": 0}  # read before it was recorded
    if existing:
        initial = {f: getattr(existing, f) for f in OtherLearningForm.base_fields}
        initial["version"] = version_of(existing)
    form = OtherLearningForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.other_learning_update(review=review, by=request.user, **form.cleaned_data)
        except WorkflowError as e:
            apply_workflow_error(form, e)
        else:
            messages.success(request, "The learning review has been saved.")
            return redirect("reviews:detail", review.pk)
    return render(
        request,
        "reviews/other_learning/other_learning_edit.html",
        {
            "review": review,
            "other": existing,
            "form": form,
            "other_learning_label": Outcome.OTHER_LEARNING.label,
            "close_blocker": services.close_blocker(existing),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def other_learning_close(request, pk):
    review = get_review_for(request.user, pk, "manage")
    log_access(request, what="Other learning review", obj=review, review_id=review.pk)
    other = selectors.other_learning(review)
    form = ConfirmForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.other_learning_close(review=review, by=request.user)
        except WorkflowError as e:
            apply_workflow_error(form, e)
        else:
            messages.success(request, "The learning review is closed.")
            return redirect("reviews:detail", review.pk)
    return render(
        request,
        "reviews/other_learning/other_learning_close.html",
        {
            "review": review,
            "other": other,
            "form": form,
            "close_blocker": services.close_blocker(other),
        },
    )


urlpatterns = [
    path("<int:pk>/learning-review/start/", learning_review_start, name="learning_review_start"),
    path("<int:pk>/other-learning/", other_learning, name="other_learning"),
    path("<int:pk>/other-learning/close/", other_learning_close, name="other_learning_close"),
]
