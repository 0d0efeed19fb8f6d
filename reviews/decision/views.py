"""The decision pages: recording and changing the decision, and the notices that follow."""

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_http_methods

from lcspr.access_log.services import log_access
from lcspr.accounts.reauth import recent_authentication_required
from lcspr.core.exceptions import WorkflowError
from lcspr.core.forms import apply_workflow_error
from lcspr.core.steps import posted, take_step
from lcspr.core.templatetags.govuk import first_widget_id
from lcspr.core.versions import version_of
from lcspr.core.working_days import calendar
from reviews.clocks import deadlines
from reviews.decision import selectors
from reviews.decision import services as decision_services
from reviews.decision.forms import AgreementForm, DecisionChangeForm, DecisionForm, NoticeForm
from reviews.decision.models import NoticeRecipient, Outcome
from reviews.models import Review, Stage
from reviews.permissions import get_review_for, reviews_for_user
from reviews.referral import selectors as referral_selectors

CONFIRM_SKIP = {"csrfmiddlewaretoken", "confirm"}


def _draft_key(review: Review, step: str) -> str:
    return f"reviews:{step}:{review.pk}"


def _answers(request) -> dict:
    return {k: v for k, v in request.POST.items() if k not in CONFIRM_SKIP}


def _check_rows(form) -> list[dict]:
    """The summary list of a valid form's answers, each with the id its "Change" link targets."""
    rows = []
    for name, field in form.fields.items():
        if field.widget.is_hidden:
            continue
        value = form.cleaned_data[name]
        if isinstance(field, forms.ChoiceField):
            value = dict(field.choices)[value]
        elif isinstance(value, datetime.date):
            value = date_format(value, "j F Y")
        rows.append({"label": field.label, "value": value, "anchor": first_widget_id(form[name])})
    return rows


def _recorded_message(decision) -> str:
    if decision.is_in_force:
        return "The decision has been recorded."
    return (
        "The decision has been recorded. It differs from the partners' recommendation, so it "
        "takes effect once the three statutory partners agree to it."
    )


def _decision_step(
    request, review, form_class, *, step: str, record, template: str, context, initial=None
):
    """The form → check your answers → record flow shared by a first and a changed decision.
    Only a POST with `confirm=yes` records; a "Change" link returns to the form with the
    answers kept in the session."""
    key = _draft_key(review, step)
    if request.method == "POST":
        form = form_class(request.POST)
        if context["blocker"]:
            form.add_error(None, context["blocker"])
        elif form.is_valid():
            if request.POST.get("confirm") != "yes":
                request.session[key] = _answers(request)
                return render(
                    request,
                    "reviews/decision/decision_check.html",
                    {
                        **context,
                        "rows": _check_rows(form),
                        "answers": _answers(request),
                        "change_url": reverse(f"reviews:{step}", args=[review.pk]),
                    },
                )
            try:
                decision = record(form.cleaned_data)
            except WorkflowError as e:
                apply_workflow_error(form, e)
            else:
                request.session.pop(key, None)
                messages.success(request, _recorded_message(decision))
                return redirect("reviews:detail", review.pk)
    elif "change" in request.GET and key in request.session:
        form = form_class(request.session[key])
    else:
        form = form_class(initial=initial)
    return render(request, template, {**context, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
@recent_authentication_required
def decision_record(request, pk):
    review = get_review_for(request.user, pk, "decide")
    context = selectors.decision_page(review)
    log_access(request, what="The Independent Chair's decision", obj=review, review_id=review.pk)
    context["blocker"] = decision_services.decision_blocker(review)
    # Whether the case highlights improvements previously identified (reg. 11).
    context["other_reviews"] = referral_selectors.other_reviews(
        review, visible=reviews_for_user(request.user), details=False
    )

    def record(data):
        return decision_services.decision_record(review=review, by=request.user, **data)

    return _decision_step(
        request,
        review,
        DecisionForm,
        step="decision",
        record=record,
        template="reviews/decision/decision_record.html",
        context=context,
    )


@login_required
@require_http_methods(["GET", "POST"])
@recent_authentication_required
def decision_change(request, pk):
    review = get_review_for(request.user, pk, "decide")
    context = selectors.decision_page(review)
    log_access(request, what="The Independent Chair's decision", obj=review, review_id=review.pk)
    current = context["current"]
    context["blocker"] = ""
    if context["pending"] is not None:
        context["blocker"] = decision_services.AWAITING_BLOCKER
    elif current is None:
        context["blocker"] = "There is no decision to change yet."
    elif review.stage == Stage.CLOSED and current.outcome != Outcome.NO_FURTHER_ACTION:
        context["blocker"] = "The review is closed; its decision can no longer change."

    def record(data):
        return decision_services.decision_change(review=review, by=request.user, **data)

    return _decision_step(
        request,
        review,
        DecisionChangeForm,
        step="decision_change",
        record=record,
        template="reviews/decision/decision_change.html",
        context=context,
        initial={"version": version_of(current) if current else None},
    )


@login_required
@require_http_methods(["GET", "POST"])
@recent_authentication_required
def decision_agreement(request, pk):
    review = get_review_for(request.user, pk, "sign_off")
    context = selectors.agreement_page(review, request.user)
    log_access(request, what="The Independent Chair's decision", obj=review, review_id=review.pk)
    form = AgreementForm(posted(request))

    def record(data):
        return decision_services.decision_agreement_record(review=review, by=request.user, **data)

    done = take_step(
        request,
        form,
        record,
        success=f"Your answer for {request.user.agency} has been recorded.",
        then=reverse("reviews:detail", args=[review.pk]),
    )
    return done or render(
        request, "reviews/decision/decision_agreement.html", {**context, "form": form}
    )


@login_required
@require_http_methods(["GET", "POST"])
def notice_record(request, pk, recipient):
    if recipient not in NoticeRecipient.values:
        raise Http404
    review = get_review_for(request.user, pk, "manage")
    recipient = NoticeRecipient(recipient)
    notice = review.notices.filter(recipient=recipient).select_related("recorded_by").first()
    deadline = review.deadlines.filter(kind=deadlines.NOTICE_KINDS[recipient]).first()
    if deadline is not None:
        deadline.countdown = deadlines.countdown(
            deadline.due_date, timezone.localdate(), calendar()
        )
    form = NoticeForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            decision_services.national_notice_record(
                review=review, by=request.user, recipient=recipient, **form.cleaned_data
            )
        except WorkflowError as e:
            apply_workflow_error(form, e)
        else:
            messages.success(request, f"The notice to {recipient.label} has been recorded.")
            return redirect("reviews:detail", review.pk)
    current = deadlines.current_decision(review)
    return render(
        request,
        "reviews/decision/notice_record.html",
        {
            "review": review,
            "recipient": recipient,
            "notice": notice,
            "deadline": deadline,
            "is_lcspr": current is not None and current.outcome == Outcome.LCSPR,
            "form": form,
        },
    )


urlpatterns = [
    path("<int:pk>/decision/", decision_record, name="decision"),
    path("<int:pk>/decision/change/", decision_change, name="decision_change"),
    path("<int:pk>/decision/agreement/", decision_agreement, name="decision_agreement"),
    path("<int:pk>/notices/<str:recipient>/", notice_record, name="notice"),
]
