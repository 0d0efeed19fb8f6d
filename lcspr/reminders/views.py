"""The partnership manager's reminder pages: what is due across every review (from every
registered clock), the sent-log with each e-mail's delivery status, and the reminder settings.
Partnership managers only; everyone else signed in gets 403."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from lcspr.core.forms import apply_workflow_error
from lcspr.core.models import OutboundEmail
from lcspr.core.permissions import role_required
from lcspr.core.steps import posted
from lcspr.core.versions import version_of
from lcspr.core.working_days import describe_countdown
from lcspr.reminders.clocks import clock_label
from lcspr.reminders.forms import DueFilterForm, ReminderSettingsForm, SentFilterForm
from lcspr.reminders.models import ReminderSettings, SentReminder
from lcspr.reminders.rules import MANAGER_ROLE, STEP_LABELS, describe_threshold
from lcspr.reminders.selectors import (
    due_items,
    failed_reminder_count,
    last_scan,
    sent_reminders,
    user_names,
)
from lcspr.reminders.services import reminder_settings_update

DUE_PER_PAGE = 50
SENT_PER_PAGE = 50


def _query(form) -> str:
    """The filters of a valid form as URL parameters, for the pagination links."""
    if not form.is_valid():
        return ""
    return urlencode({k: v for k, v in form.cleaned_data.items() if v})


@login_required
@role_required(MANAGER_ROLE)
@require_GET
def reminder_due_list(request):
    form = DueFilterForm(request.GET or None)
    errors: list[str] = []
    rows = due_items(timezone.localdate(), errors=errors)
    if form.is_valid():
        if form.cleaned_data["clock"]:
            rows = [row for row in rows if row.provider == form.cleaned_data["clock"]]
        if form.cleaned_data["overdue"]:
            rows = [row for row in rows if row.left < 0]
    page = Paginator(rows, DUE_PER_PAGE).get_page(request.GET.get("page"))
    names = user_names({pk for row in page.object_list for pk in row.due.responsible})
    items = [
        {
            "row": row,
            "clock": clock_label(row.provider),
            "countdown": describe_countdown(row.left),
            "stage": describe_threshold(row.threshold) if row.threshold else "Not yet",
            "who": ", ".join(names[pk] for pk in row.due.responsible if pk in names) or "Nobody",
        }
        for row in page.object_list
    ]
    return render(
        request,
        "reminders/reminder_due_list.html",
        {
            "form": form,
            "page": page,
            "items": items,
            "total": len(rows),
            "query": _query(form),
            "filtered": bool(request.GET.get("clock") or request.GET.get("overdue")),
            "clock_errors": [clock_label(name) for name in errors],
            "last_scan": last_scan(),
            "today": timezone.localdate(),
            "failed": failed_reminder_count(),
        },
    )


def delivery_status(reminder: SentReminder) -> tuple[str, str]:
    """What happened to a reminder's e-mail, in words, and the tag colour that says it."""
    email = reminder.email
    if reminder.channel == SentReminder.Channel.DIGEST and reminder.digest_sent_at is None:
        return "Waiting for the daily digest", "govuk-tag--grey"
    if email is None:
        return "In the notification centre only", "govuk-tag--grey"
    prefix = "Digest " if reminder.channel == SentReminder.Channel.DIGEST else ""
    if email.status == OutboundEmail.Status.FAILED:
        return f"{prefix}e-mail failed after {email.attempts} tries".capitalize(), "govuk-tag--red"
    if email.status == OutboundEmail.Status.SENT:
        return f"{prefix}e-mail sent".capitalize(), "govuk-tag--green"
    if email.status == OutboundEmail.Status.SENDING:
        return f"{prefix}e-mail being sent".capitalize(), "govuk-tag--blue"
    return f"{prefix}e-mail queued".capitalize(), "govuk-tag--yellow"


def delivery_note(reminder: SentReminder) -> str:
    """What the manager should know beside the status: why it failed, or that it was sent
    again after an interrupted attempt and so may have arrived twice (ADR 0014)."""
    email = reminder.email
    if email is None:
        return ""
    if email.status == OutboundEmail.Status.FAILED and email.last_error:
        return email.last_error
    if email.resent_after_interruption:
        if email.status == OutboundEmail.Status.SENT:
            return (
                "Sent again after an attempt was interrupted, so it may have arrived twice "
                "(both copies carry the same message ID)."
            )
        return "An attempt was interrupted: it is being tried again."
    if email.status == OutboundEmail.Status.SENDING and email.attempted_at:
        started = timezone.localtime(email.attempted_at)
        return f"Handed to the mail server at {started:%H:%M} on {started:%-d %b %Y}."
    return ""


@login_required
@role_required(MANAGER_ROLE)
@require_GET
def reminder_sent_list(request):
    form = SentFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    reminders = sent_reminders(delivery=filters.get("delivery", ""), clock=filters.get("clock", ""))
    page = Paginator(reminders, SENT_PER_PAGE).get_page(request.GET.get("page"))
    rows = [
        {
            "reminder": reminder,
            "stage": describe_threshold(reminder.threshold),
            "step": STEP_LABELS.get(reminder.level, ""),
            "delivery": delivery_status(reminder),
            "note": delivery_note(reminder),
        }
        for reminder in page.object_list
    ]
    return render(
        request,
        "reminders/reminder_sent_list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "query": _query(form),
            "filtered": bool(request.GET.get("delivery") or request.GET.get("clock")),
            "failed": failed_reminder_count(),
        },
    )


@login_required
@role_required(MANAGER_ROLE)
@require_http_methods(["GET", "POST"])
def reminder_settings(request):
    rules = ReminderSettings.load()
    form = ReminderSettingsForm(
        posted(request), instance=rules, initial={"version": version_of(rules)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            reminder_settings_update(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_workflow_error(form, error)
        else:
            messages.success(request, "Reminder settings saved.")
            return redirect("reminders:settings")
    return render(request, "reminders/reminder_settings.html", {"form": form})
