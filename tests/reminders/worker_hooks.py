"""Loaded into the Celery worker of the reliability tests (`celery worker -I
tests.reminders.worker_hooks`), never into the test process's own apps.

- With LCSPR_TEST_CLOCK_EMAIL set: a test-only reminder clock, with one item due today for the
  user who has that e-mail address, when that user exists.
- With LCSPR_TEST_HANG_FIRST_SEND set to a folder: the first e-mail this worker (or any worker
  sharing the folder) tries to send hangs before anything is sent, after writing the pid of
  the process doing it to `<folder>/sending.pid`, so the test can kill that process mid-task.
"""

import os
import time
from pathlib import Path

from django.core.mail.message import EmailMessage

from lcspr.reminders.clocks import Due, register_clock

CLOCK_EMAIL = os.environ.get("LCSPR_TEST_CLOCK_EMAIL")
HANG_FOLDER = os.environ.get("LCSPR_TEST_HANG_FIRST_SEND")


def worker_clock(today):
    from django.contrib.auth import get_user_model

    ids = tuple(get_user_model().objects.filter(email=CLOCK_EMAIL).values_list("pk", flat=True))
    if not ids:
        return []
    return [
        Due(
            key="worker-test:1",
            title="Send the worker test notice",
            due_date=today,
            url="/reviews/1/",
            responsible=ids,
            review_label="CSPR-2026-900 (Child W)",
            kind="Test item",
        )
    ]


if CLOCK_EMAIL:
    register_clock("worker_test", worker_clock)


if HANG_FOLDER:
    _send = EmailMessage.send

    def _hang_on_first_send(self, fail_silently=False):
        marker = Path(HANG_FOLDER) / "sending.pid"
        if not marker.exists():
            marker.write_text(str(os.getpid()))
            time.sleep(600)  # the test kills this process here, before anything is sent
        return _send(self, fail_silently=fail_silently)

    EmailMessage.send = _hang_on_first_send
