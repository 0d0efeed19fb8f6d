"""The report's steps: uploading drafts, comments and responses, approval and sign-off."""

import os

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from lcspr.core.exceptions import WorkflowError
from lcspr.core.services import lock_row, save_with_history, timeline_event
from lcspr.core.uploads import check_document, sha256_of
from reviews import waiting
from reviews.clocks import deadlines
from reviews.models import ReportStatus, Review, Stage
from reviews.publication.models import Publication
from reviews.report.models import (
    CheckPurpose,
    ReportApproval,
    ReportComment,
    ReportKind,
    ReportVersion,
)
from reviews.workflow import require_stage

PUBLISHED_STATUSES = (ReportStatus.PUBLISHED, ReportStatus.IMPROVEMENTS_PUBLISHED)


class FileTampered(Exception):
    """A stored report file is missing or no longer matches the SHA-256 taken at upload: it
    must not be served, because nobody can say it is the version the panel saw."""


def live_approvals():
    """The panel chairs' approvals that stand (not voided by a later version), with what their
    pages show."""
    return ReportApproval.objects.filter(voided_at__isnull=True).select_related(
        "overview", "executive_summary", "approved_by", "signed_off_by", "overview__uploaded_by"
    )


def live_approval(review: Review) -> ReportApproval | None:
    """The panel chair's approval that stands (not voided by a later version), if any."""
    return live_approvals().filter(review=review).first()


def current_versions(review: Review) -> dict[str, ReportVersion]:
    """The current (not superseded) version of each document, by kind."""
    versions = review.report_versions.filter(superseded_at__isnull=True).select_related(
        "uploaded_by"
    )
    return {v.kind: v for v in versions}


def is_final(version: ReportVersion, approval: ReportApproval | None) -> bool:
    """Whether `version` is part of a live approval that has been signed off: the final report
    that the sub-group and the Executive Partnership may read."""
    return (
        approval is not None
        and approval.is_live
        and approval.is_signed_off
        and version.pk in {v.pk for v in approval.versions}
    )


def open_checked(version: ReportVersion):
    """The stored file of `version`, open at its start, after proving it is the file uploaded:
    raises FileTampered if it is missing or its SHA-256 differs from the one recorded."""
    try:
        file = version.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise FileTampered(f"The stored file of {version} is missing.") from None
    if sha256_of(file) != version.sha256:
        file.close()
        raise FileTampered(
            f"The stored file of {version} does not match the file that was uploaded."
        )
    return file


def _require_not_published(review: Review) -> None:
    published = Publication.objects.filter(review=review, published_on__isnull=False).exists()
    if published or review.report_status in PUBLISHED_STATUSES:
        raise WorkflowError("The report has been published: its versions can no longer change.")


def _stored_name(review: Review, kind: str, number: int, file_name: str) -> str:
    """A storage name made by us, so nothing of the uploader's file name reaches the disk."""
    extension = os.path.splitext(file_name)[1].lower()
    return f"{review.reference}-{kind.replace('_', '-')}-v{number}{extension}"


@transaction.atomic
def report_version_upload(
    *, review: Review, by, kind: str, file, change_note: str, reopen_reason: str = ""
) -> ReportVersion:
    """Share a new version of the Overview Report or the Executive Summary with the panel. The
    version it replaces is superseded and its open comments closed; replacing an approved
    version voids the approval (and any sign-off), with the reason given."""
    review = lock_row(review)
    require_stage(review, Stage.LCSPR, doing="share a draft of the report")
    _require_not_published(review)
    if kind not in ReportKind.values:
        raise WorkflowError({"kind": "Select which document this is"})
    label = ReportKind(kind).label
    if not file:
        raise WorkflowError({"file": f"Choose the {label} file"})
    try:
        check_document(file, label="file")
    except ValidationError as e:
        raise WorkflowError({"file": e.messages}) from None
    previous = (
        review.report_versions.select_for_update()
        .filter(kind=kind, superseded_at__isnull=True)
        .first()
    )
    if previous is not None and not change_note.strip():
        raise WorkflowError({"change_note": f"Enter what changed since version {previous.number}"})
    approval = live_approval(review)
    # Any new version changes what was approved (a first Executive Summary too): the approval
    # ends, with a reason, and the panel chair approves the new set.
    replaces_approved = approval is not None
    if replaces_approved and not reopen_reason.strip():
        if any(v.kind == kind for v in approval.versions):
            why = f"Enter why the approved {label} is being replaced"
        else:
            why = f"Enter why the approved report is changing by adding the {label}"
        raise WorkflowError(
            {
                "reopen_reason": f"{why}: the panel chair's approval ends when a new version "
                "is shared"
            }
        )

    now = timezone.now()
    if previous is not None:
        previous.superseded_at = now
        save_with_history(previous, by, validate=False)
        for comment in previous.comments.filter(status=ReportComment.Status.OPEN):
            comment.status, comment.closed_at = ReportComment.Status.CLOSED, now
            save_with_history(comment, by, validate=False)
    if replaces_approved:
        approval.voided_by, approval.voided_at, approval.void_reason = by, now, reopen_reason
        save_with_history(approval, by, validate=False)

    sha256, size = sha256_of(file), file.size
    first_of_review = not review.report_versions.exists()
    last = review.report_versions.filter(kind=kind).order_by("-number").first()
    number = last.number + 1 if last else 1
    file_name = os.path.basename(file.name)[:200]
    version = ReportVersion(
        review=review,
        kind=kind,
        number=number,
        file=File(file, name=_stored_name(review, kind, number, file_name)),
        file_name=file_name,
        size=size,
        sha256=sha256,
        change_note=change_note.strip(),
        reopen_reason=reopen_reason.strip() if replaces_approved else "",
        uploaded_by=by,
        uploaded_at=now,
    )
    save_with_history(version, by, validate=False)
    review.report_status = ReportStatus.DRAFTING
    save_with_history(review, by, validate=False)
    summary = f"{label} version {number} shared with the panel"
    if replaces_approved:
        signed = " and sign-off" if approval.is_signed_off else ""
        summary += f"; the panel chair's approval{signed} of {approval.overview} ended"
        # The completion clock was met by the sign-off that has just been voided.
        deadlines.refresh(review, by=by)
    timeline_event(
        review, by, "report_version", summary, reason=reopen_reason.strip(), sha256=sha256
    )
    if first_of_review:
        # Imported here: reviews.anonymisation imports this module (to read files hash-checked).
        from reviews.report.anonymisation import restricted_names_prefill

        # The restricted list starts with what the review already records about its children.
        restricted_names_prefill(review=review, by=by)
    if ReportKind.OVERVIEW in current_versions(review):
        waiting.tell_panel_chair_to_approve(review)
    return version


@transaction.atomic
def report_comment_add(*, version: ReportVersion, by, location: str, text: str) -> ReportComment:
    """A panel member comments on the current version, generally or against a section or page."""
    version = ReportVersion.objects.select_for_update().select_related("review").get(pk=version.pk)
    if not version.is_current:
        raise WorkflowError(
            f"Version {version.number} has been replaced by a newer version: comment on the "
            "current version."
        )
    approval = live_approval(version.review)
    if approval is not None and version.pk in {v.pk for v in approval.versions}:
        raise WorkflowError(
            f"Version {version.number} has been approved as final, so comments are closed."
        )
    if not text.strip():
        raise WorkflowError({"text": "Enter your comment"})
    comment = save_with_history(
        ReportComment(version=version, author=by, location=location.strip(), text=text.strip()),
        by,
        validate=False,
    )
    where = f" ({comment.location})" if comment.location else ""
    timeline_event(version.review, by, "report_comment", f"Comment on {version}{where}")
    return comment


@transaction.atomic
def report_comment_respond(
    *, comment: ReportComment, by, response: str, resolve: bool
) -> ReportComment:
    """The author responds to a comment and may mark it resolved."""
    comment = (
        ReportComment.objects.select_for_update()
        .select_related("version__review")
        .get(pk=comment.pk)
    )
    if comment.status == ReportComment.Status.CLOSED:
        raise WorkflowError(
            "This comment was closed when a newer version was shared. Answer it in the new "
            "version instead."
        )
    if comment.status == ReportComment.Status.RESOLVED:
        raise WorkflowError("This comment has already been resolved.")
    if not response.strip() and not (resolve and comment.response):
        raise WorkflowError({"response": "Enter your response to the comment"})
    now = timezone.now()
    if response.strip():
        comment.response, comment.responded_by, comment.responded_at = response.strip(), by, now
    if resolve:
        comment.status = ReportComment.Status.RESOLVED
        comment.resolved_by, comment.resolved_at = by, now
    save_with_history(comment, by, validate=False)
    done = "resolved" if resolve else "answered"
    timeline_event(
        comment.version.review,
        by,
        "report_comment_response",
        f"Comment by {comment.author} on {comment.version} {done}",
    )
    return comment


def _locked_version(review: Review, version: ReportVersion | None, kind: str, label: str):
    """`version` re-read under lock, refused unless it is the review's current `kind`."""
    if version is None:
        return None
    version = ReportVersion.objects.select_for_update().filter(pk=version.pk).first()
    if version is None or version.review_id != review.pk or version.kind != kind:
        raise WorkflowError(f"Choose a version of this review's {label}.")
    if not version.is_current:
        raise WorkflowError(
            f"Version {version.number} of the {label} has been replaced by a newer version: "
            "check the newer version before approving."
        )
    return version


@transaction.atomic
def report_approve(
    *, review: Review, by, overview: ReportVersion, executive_summary=None, note: str = ""
) -> ReportApproval:
    """The panel chair approves the current Overview Report (and the current Executive Summary,
    where there is one) as final. The comments still open are counted in the record, and the
    anonymisation check runs over each approved version."""
    review = lock_row(review)
    require_stage(review, Stage.LCSPR, doing="approve the report")
    _require_not_published(review)
    existing = live_approval(review)
    if existing is not None:
        raise WorkflowError(
            f"{existing.overview} is already approved. To change it, the author shares a new "
            "version with the reason."
        )
    if overview is None:
        raise WorkflowError("There is no draft of the Overview Report to approve yet.")
    overview = _locked_version(review, overview, ReportKind.OVERVIEW, "Overview Report")
    summary_label = ReportKind.EXECUTIVE_SUMMARY.label
    executive_summary = _locked_version(
        review, executive_summary, ReportKind.EXECUTIVE_SUMMARY, summary_label
    )
    has_summary = review.report_versions.filter(kind=ReportKind.EXECUTIVE_SUMMARY).exists()
    if has_summary and executive_summary is None:
        raise WorkflowError(
            "The review has an Executive Summary: approve its current version with the Overview "
            "Report."
        )
    versions = [v for v in (overview, executive_summary) if v is not None]
    open_count = ReportComment.objects.filter(
        version__in=versions, status=ReportComment.Status.OPEN
    ).count()
    approval = save_with_history(
        ReportApproval(
            review=review,
            overview=overview,
            executive_summary=executive_summary,
            approved_by=by,
            approval_note=note.strip(),
            open_comments=open_count,
        ),
        by,
        validate=False,
    )
    # Imported here: reviews.anonymisation imports this module (to read files hash-checked).
    from reviews.report.anonymisation import anonymisation_check_run

    # A check with nothing to look for would say "no names found": with an empty list none is
    # recorded, and the approval says so (publication still needs a check).
    has_names = review.restricted_names.exists()
    for version in versions if has_names else []:
        anonymisation_check_run(
            review=review, version=version, by=by, purpose=CheckPurpose.APPROVAL
        )
    review.report_status = ReportStatus.APPROVED
    save_with_history(review, by, validate=False)
    approved = " and ".join(str(v) for v in versions)
    still_open = f" with {open_count} comment{'s' if open_count != 1 else ''} open"
    timeline_event(
        review,
        by,
        "report_approved",
        f"{approved} approved as final by the panel chair{still_open if open_count else ''}"
        + ("" if has_names else "; no anonymisation check: the restricted list is empty"),
    )
    waiting.tell_chair_to_sign_off_report(review)
    return approval


@transaction.atomic
def report_sign_off(*, review: Review, by, note: str = "") -> ReportApproval:
    """The Independent Chair signs off the approved report for the partnership, which meets the
    review's completion clock."""
    review = lock_row(review)
    require_stage(review, Stage.LCSPR, doing="sign off the report")
    approval = live_approval(review)
    if approval is None:
        raise WorkflowError("The panel chair has not approved a final version of the report yet.")
    approval = ReportApproval.objects.select_for_update().get(pk=approval.pk)
    if approval.is_signed_off:
        raise WorkflowError("The report has already been signed off.")
    approval.signed_off_by, approval.signed_off_at = by, timezone.now()
    approval.sign_off_note = note.strip()
    save_with_history(approval, by, validate=False)
    review.report_status = ReportStatus.SIGNED_OFF
    save_with_history(review, by, validate=False)
    deadlines.refresh(review, by=by)
    timeline_event(review, by, "report_signed_off", "Report signed off for the partnership")
    return approval
