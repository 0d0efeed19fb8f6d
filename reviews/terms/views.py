"""A review's Terms of Reference: the current version with its comments, actions and versions;
editing the sections, key lines of enquiry and parallel processes of a draft; sharing it with
the panel; panel comments; the panel chair's agreement; a new version after agreement; any
version read-only and as a PDF."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lcspr.access_log.services import log_access
from lcspr.core.exceptions import WorkflowError
from lcspr.core.forms import apply_workflow_error
from lcspr.core.pdf import pdf_response, render_pdf
from lcspr.core.steps import posted, refuse
from lcspr.core.versions import version_of
from reviews.permissions import get_review_for
from reviews.publication import forms as proceeding_forms
from reviews.publication import services as proceedings
from reviews.terms import forms, selectors, services
from reviews.terms.models import TermsOfReference


def _not_editable(review) -> str:
    """Why there is nothing to edit now."""
    if not selectors.terms_started(review):
        return "The Terms of Reference have not been started yet."
    return (
        "The Terms of Reference have been agreed and can no longer change. To change them, "
        "start a new version with the reason for the change."
    )


def _log(request, review, what):
    log_access(request, what=what, obj=review, review_id=review.pk)


# --- reading ------------------------------------------------------------------------------------


@login_required
@require_GET
def terms(request, pk):
    review = get_review_for(request.user, pk, "view_tor")
    current = selectors.terms_current(review)
    _log(request, review, "Viewed the Terms of Reference")
    versions = selectors.terms_versions(review)
    return render(
        request,
        "reviews/terms/terms_detail.html",
        {
            "review": review,
            "terms": current,
            "versions": versions,
            "clock": selectors.terms_clock(review),
            "may_start_new_version": current is not None and not current.is_editable,
        },
    )


def _version(review, version) -> TermsOfReference:
    return get_object_or_404(selectors.terms_versions_with_sections(review), version=version)


@login_required
@require_GET
def terms_version(request, pk, version):
    review = get_review_for(request.user, pk, "view_tor")
    terms = _version(review, version)
    _log(request, review, f"Viewed version {version} of the Terms of Reference")
    return render(request, "reviews/terms/terms_version.html", {"review": review, "terms": terms})


@login_required
@require_GET
def terms_pdf(request, pk, version):
    review = get_review_for(request.user, pk, "view_tor")
    terms = _version(review, version)
    pdf = render_pdf(
        "pdf/terms_of_reference.html",
        {"review": review, "terms": terms},
        title=f"Terms of Reference v{terms.version} – {review.reference}",
    )
    _log(request, review, f"Downloaded version {version} of the Terms of Reference (PDF)")
    return pdf_response(pdf, filename=f"{review.reference}-terms-of-reference-v{version}.pdf")


# --- starting and new versions ------------------------------------------------------------------


@login_required
@require_POST
def terms_start(request, pk):
    review = get_review_for(request.user, pk, "edit_tor")
    try:
        services.tor_start(review=review, by=request.user)
    except WorkflowError as e:
        refuse(request, " ".join(e.messages))
    else:
        messages.success(request, "Version 1 of the Terms of Reference has been started.")
    return redirect("reviews:terms", review.pk)


@login_required
@require_http_methods(["GET", "POST"])
def terms_new_version(request, pk):
    review = get_review_for(request.user, pk, "edit_tor")
    current = selectors.terms_current(review)
    form = forms.NewVersionForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            terms = services.tor_new_version(
                review=review, by=request.user, reason=form.cleaned_data["reason"]
            )
        except WorkflowError as e:
            apply_workflow_error(form, e)
        else:
            messages.success(request, f"Version {terms.version} has been started as a draft.")
            return redirect("reviews:terms", review.pk)
    blocker = ""
    if current is None:
        blocker = "There is no agreed version to change yet."
    elif current.is_editable:
        blocker = f"Version {current.version} is still being drafted: change that one."
    context = {"review": review, "terms": current, "form": form, "blocker": blocker}
    return render(request, "reviews/terms/terms_new_version.html", context)


# --- editing a draft ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def terms_edit(request, pk):
    review = get_review_for(request.user, pk, "edit_tor")
    terms = selectors.terms_open(review)
    form = None
    if terms is not None:
        _log(request, review, "Opened the Terms of Reference to edit them")
        form = forms.TermsForm(
            posted(request),
            terms=terms,
            real_names=selectors.child_names(review),
            pseudonym=review.pseudonym,
        )
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            services.tor_update(terms=terms, by=request.user, **form.cleaned_data)
        except WorkflowError as e:
            apply_workflow_error(form, e)
        else:
            messages.success(request, f"Version {terms.version} has been saved.")
            return redirect("reviews:terms", review.pk)
    context = {"review": review, "terms": terms, "form": form, "blocker": _not_editable(review)}
    return render(request, "reviews/terms/terms_edit.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def terms_kloes(request, pk):
    review = get_review_for(request.user, pk, "edit_tor")
    terms = selectors.terms_open(review)
    form = None
    if terms is not None:
        _log(request, review, "Opened the key lines of enquiry to edit them")
        form = forms.KloesForm(
            posted(request),
            texts=[k.text for k in terms.kloes.all()],
            real_names=selectors.child_names(review),
            pseudonym=review.pseudonym,
        )
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            kept = services.kloes_set(terms=terms, by=request.user, texts=form.texts())
        except WorkflowError as e:
            apply_workflow_error(form, e)
        else:
            noun = "line" if len(kept) == 1 else "lines"
            messages.success(request, f"{len(kept)} key {noun} of enquiry saved.")
            return redirect("reviews:terms", review.pk)
    context = {"review": review, "terms": terms, "form": form, "blocker": _not_editable(review)}
    return render(request, "reviews/terms/terms_kloes.html", context)


# The parallel proceedings are the review's one record, which publication reads and changes too:
# the Terms of Reference list them as they stand, whichever version is being read.


@login_required
@require_http_methods(["GET", "POST"])
def terms_process_add(request, pk):
    review = get_review_for(request.user, pk, "edit_tor")
    started = selectors.terms_started(review)
    form = proceeding_forms.ProceedingForm(posted(request))
    if started and request.method == "POST" and form.is_valid():
        try:
            proceedings.proceeding_add(review=review, by=request.user, **form.cleaned_data)
        except WorkflowError as e:
            apply_workflow_error(form, e)
        else:
            messages.success(request, "The parallel process has been added.")
            return redirect("reviews:terms", review.pk)
    context = {"review": review, "started": started, "form": form, "blocker": _not_editable(review)}
    return render(request, "reviews/terms/terms_process_add.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def terms_process_edit(request, pk, process_pk):
    review = get_review_for(request.user, pk, "edit_tor")
    process = get_object_or_404(selectors.parallel_processes_for(review), pk=process_pk)
    initial = {f: getattr(process, f) for f in proceedings.PROCEEDING_FIELDS}
    initial["version"] = version_of(process)
    form = proceeding_forms.ProceedingEditForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            proceedings.proceeding_update(proceeding=process, by=request.user, **form.cleaned_data)
        except WorkflowError as e:
            apply_workflow_error(form, e)
        else:
            messages.success(request, "The parallel process has been updated.")
            return redirect("reviews:terms", review.pk)
    context = {"review": review, "started": True, "form": form, "process": process}
    return render(request, "reviews/terms/terms_process_add.html", context)


@login_required
@require_POST
def terms_process_remove(request, pk, process_pk):
    review = get_review_for(request.user, pk, "edit_tor")
    process = get_object_or_404(selectors.parallel_processes_for(review), pk=process_pk)
    try:
        proceedings.proceeding_remove(proceeding=process, by=request.user)
    except WorkflowError as e:
        refuse(request, " ".join(e.messages))
    else:
        messages.success(request, f"{process.get_kind_display()} removed.")
    return redirect("reviews:terms", review.pk)


# --- sharing, comments and agreement ------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def terms_share(request, pk):
    review = get_review_for(request.user, pk, "edit_tor")
    terms = selectors.terms_open(review)
    form = forms.ConfirmForm(posted(request))
    if terms is not None and request.method == "POST":
        try:
            services.tor_share(terms=terms, by=request.user)
        except WorkflowError as e:
            apply_workflow_error(form, e)
        else:
            messages.success(
                request, f"Version {terms.version} has been shared with the panel for comment."
            )
            return redirect("reviews:terms", review.pk)
    blocker = _not_editable(review) if terms is None else ""
    if terms is not None and terms.status != TermsOfReference.Status.DRAFT:
        blocker = f"Version {terms.version} is already shared with the panel for comment."
    _log(request, review, "Viewed the Terms of Reference")
    context = {"review": review, "terms": terms, "form": form, "blocker": blocker}
    if terms is not None:
        context["problems"] = services.agreement_problems(terms)
    return render(request, "reviews/terms/terms_share.html", context)


def _why_no_comment(terms) -> str:
    if terms is None or terms.status != TermsOfReference.Status.SHARED:
        return (
            "Comments are taken while a draft of the Terms of Reference is shared with the "
            "panel. There is no draft shared for comment now."
        )
    return ""


@login_required
@require_http_methods(["GET", "POST"])
def terms_comment(request, pk):
    review = get_review_for(request.user, pk, "comment_tor")
    terms = selectors.terms_current(review)
    form = forms.CommentForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            if terms is None:
                raise WorkflowError(_why_no_comment(terms))
            services.tor_comment_add(terms=terms, by=request.user, **form.cleaned_data)
        except WorkflowError as e:
            apply_workflow_error(form, e)
        else:
            messages.success(request, "Your comment has been added.")
            return redirect("reviews:terms", review.pk)
    _log(request, review, "Viewed the comments on the Terms of Reference")
    context = {"review": review, "terms": terms, "form": form, "blocker": _why_no_comment(terms)}
    return render(request, "reviews/terms/terms_comment.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def terms_agree(request, pk):
    review = get_review_for(request.user, pk, "agree_tor")
    terms = selectors.terms_current(review)
    form = forms.ConfirmForm(posted(request))
    if terms is not None and request.method == "POST":
        try:
            services.tor_agree(terms=terms, by=request.user)
        except WorkflowError as e:
            apply_workflow_error(form, e)
        else:
            messages.success(request, f"Version {terms.version} of the Terms of Reference agreed.")
            return redirect("reviews:terms", review.pk)
    blocker, problems = "", []
    if terms is None or terms.status != TermsOfReference.Status.SHARED:
        blocker = "There is no draft shared with the panel to agree."
    else:
        problems = services.agreement_problems(terms)
    _log(request, review, "Checked the Terms of Reference before agreeing them")
    context = {
        "review": review,
        "terms": terms,
        "form": form,
        "blocker": blocker,
        "problems": problems,
    }
    return render(request, "reviews/terms/terms_agree.html", context)


urlpatterns = [
    path("<int:pk>/terms/", terms, name="terms"),
    path("<int:pk>/terms/start/", terms_start, name="terms_start"),
    path("<int:pk>/terms/new-version/", terms_new_version, name="terms_new_version"),
    path("<int:pk>/terms/edit/", terms_edit, name="terms_edit"),
    path("<int:pk>/terms/key-lines-of-enquiry/", terms_kloes, name="terms_kloes"),
    path("<int:pk>/terms/parallel-processes/add/", terms_process_add, name="terms_process_add"),
    path(
        "<int:pk>/terms/parallel-processes/<int:process_pk>/",
        terms_process_edit,
        name="terms_process_edit",
    ),
    path(
        "<int:pk>/terms/parallel-processes/<int:process_pk>/remove/",
        terms_process_remove,
        name="terms_process_remove",
    ),
    path("<int:pk>/terms/share/", terms_share, name="terms_share"),
    path("<int:pk>/terms/comment/", terms_comment, name="terms_comment"),
    path("<int:pk>/terms/agree/", terms_agree, name="terms_agree"),
    path("<int:pk>/terms/v<int:version>/", terms_version, name="terms_version"),
    path("<int:pk>/terms/v<int:version>.pdf", terms_pdf, name="terms_pdf"),
]
