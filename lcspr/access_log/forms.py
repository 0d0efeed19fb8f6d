from django import forms
from django.contrib.auth import get_user_model

from lcspr.access_log.case_root import case_root
from lcspr.access_log.models import AccessLog
from lcspr.core.forms import Form, GovukDateField


class AccessLogFilterForm(Form):
    review = forms.CharField(
        label="Review reference",
        required=False,
        max_length=40,
        help_text="For example, CSPR-2026-001",
    )
    user = forms.TypedChoiceField(label="Person", required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(label="Kind", required=False)
    date_from = GovukDateField(label="From", required=False, help_text="For example, 1 3 2026")
    date_to = GovukDateField(label="To", required=False, help_text="For example, 31 3 2026")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        people = get_user_model().objects.order_by("full_name", "pk").values_list("pk", "full_name")
        self.fields["user"].choices = [("", "Everyone")] + list(people)
        self.fields["user"].error_messages["invalid_choice"] = "Select a person from the list"
        self.fields["kind"].choices = [("", "Every kind")] + list(AccessLog.Kind.choices)
        self.fields["kind"].error_messages["invalid_choice"] = "Select a kind from the list"

    def clean_review(self):
        reference = self.cleaned_data["review"].strip()
        self.review_id = None
        if reference:
            root = case_root()
            match = root.model._default_manager.filter(
                **{f"{root.reference_field}__iexact": reference}
            ).first()
            if match is None:
                raise forms.ValidationError(f"No review has the reference {reference}")
            self.review_id = match.pk
        return reference

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The date to must be the same as or after the date from")
        return cleaned
