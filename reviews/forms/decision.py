"""Forms for the Independent Chair's decision and what follows it: the national notices, an
other learning review and the partnership's clock settings. Forms only clean input; the
services decide whether the step is allowed."""

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone

from lcspr.core.forms import Form, GovukDateField, ModelForm
from reviews.models import ClockSettings, OtherLearningReview, Outcome


def _not_in_future(value, label: str):
    if value and value > timezone.localdate():
        raise forms.ValidationError(f"{label} must be today or in the past")
    return value


class DecisionForm(Form):
    outcome = forms.ChoiceField(
        label="The decision", choices=Outcome.choices, widget=forms.RadioSelect
    )
    rationale = forms.CharField(
        label="Reasons for the decision",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Say how the decision follows from the partners' recommendation and the "
        "criteria for a local review.",
    )
    decided_on = GovukDateField(label="Date decided", help_text="For example, 27 3 2026")

    def clean_decided_on(self):
        return _not_in_future(self.cleaned_data.get("decided_on"), "Date decided")


class DecisionChangeForm(DecisionForm):
    reason = forms.CharField(
        label="Why the decision has changed",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example, the National Panel's response or new information about the case.",
    )

    field_order = ["reason", "outcome", "rationale", "decided_on"]


class NoticeForm(Form):
    sent_on = GovukDateField(label="Date sent", help_text="For example, 27 3 2026")
    reference = forms.CharField(
        label="Their reference (optional)",
        required=False,
        max_length=80,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20"}),
    )

    def clean_sent_on(self):
        return _not_in_future(self.cleaned_data.get("sent_on"), "Date sent")


class OtherLearningForm(Form):
    kind = forms.ChoiceField(
        label="Type of learning review",
        choices=OtherLearningReview.Kind.choices,
        widget=forms.RadioSelect,
    )
    scope = forms.CharField(
        label="Scope or terms of reference",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="The questions the review will look at, the period and the agencies involved.",
    )
    held_on = GovukDateField(
        label="Date held (optional)",
        required=False,
        help_text="Leave blank until the session or review has taken place.",
    )
    participants = forms.CharField(
        label="Participants (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Roles and agencies, one per line. Do not enter names.",
    )
    learning = forms.CharField(
        label="Learning identified (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def clean_held_on(self):
        return _not_in_future(self.cleaned_data.get("held_on"), "Date held")


class ConfirmForm(Form):
    """No fields: carries a refusal's message to the error summary of a confirmation page."""


CLOCK_HINTS = {
    "notification_days": "Default 5 working days from when the local authority "
    "became aware (gov.uk: Report a serious child safeguarding incident).",
    "notification_start": "Default: the date the local authority became aware (gov.uk "
    "notification guidance). Some local procedures count from the incident instead.",
    "partners_informed_days": "Default 5 working days from when the local authority "
    "became aware (gov.uk notification guidance).",
    "rapid_review_days": "Default 15 working days from the notification (National "
    "Panel guidance 2025).",
    "rapid_review_start": "Default: the date the notification was sent (National Panel "
    "guidance 2025). Some local procedures count from awareness instead.",
    "national_notice_days": "Default 5 working days from the Independent Chair's "
    "decision (local practice).",
    "completion_months": "Default 6 months from the decision (Working Together to Safeguard "
    "Children).",
    "pre_publication_days": "Default 7 working days before the planned publication date "
    "(Working Together 2018, chapter 4).",
    "publication_online_months": "Default 12 months from publication: reports stay on the "
    "website for at least a year.",
}
LIMITS = {"completion_months": (1, 24), "publication_online_months": (1, 120)}


class ClockSettingsForm(ModelForm):
    class Meta:
        model = ClockSettings
        fields = [
            "notification_days",
            "notification_start",
            "partners_informed_days",
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
        for name, field in self.fields.items():
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
