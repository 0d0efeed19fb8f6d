"""Adding actions to a review's plan (from a recommendation, an immediate action of the rapid
review, or the review's learning), correcting them, moving due dates, and closing the review
once its plan is complete."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from actions.models import OPEN_STATUSES, Action, DueDateChange, Source
from actions.services._base import (
    REPORT_DONE,
    SOURCE_STAGES,
    _default_themes,
    _event,
    _lock,
    _require_open,
    _require_review_open,
    _require_text,
)
from lcspr.core.exceptions import WorkflowError
from lcspr.core.services import save_with_history
from lcspr.core.text import in_sentence, long_date
from lcspr.core.versions import require_version
from reviews.learning.models import ReportRecommendation
from reviews.models import Review, Stage
from reviews.rapid_review.models import ImmediateAction
from reviews.workflow import review_close_completed

# --- adding actions -----------------------------------------------------------------------------


@transaction.atomic
def action_add(
    *,
    review: Review,
    by,
    source: str,
    text: str,
    lead_agency,
    owner=None,
    due_date,
    recommendation: ReportRecommendation | None = None,
    immediate_action: ImmediateAction | None = None,
    themes=(),
) -> Action:
    """Add an action to a review's plan, numbered next; its themes default to the review's
    primary learning themes. A past due date is allowed: plans kept elsewhere are transcribed."""
    review = Review.objects.select_for_update().get(pk=review.pk)
    _require_review_open(review)
    if source not in SOURCE_STAGES:
        raise WorkflowError({"source": "Select where the action comes from"})
    if review.stage not in SOURCE_STAGES[source]:
        raise WorkflowError(
            f"You cannot add {in_sentence(Source(source).label)} now: the review is at the "
            f"{in_sentence(review.get_stage_display())} stage."
        )
    if source == Source.RECOMMENDATION:
        if recommendation is None:
            raise WorkflowError({"recommendation": "Select the recommendation it answers"})
        if recommendation.review_id != review.pk:
            raise WorkflowError(
                {"recommendation": "The recommendation belongs to another review's report"}
            )
    if immediate_action is not None:
        if immediate_action.rapid_review.review_id != review.pk:
            raise WorkflowError("The immediate action belongs to another review.")
        if Action.objects.filter(immediate_action=immediate_action).exists():
            raise WorkflowError("This immediate action is already tracked in the action plan.")
    if source == Source.IMMEDIATE and immediate_action is None:
        raise WorkflowError("Choose the immediate action of the rapid review to track.")
    text = _require_text(text, "text", "Enter the action")
    if lead_agency is None:
        raise WorkflowError({"lead_agency": "Select the lead agency"})
    if due_date is None:
        raise WorkflowError({"due_date": "Enter the due date"})
    if owner is not None and not owner.is_active:
        raise WorkflowError({"owner": f"{owner} can no longer sign in: choose someone else"})
    number = (review.actions.aggregate(n=Max("number"))["n"] or 0) + 1
    action = save_with_history(
        Action(
            review=review,
            number=number,
            source=source,
            recommendation=recommendation if source == Source.RECOMMENDATION else None,
            immediate_action=immediate_action,
            text=text,
            lead_agency=lead_agency,
            owner=owner,
            due_date=due_date,
            created_by=by,
        ),
        by,
    )
    action.themes.set(list(themes) or _default_themes(review))
    answers = f" (recommendation {recommendation.number})" if action.recommendation else ""
    _event(
        action,
        by,
        "action_added",
        f"Action {number}{answers} added for {lead_agency}, due {long_date(due_date)}",
    )
    return action


@transaction.atomic
def actions_from_recommendations(*, review: Review, by, rows) -> list[Action]:
    """Turn the final report's recommendations into actions, one or more per recommendation, in
    one step: every row is added or none is. Each row is a dict of `recommendation`, `text`,
    `lead_agency`, `owner`, `due_date` and optionally `themes`."""
    rows = list(rows)
    if not rows:
        raise WorkflowError("Write at least one action.")
    actions = []
    for number, row in enumerate(rows, start=1):
        try:
            actions.append(
                action_add(
                    review=review,
                    by=by,
                    source=Source.RECOMMENDATION,
                    text=row.get("text", ""),
                    lead_agency=row.get("lead_agency"),
                    owner=row.get("owner"),
                    due_date=row.get("due_date"),
                    recommendation=row.get("recommendation"),
                    themes=row.get("themes") or (),
                )
            )
        except WorkflowError as e:
            raise WorkflowError(f"Action {number}: {' '.join(e.messages)}") from None
    return actions


@transaction.atomic
def action_from_immediate(
    *, immediate_action: ImmediateAction, by, owner=None, due_date=None
) -> Action:
    """Track an immediate action of the rapid review in the review's plan, with its lead agency
    and (unless given) its due date."""
    due_date = due_date or immediate_action.due_date
    if due_date is None:
        raise WorkflowError({"due_date": "Enter the due date: the rapid review did not set one"})
    return action_add(
        review=immediate_action.rapid_review.review,
        by=by,
        source=Source.IMMEDIATE,
        text=immediate_action.description,
        lead_agency=immediate_action.lead_agency,
        owner=owner,
        due_date=due_date,
        immediate_action=immediate_action,
    )


# --- changing an action -------------------------------------------------------------------------


@transaction.atomic
def action_edit(
    *, action: Action, by, text: str, lead_agency, owner, themes, version=None
) -> Action:
    """Correct an open action's wording, lead agency, owner or themes (refused when read at an
    older `version` and someone has since changed one of them)."""
    action = _lock(action)
    require_version(action, version, fields=("text", "lead_agency", "owner", "themes"))
    _require_open(action, "change the action")
    text = _require_text(text, "text", "Enter the action")
    if lead_agency is None:
        raise WorkflowError({"lead_agency": "Select the lead agency"})
    if owner is not None and not owner.is_active and owner.pk != action.owner_id:
        raise WorkflowError({"owner": f"{owner} can no longer sign in: choose someone else"})
    changed = [
        label
        for label, old, new in (
            ("action", action.text, text),
            ("lead agency", action.lead_agency_id, lead_agency.pk),
            ("owner", action.owner_id, owner.pk if owner else None),
        )
        if old != new
    ]
    themes = list(themes)
    if {t.pk for t in themes} != set(action.themes.values_list("pk", flat=True)):
        changed.append("themes")
    if not changed:
        return action
    action.text, action.lead_agency, action.owner = text, lead_agency, owner
    save_with_history(action, by)
    action.themes.set(themes)
    _event(action, by, "action_edited", f"Action {action.number} changed: {', '.join(changed)}")
    return action


@transaction.atomic
def action_due_date_change(*, action: Action, by, new_date, reason: str) -> DueDateChange:
    """Move an open action's due date, keeping the old date and the reason."""
    action = _lock(action)
    _require_open(action, "move the due date")
    if new_date is None:
        raise WorkflowError({"new_date": "Enter the new due date"})
    if new_date == action.due_date:
        raise WorkflowError({"new_date": "The new due date is the same as the current one"})
    if new_date < timezone.localdate():
        raise WorkflowError({"new_date": "The new due date must be today or in the future"})
    reason = _require_text(reason, "reason", "Enter why the due date is moving")
    change = save_with_history(
        DueDateChange(
            action=action, old_date=action.due_date, new_date=new_date, reason=reason, changed_by=by
        ),
        by,
    )
    action.due_date = new_date
    save_with_history(action, by)
    _event(
        action,
        by,
        "action_due_date",
        f"Action {action.number} due date moved from {long_date(change.old_date)} to "
        f"{long_date(new_date)}",
        reason=reason,
    )
    return change


# --- the review's closure -----------------------------------------------------------------------


def plan_close_blocker(review: Review) -> str:
    """Why the review cannot close on its action plan now ("" when it can). An LCSPR closes
    when its report is published (in full or its improvements) and every action is closed or
    handed to another plan."""
    if review.stage != Stage.LCSPR:
        return "Only an LCSPR that is still open closes when its action plan is complete."
    statuses = list(review.actions.values_list("status", flat=True))
    return close_blocker_of(review, len(statuses), sum(1 for s in statuses if s in OPEN_STATUSES))


def close_blocker_of(review: Review, total: int, still_open: int) -> str:
    """plan_close_blocker from the plan's counts already loaded (the task list's): `total`
    actions, `still_open` of them in OPEN_STATUSES."""
    if review.stage != Stage.LCSPR:
        return "Only an LCSPR that is still open closes when its action plan is complete."
    if not total:
        return "The review has no actions yet."
    if still_open:
        return (
            f"{still_open} {'action is' if still_open == 1 else 'actions are'} still open: "
            "each must be closed or handed to another plan."
        )
    if review.report_status not in REPORT_DONE:
        return "The final report (or its improvements) has not been published yet."
    return ""


@transaction.atomic
def review_close_if_done(*, review: Review, by) -> bool:
    """Close the review when its plan is complete (see plan_close_blocker); True if it closed."""
    review = Review.objects.select_for_update().get(pk=review.pk)
    if plan_close_blocker(review):
        return False
    review_close_completed(
        review=review,
        by=by,
        reason="the report is published and every action of its plan is closed or handed over",
    )
    return True
