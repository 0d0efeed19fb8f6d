"""Changing the rules the clocks count by: the partnership's clock settings and its calendar.
Open clocks follow a change at once; met clocks are history and keep their dates. And the
reason a clock was met late, or is overdue, in the partnership manager's words."""

import datetime

from django.db import transaction
from django.utils import timezone

from lcspr.core.closures import on_calendar_change
from lcspr.core.exceptions import WorkflowError
from lcspr.core.services import lock_row, save_with_history, timeline_event
from lcspr.core.text import long_date
from lcspr.core.versions import require_version
from lcspr.core.working_days import calendar
from reviews.clocks import deadlines
from reviews.clocks.models import ClockSettings, Deadline
from reviews.models import Review


@transaction.atomic
def clock_settings_update(*, by, version: int | None = None, **fields) -> int:
    """Change the partnership's clock rules; returns how many reviews had an open due date
    moved (each says so on its timeline). Refused when read at an older `version` and
    someone has changed the rules since."""
    clocks = ClockSettings.objects.select_for_update().get(pk=ClockSettings.load().pk)
    require_version(clocks, version, fields=list(fields))
    for field, value in fields.items():
        setattr(clocks, field, value)
    save_with_history(clocks, by)
    return recompute_open_clocks(by=by, why="the clock settings changed", clocks=clocks)


def recompute_open_clocks(*, by, why: str, clocks=None) -> int:
    """Every review with an open clock recomputes it under the rules in force now; returns how
    many reviews had a due date moved. Met clocks keep the dates they were met against."""
    clocks = clocks or ClockSettings.load()
    cal = calendar()
    open_reviews = Review.objects.filter(
        pk__in=Deadline.objects.filter(met_on__isnull=True).values("review_id")
    ).order_by("pk")
    moved_reviews = 0
    for review in open_reviews:
        before = {d.kind: d.due_date for d in review.deadlines.all() if d.met_on is None}
        after = deadlines.refresh(review, by=by, clocks=clocks, cal=cal)
        moves = [
            (deadline, before[deadline.kind])
            for deadline in after
            if deadline.is_open
            and deadline.kind in before
            and before[deadline.kind] != deadline.due_date
        ]
        if not moves:
            continue
        moved_reviews += 1
        timeline_event(
            review,
            by,
            "clocks_recomputed",
            f"Due dates recomputed ({why}): "
            + "; ".join(
                f"{d.get_kind_display()}: {long_date(old)} to {long_date(d.due_date)}"
                for d, old in moves
            ),
            moved={d.kind: [old.isoformat(), d.due_date.isoformat()] for d, old in moves},
        )
    return moved_reviews


MAX_LATE_REASON = 2000


def late_reason_blocker(deadline: Deadline, today: datetime.date) -> str:
    """Why no reason can be recorded for this clock being late ("" when it can): it was met by
    its due date, or its due date has not passed."""
    step = f"“{deadline.get_kind_display()}”"
    if deadline.is_late(today):
        return ""
    if deadline.met_on is not None:
        return (
            f"{step} was met on {long_date(deadline.met_on)}, by its due date "
            f"({long_date(deadline.due_date)}): it was not late, so there is no reason to record."
        )
    return (
        f"{step} is due by {long_date(deadline.due_date)}, which has not passed: it is not "
        "late, so there is no reason to record."
    )


@transaction.atomic
def late_reason_record(
    *, deadline: Deadline, by, late_reason: str, version: int | None = None
) -> Deadline:
    """Record why a clock was met late or is overdue (the yearly report lists it beside the late
    step); refused when the clock is not late, and when read at an older `version` and someone
    has changed the reason since."""
    deadline = lock_row(deadline, related=("review",))
    blocker = late_reason_blocker(deadline, timezone.localdate())
    if blocker:
        raise WorkflowError(blocker)
    require_version(deadline, version, fields=("late_reason",))
    late_reason = (late_reason or "").strip()
    if not late_reason:
        raise WorkflowError({"late_reason": "Enter why this was late"})
    if len(late_reason) > MAX_LATE_REASON:
        raise WorkflowError(
            {
                "late_reason": f"Why it was late must be {MAX_LATE_REASON:,} characters or "
                f"fewer (it has {len(late_reason):,})"
            }
        )
    if late_reason == deadline.late_reason:
        raise WorkflowError({"late_reason": "This is already the reason recorded"})
    changed = bool(deadline.late_reason)
    deadline.late_reason = late_reason
    save_with_history(deadline, by, validate=False, update_fields=["late_reason"])
    due = long_date(deadline.due_date)
    timeline_event(
        deadline.review,
        by,
        "late_reason_recorded",
        f"{'Reason changed' if changed else 'Reason recorded'} for “{deadline.get_kind_display()}"
        f"” (due by {due}) being late: {late_reason}",
        clock=deadline.kind,
        due_date=deadline.due_date.isoformat(),
        met_on=deadline.met_on.isoformat() if deadline.met_on else None,
        reason=late_reason,
    )
    return deadline


def _calendar_changed(*, by, why: str) -> None:
    recompute_open_clocks(by=by, why=why)


on_calendar_change(_calendar_changed)
