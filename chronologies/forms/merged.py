"""Forms of the merged chronology: its filters (in the URL, so exports and links keep them) and
a reviewer's comment on an entry."""

from django import forms

from lcspr.core.forms import Form, GovukDateField
from reviews.learning.themes import theme_names


class MergedFilterForm(Form):
    agency = forms.MultipleChoiceField(
        label="Agency", required=False, widget=forms.CheckboxSelectMultiple
    )
    date_from = GovukDateField(label="From", required=False, help_text="For example, 27 3 2025")
    date_to = GovukDateField(label="To", required=False, help_text="For example, 31 12 2025")
    kloe = forms.ChoiceField(label="Key line of enquiry", required=False)
    theme = forms.ChoiceField(label="Learning theme", required=False)

    def __init__(self, *args, agencies=(), kloes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [(str(a.pk), a.name) for a in agencies]
        self.fields["theme"].choices = [("", "Any theme"), *[(t, t) for t in theme_names()]]
        self.fields["kloe"].choices = [("", "Any line of enquiry")] + [
            (str(number), f"{number}. {text}") for number, text in kloes
        ]

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", "To must be the same as or after From")
        return data

    def selector_filters(self) -> dict:
        """Keyword arguments for selectors.merged_entries (empty when the form is invalid)."""
        if not self.is_bound or not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "agency_ids": [int(a) for a in data["agency"]] or None,
            "date_from": data["date_from"],
            "date_to": data["date_to"],
            "kloe": int(data["kloe"]) if data["kloe"] else None,
            "theme": data["theme"] or None,
        }


class TimelineZoomForm(Form):
    """A period of the timeline to look at closely; the entries' table and the exports keep
    the chronology's filters."""

    prefix = "zoom"
    date_from = GovukDateField(label="From", required=False, help_text="For example, 1 3 2025")
    date_to = GovukDateField(label="To", required=False, help_text="For example, 31 5 2025")

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", "To must be the same as or after From")
        return data

    def period(self) -> tuple:
        """(from, to) of a valid zoom, either of them None when not given; (None, None)
        otherwise."""
        if not self.is_bound or not self.is_valid():
            return None, None
        return self.cleaned_data["date_from"], self.cleaned_data["date_to"]


class CommentForm(Form):
    text = forms.CharField(
        label="Your comment",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Only the panel and the review's author see comments, never the agency.",
        max_length=5000,
    )
