"""The "Report and publication" section of the review's task list, declared: the draft report,
the panel chair's approval, the Independent Chair's sign-off, the anonymisation check,
publication, the covering information that goes with the final report, and the learning
summary with its recommendations."""

from functools import cached_property

from django.db.models import Count, Max, Prefetch, prefetch_related_objects

from lcspr.core.permissions import can
from lcspr.core.text import long_date
from reviews.clocks.models import DeadlineKind
from reviews.learning.models import LearningSummary, ReportRecommendation
from reviews.models import Stage
from reviews.publication.selectors import all_sent
from reviews.report import anonymisation
from reviews.report import services as reports
from reviews.report.models import ReportKind, RestrictedName
from reviews.tasklist import (
    CANNOT_START,
    COMPLETED,
    IN_PROGRESS,
    NOT_STARTED,
    Section,
    Step,
    pages_where,
    per_review,
    register_section,
)

HEADING = "Report and publication"


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


class ReportContext:
    """The review's report versions, live approval and publication, loaded once; the
    anonymisation, publication and learning rows each worked out once from them."""

    def __init__(self, page: dict):
        self.review, self.clocks = page["review"], page["clocks"]
        self.versions = list(self.review.report_versions.all())
        self.current = {v.kind: v for v in self.versions if v.is_current}
        live = self.review.live_approvals
        self.approval = live[0] if live else None
        self.publication = getattr(self.review, "publication", None)

    @property
    def published(self) -> bool:
        return self.publication is not None and self.publication.is_published

    @property
    def signed_off(self) -> bool:
        return self.approval is not None and self.approval.is_signed_off

    @cached_property
    def anonymisation(self) -> tuple[str, str, list, bool]:
        return _anonymisation(self)

    @cached_property
    def publishing(self) -> tuple[str, str, object]:
        return _publication(self)

    @cached_property
    def learning(self) -> tuple[str, str]:
        return _learning(self.review)


def _begun(page: dict) -> bool:
    return page["review"].stage == Stage.LCSPR or DeadlineKind.COMPLETION in page["clocks"]


def report_annotate(today) -> dict:
    """The restricted names and recommendations counted, and the learning summary's primary
    themes, in the reviews' own query."""
    themes = LearningSummary.primary_themes.through.objects.all()
    return {
        "restricted_name_count": per_review(RestrictedName.objects.all(), Count("pk")),
        "restricted_name_last_added": per_review(RestrictedName.objects.all(), Max("added_at")),
        "recommendation_count": per_review(ReportRecommendation.objects.all(), Count("pk")),
        "primary_theme_count": per_review(themes, Count("pk"), review="learningsummary__review"),
    }


def report_load(pages: list[dict]) -> None:
    """The report versions and the live approval of every page past the decision."""
    reviews = pages_where(pages, _begun)
    if reviews:
        prefetch_related_objects(
            reviews,
            "report_versions",
            Prefetch(
                "report_approvals",
                queryset=reports.live_approvals(),
                to_attr="live_approvals",
            ),
        )
        current = [v for review in reviews for v in review.report_versions.all() if v.is_current]
        if current:
            anonymisation.checks_of(current)


def report_context(page: dict) -> ReportContext | None:
    """None until the decision is an LCSPR (the section stays after the review closes)."""
    return ReportContext(page) if _begun(page) else None


def _draft_status(ctx: ReportContext) -> str:
    if ReportKind.OVERVIEW not in ctx.current:
        return NOT_STARTED
    return COMPLETED if ctx.approval else IN_PROGRESS


def _draft_hint(ctx: ReportContext) -> str:
    overview = ctx.current.get(ReportKind.OVERVIEW)
    if overview is None:
        return "The independent author shares drafts of the Overview Report with the panel"
    versions = sum(1 for v in ctx.versions if v.kind == ReportKind.OVERVIEW)
    parts = [
        f"Overview Report version {overview.number} shared on {long_date(overview.uploaded_at)}"
        f" ({_count(versions, 'version', 'versions')} in all)"
    ]
    summary = ctx.current.get(ReportKind.EXECUTIVE_SUMMARY)
    if summary is not None:
        parts.append(f"Executive Summary version {summary.number}")
    return "; ".join(parts)


def _approval_status(ctx: ReportContext) -> str:
    if ctx.approval is not None:
        return COMPLETED
    return NOT_STARTED if ReportKind.OVERVIEW in ctx.current else CANNOT_START


def _approval_hint(ctx: ReportContext) -> str:
    approval = ctx.approval
    if approval is None:
        if ReportKind.OVERVIEW not in ctx.current:
            return "Needs a draft of the report"
        return "The panel chair approves one version as final"
    approved = " and ".join(f"{v.get_kind_display()} version {v.number}" for v in approval.versions)
    return f"{approved} approved by {approval.approved_by} on {long_date(approval.approved_at)}"


def _sign_off_status(ctx: ReportContext) -> str:
    if ctx.signed_off:
        return COMPLETED
    return CANNOT_START if ctx.approval is None else NOT_STARTED


def _sign_off_hint(ctx: ReportContext) -> str:
    approval = ctx.approval
    if ctx.signed_off:
        return f"Signed off by {approval.signed_off_by} on {long_date(approval.signed_off_at)}"
    if approval is None:
        return "Needs the panel chair's approval first"
    return "The Independent Chair signs off the final report for the partnership"


def _check_line(version, check) -> tuple[str, None]:
    label = f"{version.get_kind_display()} version {version.number}"
    if check is None:
        return f"{label}: not checked yet", None
    if check.overridden_at:
        return f"{label}: overridden by the Independent Chair", None
    if check.findings:
        found = _count(check.finding_count, "restricted name found", "restricted names found")
        return f"{label}: {found}", None
    return f"{label}: nothing found on {long_date(check.run_at)}", None


def _anonymisation(ctx: ReportContext) -> tuple[str, str, list, bool]:
    """(status, hint, lines, whether a check is to run now) of the anonymisation check. Before
    the sign-off a check is to run on a current version not checked since it, or a restricted
    name, was added; once every one is, the row stays in progress ("check again before
    publication") but waits for no one."""
    if not ctx.current:
        return CANNOT_START, "Needs a draft of the report", [], False
    if ctx.published:
        return COMPLETED, "Checked before publication", [], False
    if ctx.signed_off:
        loaded = {v.pk: v for v in ctx.versions}  # with their checks, when the page loaded them
        approved = [loaded.get(v.pk, v) for v in ctx.approval.versions if v is not None]
        ok, message, _checks = anonymisation.publication_check_status(ctx.review, approved)
        return (
            (COMPLETED, "Clear for publication", [], False)
            if ok
            else (IN_PROGRESS, message, [], True)
        )
    latest = anonymisation.latest_checks(ctx.current.values())
    names = ctx.review.restricted_name_count
    listed = _count(names, "restricted name listed", "restricted names listed")
    if not latest:
        return NOT_STARTED, listed if names else "No restricted names listed yet", [], True
    oldest = min(check.run_at for check in latest.values())
    last_added = ctx.review.restricted_name_last_added
    versions = sorted(ctx.current.values(), key=lambda v: v.kind != ReportKind.OVERVIEW)
    lines = [_check_line(version, latest.get(version.pk)) for version in versions]
    added_since = last_added is not None and last_added > oldest
    due = added_since or any(version.pk not in latest for version in versions)
    return IN_PROGRESS, f"{listed}; check again before publication", lines, due


def _published_hint(ctx: ReportContext) -> str:
    publication = ctx.publication
    what = (
        "Information about the improvements published"
        if publication.improvements_only
        else "Published"
    )
    hint = f"{what} on {long_date(publication.published_on)}"
    if publication.removed_on:
        return hint + f"; taken down on {long_date(publication.removed_on)}"
    if DeadlineKind.TAKEDOWN in ctx.clocks:
        takedown = long_date(ctx.clocks[DeadlineKind.TAKEDOWN].due_date)
        return hint + f"; stays online until at least {takedown}"
    return hint


def _publication(ctx: ReportContext) -> tuple[str, str, object]:
    """(status, hint, clock) of publication."""
    if ctx.published:
        return COMPLETED, _published_hint(ctx), None
    clock = ctx.clocks.get(DeadlineKind.PRE_PUBLICATION)
    clock = clock if clock is not None and clock.is_open else None
    planned = ctx.publication.planned_on if ctx.publication is not None else None
    if planned:
        hint = f"Planned for {long_date(planned)}"
        if clock is not None:
            hint += "; send the final report to the National Panel, the DfE and Ofsted"
        return IN_PROGRESS, hint, clock
    if ctx.signed_off:
        return NOT_STARTED, "Plan the publication date", None
    if ctx.publication is not None:
        return IN_PROGRESS, "Publication waits for the signed-off report", None
    return CANNOT_START, "Needs the signed-off final report", None


def _learning(review) -> tuple[str, str]:
    """(status, hint) of the learning summary and recommendations."""
    summary = getattr(review, "learning_summary", None)
    primary = review.primary_theme_count
    recommendations = review.recommendation_count
    parts = []
    if summary is not None:
        parts.append(_count(primary, "primary theme", "primary themes"))
    parts.append(_count(recommendations, "recommendation", "recommendations"))
    written = summary is not None and bool(summary.findings) and primary > 0
    if written and recommendations:
        status = COMPLETED
    elif summary is not None or recommendations:
        status = IN_PROGRESS
    else:
        return NOT_STARTED, "Themes, findings and recommendations"
    return status, "; ".join(parts)


def _covering_status(ctx: ReportContext) -> str:
    """There is covering information once the report is signed off; it has done its work once
    the report has gone to all three bodies."""
    if not ctx.signed_off:
        return CANNOT_START
    return COMPLETED if all_sent(ctx.publication) else NOT_STARTED


STEPS = (
    Step(
        "Draft report",
        _draft_status,
        action="view_final",
        url_name="reviews:report_detail",
        hint=_draft_hint,
        # The first draft is the author's to write; once shared it waits for the panel chair,
        # and everyone else reads it.
        to_do=lambda ctx, user: (
            ReportKind.OVERVIEW not in ctx.current and can(user, "upload_draft", ctx.review)
        ),
    ),
    Step(
        "Panel chair's approval",
        _approval_status,
        action="approve_report",
        url_name="reviews:report_approve",
        open=lambda ctx, user: (
            ctx.approval is None
            and ReportKind.OVERVIEW in ctx.current
            and ctx.review.stage == Stage.LCSPR
        ),
        hint=_approval_hint,
    ),
    Step(
        "Independent Chair's sign-off",
        _sign_off_status,
        action="sign_off_report",
        url_name="reviews:report_sign_off",
        open=lambda ctx, user: ctx.approval is not None and not ctx.signed_off,
        hint=_sign_off_hint,
    ),
    Step(
        "Anonymisation check",
        lambda ctx: ctx.anonymisation[0],
        action=("view_names", "run_check"),
        url_name="reviews:anonymisation_checks",
        open=lambda ctx, user: bool(ctx.current),
        hint=lambda ctx: ctx.anonymisation[1],
        lines=lambda ctx: ctx.anonymisation[2],
        # Those who keep the restricted list run the check; the chairs may run it too, to read.
        to_do=lambda ctx, user: ctx.anonymisation[3] and can(user, "edit_names", ctx.review),
    ),
    Step(
        "Publication",
        lambda ctx: ctx.publishing[0],
        action="view_publication",
        url_name="reviews:publication",
        hint=lambda ctx: ctx.publishing[1],
        clock=lambda ctx: ctx.publishing[2],
        to_do=lambda ctx, user: can(user, "manage_publication", ctx.review),
    ),
    Step(
        "Covering information for the National Panel, the DfE and Ofsted",
        _covering_status,
        action="manage_publication",
        url_name="reviews:publication_covering",
        open=lambda ctx, user: ctx.signed_off,
        hint="Pre-filled from the review, ready to copy or download, to send with the final report",
        audience="manage_publication",
        # A page to copy from: the sending itself is the publication row's work.
        to_do=False,
    ),
    Step(
        "Learning summary and recommendations",
        lambda ctx: ctx.learning[0],
        action="view_learning",
        url_name="reviews:learning",
        hint=lambda ctx: ctx.learning[1],
        # The learning summary is written from the approved report.
        to_do=lambda ctx, user: ctx.approval is not None and can(user, "edit_learning", ctx.review),
    ),
)

SECTION = Section(
    HEADING,
    300,
    report_context,
    STEPS,
    related=("publication", "learning_summary"),
    annotate=report_annotate,
    load=report_load,
)

register_section(SECTION)
