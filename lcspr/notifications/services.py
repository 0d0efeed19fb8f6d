from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from lcspr.notifications.models import InAppNotification

DIGEST = "digest"  # ReminderDelivery.DIGEST: e-mails once a day, so none for each new step


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


def step_waiting_notify(
    *, recipients, title: str, review_label: str, url: str, email: bool = True
) -> None:
    """Tell each of `recipients`, once the caller's transaction commits, that a step now waits
    for them: in their notification centre, and by e-mail unless they chose the daily digest
    (as reminders are sent; `email=False` where the step's own e-mail already goes). The step
    itself is in their "Waiting for you" either way."""
    pks = sorted({user.pk for user in recipients})
    if pks:
        transaction.on_commit(lambda: _step_waiting_send(pks, title, review_label, url, email))


@transaction.atomic
def _step_waiting_send(pks: list[int], title: str, review_label: str, url: str, email: bool):
    from django.contrib.auth import get_user_model

    from lcspr.core.emails import queue_email

    site_url = url if "://" in url else f"{settings.SITE_URL}{url}"
    for user in get_user_model().objects.filter(pk__in=pks, is_active=True).order_by("pk"):
        notification_create(recipient=user, title=title[:250], body=review_label[:500], url=url)
        if email and user.email and user.reminder_delivery != DIGEST:
            queue_email(
                kind="step_waiting",
                to=user.email,
                recipient=user,
                subject=f"{title} – {review_label}"[:250],
                template="step_waiting",
                context={
                    "user": user,
                    "title": title,
                    "review_label": review_label,
                    "url": site_url,
                    "preferences_url": (
                        f"{settings.SITE_URL}{reverse('accounts:notification_preferences')}"
                    ),
                },
            )
