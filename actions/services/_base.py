"""What every action-plan service shares: saving with history, the timeline event, the row
lock and the refusals common to many steps."""

import os

from django.core.exceptions import ValidationError

from actions.models import FINISHED_STATUSES, Action, EvidenceFile, Source, Status
from actions.permissions import MONITOR_ROLES
from lcspr.core.exceptions import WorkflowError
from lcspr.core.services import lock_row, save_with_history, timeline_event
from lcspr.core.uploads import check_evidence, sha256_of
from reviews.learning.models import LearningSummary
from reviews.models import ReportStatus, Review, Stage

# Where each source of action may be added: a final report's recommendations and the review's
# partnership-wide learning belong to an LCSPR; immediate actions (and obvious improvements
# acted on at once) from the rapid review onwards, whatever the decision.
AFTER_NOTIFICATION = (
    Stage.RAPID_REVIEW,
    Stage.AWAITING_DECISION,
    Stage.LCSPR,
    Stage.OTHER_LEARNING,
    Stage.NATIONAL_REVIEW,
)
SOURCE_STAGES = {
    Source.RECOMMENDATION: (Stage.LCSPR,),
    Source.PARTNERSHIP: (Stage.LCSPR, Stage.OTHER_LEARNING),
    Source.IMMEDIATE: AFTER_NOTIFICATION,
    Source.DURING_REVIEW: AFTER_NOTIFICATION,
}
# A review's plan is complete when the report it answers is public: until then a late
# recommendation can still add actions, so the review stays open.
REPORT_DONE = (ReportStatus.PUBLISHED, ReportStatus.IMPROVEMENTS_PUBLISHED)
STATUS_ORDER = [Status.NOT_STARTED, Status.IN_PROGRESS, Status.COMPLETE]


# --- helpers ------------------------------------------------------------------------------------


def _event(action: Action, by, kind: str, summary: str, **data) -> None:
    timeline_event(
        review=action.review, by=by, kind=kind, summary=summary, action=action.number, **data
    )


def _lock(action: Action) -> Action:
    """Lock the action row so two people cannot change it at once."""
    return lock_row(action, related=("review", "lead_agency", "owner"))


def _require_review_open(review: Review) -> None:
    if review.stage == Stage.CLOSED:
        raise WorkflowError("The review is closed: its action plan can no longer change.")


def _require_open(action: Action, doing: str) -> None:
    _require_review_open(action.review)
    if action.status in FINISHED_STATUSES:
        state = "closed" if action.status == Status.CLOSED else "handed to another plan"
        raise WorkflowError(
            f"You cannot {doing}: action {action.number} is {state}. "
            "The sub-group can reopen it if more is needed."
        )


def _require_text(value: str, field: str, message: str) -> str:
    if not (value or "").strip():
        raise WorkflowError({field: message})
    return value.strip()


def _require_monitor(by, doing: str) -> None:
    if not by.has_role(*MONITOR_ROLES):
        raise WorkflowError(f"Only the LCSPR sub-group or the partnership manager can {doing}.")


def _store_files(action: Action, by, files, *, kind: str, update=None) -> list[EvidenceFile]:
    """Check and keep evidence files, each with its size and SHA-256 (checked on download)."""
    stored = []
    for number, file in enumerate(files, start=1):
        label = "evidence file" if len(files) == 1 else f"evidence file {number}"
        try:
            check_evidence(file, label=label)
        except ValidationError as e:
            raise WorkflowError({"files": e.messages}) from None
        evidence = EvidenceFile(
            action=action,
            update=update,
            kind=kind,
            file_name=os.path.basename(file.name)[:200],
            size=file.size,
            sha256=sha256_of(file),
            uploaded_by=by,
        )
        evidence.file.save(os.path.basename(file.name), file, save=False)
        stored.append(save_with_history(evidence, by, validate=False))
    return stored


def _default_themes(review: Review):
    summary = LearningSummary.objects.filter(review=review).first()
    return list(summary.primary_themes.all()) if summary else []
