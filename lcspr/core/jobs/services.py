"""Starting a background job and running it: the one wrapper every kind of job runs in."""

import logging

from django.db import models, transaction
from django.utils import timezone

from lcspr.core.jobs.models import Job
from lcspr.core.jobs.registry import job_function
from lcspr.core.queueing import enqueue_on_commit
from lcspr.core.services import save_with_history

logger = logging.getLogger(__name__)

MESSAGE_LENGTH = 1000


@transaction.atomic
def job_start(*, kind: str, by, parameters: dict | None = None, about: models.Model | None = None):
    """Record a job of a registered `kind` for `by` and queue it for a worker once the
    transaction commits (a rollback queues nothing); UnknownJobKind for any other kind."""
    from lcspr.core.tasks import run_job

    job_function(kind)  # refuses a kind no app registered, before anything is written
    job = save_with_history(
        Job(kind=kind, requested_by=by, parameters=parameters or {}, about=about), by
    )
    # A broker that is down or hung must not undo or hold up the request; the job then waits.
    enqueue_on_commit(run_job, job.pk)
    return job


def job_run(job_id: int) -> None:
    """Run one job's registered function, saving its progress as it reports it, then its file
    (done) or the error's message (failed, and the error raised again for the worker's log).
    A job already done is left alone, so running it twice is safe. Not atomic on purpose: each
    step commits at once, so the job's page sees it while the work goes on."""
    job = Job.objects.select_related("requested_by").filter(pk=job_id).first()
    if job is None or job.status == Job.Status.DONE:
        return
    # The worker acts for the person who asked: their name goes in the job's history.
    _save(
        job,
        status=Job.Status.RUNNING,
        started_at=timezone.now(),
        finished_at=None,
        progress_done=0,
        progress_total=0,
        message="",
    )

    def progress(done: int, total: int) -> None:
        job.progress_done, job.progress_total = max(done, 0), max(total, done, 0)
        # A plain update: progress is not a change worth a history row.
        Job.objects.filter(pk=job.pk).update(
            progress_done=job.progress_done, progress_total=job.progress_total
        )

    try:
        result = job_function(job.kind)(job, progress)
        if result is not None:
            job.file.save(result.name, result, save=False)
    except Exception as error:
        logger.exception("Job %s (%s) failed", job.pk, job.kind)
        _save(
            job,
            status=Job.Status.FAILED,
            message=failure_message(error),
            finished_at=timezone.now(),
        )
        raise
    _save(
        job,
        status=Job.Status.DONE,
        progress_done=job.progress_total,
        message="",
        finished_at=timezone.now(),
    )


def failure_message(error: Exception) -> str:
    """What went wrong, for whoever looks at a failed job: the error's kind and its text."""
    text = str(error).strip()
    message = f"{type(error).__name__}: {text}" if text else type(error).__name__
    return message[:MESSAGE_LENGTH]


def _save(job: Job, **fields) -> None:
    for name, value in fields.items():
        setattr(job, name, value)
    save_with_history(job, job.requested_by, validate=False)
