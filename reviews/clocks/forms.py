"""The partnership's clock settings form."""

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator

from lcspr.core.forms import Form, GovukDateField, ModelForm, VersionedFormMixin, not_in_future
from reviews.clocks.models import ClockSettings

CLOCK_HINTS = {
    "notification_days": "Default 5 working days from when the local authority "
    "became aware (gov.uk: Report a serious child safeguarding incident).",
    "notification_start": "Default: the date the local authority became aware (gov.uk "
    "notification guidance). Some local procedures count from the incident instead.",
    "partners_informed_days": "Default 5 working days from when the local authority "
    "became aware (gov.uk notification guidance).",
    "looked_after_death_days": "Default 5 working days from when the local authority became "
    "aware of the death, whatever its cause (Working Together to Safeguard Children 2023).",
    "rapid_review_days": "Default 15 working days from the notification (National "
    "Panel guidance 2025).",
    "rapid_review_start": "Default: the date the notification was sent (National Panel "
    "guidance 2025). Some local procedures count from awareness instead.",
    "national_notice_days": "Default 5 working days from the Independent Chair's "
    "decision (local practice).",
    "completion_months": "Default 6 months from the decision (Working Together to Safeguard "
    "Children).",
    "pre_publication_days": "Default 7 working days before the planned publication date, to "
    "the National Panel, the DfE and Ofsted (Working Together to Safeguard Children 2023).",
    "publication_online_months": "Default 12 months from publication: reports stay on the "
    "website for at least a year.",
}


LIMITS = {"completion_months": (1, 24), "publication_online_months": (1, 120)}


class ClockSettingsForm(VersionedFormMixin, ModelForm):
    class Meta:
        model = ClockSettings
        fields = [
            "notification_days",
            "notification_start",
            "partners_informed_days",
            "looked_after_death_days",
            "rapid_review_days",
            "rapid_review_start",
            "national_notice_days",
            "completion_months",
            "pre_publication_days",
            "publication_online_months",
        ]
        widgets = {
            "notification_start": forms.RadioSelect,
            "rapid_review_start": forms.RadioSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self._meta.fields:
            field = self.fields[name]
            field.help_text = CLOCK_HINTS[name]
            if isinstance(field, forms.IntegerField):
                low, high = LIMITS.get(name, (1, 60))
                field.validators = [MinValueValidator(low), MaxValueValidator(high)]
                field.widget = forms.TextInput(
                    attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}
                )
                message = f"{field.label} must be a whole number between {low} and {high}"
                for code in ("invalid", "min_value", "max_value"):
                    field.error_messages[code] = message


class DateCorrectionForm(VersionedFormMixin, Form):
    """A corrected date; `version` is that of the record holding it, as read."""

    value = GovukDateField(label="Correct date", help_text="For example, 27 3 2026")
    reason = forms.CharField(
        label="Why the date is being corrected",
        max_length=300,
        help_text="This is kept in the review's history and shown on its timeline.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, label: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["value"].label = f"Correct {label}"
        self.fields["reason"].error_messages["required"] = "Enter why the date is being corrected"

    def clean_value(self):
        return not_in_future(self.cleaned_data.get("value"), "The date")


class ClosureDayForm(Form):
    """A day the partnership does not work, on top of the bank holidays."""

    # No label of its own: the field is "Date" and its message "Enter the date".
    date = GovukDateField(help_text="For example, 29 12 2026")
    reason = forms.CharField(
        label="Why the partnership is closed that day",
        max_length=200,
        help_text="For example, council closure between Christmas and New Year.",
    )


class ClosureDayRemoveForm(Form):
    reason = forms.CharField(
        label="Why is this closure day being removed?",
        max_length=100,
        help_text="Kept in the calendar's history.",
        error_messages={"required": "Enter why the closure day is being removed"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].error_messages["required"] = (
            "Enter why the closure day is being removed"
        )


class LateReasonForm(VersionedFormMixin, Form):
    """Why a clock was met late or is overdue; `version` is the clock's, as read."""

    late_reason = forms.CharField(
        label="Reason for the delay",
        max_length=2000,
        help_text="For example, a partner's information arrived after the rapid review meeting.",
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["late_reason"].error_messages["required"] = "Enter why this was late"
