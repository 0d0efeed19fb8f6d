from django import forms

from lcspr.accounts.selectors import active_people
from lcspr.core.forms import Form


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        agency = f", {obj.agency.display_name}" if obj.agency_id else ""
        return f"{obj.full_name} ({obj.email}{agency})"


class TokenIssueForm(Form):
    user = PersonChoice(
        label="Who the token is for",
        queryset=active_people(),
        empty_label="Choose a person",
        help_text="The token sees exactly what this person sees in the service.",
    )
    name = forms.CharField(
        label="What the token is for",
        max_length=100,
        help_text='For example "Power BI dashboard for the Executive".',
    )
