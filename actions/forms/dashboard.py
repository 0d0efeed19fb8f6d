"""The dashboard's filters. They travel in the URL (GET), so a filtered view can be shared and
the exports and drill-down links keep them."""

from django import forms
from django.db.models import Exists, OuterRef

from actions.models import Action, Status
from actions.selectors import FILTER_KEYS, RAG_CHOICES
from lcspr.accounts.models import Agency
from lcspr.core.forms import Form, GovukDateField
from reviews.learning.models import LearningTheme
from reviews.models import Review

DATE_KEYS = ("due_from_0", "due_from_1", "due_from_2", "due_to_0", "due_to_1", "due_to_2")


class DashboardFilterForm(Form):
    review = forms.ChoiceField(label="Review", required=False)
    agency = forms.ChoiceField(label="Lead agency", required=False)
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Any status"), *Status.choices]
    )
    rag = forms.ChoiceField(
        label="RAG rating", required=False, choices=[("", "Any rating"), *RAG_CHOICES]
    )
    theme = forms.ChoiceField(label="Learning theme", required=False)
    due_from = GovukDateField(label="Due from", required=False, help_text="For example, 1 4 2026")
    due_to = GovukDateField(label="Due by", required=False, help_text="For example, 31 3 2027")
    overdue = forms.BooleanField(label="Only overdue actions", required=False)
    stale = forms.BooleanField(label="Only actions without a recent update", required=False)

    def __init__(self, *args, stale_weeks: int, actions=None, **kwargs):
        """`actions`: the actions the user may know exist; only their reviews are offered."""
        super().__init__(*args, **kwargs)
        actions = Action.objects.all() if actions is None else actions
        has_actions = Exists(actions.filter(review_id=OuterRef("pk")))
        self.fields["review"].choices = [("", "Any review")] + [
            (str(pk), f"{reference} ({pseudonym})")
            for pk, reference, pseudonym in Review.objects.filter(has_actions)
            .order_by("reference")
            .values_list("pk", "reference", "pseudonym")
        ]
        leads = Exists(Action.objects.filter(lead_agency_id=OuterRef("pk")))
        self.fields["agency"].choices = [("", "Any agency")] + [
            (str(pk), name)
            for pk, name in Agency.objects.filter(leads).order_by("name").values_list("pk", "name")
        ]
        self.fields["theme"].choices = [("", "Any theme")] + [
            (str(pk), name) for pk, name in LearningTheme.objects.values_list("pk", "name")
        ]
        self.fields["stale"].label = f"Only actions without an update for {stale_weeks} weeks"

    def clean(self):
        data = super().clean()
        if data.get("due_from") and data.get("due_to") and data["due_to"] < data["due_from"]:
            self.add_error("due_to", "Due by must be the same as or after Due from")
        return data

    def selector_filters(self) -> dict:
        """The filters for actions.selectors (empty when unbound or invalid)."""
        if not self.is_bound or not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            key: (int(data[key]) if key in ("review", "agency", "theme") else data[key])
            for key in FILTER_KEYS
            if data.get(key)
        }

    def describe(self) -> list[tuple[str, str]]:
        """The active filters in words, for a report's summary."""
        described = []
        for key, value in self.selector_filters().items():
            bound_field = self.fields[key]
            if isinstance(bound_field, forms.BooleanField):
                text = "Yes"
            elif isinstance(bound_field, forms.ChoiceField):
                text = dict(bound_field.choices).get(str(value), str(value))
            else:
                text = value.strftime("%-d %B %Y")
            described.append((str(bound_field.label), text))
        return described

    @staticmethod
    def is_filtered(query) -> bool:
        return any(query.get(key) for key in (*FILTER_KEYS, *DATE_KEYS))


class ExecutiveReportForm(Form):
    """Which form of a long Executive report a worker should prepare."""

    report = forms.ChoiceField(
        label="Which report do you want?",
        widget=forms.RadioSelect,
        required=False,  # a report short enough not to offer the summary is sent without it
        error_messages={"invalid_choice": "Select the full report or a summary"},
    )

    def __init__(self, *args, **kwargs):
        from actions.reports import REPORT_FORMS, SUMMARY

        super().__init__(*args, **kwargs)
        self.fields["report"].choices = [
            (key, f"{label}: the totals, and the figures by review and by lead agency")
            if key == SUMMARY
            else (key, f"{label}: every action with its progress and evidence")
            for key, label in REPORT_FORMS.items()
        ]

    def clean_report(self):
        from actions.reports import FULL

        return self.cleaned_data["report"] or FULL
