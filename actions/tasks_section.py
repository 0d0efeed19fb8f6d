"""The "Action plan" section of a review's task list, declared: the plan's actions counted by
status with those overdue, the recommendations turned into actions, the rapid review's immediate
actions tracked, and the review's closure once the plan is complete. Three queries whatever the
size of the plan; each row links to its page only for those who may see it."""

from functools import cached_property

from django.db.models import Count, Q

from actions.models import FINISHED_STATUSES, OPEN_STATUSES, Action, Status, overdue_q
from actions.services.plan import close_blocker_of
from lcspr.core.text import in_sentence
from reviews.learning.models import ReportRecommendation
from reviews.models import Stage
from reviews.rapid_review.models import ImmediateAction
from reviews.tasklist import (
    CANNOT_START,
    COMPLETED,
    IN_PROGRESS,
    NOT_STARTED,
    Section,
    Step,
    per_review,
    register_section,
)


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _progress(done: int, total: int) -> str:
    if total and done == total:
        return COMPLETED
    return IN_PROGRESS if done else NOT_STARTED


def plan_counts(review, today) -> dict:
    """The review's actions counted by status, with those overdue (`overdue_q`)."""
    by_status = {status: Count("pk", filter=Q(status=status)) for status in Status.values}
    return review.actions.aggregate(
        total=Count("pk"),
        overdue=Count("pk", filter=overdue_q(today)),
        finished=Count("pk", filter=Q(status__in=FINISHED_STATUSES)),
        **by_status,
    )


def counts_text(counts: dict) -> str:
    """ "4 actions: 1 not started, 2 in progress, 1 closed; 1 overdue"."""
    if not counts["total"]:
        return "No actions yet"
    parts = [f"{counts[s.value]} {in_sentence(s.label)}" for s in Status if counts[s.value]]
    text = f"{_count(counts['total'], 'action', 'actions')}: {', '.join(parts)}"
    return text + (f"; {counts['overdue']} overdue" if counts["overdue"] else "")


class ActionPlanContext:
    """The plan's counts, its recommendations and the rapid review's immediate actions, as the
    page loaded them (`action_plan_annotate`)."""

    def __init__(self, review, counts: dict, immediate: dict):
        self.review, self.counts, self.immediate = review, counts, immediate
        self.recommendations = {
            "total": review.plan_recommendations,
            "answered": review.plan_recommendations_answered,
        }

    @cached_property
    def close_blocker(self) -> str:
        still_open = sum(self.counts[status] for status in OPEN_STATUSES)
        return close_blocker_of(self.review, self.counts["total"], still_open)


# The stages whose learning feeds the plan from the start: an LCSPR, and another learning review
# (after the decision, or held instead of a notification).
PLANNING_STAGES = (Stage.LCSPR, Stage.OTHER_LEARNING)


def action_plan_annotate(today) -> dict:
    """plan_counts, the immediate actions tracked and the recommendations answered, for each
    review in the reviews' own query."""
    actions = Action.objects.all()
    counts = {
        "plan_total": per_review(actions, Count("pk")),
        "plan_overdue": per_review(actions, Count("pk", filter=overdue_q(today))),
        "plan_finished": per_review(actions, Count("pk", filter=Q(status__in=FINISHED_STATUSES))),
        **{
            f"plan_{status}": per_review(actions, Count("pk", filter=Q(status=status)))
            for status in Status.values
        },
    }
    immediate = ImmediateAction.objects.all()
    recommendations = ReportRecommendation.objects.all()
    return {
        **counts,
        "plan_immediate": per_review(immediate, Count("pk"), review="rapid_review__review"),
        "plan_immediate_tracked": per_review(
            immediate,
            Count("pk", filter=Q(tracked_action__isnull=False)),
            review="rapid_review__review",
        ),
        "plan_recommendations": per_review(recommendations, Count("pk", distinct=True)),
        "plan_recommendations_answered": per_review(
            recommendations, Count("pk", filter=Q(actions__isnull=False), distinct=True)
        ),
    }


def action_plan_context(page: dict) -> ActionPlanContext | None:
    """None until the review has actions, immediate actions or is an LCSPR or another
    learning review."""
    review = page["review"]
    counts = {
        "total": review.plan_total,
        "overdue": review.plan_overdue,
        "finished": review.plan_finished,
        **{status: getattr(review, f"plan_{status}") for status in Status.values},
    }
    immediate = {"total": review.plan_immediate, "tracked": review.plan_immediate_tracked}
    if not (counts["total"] or immediate["total"] or review.stage in PLANNING_STAGES):
        return None
    return ActionPlanContext(review, counts, immediate)


def _recommendations_hint(ctx: ActionPlanContext) -> str:
    answered, total = ctx.recommendations["answered"], ctx.recommendations["total"]
    have = _count(total, "recommendation has", "recommendations have")
    return f"{answered} of {have} actions"


def _closing_shown(ctx: ActionPlanContext, stage: str) -> bool:
    return ctx.review.stage == stage and bool(ctx.counts["total"])


STEPS = (
    Step(
        "Action plan",
        lambda ctx: _progress(ctx.counts["finished"], ctx.counts["total"]),
        action="view_plan",
        url_name="actions:review_plan",
        hint=lambda ctx: counts_text(ctx.counts),
        to_do=False,
    ),
    Step(
        "Turn the recommendations into actions",
        lambda ctx: _progress(ctx.recommendations["answered"], ctx.recommendations["total"]),
        action="manage_plan",
        url_name="actions:from_recommendations",
        open=lambda ctx, user: ctx.review.stage == Stage.LCSPR,
        hint=_recommendations_hint,
        shown=lambda ctx: bool(ctx.recommendations["total"]),
    ),
    # Those who manage the plan also see it (can_plan), so the plan's link needs manage_plan only.
    Step(
        "Track the immediate safety actions",
        lambda ctx: _progress(ctx.immediate["tracked"], ctx.immediate["total"]),
        action="manage_plan",
        url_name="actions:review_plan",
        open=lambda ctx, user: ctx.review.stage != Stage.CLOSED,
        hint=lambda ctx: (
            f"{ctx.immediate['tracked']} of {ctx.immediate['total']} tracked in the action plan"
        ),
        shown=lambda ctx: bool(ctx.immediate["total"]),
    ),
    Step(
        "Close the review",
        COMPLETED,
        hint=lambda ctx: ctx.review.closed_reason.capitalize(),
        shown=lambda ctx: _closing_shown(ctx, Stage.CLOSED),
    ),
    Step(
        "Close the review",
        lambda ctx: CANNOT_START if ctx.close_blocker else NOT_STARTED,
        action="manage_plan",
        url_name="actions:review_plan",
        open=lambda ctx, user: not ctx.close_blocker,
        hint=lambda ctx: (
            ctx.close_blocker or "Every action is closed or handed over and the report is published"
        ),
        shown=lambda ctx: _closing_shown(ctx, Stage.LCSPR),
    ),
)

SECTION = Section("Action plan", 400, action_plan_context, STEPS, annotate=action_plan_annotate)

register_section(SECTION)
