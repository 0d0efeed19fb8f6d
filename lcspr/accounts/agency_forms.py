"""The partnership manager's forms for agencies."""

from django import forms

from lcspr.accounts.models import AgencyKind
from lcspr.core.forms import Form, VersionedFormMixin

YES_NO = [("yes", "Yes"), ("no", "No")]


def _name_field() -> forms.CharField:
    return forms.CharField(label="Name", max_length=200)


def _short_name_field() -> forms.CharField:
    return forms.CharField(
        label="Short name (optional)",
        max_length=40,
        required=False,
        help_text="Shown where space is short, for example NBC for Northbridge Council.",
    )


class AgencyAddForm(Form):
    name = _name_field()
    short_name = _short_name_field()
    kind = forms.ChoiceField(
        label="Kind of agency", choices=AgencyKind.choices, widget=forms.RadioSelect
    )
    is_statutory_partner = forms.ChoiceField(
        label="Is it one of the three statutory safeguarding partners?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        help_text="The local authority, the integrated care board and the chief officer of "
        "police (Children Act 2004, section 16E).",
        error_messages={
            "required": "Select yes if it is a statutory safeguarding partner",
            "invalid_choice": "Select yes if it is a statutory safeguarding partner",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The label is a question: the mixin's "Select <label>" would not read well.
        self.fields["is_statutory_partner"].error_messages["required"] = (
            "Select yes if it is a statutory safeguarding partner"
        )

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["is_statutory_partner"] = data["is_statutory_partner"] == "yes"
        return data


class AgencyRenameForm(VersionedFormMixin, Form):
    name = _name_field()
    short_name = _short_name_field()


class AgencyRetireForm(Form):
    reason = forms.CharField(
        label="Why is the agency being retired?",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, merged into another trust. Kept in the agency's history.",
        error_messages={"required": "Enter why the agency is being retired"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].error_messages["required"] = "Enter why the agency is being retired"
