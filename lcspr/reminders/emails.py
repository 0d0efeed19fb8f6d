"""What the reminders' e-mails say: one e-mail per reminder, or one daily digest listing them,
with the review's reference and pseudonym and never case detail."""

from django.conf import settings as django_settings
from django.urls import reverse

from lcspr.core.emails import queue_email
from lcspr.core.text import long_date
from lcspr.core.working_days import describe_countdown
from lcspr.reminders.models import SentReminder
from lcspr.reminders.rules import STEP_AS


def absolute_url(path: str) -> str:
    """A path made absolute with SITE_URL, for e-mails."""
    return path if "://" in path else f"{django_settings.SITE_URL}{path}"


def email_entry(reminder: SentReminder, *, left: int, step: int) -> dict:
    """What an e-mail says about one item: the reference and pseudonym, never case detail."""
    return {
        "title": reminder.title,
        "review_label": reminder.review_label,
        "due": long_date(reminder.due_date),
        "countdown": describe_countdown(left),
        "overdue": left < 0,
        "escalated_as": STEP_AS.get(step, ""),
        "url": absolute_url(reminder.url),
    }


def email_reminder(reminder: SentReminder, *, left: int, step: int):
    """Queue the e-mail of one reminder in the outbox."""
    entry = email_entry(reminder, left=left, step=step)
    about = f" – {reminder.review_label}" if reminder.review_label else ""
    return queue_email(
        kind="reminder",
        to=reminder.recipient.email,
        recipient=reminder.recipient,
        subject=f"Reminder: {reminder.title}{about} – {entry['countdown']}"[:250],
        template="reminder",
        context={
            "user": reminder.recipient,
            "item": entry,
            "preferences_url": absolute_url(reverse("accounts:notification_preferences")),
        },
    )
