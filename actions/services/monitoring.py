"""The sub-group's monitoring: RAG ratings, requests for evidence of impact, closure on that
evidence (THE CLOSURE RULE), reopening, handing over to another plan, sharing with agencies."""

from django.db import transaction
from django.utils import timezone

from actions.models import FINISHED_STATUSES, Action, Rag, Status
from actions.services._base import (
    _event,
    _lock,
    _require_monitor,
    _require_open,
    _require_review_open,
    _require_text,
)
from actions.services.plan import review_close_if_done
from lcspr.core.exceptions import WorkflowError
from lcspr.core.services import save_with_history
from lcspr.core.text import in_sentence
from reviews.models import Stage

# --- the sub-group's monitoring -----------------------------------------------------------------


@transaction.atomic
def action_rate(*, action: Action, by, rag: str, note: str = "") -> Action:
    """The sub-group's RAG rating after discussion; red and amber need the reason."""
    action = _lock(action)
    _require_monitor(by, "rate an action")
    _require_open(action, "rate the action")
    if rag not in Rag.values:
        raise WorkflowError({"rag": "Select red, amber or green"})
    if rag != Rag.GREEN:
        note = _require_text(note, "note", "Enter why the action will not deliver in full")
    action.rag, action.rag_note = rag, note.strip()
    save_with_history(action, by)
    _event(
        action,
        by,
        "action_rated",
        f"Action {action.number} rated {in_sentence(action.get_rag_display())}: "
        f"{action.rag_meaning}",
    )
    return action


@transaction.atomic
def impact_evidence_request(*, action: Action, by, note: str) -> Action:
    """The sub-group asks the lead agency for evidence of the action's impact on practice."""
    action = _lock(action)
    _require_monitor(by, "ask for evidence of impact")
    _require_open(action, "ask for evidence of impact")
    action.impact_request_note = _require_text(
        note, "note", "Enter what evidence of impact the sub-group needs"
    )
    action.impact_requested_at, action.impact_requested_by = timezone.now(), by
    save_with_history(action, by)
    _event(
        action,
        by,
        "action_impact_requested",
        f"Evidence of impact asked for on action {action.number} from {action.lead_agency}",
    )
    return action


def closure_blocker(action: Action) -> str:
    """Why the action cannot be closed now ("" when it can): THE CLOSURE RULE. An action closes
    only once it is complete and its evidence of impact (what changed, and how that was
    assured) is recorded."""
    if action.review.stage == Stage.CLOSED:
        return "The review is closed: its action plan can no longer change."
    if action.status in FINISHED_STATUSES:
        return f"Action {action.number} is already {in_sentence(action.get_status_display())}."
    if action.status != Status.COMPLETE:
        return (
            f"Action {action.number} cannot be closed: it is "
            f"{in_sentence(action.get_status_display())}, not complete."
        )
    if not action.impact_evidence.strip() or not action.assurance_method:
        return (
            f"Action {action.number} cannot be closed without evidence of impact: record what "
            "changed in practice and how it was assured."
        )
    return ""


@transaction.atomic
def action_close(*, action: Action, by, note: str = "") -> Action:
    """The sub-group confirms closure after seeing the evidence of impact; the review closes
    too if this was the last open action of a published review's plan."""
    action = _lock(action)
    _require_monitor(by, "close an action")
    blocker = closure_blocker(action)
    if blocker:
        raise WorkflowError(blocker)
    action.status = Status.CLOSED
    action.closed_at, action.closed_by, action.closure_note = timezone.now(), by, note.strip()
    save_with_history(action, by)
    _event(action, by, "action_closed", f"Action {action.number} closed on evidence of impact")
    review_close_if_done(review=action.review, by=by)
    return action


@transaction.atomic
def action_reopen(*, action: Action, by, reason: str) -> Action:
    """Reopen a closed or handed-over action: it is in progress again."""
    action = _lock(action)
    _require_monitor(by, "reopen an action")
    _require_review_open(action.review)
    if action.status not in FINISHED_STATUSES:
        raise WorkflowError(f"Action {action.number} is open: there is nothing to reopen.")
    reason = _require_text(reason, "reason", "Enter why the action is reopened")
    action.status = Status.IN_PROGRESS
    action.closed_at = action.closed_by = None
    action.closure_note, action.handed_to = "", ""
    save_with_history(action, by)
    _event(action, by, "action_reopened", f"Action {action.number} reopened", reason=reason)
    return action


@transaction.atomic
def action_hand_over(*, action: Action, by, handed_to: str) -> Action:
    """Hand an open action formally to another plan (a board's or an agency's own), which
    finishes it for this review."""
    action = _lock(action)
    _require_monitor(by, "hand an action over")
    _require_open(action, "hand the action over")
    action.handed_to = _require_text(handed_to, "handed_to", "Enter the plan it is handed to")
    action.status = Status.HANDED_OVER
    action.closed_at, action.closed_by = timezone.now(), by
    save_with_history(action, by)
    _event(action, by, "action_handed_over", f"Action {action.number} handed to {action.handed_to}")
    review_close_if_done(review=action.review, by=by)
    return action


@transaction.atomic
def action_share(*, action: Action, by, shared: bool) -> Action:
    """Share an action (read-only) with every agency's representatives for learning, or stop."""
    action = _lock(action)
    _require_monitor(by, "share an action")
    if action.shared_with_agencies == shared:
        return action
    action.shared_with_agencies = shared
    save_with_history(action, by)
    _event(
        action,
        by,
        "action_shared" if shared else "action_unshared",
        f"Action {action.number} {'shared with' if shared else 'no longer shared with'} "
        "every agency",
    )
    return action
