"""Loaded into the Celery worker of the background-job test (`celery worker -I
tests.core.job_hooks`), never into the test process's own apps: a test-only kind of job that
reports half its work, then waits until the test lets it finish (a file appears at the path in
its parameters), so the test can watch the progress the worker saved while it runs."""

import time
from pathlib import Path

from lcspr.core.jobs.registry import register_job

WAIT = 30  # seconds, at most, for the test to let the job finish


def halves(job, progress):
    progress(1, 2)
    gate = Path(job.parameters["gate"])
    deadline = time.monotonic() + WAIT
    while not gate.exists():
        if time.monotonic() > deadline:
            raise TimeoutError("The test never let the job finish.")
        time.sleep(0.1)
    progress(2, 2)


register_job("test.halves", halves)
