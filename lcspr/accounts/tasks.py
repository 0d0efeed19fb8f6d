"""Accounts tasks: thin, take ids, safe to run twice."""

from celery import shared_task

from lcspr.accounts import password_reset


@shared_task
def handle_password_reset(request_id: int) -> None:
    password_reset.password_reset_handle(request_id)


@shared_task
def catch_up_password_resets() -> int:
    """Handle requests the queue missed (it was down), and forget month-old ones."""
    waiting = password_reset.password_resets_waiting()
    for request_id in waiting:
        password_reset.password_reset_handle(request_id)
    password_reset.password_reset_requests_prune()
    return len(waiting)
