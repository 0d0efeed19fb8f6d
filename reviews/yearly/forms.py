"""The yearly report's choice of period: the month and year its 12 months start. It travels in
the URL (GET), so a chosen year can be shared and the downloads keep it."""

import calendar

from django import forms
from django.utils import timezone

from lcspr.core.forms import Form
from reviews.yearly.selectors import Period

FIRST_YEAR = 2018  # the year LCSPRs began (Working Together 2018)
MONTHS = [(str(number), calendar.month_name[number]) for number in range(1, 13)]


class PeriodForm(Form):
    month = forms.TypedChoiceField(
        label="First month",
        choices=MONTHS,
        coerce=int,
        error_messages={"invalid_choice": "Select the month the 12 months start in"},
    )
    year = forms.IntegerField(
        label="Year",
        help_text="For example, 2025",
        error_messages={
            "invalid": "Enter the year the 12 months start in as a number, like 2025",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].widget.attrs.update({"inputmode": "numeric"})
        # Said in full: the Design System's "Enter year" would not say which year.
        self.fields["year"].error_messages["required"] = "Enter the year the 12 months start in"
        self.fields["month"].error_messages["required"] = "Select the month the 12 months start in"

    @staticmethod
    def is_chosen(data) -> bool:
        return "month" in data or "year" in data

    def clean_year(self):
        year = self.cleaned_data["year"]
        this_year = timezone.localdate().year
        if not FIRST_YEAR <= year <= this_year:
            raise forms.ValidationError(
                f"The year the 12 months start in must be between {FIRST_YEAR} and {this_year}"
            )
        return year

    def period(self, default: Period) -> Period:
        """The chosen period; `default` when none was chosen or the choice is not valid."""
        if not self.is_bound or not self.is_valid():
            return default
        return Period.starting(self.cleaned_data["year"], self.cleaned_data["month"])


def initial_for(period: Period) -> dict:
    return {"month": str(period.start.month), "year": period.start.year}
