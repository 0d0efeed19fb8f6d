"""Changing the partnership's clock settings."""

from django.db import transaction

from lcspr.core.services import (
    save_with_history,
    timeline_event,
)
from reviews.clocks import deadlines
from reviews.clocks.models import ClockSettings
from reviews.models import Review, Stage


@transaction.atomic
def clock_settings_update(*, by, **fields) -> ClockSettings:
    """Change the partnership's clock rules; open clocks of every review are recomputed."""
    clocks = ClockSettings.objects.select_for_update().get(pk=ClockSettings.load().pk)
    for field, value in fields.items():
        setattr(clocks, field, value)
    save_with_history(clocks, by)
    from lcspr.core.working_days import calendar

    cal = calendar()
    for review in Review.objects.exclude(stage=Stage.CLOSED):
        deadlines.refresh(review, by=by, clocks=clocks, cal=cal)
        timeline_event(
            review, by, "clocks_recomputed", "Due dates recomputed after the clock settings changed"
        )
    return clocks
