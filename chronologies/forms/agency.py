"""Forms for an agency's chronology: the request, entries typed in the browser, the named
authors, the declaration on submission and the manager's decision. They only clean input: every
change goes through chronologies.services."""

import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from chronologies.models import DateCertainty, YesNoUnknown
from lcspr.accounts.models import Role
from lcspr.core.forms import Form, GovukDateField, VersionedFormMixin
from reviews.learning.themes import theme_names


def _text(label, *, required=False, help_text="", rows=4):
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class RequestChronologiesForm(Form):
    due_date = GovukDateField(
        label="Due date", help_text="The date the agencies should submit by, for example 27 3 2027"
    )


class EntryForm(Form):
    date = GovukDateField(label="Date of the event", help_text="For example, 3 4 2021")
    time = forms.CharField(
        label="Time (optional)",
        required=False,
        max_length=5,
        help_text="In 24-hour time, for example 14:30",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}),
    )
    date_certainty = forms.ChoiceField(
        label="How certain is the date?",
        choices=DateCertainty.choices,
        initial=DateCertainty.EXACT,
        widget=forms.RadioSelect,
    )
    source_reference = forms.CharField(label="Source record reference", required=False)
    practitioner_role = forms.CharField(
        label="Practitioner role",
        required=False,
        help_text="The role, not the person's name, for example Class teacher",
    )
    event_type = forms.CharField(label="Event or contact type", required=False)
    child_seen = forms.ChoiceField(
        label="Was the child seen?",
        choices=YesNoUnknown.choices,
        initial=YesNoUnknown.UNKNOWN,
        widget=forms.RadioSelect,
    )
    seen_alone = forms.ChoiceField(
        label="Was the child seen alone?",
        choices=YesNoUnknown.choices,
        initial=YesNoUnknown.UNKNOWN,
        widget=forms.RadioSelect,
    )
    description = _text("Description", required=True, rows=5)
    child_voice = _text("The child's voice or lived experience")
    action_taken = _text("Action or decision taken")
    outcome = _text("Outcome")
    significance = _text("The agency's analysis of significance")
    kloe_numbers = forms.TypedMultipleChoiceField(
        label="Key lines of enquiry",
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    themes = forms.MultipleChoiceField(
        label="Learning themes",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, kloes=(), **kwargs):
        super().__init__(*args, **kwargs)
        # The themes in use, and any retired theme this entry already carries.
        names = theme_names()
        kept = [t for t in (self.initial.get("themes") or []) if t not in names]
        self.fields["themes"].choices = [(t, t) for t in [*names, *kept]]
        self.fields["kloe_numbers"].choices = [(str(n), f"{n}. {text}") for n, text in kloes]
        if not kloes:
            del self.fields["kloe_numbers"]
        self.fields["description"].error_messages["required"] = "Enter a description of the event"

    def clean_time(self):
        value = self.cleaned_data["time"].strip()
        if not value:
            return None
        try:
            # A time of day on its own: no zone applies.
            return datetime.datetime.strptime(value, "%H:%M").time()  # noqa: DTZ007
        except ValueError:
            raise ValidationError(
                "Enter the time in 24-hour time, for example 14:30", code="invalid"
            ) from None

    @staticmethod
    def initial_for(entry) -> dict:
        initial = {f: getattr(entry, f) for f in EntryForm.base_fields}
        initial["time"] = entry.time.strftime("%H:%M") if entry.time else ""
        initial["kloe_numbers"] = [str(n) for n in entry.kloe_numbers]
        return initial


class EntryEditForm(VersionedFormMixin, EntryForm):
    """An entry corrected, carrying the version it was read at."""


class AuthorsField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return f"{obj}{f' – {obj.job_title}' if obj.job_title else ''}"


class AuthorsForm(Form):
    authors = AuthorsField(
        label="Who is writing this chronology?",
        queryset=get_user_model().objects.none(),
        required=False,
        help_text="Only a named author can submit the chronology. Select all that apply.",
    )

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["authors"].queryset = (
            get_user_model()
            .objects.filter(
                agency=agency,
                is_active=True,
                role_assignments__role=Role.AGENCY_REPRESENTATIVE,
            )
            .distinct()
            .order_by("full_name")
        )


class SubmitForm(Form):
    # Not required here: the service refuses an unconfirmed declaration with its own message.
    declaration = forms.BooleanField(label="I confirm this declaration", required=False)


class DecideForm(Form):
    outcome = forms.ChoiceField(
        label="What is your decision?",
        choices=[
            ("accept", "Accept the chronology"),
            ("return", "Return it to the agency for changes"),
        ],
        widget=forms.RadioSelect,
    )
    comments = _text(
        "Comments for the agency",
        help_text="Required when you return the chronology: say what needs to change.",
        rows=5,
    )
