"""Platform tasks. Tasks are thin: they take ids, call a function, and are safe to run twice."""

import datetime

from celery import shared_task
from django.conf import settings
from django.db.models import Q
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
    worker died) and any whose sending a crash interrupted; delivery is idempotent, so a
    duplicate enqueue sends nothing twice."""
    now = timezone.now()
    cutoff = now - datetime.timedelta(minutes=older_than_minutes)
    # An attempt a crash interrupted (left "sending"): delivery sends it once more (ADR 0014).
    interrupted = now - datetime.timedelta(minutes=settings.EMAIL_SENDING_STALE_MINUTES)
    stale = list(
        OutboundEmail.objects.filter(
            Q(status=OutboundEmail.Status.QUEUED, created_at__lt=cutoff)
            | Q(status=OutboundEmail.Status.SENDING, attempted_at__lte=interrupted)
        ).values_list("pk", flat=True)
    )
    for email_id in stale:
        deliver_email.delay(email_id)
    return len(stale)


@shared_task
def run_job(job_id: int) -> None:
    """Run one background job (lcspr.core.jobs); a job already done is left alone."""
    from lcspr.core.jobs.services import job_run

    job_run(job_id)
