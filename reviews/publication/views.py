"""The publication pages."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.formats import date_format
from django.views.decorators.http import require_GET, require_http_methods

from lcspr.access_log.services import log_access
from lcspr.core.exceptions import WorkflowError
from lcspr.core.forms import apply_workflow_error
from lcspr.core.permissions import can
from lcspr.core.steps import posted
from lcspr.core.templatetags.govuk import first_widget_id
from lcspr.core.versions import version_of
from lcspr.core.working_days import calendar
from reviews.clocks.models import ClockSettings
from reviews.models import Review
from reviews.permissions import get_review_for
from reviews.publication import covering, forms, selectors, services
from reviews.report.services import live_approval

VIEW, MANAGE = "view_publication", "manage_publication"


def _context(review: Review, **extra) -> dict:
    """What every publication page shows about the plan: the record and its computed dates."""
    publication = selectors.publication_for(review)
    clocks = ClockSettings.load()
    return {
        "review": review,
        "publication": publication,
        "dates": selectors.publication_dates(publication, clocks=clocks, cal=calendar()),
        "sendings": selectors.sendings(publication),
        "all_sent": selectors.all_sent(publication),
        "clocks": clocks,
        **extra,
    }


def _published_lock(publication, doing: str) -> str:
    """Why a step can no longer be taken once the report is published, else ""."""
    if publication is not None and publication.is_published:
        published = date_format(publication.published_on, "j F Y")
        return f"The report was published on {published}: {doing} can no longer change."
    return ""


def _done(request, review, message: str):
    messages.success(request, message)
    return redirect("reviews:publication", review.pk)


@login_required
@require_GET
def publication(request, pk):
    review = get_review_for(request.user, pk, VIEW)
    log_access(request, what="Publication record", obj=review, review_id=review.pk)
    approval = live_approval(review)
    context = _context(review)
    record = context["publication"]
    context.update(
        approval=approval,
        proceedings=list(selectors.proceedings_for(review)),
        deferrals=review.publication_deferrals.select_related("recorded_by"),
        blockers=(
            []
            if record is not None and record.is_published
            else selectors.publication_blockers(
                review, record.planned_on if record else None, live_approval=approval
            )
        ),
        may_manage=can(request.user, MANAGE, review),
        may_see_family_log=can(request.user, "view_family", review),
    )
    return render(request, "reviews/publication/publication_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def publication_plan(request, pk):
    review = get_review_for(request.user, pk, MANAGE)
    context = _context(review)
    record = context["publication"]
    changing = record is not None and record.planned_on is not None
    initial = {"planned_on": record.planned_on} if changing else {}
    form = forms.PlanForm(posted(request), initial=initial, changing=changing)
    if request.method == "POST" and form.is_valid():
        try:
            services.publication_plan(review=review, by=request.user, **form.cleaned_data)
        except WorkflowError as e:
            apply_workflow_error(form, e)
        else:
            return _done(request, review, "The planned publication date has been saved.")
    context.update(form=form, changing=changing, locked=_published_lock(record, "the plan"))
    return render(request, "reviews/publication/publication_plan.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def publication_sent(request, pk, recipient):
    if recipient not in selectors.RECIPIENTS:
        raise Http404
    review = get_review_for(request.user, pk, MANAGE)
    field, body = selectors.RECIPIENTS[recipient]
    context = _context(review)
    record = context["publication"]
    form = forms.SentForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.publication_sent_record(
                review=review, by=request.user, recipient=recipient, **form.cleaned_data
            )
        except WorkflowError as e:
            apply_workflow_error(form, e)
        else:
            return _done(request, review, f"The date the report was sent to {body} is recorded.")
    approval = live_approval(review)
    context.update(
        form=form,
        body=body,
        sent_on=getattr(record, field) if record else None,
        signed_off=approval is not None and approval.is_signed_off,
        locked=_published_lock(record, "the date sent"),
    )
    return render(request, "reviews/publication/publication_sent.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def publication_family(request, pk):
    review = get_review_for(request.user, pk, MANAGE)
    log_access(request, what="Publication: the family record", obj=review, review_id=review.pk)
    context = _context(review)
    record = context["publication"]
    initial = {}
    if record is not None:
        initial = {"offered_on": record.family_offered_on, "response": record.family_response}
    form = forms.FamilyForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.publication_family_record(review=review, by=request.user, **form.cleaned_data)
        except WorkflowError as e:
            apply_workflow_error(form, e)
        else:
            return _done(request, review, "The family record has been saved.")
    context.update(
        form=form,
        may_see_family_log=can(request.user, "view_family", review),
        locked=_published_lock(record, "the family record"),
    )
    return render(request, "reviews/publication/publication_family.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def publication_improvements(request, pk):
    review = get_review_for(request.user, pk, MANAGE)
    context = _context(review)
    record = context["publication"]
    initial = {}
    if record is not None:
        initial = {
            "published": forms.ImprovementsForm.IMPROVEMENTS
            if record.improvements_only
            else forms.ImprovementsForm.FULL,
            "reason": record.improvements_reason,
        }
    form = forms.ImprovementsForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.publication_improvements_only_set(
                review=review,
                by=request.user,
                improvements_only=form.improvements_only,
                reason=form.cleaned_data["reason"],
            )
        except WorkflowError as e:
            apply_workflow_error(form, e)
        else:
            return _done(request, review, "What will be published has been saved.")
    context.update(form=form, locked=_published_lock(record, "what is published"))
    return render(request, "reviews/publication/publication_improvements.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def publication_proceeding_add(request, pk):
    review = get_review_for(request.user, pk, MANAGE)
    form = forms.ProceedingForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.proceeding_add(review=review, by=request.user, **form.cleaned_data)
        except WorkflowError as e:
            apply_workflow_error(form, e)
        else:
            return _done(request, review, "The proceedings have been recorded.")
    return render(
        request, "reviews/publication/publication_proceeding.html", {"review": review, "form": form}
    )


@login_required
@require_http_methods(["GET", "POST"])
def publication_proceeding_edit(request, pk, proceeding_pk):
    review = get_review_for(request.user, pk, MANAGE)
    proceeding = get_object_or_404(selectors.proceedings_for(review), pk=proceeding_pk)
    initial = {f: getattr(proceeding, f) for f in services.PROCEEDING_FIELDS}
    initial["version"] = version_of(proceeding)
    form = forms.ProceedingEditForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.proceeding_update(proceeding=proceeding, by=request.user, **form.cleaned_data)
        except WorkflowError as e:
            apply_workflow_error(form, e)
        else:
            return _done(request, review, "The proceedings have been updated.")
    return render(
        request,
        "reviews/publication/publication_proceeding.html",
        {"review": review, "form": form, "proceeding": proceeding},
    )


CONFIRM_SKIP = {"csrfmiddlewaretoken", "confirm"}


def _draft_key(review: Review) -> str:
    return f"reviews:publish:{review.pk}"


def _answers(request) -> dict:
    return {k: v for k, v in request.POST.items() if k not in CONFIRM_SKIP}


def _check_rows(form) -> list[dict]:
    """The summary list of the valid form's answers, each with the id its "Change" link targets."""
    rows = []
    for name, field in form.fields.items():
        value = form.cleaned_data[name]
        if isinstance(value, datetime.date):
            value = date_format(value, "j F Y")
        rows.append({"label": field.label, "value": value, "anchor": first_widget_id(form[name])})
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def publication_publish(request, pk):
    review = get_review_for(request.user, pk, MANAGE)
    context = _context(review)
    record = context["publication"]
    key = _draft_key(review)
    if request.method == "POST":
        form = forms.PublishForm(request.POST)
        if form.is_valid():
            blockers = selectors.publication_blockers(review, form.cleaned_data["published_on"])
            for blocker in blockers:
                form.add_error(None, blocker)
        if form.is_valid() and request.POST.get("confirm") != "yes":
            request.session[key] = _answers(request)
            context.update(
                rows=_check_rows(form),
                answers=_answers(request),
                change_url=reverse("reviews:publication_publish", args=[review.pk]),
            )
            return render(request, "reviews/publication/publication_check.html", context)
        if form.is_valid():
            try:
                services.report_publish(review=review, by=request.user, **form.cleaned_data)
            except WorkflowError as e:
                apply_workflow_error(form, e)
            else:
                request.session.pop(key, None)
                return _done(request, review, "The publication has been recorded.")
    elif "change" in request.GET and key in request.session:
        form = forms.PublishForm(request.session[key])
    else:
        form = forms.PublishForm()
    locked = _published_lock(record, "the published record")
    blockers = [] if locked else selectors.publication_blockers(review)
    context.update(form=form, locked=locked, blockers=blockers)
    return render(request, "reviews/publication/publication_publish.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def publication_removed(request, pk):
    review = get_review_for(request.user, pk, MANAGE)
    context = _context(review)
    form = forms.RemovedForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.publication_removed_record(review=review, by=request.user, **form.cleaned_data)
        except WorkflowError as e:
            apply_workflow_error(form, e)
        else:
            return _done(request, review, "The date the report came down is recorded.")
    context["form"] = form
    return render(request, "reviews/publication/publication_removed.html", context)


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _covering(request, review):
    """(groups, problem): the covering information, or why there is none yet (409)."""
    approval = live_approval(review)
    problem = covering.blocker(review, approval)
    if problem:
        return None, render(
            request,
            "reviews/publication/publication_covering_refused.html",
            {"review": review, "problem": problem, "sections": []},
            status=409,
        )
    return covering.covering_information(review, approval=approval, contact=request.user), None


@login_required
@require_GET
def publication_covering(request, pk):
    """The covering information for the final report, each answer ready to copy into what goes
    to the National Panel, the DfE and Ofsted; the sending is recorded on the publication page."""
    review = get_review_for(request.user, pk, MANAGE)
    groups, refused = _covering(request, review)
    if refused:
        return refused
    log_access(
        request, what="Covering information for the final report", obj=review, review_id=review.pk
    )
    context = _context(review)
    context.update(
        groups=groups,
        missing=sum(1 for group in groups for answer in group.answers if not answer.answer),
        names_in=covering.names_found(review, groups),
    )
    return render(request, "reviews/publication/publication_covering.html", context)


@login_required
@require_GET
def publication_covering_docx(request, pk):
    """The covering information as Word; refused while a child's real name is in it."""
    review = get_review_for(request.user, pk, MANAGE)
    groups, refused = _covering(request, review)
    if refused:
        return refused
    found = covering.names_found(review, groups)
    if found:
        problem = (
            "A child's real name is in the covering information: it names the child only as "
            f"{review.pseudonym}. Change these parts first."
        )
        return render(
            request,
            "reviews/publication/publication_covering_refused.html",
            {"review": review, "problem": problem, "sections": found},
            status=409,
        )
    log_access(
        request,
        what="Downloaded the covering information for the final report",
        obj=review,
        review_id=review.pk,
    )
    response = HttpResponse(covering.document(review, groups), content_type=DOCX)
    response["Content-Disposition"] = (
        f'attachment; filename="{review.reference}-covering-information.docx"'
    )
    return response


urlpatterns = [
    path("<int:pk>/publication/", publication, name="publication"),
    path("<int:pk>/publication/plan/", publication_plan, name="publication_plan"),
    path("<int:pk>/publication/sent/<str:recipient>/", publication_sent, name="publication_sent"),
    path("<int:pk>/publication/family/", publication_family, name="publication_family"),
    path(
        "<int:pk>/publication/improvements-only/",
        publication_improvements,
        name="publication_improvements",
    ),
    path(
        "<int:pk>/publication/proceedings/add/",
        publication_proceeding_add,
        name="publication_proceeding_add",
    ),
    path(
        "<int:pk>/publication/proceedings/<int:proceeding_pk>/",
        publication_proceeding_edit,
        name="publication_proceeding_edit",
    ),
    path("<int:pk>/publication/publish/", publication_publish, name="publication_publish"),
    path("<int:pk>/publication/removed/", publication_removed, name="publication_removed"),
    path("<int:pk>/publication/covering/", publication_covering, name="publication_covering"),
    path(
        "<int:pk>/publication/covering.docx",
        publication_covering_docx,
        name="publication_covering_docx",
    ),
]
