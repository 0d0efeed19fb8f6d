"""The action-plan part of the partnership's yearly report on reviews (reviews.yearly), counted
over the actions the reader sees: those open at some point in the period by their status today,
how many carry evidence of impact, and the actions closed in the period with that evidence."""

import datetime

from django.db.models import Count, Q
from django.utils import timezone

from actions.models import Status
from actions.permissions import actions_for_user
from reviews.yearly.selectors import ActionsPart, Period, register_actions


def _moment(day: datetime.date, *, end: bool = False) -> datetime.datetime:
    """The start of `day` (or of the day after it, for an end) in the local time zone."""
    if end:
        day += datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def yearly_actions(user, period: Period) -> ActionsPart:
    """The yearly report's actions part for `user` (a registered source of reviews.yearly)."""
    start, end = _moment(period.start), _moment(period.end, end=True)
    visible = actions_for_user(user)
    during = visible.filter(created_at__lt=end).filter(
        Q(closed_at__isnull=True) | Q(closed_at__gte=start)
    )
    counts = {status: Count("pk", filter=Q(status=status)) for status in Status.values}
    totals = during.aggregate(
        total=Count("pk"), with_impact=Count("pk", filter=~Q(impact_evidence="")), **counts
    )
    closed = (
        visible.filter(closed_at__gte=start, closed_at__lt=end)
        .select_related("review", "lead_agency")
        .order_by("closed_at", "pk")
    )
    return ActionsPart(
        by_status=[(s.value, s.label, totals[s.value]) for s in Status],
        total=totals["total"],
        with_impact=totals["with_impact"],
        completed=[
            {
                "reference": action.reference,
                "review": action.review,
                "text": action.title,
                "lead_agency": action.lead_agency.name,
                "closed_on": timezone.localdate(action.closed_at),
                "impact_evidence": action.impact_evidence,
                "assurance": action.get_assurance_method_display(),
            }
            for action in closed
        ],
    )


register_actions(yearly_actions)
