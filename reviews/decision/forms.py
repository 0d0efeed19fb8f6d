"""Forms of the decision pages. They only clean input: every change goes through
reviews.decision.services."""

from django import forms

from lcspr.core.forms import Form, GovukDateField, VersionedFormMixin, not_in_future
from reviews.decision.models import Outcome


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
        return not_in_future(self.cleaned_data.get("decided_on"), "Date decided")


class DecisionChangeForm(VersionedFormMixin, DecisionForm):
    """A new decision in place of the one in force; `version` is that decision's, as read."""

    reason = forms.CharField(
        label="Why the decision has changed",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example, the National Panel's response or new information about the case.",
    )

    field_order = ["reason", "outcome", "rationale", "decided_on"]


class AgreementForm(Form):
    agrees = forms.TypedChoiceField(
        label="Whether your agency agrees to the decision",
        choices=[("yes", "Yes, we agree"), ("no", "No, we do not agree")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    reasons = forms.CharField(
        label="Reasons",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Needed if your agency does not agree: the disagreement is escalated for the "
        "partners and the Independent Chair to resolve.",
    )


class NoticeForm(Form):
    sent_on = GovukDateField(label="Date sent", help_text="For example, 27 3 2026")
    reference = forms.CharField(
        label="Their reference (optional)",
        required=False,
        max_length=80,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20"}),
    )

    def clean_sent_on(self):
        return not_in_future(self.cleaned_data.get("sent_on"), "Date sent")


class ConfirmForm(Form):
    """No fields: carries a refusal's message to the error summary of a confirmation page."""
