from django import forms

from lcspr.core.forms import Form, ModelForm, VersionedFormMixin
from lcspr.reminders.clocks import clock_label, providers
from lcspr.reminders.models import ReminderSettings
from lcspr.reminders.selectors import subgroup_members


def _clock_choices():
    return [("", "All clocks")] + [(name, clock_label(name)) for name in sorted(providers())]


class DueFilterForm(Form):
    clock = forms.ChoiceField(label="Clock", required=False)
    overdue = forms.BooleanField(label="Only overdue items", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clock"].choices = _clock_choices()
        self.fields["clock"].error_messages["invalid_choice"] = "Select a clock from the list"


class SentFilterForm(Form):
    delivery = forms.ChoiceField(
        label="E-mail delivery",
        required=False,
        choices=[
            ("", "Any"),
            ("failed", "Failed after the last try"),
            ("queued", "Waiting to be sent"),
            ("sending", "Being sent"),
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


class ReminderSettingsForm(VersionedFormMixin, ModelForm):
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
        chair.queryset = subgroup_members()
        chair.empty_label = "Nobody named"
        chair.error_messages["invalid_choice"] = "Select a sub-group member from the list"
        for name in self._meta.fields:
            field = self.fields[name]
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
