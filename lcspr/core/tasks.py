"""Platform tasks. Tasks are thin: they take ids, call a function, and are safe to run twice."""

import datetime

from celery import shared_task
from django.utils import timezone

from lcspr.core.models import Heartbeat, OutboundEmail


@shared_task
def record_heartbeat(name: str) -> None:
    """Record that `name` (the beat scheduler, or a worker) is alive."""
    Heartbeat.objects.update_or_create(name=name, defaults={"seen_at": timezone.now()})


@shared_task(
    bind=True,
    autoretry_for=(Exception,),
    retry_backoff=30,
    retry_backoff_max=30 * 60,
    retry_jitter=True,
    max_retries=10,
)
def deliver_email(self, email_id: int) -> None:
    """Deliver one e-mail from the outbox (retried with backoff while the server is down)."""
    from lcspr.core.emails import deliver

    deliver(email_id)


@shared_task
def requeue_stale_emails(older_than_minutes: int = 10) -> int:
    """Enqueue again any e-mail still queued after a while (the broker was down at commit, or a
    worker died); delivery is idempotent, so a duplicate enqueue sends nothing twice."""
    cutoff = timezone.now() - datetime.timedelta(minutes=older_than_minutes)
    stale = list(
        OutboundEmail.objects.filter(
            status=OutboundEmail.Status.QUEUED, created_at__lt=cutoff
        ).values_list("pk", flat=True)
    )
    for email_id in stale:
        deliver_email.delay(email_id)
    return len(stale)


# --- reminders (issue 8): one daily scan, a catch-up for missed days, a daily digest -----------

RETRY = {
    "autoretry_for": (Exception,),
    "retry_backoff": 30,
    "retry_backoff_max": 30 * 60,
    "retry_jitter": True,
    "max_retries": 5,
}
# A scan that started this long ago and has not finished has died (longer than the task's hard
# time limit).
SCAN_STALE_AFTER = datetime.timedelta(minutes=20)


@shared_task(**RETRY)
def scan_reminders(scheduled: bool = False) -> int:
    """The daily reminder scan. Beat starts it at 06:00 UTC with scheduled=True; a partnership
    that chose another hour gets its scan from catch_up_scan once that hour has passed. Safe to
    run any number of times: a reminder goes out once."""
    from lcspr.core.models import ReminderSettings
    from lcspr.core.reminders import scan_day

    now = timezone.now()
    if scheduled and now.hour != ReminderSettings.load().scan_hour_utc:
        return 0
    return scan_day(timezone.localdate(now))


@shared_task(**RETRY)
def catch_up_scan() -> int:
    """Every ten minutes: when the last scheduled scan has no finished run (the broker, beat or
    the workers were down at the scan hour, or a clock failed), run the scan now."""
    from lcspr.core.models import ReminderSettings, ScanRun
    from lcspr.core.reminders import scan_day

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
    if runs.filter(finished_at__isnull=True, started_at__gte=now - SCAN_STALE_AFTER).exists():
        return 0  # a scan is running now
    return scan_day(timezone.localdate(now))


@shared_task(**RETRY)
def send_digests() -> int:
    """Daily: one e-mail per digest user with their reminders not yet in a digest."""
    from lcspr.core.digests import send_digests as send

    return send()
