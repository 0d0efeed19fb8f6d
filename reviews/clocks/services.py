"""Changing the rules the clocks count by: the partnership's clock settings and its calendar.
Open clocks follow a change at once; met clocks are history and keep their dates."""

from django.db import transaction

from lcspr.core.closures import on_calendar_change
from lcspr.core.services import save_with_history, timeline_event
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


def _calendar_changed(*, by, why: str) -> None:
    recompute_open_clocks(by=by, why=why)


on_calendar_change(_calendar_changed)
