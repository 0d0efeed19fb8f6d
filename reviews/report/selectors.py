"""Reads for the report pages: versions, comments, approvals, restricted names and checks. Each
read is scoped to one review, so an id from another review is not found (404)."""

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404

from reviews.models import Review
from reviews.report.models import AnonymisationCheck, ReportComment, ReportVersion, RestrictedName

_COMMENT_PEOPLE = ("author", "responded_by", "resolved_by", "version")


def version_or_404(review: Review, pk) -> ReportVersion:
    """One version of the review's report documents, with who uploaded it."""
    return get_object_or_404(review.report_versions.select_related("uploaded_by"), pk=pk)


def chosen_version(review: Review, pk) -> ReportVersion | None:
    """The version picked in a form, if it is one of this review's (None otherwise)."""
    return review.report_versions.filter(pk=pk).first() if pk else None


def versions_with_open_comments(review: Review) -> list[ReportVersion]:
    """Every version of the review's documents, each with its number of open comments."""
    return list(
        review.report_versions.select_related("uploaded_by").annotate(
            open_count=Count("comments", filter=Q(comments__status=ReportComment.Status.OPEN))
        )
    )


def current_versions(review: Review) -> list[ReportVersion]:
    """The versions not yet superseded, one per kind of document."""
    return list(
        review.report_versions.filter(superseded_at__isnull=True)
        .select_related("uploaded_by")
        .order_by("kind")
    )


def ended_approvals(review: Review):
    """Approvals of the report that were voided, with the versions and people involved."""
    return review.report_approvals.filter(voided_at__isnull=False).select_related(
        "overview", "executive_summary", "approved_by", "voided_by"
    )


def comments(version: ReportVersion) -> list[ReportComment]:
    """The comments on one version, with who wrote, answered and resolved them."""
    return list(version.comments.select_related(*_COMMENT_PEOPLE))


def carried_over_comments(review: Review, version: ReportVersion) -> list[ReportComment]:
    """The comments closed on the version before `version` of the same document: what the new
    version should show it answers."""
    return list(
        ReportComment.objects.filter(
            version__review=review,
            version__kind=version.kind,
            version__number=version.number - 1,
            status=ReportComment.Status.CLOSED,
        ).select_related(*_COMMENT_PEOPLE)
    )


def open_comments(versions) -> list[ReportComment]:
    """The comments still open on `versions`."""
    return list(
        ReportComment.objects.filter(
            version__in=versions, status=ReportComment.Status.OPEN
        ).select_related(*_COMMENT_PEOPLE)
    )


def comment_or_404(review: Review, pk) -> ReportComment:
    """One comment on one of the review's versions."""
    return get_object_or_404(
        ReportComment.objects.select_related("version", "author"), pk=pk, version__review=review
    )


def restricted_names(review: Review) -> list[RestrictedName]:
    """The names the anonymisation check looks for, with who added them."""
    return list(review.restricted_names.select_related("added_by"))


def restricted_name_count(review: Review) -> int:
    return review.restricted_names.count()


def restricted_name_or_404(review: Review, pk) -> RestrictedName:
    return get_object_or_404(RestrictedName, pk=pk, review=review)


def checks(review: Review) -> list[AnonymisationCheck]:
    """Every anonymisation check run on the review, with its version and people."""
    return list(review.anonymisation_checks.select_related("version", "run_by", "overridden_by"))


def check_or_404(review: Review, pk) -> AnonymisationCheck:
    return get_object_or_404(
        AnonymisationCheck.objects.select_related("version", "run_by", "overridden_by", "review"),
        pk=pk,
        review=review,
    )


def any_version_or_404(review: Review, pk) -> ReportVersion:
    """One version of the review's documents, as the anonymisation check reads it."""
    return get_object_or_404(ReportVersion, pk=pk, review=review)
