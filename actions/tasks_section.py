"""The "Action plan" section of a review's task list: the plan's actions counted by status with
those overdue, the recommendations turned into actions, the rapid review's immediate actions
tracked, and the review's closure once the plan is complete. Three queries whatever the size of
the plan; each task links to its page only for those who may see it."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from actions.models import FINISHED_STATUSES, OPEN_STATUSES, Status
from actions.permissions import can_plan
from actions.services import plan_close_blocker
from reviews import tasklist
from reviews.models import Stage
from reviews.rapid_review.models import ImmediateAction
from reviews.tasklist import CANNOT_START, COMPLETED, IN_PROGRESS, NOT_STARTED, Task


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _progress(done: int, total: int) -> str:
    if total and done == total:
        return COMPLETED
    return IN_PROGRESS if done else NOT_STARTED


def plan_counts(review, today) -> dict:
    """The review's actions counted by status, with those open past their due date."""
    by_status = {status: Count("pk", filter=Q(status=status)) for status in Status.values}
    return review.actions.aggregate(
        total=Count("pk"),
        overdue=Count("pk", filter=Q(status__in=OPEN_STATUSES, due_date__lt=today)),
        finished=Count("pk", filter=Q(status__in=FINISHED_STATUSES)),
        **by_status,
    )


def counts_text(counts: dict) -> str:
    """ "4 actions: 1 not started, 2 in progress, 1 closed; 1 overdue"."""
    if not counts["total"]:
        return "No actions yet"
    parts = [f"{counts[s.value]} {s.label.lower()}" for s in Status if counts[s.value]]
    text = f"{_count(counts['total'], 'action', 'actions')}: {', '.join(parts)}"
    return text + (f"; {counts['overdue']} overdue" if counts["overdue"] else "")


def action_plan_section(user, page):
    """The section once the review has actions, immediate actions or is an LCSPR; else None."""
    review = page["review"]
    counts = plan_counts(review, timezone.localdate())
    immediate = ImmediateAction.objects.filter(rapid_review__review=review).aggregate(
        total=Count("pk"), tracked=Count("pk", filter=Q(tracked_action__isnull=False))
    )
    if not (counts["total"] or immediate["total"] or review.stage == Stage.LCSPR):
        return None
    recommendations = review.recommendations.aggregate(
        total=Count("pk", distinct=True),
        answered=Count("pk", filter=Q(actions__isnull=False), distinct=True),
    )
    may_view = can_plan(user, "view_plan", review)
    may_manage = can_plan(user, "manage_plan", review)
    plan_url = reverse("actions:review_plan", args=[review.pk]) if may_view else ""
    open_review = review.stage != Stage.CLOSED

    tasks = [
        Task(
            "Action plan",
            _progress(counts["finished"], counts["total"]),
            plan_url,
            counts_text(counts),
        )
    ]
    if recommendations["total"]:
        tasks.append(
            Task(
                "Turn the recommendations into actions",
                _progress(recommendations["answered"], recommendations["total"]),
                reverse("actions:from_recommendations", args=[review.pk])
                if may_manage and review.stage == Stage.LCSPR
                else "",
                f"{recommendations['answered']} of "
                f"{_count(recommendations['total'], 'recommendation has', 'recommendations have')}"
                " actions",
            )
        )
    if immediate["total"]:
        tasks.append(
            Task(
                "Track the immediate safety actions",
                _progress(immediate["tracked"], immediate["total"]),
                plan_url if may_manage and open_review else "",
                f"{immediate['tracked']} of {immediate['total']} tracked in the action plan",
            )
        )
    if review.stage == Stage.CLOSED and counts["total"]:
        tasks.append(Task("Close the review", COMPLETED, hint=review.closed_reason.capitalize()))
    elif review.stage == Stage.LCSPR and counts["total"]:
        blocker = plan_close_blocker(review)
        tasks.append(
            Task(
                "Close the review",
                CANNOT_START if blocker else NOT_STARTED,
                "" if blocker or not may_manage else plan_url,
                blocker or "Every action is closed or handed over and the report is published",
            )
        )
    return "Action plan", tasks


tasklist.register_section(action_plan_section, order=400)
