"""The reminders' tasks: one daily scan, a catch-up for missed days, a daily digest. Tasks are
thin: they call a function, and are safe to run twice.

Each keeps the name it was registered under when it lived in lcspr.core.tasks: the beat
schedule (lcspr/settings.py) names them, and messages already queued in Redis during a deploy
carry those names."""

import datetime

from celery import shared_task
from django.db.models.functions import Coalesce
from django.utils import timezone

from lcspr.reminders import digests
from lcspr.reminders.models import ReminderSettings, ScanRun
from lcspr.reminders.services import scan_day

RETRY = {
    "autoretry_for": (Exception,),
    "retry_backoff": 30,
    "retry_backoff_max": 30 * 60,
    "retry_jitter": True,
    "max_retries": 5,
}
# A running scan touches its heartbeat after each clock (seconds apart); one not heard from for
# this long has died (a killed worker), and the next catch-up, two minutes apart, runs it again.
SCAN_STALE_AFTER = datetime.timedelta(minutes=3)


@shared_task(name="lcspr.core.tasks.scan_reminders", **RETRY)
def scan_reminders(scheduled: bool = False) -> int:
    """The daily reminder scan. Beat starts it at 06:00 UTC with scheduled=True; a partnership
    that chose another hour gets its scan from catch_up_scan once that hour has passed. Safe to
    run any number of times: a reminder goes out once."""
    now = timezone.now()
    if scheduled and now.hour != ReminderSettings.load().scan_hour_utc:
        return 0
    return scan_day(timezone.localdate(now))


@shared_task(name="lcspr.core.tasks.catch_up_scan", **RETRY)
def catch_up_scan() -> int:
    """Every two minutes: when the last scheduled scan has no finished run (the broker, beat or
    the workers were down at the scan hour, or a clock failed), run the scan now."""
    now = timezone.now()
    scheduled = now.replace(
        hour=ReminderSettings.load().scan_hour_utc, minute=0, second=0, microsecond=0
    )
    if now < scheduled:
        scheduled -= datetime.timedelta(days=1)
    # A later day's run counts too (a catch-up after midnight ran the scan for the new day).
    runs = ScanRun.objects.filter(date__gte=timezone.localdate(scheduled))
    if runs.filter(finished_at__isnull=False).exists():
        return 0
    alive = Coalesce("heartbeat_at", "started_at")
    if (
        runs.filter(finished_at__isnull=True)
        .alias(alive=alive)
        .filter(alive__gte=now - SCAN_STALE_AFTER)
        .exists()
    ):
        return 0  # a scan is running now
    return scan_day(timezone.localdate(now))


@shared_task(name="lcspr.core.tasks.send_digests", **RETRY)
def send_digests() -> int:
    """Daily: one e-mail per digest user with their reminders not yet in a digest."""
    return digests.send_digests()
