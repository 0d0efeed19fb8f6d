"""The reviews list's filters."""

from django import forms

from lcspr.core.forms import Form
from reviews.models import ReportStatus, Stage

# The filter's value for reviews with no draft report yet (ReportStatus.NONE is "", which the
# filter uses for "any").
NO_REPORT = "none"


class ReviewFilterForm(Form):
    stage = forms.ChoiceField(
        label="Stage", choices=[("", "All stages"), *Stage.choices], required=False
    )
    report = forms.ChoiceField(
        label="Report",
        choices=[
            ("", "Any report status"),
            *((status or NO_REPORT, label) for status, label in ReportStatus.choices),
        ],
        required=False,
    )
    overdue = forms.BooleanField(label="Only reviews with an overdue step", required=False)

    def clean_report(self):
        """The ReportStatus to filter by, or None for any."""
        value = self.cleaned_data.get("report")
        if not value:
            return None
        return ReportStatus.NONE if value == NO_REPORT else value
