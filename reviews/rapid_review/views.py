"""The rapid review pages the partnership manager and the statutory partner leads use."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import dateformat, timezone
from django.views.decorators.http import require_GET, require_http_methods

from lcspr.access_log.services import log_access
from lcspr.accounts.reauth import recent_authentication_required
from lcspr.core.exceptions import WorkflowError
from lcspr.core.forms import Form, apply_workflow_error
from lcspr.core.pdf import pdf_response, render_pdf
from lcspr.core.steps import posted
from lcspr.core.text import in_sentence
from lcspr.core.working_days import calendar
from reviews.clocks import deadlines
from reviews.models import Stage
from reviews.permissions import get_review_for, reviews_for_user
from reviews.rapid_review import forms, panel_template, services
from reviews.rapid_review.forms import criteria_ticked
from reviews.rapid_review.models import RapidReview
from reviews.referral import selectors as referral_selectors


def _rapid_review_of(review) -> RapidReview | None:
    try:
        return review.rapid_review
    except RapidReview.DoesNotExist:
        return None


def _why_locked(review, rapid_review) -> str:
    """Why the rapid review can no longer change, or "" while it can."""
    if review.stage == Stage.RAPID_REVIEW:
        return ""
    if rapid_review is None:
        return (
            "The rapid review starts once the serious incident notification is recorded, "
            "so nothing can be recorded here yet."
        )
    if rapid_review.sent_to_panel_on:
        return (
            f"The rapid review was sent to the National Panel on "
            f"{dateformat.format(rapid_review.sent_to_panel_on, 'j F Y')}, so it can no longer "
            "change."
        )
    return (
        f"The review is at the {in_sentence(review.get_stage_display())} stage, so the rapid "
        "review can no longer change."
    )


def _summary_requests(review):
    """The review's agency summary requests, each with its working-day countdown."""
    today, cal = timezone.localdate(), calendar()
    requests = list(review.agency_summaries.select_related("agency"))
    for request in requests:
        request.countdown = deadlines.countdown(request.due_date, today, cal)
    return requests


@login_required
@require_http_methods(["GET", "POST"])
def rapid_review_edit(request, pk):
    review = get_review_for(request.user, pk, "manage")
    rapid_review = _rapid_review_of(review)
    form = forms.RapidReviewForm(
        posted(request), initial=forms.RapidReviewForm.initial_from(rapid_review)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.rapid_review_update(review=review, by=request.user, **form.service_fields())
        except WorkflowError as e:
            apply_workflow_error(form, e)
        else:
            messages.success(request, "The rapid review's findings were saved.")
            return redirect("reviews:detail", pk=review.pk)
    log_access(request, what="Viewed the rapid review", obj=review, review_id=review.pk)
    context = {
        "review": review,
        "rapid_review": rapid_review,
        "form": form,
        "locked": _why_locked(review, rapid_review),
        "criteria": criteria_ticked(rapid_review) if rapid_review else [],
        "meetings": rapid_review.meetings.all() if rapid_review else [],
        "actions": rapid_review.immediate_actions.select_related("lead_agency")
        if rapid_review
        else [],
        "summary_requests": _summary_requests(review),
        # Whether the case highlights improvements previously identified (reg. 11): the other
        # reviews of the same child or family, explained without names on this page.
        "other_reviews": referral_selectors.other_reviews(
            review, visible=reviews_for_user(request.user), details=False
        ),
        # Sending is offered once every statutory partner has signed off the recommendation.
        "ready_to_send": bool(
            rapid_review
            and rapid_review.recommendation
            and not services.missing_sign_offs(rapid_review)
        ),
    }
    return render(request, "reviews/rapid_review/rapid_review_edit.html", context)


def _add_page(request, pk, *, form_class, service, success, template, form_kwargs=None):
    """The shared shape of the rapid review's "add one more" pages: the task list links to them,
    and the person lands back on it, where the next step is."""
    review = get_review_for(request.user, pk, "manage")
    form = form_class(posted(request), **(form_kwargs(review) if form_kwargs else {}))
    if request.method == "POST" and form.is_valid():
        try:
            service(review=review, by=request.user, **form.cleaned_data)
        except WorkflowError as e:
            apply_workflow_error(form, e)
        else:
            messages.success(request, success)
            return redirect("reviews:detail", pk=review.pk)
    locked = _why_locked(review, _rapid_review_of(review))
    return render(request, template, {"review": review, "form": form, "locked": locked})


@login_required
@require_http_methods(["GET", "POST"])
def meeting_add(request, pk):
    return _add_page(
        request,
        pk,
        form_class=forms.MeetingForm,
        service=services.rapid_review_meeting_add,
        success="The rapid review meeting was recorded.",
        template="reviews/rapid_review/rapid_review_meeting_add.html",
    )


@login_required
@require_http_methods(["GET", "POST"])
def immediate_action_add(request, pk):
    return _add_page(
        request,
        pk,
        form_class=forms.ImmediateActionForm,
        service=services.immediate_action_add,
        success="The immediate action was recorded.",
        template="reviews/rapid_review/rapid_review_action_add.html",
    )


@login_required
@require_http_methods(["GET", "POST"])
def summary_request_add(request, pk):
    return _add_page(
        request,
        pk,
        form_class=forms.SummaryRequestForm,
        service=services.agency_summary_request,
        success="The agency was asked for its summary.",
        template="reviews/rapid_review/agency_summary_request_add.html",
        form_kwargs=lambda review: {"review": review},
    )


@login_required
@require_http_methods(["GET", "POST"])
def recommendation(request, pk):
    review = get_review_for(request.user, pk, "manage")
    rapid_review = _rapid_review_of(review)
    initial = {}
    if rapid_review:
        initial = {
            "recommendation": rapid_review.recommendation,
            "rationale": rapid_review.recommendation_rationale,
        }
    form = forms.RecommendationForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.recommendation_record(review=review, by=request.user, **form.cleaned_data)
        except WorkflowError as e:
            apply_workflow_error(form, e)
        else:
            messages.success(request, "The recommendation was recorded.")
            return redirect("reviews:detail", pk=review.pk)
    context = {
        "review": review,
        "form": form,
        "locked": _why_locked(review, rapid_review),
        "sign_off_count": rapid_review.sign_offs.count() if rapid_review else 0,
    }
    return render(request, "reviews/rapid_review/rapid_review_recommendation.html", context)


def _partners_signed(rapid_review) -> list[dict]:
    """Each statutory partner with its sign-off, if any."""
    signed = {}
    if rapid_review:
        signed = {s.agency_id: s for s in rapid_review.sign_offs.select_related("signed_by")}
    return [
        {"agency": agency, "sign_off": signed.get(agency.pk)}
        for agency in services.statutory_partners()
    ]


@login_required
@require_http_methods(["GET", "POST"])
@recent_authentication_required
def sign_off(request, pk):
    review = get_review_for(request.user, pk, "sign_off")
    rapid_review = _rapid_review_of(review)
    form = Form(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.partner_sign_off(review=review, by=request.user)
        except WorkflowError as e:
            apply_workflow_error(form, e)
        else:
            messages.success(request, f"You signed off the rapid review for {request.user.agency}.")
            return redirect("reviews:detail", pk=review.pk)
    log_access(
        request, what="Viewed the rapid review for sign-off", obj=review, review_id=review.pk
    )
    partners = _partners_signed(rapid_review)
    own = next((p["sign_off"] for p in partners if p["agency"].pk == request.user.agency_id), None)
    context = {
        "review": review,
        "rapid_review": rapid_review,
        "form": form,
        "locked": _why_locked(review, rapid_review),
        "criteria": criteria_ticked(rapid_review) if rapid_review else [],
        "partners": partners,
        "own_sign_off": own,
    }
    return render(request, "reviews/rapid_review/rapid_review_sign_off.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def send(request, pk):
    review = get_review_for(request.user, pk, "manage")
    rapid_review = _rapid_review_of(review)
    form = forms.SendForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.rapid_review_send(review=review, by=request.user, **form.cleaned_data)
        except WorkflowError as e:
            apply_workflow_error(form, e)
        else:
            messages.success(
                request, "The rapid review was recorded as sent to the National Panel."
            )
            return redirect("reviews:detail", pk=review.pk)
    context = {
        "review": review,
        "rapid_review": rapid_review,
        "form": form,
        "locked": _why_locked(review, rapid_review),
        "missing": services.missing_sign_offs(rapid_review) if rapid_review else [],
    }
    return render(request, "reviews/rapid_review/rapid_review_send.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def panel_response(request, pk):
    review = get_review_for(request.user, pk, "manage")
    rapid_review = _rapid_review_of(review)
    initial = {}
    if rapid_review and rapid_review.panel_response:
        initial = {
            "response": rapid_review.panel_response,
            "response_on": rapid_review.panel_response_on,
            "notes": rapid_review.panel_response_notes,
        }
    form = forms.PanelResponseForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.panel_response_record(review=review, by=request.user, **form.cleaned_data)
        except WorkflowError as e:
            apply_workflow_error(form, e)
        else:
            messages.success(request, "The National Panel's response was recorded.")
            return redirect("reviews:detail", pk=review.pk)
    context = {"review": review, "rapid_review": rapid_review, "form": form}
    return render(request, "reviews/rapid_review/rapid_review_panel_response.html", context)


def _pdf_context(review, rapid_review) -> dict:
    """What the rapid review record shows. Deliberately no children's identities: the record
    goes outside the partnership."""
    notification = getattr(review, "notification", None) if rapid_review else None
    return {
        "review": review,
        "notification": notification,
        "looked_after_death_notice": referral_selectors.looked_after_death_notice(review),
        "rapid_review": rapid_review,
        "meetings": list(rapid_review.meetings.all()) if rapid_review else [],
        "actions": list(rapid_review.immediate_actions.select_related("lead_agency"))
        if rapid_review
        else [],
        "summaries": list(
            review.agency_summaries.filter(received_on__isnull=False).select_related("agency")
        ),
        "criteria": criteria_ticked(rapid_review) if rapid_review else [],
        "sign_offs": list(rapid_review.sign_offs.select_related("agency", "signed_by"))
        if rapid_review
        else [],
    }


@login_required
@require_GET
def rapid_review_pdf(request, pk):
    review = get_review_for(request.user, pk, "view_rapid_review")
    rapid_review = _rapid_review_of(review)
    pdf = render_pdf(
        "pdf/rapid_review.html",
        _pdf_context(review, rapid_review),
        title=f"Rapid review {review.reference}",
    )
    log_access(request, what="Downloaded the rapid review PDF", obj=review, review_id=review.pk)
    return pdf_response(pdf, filename=f"{review.reference}-rapid-review.pdf")


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@login_required
@require_GET
def rapid_review_docx(request, pk):
    """The rapid review in the National Panel's template, as Word, pseudonymised. Refused, with
    where to look, while a recorded child's real name is still in the text."""
    review = get_review_for(request.user, pk, "view_rapid_review")
    rapid_review = _rapid_review_of(review)
    if rapid_review is None:
        problem, found = "The rapid review has not started yet: there is nothing to send.", []
    else:
        sections = panel_template.parts(review, rapid_review)
        found = panel_template.names_found(review, sections)
        problem = (
            "A child's real name is still in the rapid review: the document for the National "
            "Panel names the child only as " + review.pseudonym + ". Edit these sections first."
            if found
            else ""
        )
    if problem:
        return render(
            request,
            "reviews/rapid_review/panel_template_refused.html",
            {"review": review, "problem": problem, "sections": found},
            status=409,
        )
    content = panel_template.document(review, sections)
    log_access(
        request,
        what="Downloaded the rapid review in the National Panel's template",
        obj=review,
        review_id=review.pk,
    )
    response = HttpResponse(content, content_type=DOCX)
    response["Content-Disposition"] = (
        f'attachment; filename="{review.reference}-rapid-review-for-the-national-panel.docx"'
    )
    return response


urlpatterns = [
    path("<int:pk>/rapid-review/", rapid_review_edit, name="rapid_review"),
    path("<int:pk>/rapid-review/meetings/add/", meeting_add, name="meeting_add"),
    path("<int:pk>/rapid-review/actions/add/", immediate_action_add, name="immediate_action_add"),
    path("<int:pk>/agency-summaries/add/", summary_request_add, name="summary_request_add"),
    path("<int:pk>/recommendation/", recommendation, name="recommendation"),
    path("<int:pk>/sign-off/", sign_off, name="sign_off"),
    path("<int:pk>/send/", send, name="send"),
    path("<int:pk>/panel-response/", panel_response, name="panel_response"),
    path("<int:pk>/rapid-review.pdf", rapid_review_pdf, name="rapid_review_pdf"),
    path("<int:pk>/rapid-review.docx", rapid_review_docx, name="rapid_review_docx"),
]
