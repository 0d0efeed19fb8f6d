"""The report pages: drafts, versions, comments, approval and sign-off."""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods

from lcspr.access_log.services import log_access
from lcspr.accounts.reauth import recent_authentication_required
from lcspr.core.exceptions import WorkflowError
from lcspr.core.forms import apply_workflow_error
from lcspr.core.pdf import CannotStamp, stamp_pdf
from lcspr.core.permissions import can
from lcspr.core.steps import posted
from lcspr.core.text import in_sentence
from lcspr.core.uploads import document_content_type
from reviews.permissions import get_review_for
from reviews.report import anonymisation, forms, selectors, services
from reviews.report.models import CheckPurpose, NameCategory, ReportComment, ReportKind

logger = logging.getLogger(__name__)


DRAFT_MARKING = "DRAFT — OFFICIAL-SENSITIVE"


FINAL_MARKING = "OFFICIAL-SENSITIVE"


KIND_ORDER = [ReportKind.OVERVIEW, ReportKind.EXECUTIVE_SUMMARY]


def _log(request, review, what, obj=None):
    log_access(request, what=what, obj=obj or review, review_id=review.pk)


def _version_for(user, pk, version_pk):
    """The review and one of its versions. Readers of the final report only (the sub-group,
    the Executive Partnership) get 403 for anything but the signed-off final versions."""
    review = get_review_for(user, pk, "view_final")
    version = selectors.version_or_404(review, version_pk)
    may_drafts = can(user, "view_drafts", review)
    if not may_drafts and not services.is_final(version, services.live_approval(review)):
        raise PermissionDenied
    return review, version, may_drafts


@login_required
@require_GET
def report_detail(request, pk):
    review = get_review_for(request.user, pk, "view_final")
    may_drafts = can(request.user, "view_drafts", review)
    approval = services.live_approval(review)
    context = {"review": review, "approval": approval, "may_drafts": may_drafts}
    if may_drafts:
        versions = selectors.versions_with_open_comments(review)
        versions.sort(key=lambda v: (KIND_ORDER.index(v.kind), -v.number))
        context["documents"] = [
            {
                "kind": kind,
                "current": next((v for v in versions if v.kind == kind and v.is_current), None),
                "older": [v for v in versions if v.kind == kind and not v.is_current],
            }
            for kind in KIND_ORDER
        ]
        context["ended_approvals"] = selectors.ended_approvals(review)
        context["approved_pks"] = {v.pk for v in approval.versions} if approval else set()
        _log(request, review, "Viewed the report drafts")
    else:
        final = approval if approval and approval.is_signed_off else None
        context["final_versions"] = final.versions if final else []
        _log(request, review, "Viewed the final report")
    return render(request, "reviews/report/report_detail.html", context)


@login_required
@require_GET
def report_version(request, pk, version_pk):
    review, version, may_drafts = _version_for(request.user, pk, version_pk)
    approval = services.live_approval(review)
    in_approval = approval is not None and version.pk in {v.pk for v in approval.versions}
    context = {
        "review": review,
        "version": version,
        "may_drafts": may_drafts,
        "in_approval": in_approval,
        "open_for_comment": version.is_current and not in_approval,
    }
    if may_drafts:
        context["comments"] = selectors.comments(version)
        if version.is_current and version.number > 1:
            # What the panel raised on the version before and was not resolved: the author
            # should show how the new version answers it.
            context["carried_over"] = selectors.carried_over_comments(review, version)
            context["previous_number"] = version.number - 1
    _log(request, review, f"Viewed {version}", version)
    return render(request, "reviews/report/report_version.html", context)


def _file_problem(request, review, version, message, status):
    """A page saying the file cannot be served; nothing of the file is sent."""
    return render(
        request,
        "reviews/report/report_file_problem.html",
        {"review": review, "version": version, "message": message},
        status=status,
    )


def _refuse_tampered(request, review, version, error):
    logger.error("Report file integrity check failed for version %s: %s", version.pk, error)
    _log(request, review, f"Refused {version}: the stored file failed its integrity check", version)
    return _file_problem(
        request,
        review,
        version,
        "The stored file does not match the file that was uploaded, so it cannot be shown. "
        "Nothing has been downloaded. Tell the partnership manager, who will ask the author "
        "to upload the version again.",
        status=409,
    )


def _no_store(response):
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def report_download(request, pk, version_pk):
    review, version, _ = _version_for(request.user, pk, version_pk)
    try:
        file = services.open_checked(version)
    except services.FileTampered as e:
        return _refuse_tampered(request, review, version, e)
    _log(request, review, f"Downloaded {version}", version)
    response = FileResponse(
        file,
        as_attachment=True,
        filename=version.file_name,
        content_type=document_content_type(version.file_name),
    )
    return _no_store(response)


@login_required
@require_GET
def report_view_online(request, pk, version_pk):
    review, version, _ = _version_for(request.user, pk, version_pk)
    if not version.is_pdf:
        raise Http404("Only a PDF can be viewed online.")
    try:
        with services.open_checked(version) as file:
            data = file.read()
    except services.FileTampered as e:
        return _refuse_tampered(request, review, version, e)
    final = services.is_final(version, services.live_approval(review))
    try:
        stamped = stamp_pdf(data, FINAL_MARKING if final else DRAFT_MARKING)
    except CannotStamp:
        message = "This PDF cannot be shown online with its marking. Download it instead."
        return _file_problem(request, review, version, message, status=422)
    _log(request, review, f"Viewed {version} online", version)
    response = HttpResponse(stamped, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=False, filename=version.file_name
    )
    return _no_store(response)


@login_required
@require_http_methods(["GET", "POST"])
def report_upload(request, pk):
    review = get_review_for(request.user, pk, "upload_draft")
    approval = services.live_approval(review)
    form = forms.UploadForm(
        posted(request),
        request.FILES if request.method == "POST" else None,
        reopening=approval is not None,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            version = services.report_version_upload(
                review=review,
                by=request.user,
                kind=data["kind"],
                file=data["file"],
                change_note=data["change_note"],
                reopen_reason=data.get("reopen_reason", ""),
            )
        except WorkflowError as e:
            apply_workflow_error(form, e)
        else:
            messages.success(request, f"{version} has been shared with the panel.")
            return redirect("reviews:report_version", review.pk, version.pk)
    context = {
        "review": review,
        "form": form,
        "approval": approval,
        "current": services.current_versions(review),
    }
    return render(request, "reviews/report/report_upload.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def report_respond(request, pk, comment_pk):
    review = get_review_for(request.user, pk, "respond_comment")
    comment = selectors.comment_or_404(review, comment_pk)
    form = forms.RespondForm(posted(request), initial={"response": comment.response})
    if request.method == "POST" and form.is_valid():
        try:
            services.report_comment_respond(comment=comment, by=request.user, **form.cleaned_data)
        except WorkflowError as e:
            apply_workflow_error(form, e)
        else:
            messages.success(request, f"Your response to {comment.author} has been saved.")
            return redirect("reviews:report_version", review.pk, comment.version_id)
    blocker = ""
    if comment.status == ReportComment.Status.CLOSED:
        blocker = "This comment was closed when a newer version was shared."
    elif comment.status == ReportComment.Status.RESOLVED:
        blocker = "This comment has already been resolved."
    _log(request, review, f"Viewed a comment on {comment.version}", comment)
    context = {"review": review, "comment": comment, "form": form, "blocker": blocker}
    return render(request, "reviews/report/report_respond.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def report_comment(request, pk, version_pk):
    review = get_review_for(request.user, pk, "comment_draft")
    version = selectors.version_or_404(review, version_pk)
    form = forms.CommentForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.report_comment_add(version=version, by=request.user, **form.cleaned_data)
        except WorkflowError as e:
            apply_workflow_error(form, e)
        else:
            messages.success(request, f"Your comment on {version} has been added.")
            return redirect("reviews:report_version", review.pk, version.pk)
    approval = services.live_approval(review)
    blocker = ""
    if not version.is_current:
        blocker = f"{version} has been replaced by a newer version: comment on the current one."
    elif approval is not None and version.pk in {v.pk for v in approval.versions}:
        blocker = f"{version} has been approved as final, so comments are closed."
    context = {"review": review, "version": version, "form": form, "blocker": blocker}
    return render(request, "reviews/report/report_comment.html", context)


def _anonymisation_preview(request, review, versions):
    """What the anonymisation check would find in each version now, for the panel chair to see
    before approving. Only those allowed to see the restricted list see the words found."""
    may_see_names = can(request.user, "view_names", review)
    has_names = review.restricted_names.exists()
    rows = []
    for version in versions:
        row = {"version": version, "findings": [], "error": "", "categories": []}
        if has_names:
            try:
                row["findings"] = anonymisation.scan_version(version)
            except WorkflowError as e:
                row["error"] = " ".join(e.messages)
            row["categories"] = sorted(
                {in_sentence(NameCategory(f["category"]).label) for f in row["findings"]}
            )
        rows.append(row)
    return {"rows": rows, "has_names": has_names, "may_see_names": may_see_names}


@login_required
@require_http_methods(["GET", "POST"])
@recent_authentication_required
def report_approve(request, pk):
    review = get_review_for(request.user, pk, "approve_report")
    approval = services.live_approval(review)
    current = services.current_versions(review)
    overview = current.get(ReportKind.OVERVIEW)
    summary = current.get(ReportKind.EXECUTIVE_SUMMARY)
    versions = [v for v in (overview, summary) if v is not None]
    form = forms.ApproveForm(
        posted(request),
        initial={"overview": overview and overview.pk, "executive_summary": summary and summary.pk},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.report_approve(
                review=review,
                by=request.user,
                overview=selectors.chosen_version(review, data["overview"]),
                executive_summary=selectors.chosen_version(review, data["executive_summary"]),
                note=data["note"],
            )
        except WorkflowError as e:
            apply_workflow_error(form, e)
        else:
            messages.success(request, "The report has been approved as final.")
            return redirect("reviews:report_detail", review.pk)
    blocker = ""
    if approval is not None:
        blocker = f"{approval.overview} has already been approved as final."
    elif overview is None:
        blocker = "There is no draft of the Overview Report to approve yet."
    context = {"review": review, "form": form, "blocker": blocker, "versions": versions}
    if not blocker:
        context["open_comments"] = selectors.open_comments(versions)
        context["anonymisation"] = _anonymisation_preview(request, review, versions)
    _log(request, review, "Checked the report before approving it")
    return render(request, "reviews/report/report_approve.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@recent_authentication_required
def report_sign_off(request, pk):
    review = get_review_for(request.user, pk, "sign_off_report")
    approval = services.live_approval(review)
    form = forms.SignOffForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.report_sign_off(review=review, by=request.user, note=form.cleaned_data["note"])
        except WorkflowError as e:
            apply_workflow_error(form, e)
        else:
            messages.success(request, "The report has been signed off for the partnership.")
            return redirect("reviews:report_detail", review.pk)
    blocker = ""
    if approval is None:
        blocker = "The panel chair has not approved a final version of the report yet."
    elif approval.is_signed_off:
        blocker = "The report has already been signed off."
    context = {"review": review, "form": form, "blocker": blocker, "approval": approval}
    if approval is not None:
        checks = anonymisation.latest_checks(approval.versions, CheckPurpose.APPROVAL)
        context["checks"] = [(v, checks.get(v.pk)) for v in approval.versions]
    _log(request, review, "Checked the report before signing it off")
    return render(request, "reviews/report/report_sign_off.html", context)


urlpatterns = [
    path("<int:pk>/report/", report_detail, name="report_detail"),
    path("<int:pk>/report/upload/", report_upload, name="report_upload"),
    path("<int:pk>/report/approve/", report_approve, name="report_approve"),
    path("<int:pk>/report/sign-off/", report_sign_off, name="report_sign_off"),
    path("<int:pk>/report/versions/<int:version_pk>/", report_version, name="report_version"),
    path(
        "<int:pk>/report/versions/<int:version_pk>/comment/",
        report_comment,
        name="report_comment",
    ),
    path(
        "<int:pk>/report/versions/<int:version_pk>/download/",
        report_download,
        name="report_download",
    ),
    path(
        "<int:pk>/report/versions/<int:version_pk>/view/",
        report_view_online,
        name="report_view_online",
    ),
    path(
        "<int:pk>/report/comments/<int:comment_pk>/respond/",
        report_respond,
        name="report_respond",
    ),
]
