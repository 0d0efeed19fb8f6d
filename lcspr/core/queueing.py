"""Queuing background work after commit without ever failing or holding up the request.

The work itself is already in the database when it is queued (an outbox e-mail, a job), so a
broker that is down, refuses or does not answer costs only the message: the broker's short
timeouts (lcspr/settings.py, REDIS_*_TIMEOUT) bound the wait, the error is logged, and beat's
sweeps queue the work again (requeue_stale_emails for e-mails, catch_up_scan for reminders)."""

import logging

from django.db import transaction

logger = logging.getLogger(__name__)


def enqueue(task, *args) -> bool:
    """Send `task` with `args` to the broker now; False (and a warning in the log) when the
    broker could not take it."""
    try:
        task.delay(*args)
    except Exception as exc:  # noqa: BLE001 - any broker failure leaves the work for the sweep
        logger.warning(
            "Could not queue %s%r (%s: %s); it waits in the database for the next sweep.",
            task.name,
            args,
            type(exc).__name__,
            exc,
        )
        return False
    return True


def enqueue_on_commit(task, *args) -> None:
    """Queue `task` once the current transaction commits (nothing when it rolls back)."""
    transaction.on_commit(lambda: enqueue(task, *args))
