"""Progress, evidence of completion and evidence of impact: what the lead agency or the
action's owner records, with evidence files."""

from django.db import transaction
from django.utils import timezone

from actions.models import Action, Assurance, EvidenceFile, ProgressUpdate, Status
from actions.services._base import (
    STATUS_ORDER,
    _event,
    _lock,
    _require_open,
    _require_text,
    _store_files,
)
from lcspr.core.exceptions import WorkflowError
from lcspr.core.services import save_with_history
from lcspr.core.text import in_sentence


@transaction.atomic
def progress_update_add(*, action: Action, by, text: str, status: str, files=()) -> ProgressUpdate:
    """Record dated progress, with any evidence files. The status moves forward only: not
    started, in progress, complete; closing is the sub-group's."""
    action = _lock(action)
    _require_open(action, "update the action")
    text = _require_text(text, "text", "Enter the progress made")
    if status not in STATUS_ORDER:
        raise WorkflowError(
            {"status": "Select not started, in progress or complete: only the sub-group closes"}
        )
    if STATUS_ORDER.index(status) < STATUS_ORDER.index(action.status):
        raise WorkflowError(
            {
                "status": f"The action is already {in_sentence(action.get_status_display())}: the "
                "status can only move forward"
            }
        )
    now = timezone.now()
    update = save_with_history(
        ProgressUpdate(
            action=action, text=text, status_after=status, recorded_by=by, recorded_at=now
        ),
        by,
    )
    _store_files(action, by, list(files), kind=EvidenceFile.Kind.PROGRESS, update=update)
    moved = status != action.status
    action.status, action.last_update_at = status, now
    save_with_history(action, by)
    _event(
        action,
        by,
        "action_progress",
        f"Progress on action {action.number}"
        + (f": now {in_sentence(action.get_status_display())}" if moved else ""),
    )
    return update


@transaction.atomic
def completion_evidence_record(*, action: Action, by, completion_evidence: str, files=()) -> Action:
    """Record the evidence that the action was done; the action is then complete, waiting for
    evidence of its impact."""
    action = _lock(action)
    _require_open(action, "record evidence of completion")
    action.completion_evidence = _require_text(
        completion_evidence, "completion_evidence", "Enter the evidence of completion"
    )
    _store_files(action, by, list(files), kind=EvidenceFile.Kind.COMPLETION)
    action.status, action.last_update_at = Status.COMPLETE, timezone.now()
    save_with_history(action, by)
    _event(
        action,
        by,
        "action_completed",
        f"Evidence of completion recorded for action {action.number}",
    )
    return action


@transaction.atomic
def impact_evidence_record(
    *,
    action: Action,
    by,
    impact_evidence: str,
    assurance_method: str,
    assurance_detail: str = "",
    files=(),
) -> Action:
    """Record what changed in practice and how that was assured (audit, survey, case sampling)."""
    action = _lock(action)
    _require_open(action, "record evidence of impact")
    impact_evidence = _require_text(
        impact_evidence, "impact_evidence", "Enter what changed in practice"
    )
    if assurance_method not in Assurance.values:
        raise WorkflowError({"assurance_method": "Select how the impact was assured"})
    if assurance_method == Assurance.OTHER and not assurance_detail.strip():
        raise WorkflowError({"assurance_detail": "Describe how the impact was assured"})
    _store_files(action, by, list(files), kind=EvidenceFile.Kind.IMPACT)
    action.impact_evidence = impact_evidence
    action.assurance_method = assurance_method
    action.assurance_detail = assurance_detail.strip()
    action.last_update_at = timezone.now()
    save_with_history(action, by)
    _event(
        action,
        by,
        "action_impact",
        f"Evidence of impact recorded for action {action.number} "
        f"({in_sentence(action.get_assurance_method_display())})",
    )
    return action
