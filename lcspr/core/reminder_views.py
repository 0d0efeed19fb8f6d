"""The partnership manager's reminder pages: what is due across every review (from every
registered clock), the sent-log with each e-mail's delivery status, and the reminder settings.
Partnership managers only; everyone else signed in gets 403."""

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from lcspr.core.forms import Form, ModelForm, apply_workflow_error
from lcspr.core.models import OutboundEmail, ReminderSettings, ScanRun, SentReminder
from lcspr.core.permissions import role_required
from lcspr.core.reminders import (
    MANAGER_ROLE,
    STEP_LABELS,
    SUBGROUP_MEMBER_ROLE,
    describe_threshold,
    due_items,
    providers,
    reminder_settings_update,
)
from lcspr.core.working_days import describe_countdown

DUE_PER_PAGE = 50
SENT_PER_PAGE = 50


def clock_label(name: str) -> str:
    """ "statutory_deadlines" as "Statutory deadlines"."""
    return name.replace("_", " ").replace("-", " ").capitalize()


def _clock_choices():
    return [("", "All clocks")] + [(name, clock_label(name)) for name in sorted(providers())]


def _query(form) -> str:
    """The filters of a valid form as URL parameters, for the pagination links."""
    if not form.is_valid():
        return ""
    return urlencode({k: v for k, v in form.cleaned_data.items() if v})


# --- what is due --------------------------------------------------------------------------------


class DueFilterForm(Form):
    clock = forms.ChoiceField(label="Clock", required=False)
    overdue = forms.BooleanField(label="Only overdue items", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clock"].choices = _clock_choices()
        self.fields["clock"].error_messages["invalid_choice"] = "Select a clock from the list"


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
    names = _names({pk for row in page.object_list for pk in row.due.responsible})
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
        "core/reminder_due_list.html",
        {
            "form": form,
            "page": page,
            "items": items,
            "total": len(rows),
            "query": _query(form),
            "filtered": bool(request.GET.get("clock") or request.GET.get("overdue")),
            "clock_errors": [clock_label(name) for name in errors],
            "last_scan": ScanRun.objects.first(),
            "today": timezone.localdate(),
            "failed": failed_reminder_count(),
        },
    )


def failed_reminder_count() -> int:
    """Reminders whose e-mail failed after the last try (one COUNT query)."""
    return SentReminder.objects.filter(email__status=OutboundEmail.Status.FAILED).count()


def _names(user_ids) -> dict[int, str]:
    """Full names of users by id, in one query."""
    if not user_ids:
        return {}
    return dict(get_user_model().objects.filter(pk__in=user_ids).values_list("pk", "full_name"))


# --- the sent-log -------------------------------------------------------------------------------

DELIVERY_FILTERS = {
    "failed": {"email__status": OutboundEmail.Status.FAILED},
    "queued": {"email__status": OutboundEmail.Status.QUEUED},
    "sent": {"email__status": OutboundEmail.Status.SENT},
    "digest": {"channel": SentReminder.Channel.DIGEST, "digest_sent_at__isnull": True},
}


class SentFilterForm(Form):
    delivery = forms.ChoiceField(
        label="E-mail delivery",
        required=False,
        choices=[
            ("", "Any"),
            ("failed", "Failed after the last try"),
            ("queued", "Waiting to be sent"),
            ("sent", "Sent"),
            ("digest", "Waiting for the daily digest"),
        ],
    )
    clock = forms.ChoiceField(label="Clock", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clock"].choices = _clock_choices()
        self.fields["delivery"].error_messages["invalid_choice"] = "Select a delivery from the list"
        self.fields["clock"].error_messages["invalid_choice"] = "Select a clock from the list"


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
    return f"{prefix}e-mail queued".capitalize(), "govuk-tag--yellow"


@login_required
@role_required(MANAGER_ROLE)
@require_GET
def reminder_sent_list(request):
    form = SentFilterForm(request.GET or None)
    reminders = SentReminder.objects.select_related("recipient", "email").order_by(
        "-created_at", "-pk"
    )
    if form.is_valid():
        if form.cleaned_data["delivery"]:
            reminders = reminders.filter(**DELIVERY_FILTERS[form.cleaned_data["delivery"]])
        if form.cleaned_data["clock"]:
            reminders = reminders.filter(provider=form.cleaned_data["clock"])
    page = Paginator(reminders, SENT_PER_PAGE).get_page(request.GET.get("page"))
    rows = [
        {
            "reminder": reminder,
            "stage": describe_threshold(reminder.threshold),
            "step": STEP_LABELS.get(reminder.level, ""),
            "delivery": delivery_status(reminder),
        }
        for reminder in page.object_list
    ]
    return render(
        request,
        "core/reminder_sent_list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "query": _query(form),
            "filtered": bool(request.GET.get("delivery") or request.GET.get("clock")),
            "failed": failed_reminder_count(),
        },
    )


# --- settings -----------------------------------------------------------------------------------

HINTS = {
    "days_before": "Numbers separated by commas, for example 5, 1. Leave empty for no reminders "
    "before the due date.",
    "remind_on_day": "",
    "overdue_every_working_days": "Once overdue, a reminder goes every this many working days "
    "(5 is weekly).",
    "escalate_after": "With 1, the second overdue reminder also goes to the partnership "
    "managers, the third to the sub-group chair too, the fourth to the Independent Chair too.",
    "subgroup_chair": "A member of the LCSPR sub-group. Overdue items reach them at the third "
    "escalation step.",
    "scan_hour_utc": "Between 2 and 22. Reminders are worked out once a day at this hour "
    "(UTC: 6 is 6am in winter and 7am in summer).",
}
LIMITS = {
    "overdue_every_working_days": (1, 60),
    "escalate_after": (1, 10),
    "scan_hour_utc": (2, 22),
}


class ReminderSettingsForm(ModelForm):
    class Meta:
        model = ReminderSettings
        fields = [
            "days_before",
            "remind_on_day",
            "overdue_every_working_days",
            "escalate_after",
            "subgroup_chair",
            "scan_hour_utc",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["days_before"].required = False
        self.fields["remind_on_day"] = forms.TypedChoiceField(
            label=ReminderSettings._meta.get_field("remind_on_day").verbose_name,
            choices=[("True", "Yes"), ("False", "No")],
            coerce=lambda value: value == "True",
            widget=forms.RadioSelect,
            error_messages={"required": "Select yes if a reminder goes on the due date"},
        )
        self.initial["remind_on_day"] = str(self.instance.remind_on_day)
        chair = self.fields["subgroup_chair"]
        chair.queryset = (
            get_user_model()
            .objects.filter(is_active=True, role_assignments__role=SUBGROUP_MEMBER_ROLE)
            .distinct()
            .order_by("full_name")
        )
        chair.empty_label = "Nobody named"
        chair.error_messages["invalid_choice"] = "Select a sub-group member from the list"
        for name, field in self.fields.items():
            field.help_text = HINTS[name]
            if name in LIMITS:
                low, high = LIMITS[name]
                field.widget = forms.TextInput(
                    attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}
                )
                message = f"{field.label} must be a whole number between {low} and {high}"
                for code in ("invalid", "min_value", "max_value"):
                    field.error_messages[code] = message
        self.fields["days_before"].widget.attrs["class"] = "govuk-input--width-10"


@login_required
@role_required(MANAGER_ROLE)
@require_http_methods(["GET", "POST"])
def reminder_settings(request):
    form = ReminderSettingsForm(
        request.POST if request.method == "POST" else None, instance=ReminderSettings.load()
    )
    if request.method == "POST" and form.is_valid():
        try:
            reminder_settings_update(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_workflow_error(form, error)
        else:
            messages.success(request, "Reminder settings saved.")
            return redirect("core:reminder_settings")
    return render(request, "core/reminder_settings.html", {"form": form})
