"""Forms for a review's panel and team: adding a person, removing them, and an independent
author's appointment. Forms only clean input; the membership services decide whether the step
is allowed."""

from django import forms

from lcspr.accounts.models import Agency, User
from lcspr.core.forms import Form, GovukDateField, VersionedFormMixin
from panels.models import MemberRole

AUTHOR_FIELDS = ("commissioned_on", "contract_reference", "expected_delivery")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        where = ", ".join(part for part in (user.job_title, str(user.agency or "")) if part)
        return f"{user.full_name} – {where}" if where else user.full_name


class AppointmentForm(Form):
    """An independent author's appointment."""

    commissioned_on = GovukDateField(
        label="Date commissioned", required=False, help_text="For example, 27 3 2026"
    )
    contract_reference = forms.CharField(
        label="Contract or agreement reference (optional)",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20"}),
    )
    expected_delivery = GovukDateField(
        label="Expected delivery date (optional)",
        required=False,
        help_text="When the final report is expected. For example, 25 9 2026",
    )

    def clean(self):
        data = super().clean()
        missing = "commissioned_on" not in self.errors and data.get("commissioned_on") is None
        if missing and self.requires_appointment():
            self.add_error("commissioned_on", "Enter the date the author was commissioned")
        return data

    def requires_appointment(self) -> bool:
        return True


class AppointmentEditForm(VersionedFormMixin, AppointmentForm):
    """An author's appointment details corrected, carrying the version they were read at."""


class MemberAddForm(AppointmentForm):
    user = PersonChoiceField(
        label="Person",
        queryset=User.objects.filter(is_active=True).select_related("agency"),
        empty_label="Choose a person",
    )
    role = forms.ChoiceField(
        label="Role",
        choices=MemberRole.choices,
        widget=forms.RadioSelect,
        help_text="A panel chair must be a member of the LCSPR sub-group, an independent author "
        "must hold the independent author role, and business unit staff work for the "
        "partnership.",
    )
    agency = forms.ModelChoiceField(
        label="Agency represented (panel members only)",
        queryset=Agency.objects.filter(is_active=True),
        required=False,
        empty_label="The agency they work for",
        help_text="Leave as it is to use the agency the person works for.",
    )

    field_order = ["user", "role", "agency", *AUTHOR_FIELDS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].error_messages["required"] = "Select the person to add"
        self.fields["role"].error_messages["required"] = "Select their role on the review"

    def requires_appointment(self) -> bool:
        return self.cleaned_data.get("role") == MemberRole.AUTHOR

    def appointment(self) -> dict:
        return {name: self.cleaned_data[name] for name in AUTHOR_FIELDS}


class MemberRemoveForm(Form):
    reason = forms.CharField(
        label="Reason (optional)",
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, they have changed jobs. You can enter up to 300 characters.",
        error_messages={"max_length": "The reason must be 300 characters or fewer"},
    )
