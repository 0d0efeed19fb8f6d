"""Forms of the publication pages."""

from django import forms

from lcspr.core.forms import Form, GovukDateField, VersionedFormMixin, not_in_future
from reviews.publication.models import Proceeding

DATE_HINT = "For example, 27 3 2026"


class PlanForm(Form):
    planned_on = GovukDateField(label="Planned publication date", help_text=DATE_HINT)
    reason = forms.CharField(
        label="Why the date has changed",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example, the criminal trial has been moved to a later date.",
    )

    def __init__(self, *args, changing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if changing:
            self.fields["reason"].required = True
            self.fields["reason"].error_messages["required"] = (
                "Enter why the planned publication date has changed"
            )
        else:
            # The first date needs no reason: there is nothing to change yet.
            del self.fields["reason"]


class SentForm(Form):
    sent_on = GovukDateField(label="Date sent", help_text=DATE_HINT)

    def clean_sent_on(self):
        return not_in_future(self.cleaned_data.get("sent_on"), "Date sent")


class FamilyForm(Form):
    offered_on = GovukDateField(
        label="Date the family were offered the final draft",
        required=False,
        help_text="Leave blank if the family were not offered it, and say why below.",
    )
    response = forms.CharField(
        label="The family's response, or why they were not offered it",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Summarise their views on the report and on its publication. Do not enter names.",
    )

    def clean_offered_on(self):
        return not_in_future(
            self.cleaned_data.get("offered_on"), "Date the family were offered the final draft"
        )

    def clean(self):
        data = super().clean()
        if (
            not self.errors
            and not data.get("offered_on")
            and not (data.get("response") or "").strip()
        ):
            self.add_error("response", "Enter why the family were not offered the final draft")
        return data


class ImprovementsForm(Form):
    FULL, IMPROVEMENTS = "full", "improvements"

    published = forms.ChoiceField(
        label="What will be published",
        choices=[
            (FULL, "The full report"),
            (IMPROVEMENTS, "Information about the improvements only"),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label="Why the full report will not be published (if only the improvements are)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example, publishing it would identify the child or harm their siblings.",
    )

    def clean(self):
        data = super().clean()
        if data.get("published") == self.IMPROVEMENTS and not (data.get("reason") or "").strip():
            self.add_error("reason", "Enter why the full report will not be published")
        return data

    @property
    def improvements_only(self) -> bool:
        return self.cleaned_data["published"] == self.IMPROVEMENTS


class ProceedingForm(Form):
    kind = forms.ChoiceField(
        label="Type of proceedings", choices=Proceeding.Kind.choices, widget=forms.RadioSelect
    )
    description = forms.CharField(
        label="Description (optional)",
        required=False,
        max_length=200,
        help_text="For example, the court and the charge. Do not enter names.",
    )
    status = forms.ChoiceField(
        label="Status", choices=Proceeding.Status.choices, widget=forms.RadioSelect
    )
    expected_date = GovukDateField(
        label="Expected date of the next hearing or conclusion (optional)",
        required=False,
        help_text=DATE_HINT,
    )
    concluded_on = GovukDateField(
        label="Date concluded (if concluded)", required=False, help_text=DATE_HINT
    )
    notes = forms.CharField(
        label="Notes (optional)", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def clean_concluded_on(self):
        return not_in_future(self.cleaned_data.get("concluded_on"), "Date concluded")

    def clean(self):
        data = super().clean()
        if (
            data.get("status") == Proceeding.Status.CONCLUDED
            and not data.get("concluded_on")
            and "concluded_on" not in self.errors
        ):
            self.add_error("concluded_on", "Enter the date the proceedings concluded")
        return data


class PublishForm(Form):
    published_on = GovukDateField(label="Date published", help_text=DATE_HINT)
    web_address = forms.URLField(
        label="Web address of the published report",
        max_length=500,
        assume_scheme="https",
        help_text="The page on the partnership's website, for example "
        "https://www.example.org.uk/reviews/child-t",
        error_messages={
            "invalid": "Enter a web address in the correct format, like "
            "https://www.example.org.uk/reviews/child-t"
        },
    )

    def clean_published_on(self):
        return not_in_future(self.cleaned_data.get("published_on"), "Date published")


class RemovedForm(Form):
    removed_on = GovukDateField(label="Date the report came down", help_text=DATE_HINT)

    def clean_removed_on(self):
        return not_in_future(self.cleaned_data.get("removed_on"), "Date the report came down")


class ProceedingEditForm(VersionedFormMixin, ProceedingForm):
    """A proceeding's record corrected, carrying the version it was read at."""
