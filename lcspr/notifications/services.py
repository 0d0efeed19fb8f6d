from django.db import transaction
from django.utils import timezone

from lcspr.notifications.models import InAppNotification


def notification_create(
    *, recipient, title: str, body: str = "", url: str = ""
) -> InAppNotification:
    """Put a message in `recipient`'s notification centre (inside the caller's transaction)."""
    return InAppNotification.objects.create(recipient=recipient, title=title, body=body, url=url)


def notification_mark_read(*, notification: InAppNotification, by) -> InAppNotification:
    """Mark one notification read (reading it again changes nothing)."""
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def notifications_mark_all_read(*, by) -> int:
    """Mark every unread notification of `by` read; returns how many were unread."""
    return InAppNotification.objects.filter(recipient=by, read_at__isnull=True).update(
        read_at=timezone.now()
    )
