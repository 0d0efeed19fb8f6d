"""Forms of the retention pages."""

from django import forms

from lcspr.core.forms import Form, ModelForm, VersionedFormMixin
from reviews.retention.models import RetentionSettings

YEARS_HELP = "Whole years from the day the review was closed, between 1 and 100."


class RetentionSettingsForm(VersionedFormMixin, ModelForm):
    class Meta:
        model = RetentionSettings
        fields = [
            "not_notifiable_years",
            "rapid_review_years",
            "other_learning_years",
            "lcspr_years",
            "national_years",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self._meta.fields:
            field = self.fields[name]
            label = field.label
            field.label = f"{label}: years kept"
            field.help_text = YEARS_HELP
            field.widget.attrs.update({"inputmode": "numeric", "class": "govuk-input--width-3"})
            field.error_messages.update(
                {
                    "required": f"Enter how many years to keep {label.lower()}",
                    "invalid": f"Years to keep {label.lower()} must be a whole number",
                    "min_value": f"Years to keep {label.lower()} must be 1 or more",
                    "max_value": f"Years to keep {label.lower()} must be 100 or fewer",
                }
            )
            field.widget = forms.TextInput(attrs=field.widget.attrs)


class LegalHoldForm(Form):
    reason = forms.CharField(
        label="Why the review is on legal hold",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text="For example, a civil claim has been made, or the coroner or the police "
        "have asked the partnership to keep the material.",
    )


class LegalHoldLiftForm(Form):
    reason = forms.CharField(
        label="Why the legal hold is lifted",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text="For example, the proceedings have ended and no appeal is possible.",
    )
