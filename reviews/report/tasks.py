"""The "Report and publication" section of the review's task list."""

from django.db.models import Count
from django.urls import reverse

from lcspr.core.permissions import can
from lcspr.core.text import long_date
from reviews import tasklist
from reviews.clocks.models import DeadlineKind
from reviews.learning.models import LearningSummary
from reviews.models import Stage
from reviews.publication.models import Publication
from reviews.report import anonymisation
from reviews.report import services as reports
from reviews.report.models import ReportKind
from reviews.tasklist import CANNOT_START, COMPLETED, IN_PROGRESS, NOT_STARTED, Task

HEADING = "Report and publication"


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def report_section(user, page):
    """The section once the decision is an LCSPR (and after it closes); None before."""
    review, clocks = page["review"], page["clocks"]
    if review.stage != Stage.LCSPR and DeadlineKind.COMPLETION not in clocks:
        return None

    def link(name, allowed):
        return reverse(f"reviews:{name}", args=[review.pk]) if allowed else ""

    versions = list(review.report_versions.all())
    current = {v.kind: v for v in versions if v.is_current}
    approval = reports.live_approval(review)
    publication = Publication.objects.filter(review=review).first()
    published = publication is not None and publication.is_published
    may_view_report = can(user, "view_final", review)
    tasks = [
        _draft_task(versions, current, approval, link("report_detail", may_view_report)),
        _approval_task(user, review, current, approval, link),
        _sign_off_task(user, review, approval, link),
        _anonymisation_task(user, review, current, approval, published, link),
        _publication_task(user, review, clocks, approval, publication, link),
        _learning_task(user, review, link),
    ]
    return HEADING, tasks


def _draft_task(versions, current, approval, url) -> Task:
    overview = current.get(ReportKind.OVERVIEW)
    if overview is None:
        return Task(
            "Draft report",
            NOT_STARTED,
            url,
            "The independent author shares drafts of the Overview Report with the panel",
        )
    counts = {kind: sum(1 for v in versions if v.kind == kind) for kind in ReportKind.values}
    parts = [
        f"Overview Report version {overview.number} shared on {long_date(overview.uploaded_at)}"
        f" ({_count(counts[ReportKind.OVERVIEW], 'version', 'versions')} in all)"
    ]
    summary = current.get(ReportKind.EXECUTIVE_SUMMARY)
    if summary is not None:
        parts.append(f"Executive Summary version {summary.number}")
    return Task("Draft report", COMPLETED if approval else IN_PROGRESS, url, "; ".join(parts))


def _approval_task(user, review, current, approval, link) -> Task:
    if approval is not None:
        approved = " and ".join(
            f"{v.get_kind_display()} version {v.number}" for v in approval.versions
        )
        hint = f"{approved} approved by {approval.approved_by} on {long_date(approval.approved_at)}"
        return Task("Panel chair's approval", COMPLETED, hint=hint)
    if ReportKind.OVERVIEW not in current:
        return Task("Panel chair's approval", CANNOT_START, hint="Needs a draft of the report")
    may_approve = review.stage == Stage.LCSPR and can(user, "approve_report", review)
    return Task(
        "Panel chair's approval",
        NOT_STARTED,
        link("report_approve", may_approve),
        "The panel chair approves one version as final",
    )


def _sign_off_task(user, review, approval, link) -> Task:
    if approval is not None and approval.is_signed_off:
        hint = f"Signed off by {approval.signed_off_by} on {long_date(approval.signed_off_at)}"
        return Task("Independent Chair's sign-off", COMPLETED, hint=hint)
    if approval is None:
        return Task(
            "Independent Chair's sign-off",
            CANNOT_START,
            hint="Needs the panel chair's approval first",
        )
    return Task(
        "Independent Chair's sign-off",
        NOT_STARTED,
        link("report_sign_off", can(user, "sign_off_report", review)),
        "The Independent Chair signs off the final report for the partnership",
    )


def _anonymisation_task(user, review, current, approval, published, link) -> Task:
    may_see = can(user, "view_names", review) or can(user, "run_check", review)
    url = link("anonymisation_checks", may_see)
    name = "Anonymisation check"
    if not current:
        return Task(name, CANNOT_START, hint="Needs a draft of the report")
    if published:
        return Task(name, COMPLETED, url, "Checked before publication")
    if approval is not None and approval.is_signed_off:
        ok, message, _checks = anonymisation.publication_check_status(review, approval.versions)
        if ok:
            return Task(name, COMPLETED, url, "Clear for publication")
        return Task(name, IN_PROGRESS, url, message)
    latest = anonymisation.latest_checks(current.values())
    names = review.restricted_names.count()
    listed = _count(names, "restricted name listed", "restricted names listed")
    if not latest:
        return Task(name, NOT_STARTED, url, listed if names else "No restricted names listed yet")
    lines = []
    for version in sorted(current.values(), key=lambda v: v.kind != ReportKind.OVERVIEW):
        check = latest.get(version.pk)
        label = f"{version.get_kind_display()} version {version.number}"
        if check is None:
            lines.append((f"{label}: not checked yet", None))
        elif check.overridden_at:
            lines.append((f"{label}: overridden by the Independent Chair", None))
        elif check.findings:
            found = _count(check.finding_count, "restricted name found", "restricted names found")
            lines.append((f"{label}: {found}", None))
        else:
            lines.append((f"{label}: nothing found on {long_date(check.run_at)}", None))
    hint = f"{listed}; check again before publication"
    return Task(name, IN_PROGRESS, url, hint, lines=lines)


def _publication_task(user, review, clocks, approval, publication, link) -> Task:
    url = link("publication", can(user, "view_publication", review))
    name = "Publication"
    if publication is not None and publication.is_published:
        what = (
            "Information about the improvements published"
            if publication.improvements_only
            else "Published"
        )
        hint = f"{what} on {long_date(publication.published_on)}"
        if publication.removed_on:
            hint += f"; taken down on {long_date(publication.removed_on)}"
        elif DeadlineKind.TAKEDOWN in clocks:
            hint += (
                f"; stays online until at least {long_date(clocks[DeadlineKind.TAKEDOWN].due_date)}"
            )
        return Task(name, COMPLETED, url, hint)
    clock = clocks.get(DeadlineKind.PRE_PUBLICATION)
    clock = clock if clock is not None and clock.is_open else None
    planned = publication.planned_on if publication is not None else None
    signed_off = approval is not None and approval.is_signed_off
    if planned:
        hint = f"Planned for {long_date(planned)}"
        if clock is not None:
            hint += "; send the final report to the National Panel and the DfE"
        return Task(name, IN_PROGRESS, url, hint, clock)
    if signed_off:
        return Task(name, NOT_STARTED, url, "Plan the publication date")
    if publication is not None:
        return Task(name, IN_PROGRESS, url, "Publication waits for the signed-off report")
    return Task(name, CANNOT_START, url, "Needs the signed-off final report")


def _learning_task(user, review, link) -> Task:
    url = link("learning", can(user, "view_learning", review))
    summary = (
        LearningSummary.objects.filter(review=review)
        .annotate(primary=Count("primary_themes", distinct=True))
        .first()
    )
    recommendations = review.recommendations.count()
    parts = []
    if summary is not None:
        parts.append(_count(summary.primary, "primary theme", "primary themes"))
    parts.append(_count(recommendations, "recommendation", "recommendations"))
    written = summary is not None and bool(summary.findings) and summary.primary > 0
    if written and recommendations:
        status = COMPLETED
    elif summary is not None or recommendations:
        status = IN_PROGRESS
    else:
        status = NOT_STARTED
    hint = "; ".join(parts) if status != NOT_STARTED else "Themes, findings and recommendations"
    return Task("Learning summary and recommendations", status, url, hint)


tasklist.register_section(report_section, order=300)
