"""The daily digest: for users who chose it, one e-mail a day listing the reminders the scan
recorded for them since the last digest, instead of an e-mail for each. It is a way of
delivering the sent-log's rows (`SentReminder.channel`), so it lives with the reminders."""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from lcspr.core.emails import queue_email
from lcspr.core.text import long_date
from lcspr.core.working_days import calendar
from lcspr.reminders.emails import absolute_url, email_entry
from lcspr.reminders.models import SentReminder


def send_digests(today: datetime.date | None = None) -> int:
    """One e-mail to each digest user listing the reminders not yet in a digest. Safe to run
    twice: a reminder goes into one digest only."""
    today = today or timezone.localdate()
    pending = (
        SentReminder.objects.filter(
            channel=SentReminder.Channel.DIGEST, digest_sent_at__isnull=True
        )
        .order_by()
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    cal = calendar()
    return sum(_send_digest(pk, today=today, cal=cal) for pk in list(pending))


@transaction.atomic
def _send_digest(user_id: int, *, today, cal) -> bool:
    # Locked, so a second digest run waits and then finds these rows already sent.
    rows = list(
        SentReminder.objects.select_for_update()
        .filter(
            recipient_id=user_id,
            channel=SentReminder.Channel.DIGEST,
            digest_sent_at__isnull=True,
        )
        .order_by("due_date", "pk")
    )
    if not rows:
        return False
    user = get_user_model().objects.get(pk=user_id)
    email = None
    if user.is_active and user.email:
        entries = [
            email_entry(row, left=cal.count_between(today, row.due_date), step=row.level)
            for row in rows
        ]
        count = len(entries)
        email = queue_email(
            kind="reminder_digest",
            to=user.email,
            recipient=user,
            subject=f"Your reminders for {long_date(today)}: {count} "
            f"item{'s' if count != 1 else ''}",
            template="digest",
            context={
                "user": user,
                "items": entries,
                "today": long_date(today),
                "preferences_url": absolute_url(reverse("accounts:notification_preferences")),
            },
        )
    SentReminder.objects.filter(pk__in=[row.pk for row in rows]).update(
        digest_sent_at=timezone.now(), email=email
    )
    return email is not None
