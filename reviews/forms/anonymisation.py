"""Forms of the anonymisation pages. They only clean input: every change goes through
reviews.anonymisation."""

from django import forms

from lcspr.core.forms import Form
from reviews.models import CheckPurpose, NameCategory, RestrictedName


class QuestionForm(Form):
    """Labels here are questions, so the required-field messages are written out."""

    REQUIRED: dict[str, str] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, message in self.REQUIRED.items():
            self.fields[name].error_messages["required"] = message


class RestrictedNameForm(QuestionForm):
    REQUIRED = {
        "term": "Enter the name or detail",
        "category": "Select what kind of name or detail it is",
    }

    term = forms.CharField(
        label="Name or detail",
        max_length=RestrictedName._meta.get_field("term").max_length,
        help_text=(
            "One name or detail at a time, as it could appear in the report: for example a "
            "first name, a surname, a full name, a street or a school."
        ),
    )
    category = forms.ChoiceField(
        label="What kind of name or detail is it?",
        choices=NameCategory.choices,
        widget=forms.RadioSelect,
    )


class RunCheckForm(QuestionForm):
    REQUIRED = {"purpose": "Select why you are running the check"}

    purpose = forms.ChoiceField(
        label="Why are you running the check?",
        choices=CheckPurpose.choices,
        widget=forms.RadioSelect,
    )


class OverrideForm(QuestionForm):
    REQUIRED = {"reason": "Enter why the report may be published with these names"}

    reason = forms.CharField(
        label="Why may the report be published with these names?",
        help_text=(
            "For example, the name is a public body's or already in the public domain. "
            "The reason is kept with the check."
        ),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
