import datetime

import pytest
from django import forms

from lcspr.core.forms import Form, GovukDateField


class ExampleForm(Form):
    name = forms.CharField(label="Child's pseudonym", help_text="For example, Child T")
    incident_date = GovukDateField(label="Date of the incident")
    trigger = forms.ChoiceField(
        label="What happened",
        choices=[("death", "Died"), ("harm", "Seriously harmed")],
        widget=forms.RadioSelect,
    )
    agencies = forms.MultipleChoiceField(
        label="Agencies involved",
        choices=[("la", "Local authority"), ("police", "Police")],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    kind = forms.ChoiceField(label="Kind", choices=[("a", "A"), ("b", "B")])
    notes = forms.CharField(label="What is known", widget=forms.Textarea, required=False)
    confirmed = forms.BooleanField(label="I have checked the criteria", required=False)


def _date(day, month, year):
    return {"incident_date_0": day, "incident_date_1": month, "incident_date_2": year}


def test_each_missing_field_gets_a_message_that_names_it():
    form = ExampleForm(data={})
    assert not form.is_valid()
    assert form.errors["name"] == ["Enter child's pseudonym"]
    assert form.errors["incident_date"] == ["Enter date of the incident"]
    assert form.errors["trigger"] == ["Select what happened"]


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        (("31", "2", "2021"), "Date of the incident must be a real date"),
        (("", "2", "2021"), "Date of the incident must include a day"),
        (("3", "", ""), "Date of the incident must include a month and year"),
        (("3", "4", "21"), "Year must include 4 numbers"),
        (("x", "4", "2021"), "Date of the incident must be a real date"),
        (("3", "4", "1850"), "Date of the incident must be between 1900 and 2100"),
    ],
)
def test_a_wrong_date_says_what_is_wrong(parts, message):
    form = ExampleForm(data={"name": "Child T", "trigger": "death", "kind": "a", **_date(*parts)})
    assert not form.is_valid()
    assert form.errors["incident_date"] == [message]


def test_a_real_date_is_accepted():
    form = ExampleForm(
        data={"name": "Child T", "trigger": "death", "kind": "a", **_date("3", "4", "2021")}
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["incident_date"] == datetime.date(2021, 4, 3)


def test_fields_render_as_govuk_components_with_errors_linked():
    html = str(ExampleForm(data={"notes": "<script>alert(1)</script>"}))
    assert 'class="govuk-input govuk-input--error"' in html
    assert 'aria-describedby="id_name-hint id_name-error"' in html
    assert '<p id="id_name-error" class="govuk-error-message">' in html
    assert 'class="govuk-date-input"' in html and ">Day</label>" in html
    assert 'class="govuk-radios__input"' in html and 'class="govuk-checkboxes__input"' in html
    assert 'class="govuk-select' in html and 'class="govuk-textarea' in html
    assert '<legend class="govuk-fieldset__legend' in html
    # What a user typed is shown back escaped, never run.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html


def test_a_date_keeps_what_the_user_typed_when_the_form_is_shown_again():
    html = str(ExampleForm(data=_date("31", "2", "2021")))
    assert 'value="31"' in html and 'value="2021"' in html
