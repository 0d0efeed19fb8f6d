"""Forms of the referral pages. They only clean input: every change goes through
reviews.referral.services."""

from django import forms

from lcspr.accounts.models import Agency
from lcspr.core.forms import Form, GovukDateField, VersionedFormMixin, textarea
from reviews.models import Child, SocialCareStatus, Trigger, YesNo
from reviews.referral.models import Adult


class ReferralForm(Form):
    pseudonym = forms.CharField(
        label="Pseudonym",
        max_length=60,
        help_text='Used everywhere instead of the child\'s name, for example "Child T".',
    )
    incident_date = GovukDateField(label="Date of the incident", help_text="For example, 3 3 2026")
    incident_location = forms.CharField(label="Where it happened", max_length=200, required=False)
    la_aware_date = GovukDateField(
        label="Date the local authority became aware",
        help_text="The notification clock usually counts from this date.",
    )
    trigger = forms.ChoiceField(
        label="What happened", choices=Trigger.choices, widget=forms.RadioSelect
    )
    referring_agency = forms.ModelChoiceField(
        label="Referring agency", queryset=Agency.objects.none(), empty_label="Select an agency"
    )
    what_is_known = forms.CharField(label="What is known so far", widget=forms.Textarea)
    additional_children = forms.CharField(
        label="Other children involved",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Add up to four children after saving the referral. Describe any others here.",
    )

    def __init__(self, *args, review=None, **kwargs):
        super().__init__(*args, **kwargs)
        agencies = Agency.objects.filter(is_active=True)
        if review is not None:
            # A referral from an agency since closed must still be editable.
            agencies = agencies | Agency.objects.filter(pk=review.referring_agency_id)
        self.fields["referring_agency"].queryset = agencies.distinct().order_by("name")


class ReferralEditForm(VersionedFormMixin, ReferralForm):
    """The referral's details corrected, carrying the version they were read at."""


class ChildForm(Form):
    name = forms.CharField(label="Full name", max_length=150)
    date_of_birth = GovukDateField(
        label="Date of birth", required=False, help_text="For example, 27 3 2024"
    )
    sex = forms.ChoiceField(label="Sex", choices=Child.Sex.choices, widget=forms.RadioSelect)
    ethnicity = forms.CharField(label="Ethnicity", max_length=100, required=False)
    disability = forms.CharField(
        label="Disability or special educational needs", max_length=200, required=False
    )
    looked_after = forms.BooleanField(label="Looked after by a local authority", required=False)
    social_care_status = forms.ChoiceField(
        label="Children's social care status at the time of the incident",
        choices=[("", "Not recorded yet"), *SocialCareStatus.choices],
        required=False,
        help_text="The national notification asks for it.",
    )
    address = textarea(
        "Address",
        rows=3,
        help_text="Optional. With the postcode, it helps find other reviews of the same family.",
    )


class AdultForm(Form):
    """A parent, carer or member of the household the review is about."""

    name = forms.CharField(label="Full name", max_length=150)
    relationship = forms.ChoiceField(
        label="Relationship to the child",
        choices=Adult.Relationship.choices,
        widget=forms.RadioSelect,
    )
    date_of_birth = GovukDateField(
        label="Date of birth", required=False, help_text="Optional. For example, 27 3 1990"
    )
    address = textarea(
        "Address",
        rows=3,
        help_text="Optional. With the postcode, it helps find other reviews of the same family.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].error_messages["required"] = "Enter the adult's full name"
        self.fields["relationship"].error_messages["required"] = (
            "Select the adult's relationship to the child"
        )


class AdultEditForm(VersionedFormMixin, AdultForm):
    """An adult's details corrected, carrying the version they were read at."""


class CriteriaForm(Form):
    abuse_or_neglect = forms.ChoiceField(
        label="Is abuse or neglect of the child known or suspected?",
        choices=YesNo.choices,
        widget=forms.RadioSelect,
    )
    died_or_seriously_harmed = forms.ChoiceField(
        label="Has the child died or been seriously harmed?",
        choices=YesNo.choices,
        widget=forms.RadioSelect,
        help_text="Serious harm includes, but is not limited to, serious and/or long-term "
        "impairment of a child's mental health, physical health or intellectual, emotional, "
        "social or behavioural development. This is not an exhaustive list: a judgement may be "
        "needed.",
    )
    note = forms.CharField(
        label="Reasons for the criteria decision", widget=forms.Textarea, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["abuse_or_neglect"].error_messages["required"] = (
            "Select whether abuse or neglect is known or suspected"
        )
        self.fields["died_or_seriously_harmed"].error_messages["required"] = (
            "Select whether the child has died or been seriously harmed"
        )


class CloseForm(Form):
    reason = forms.CharField(label="Why is the referral closed?", widget=forms.Textarea)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].error_messages["required"] = "Enter why the referral is closed"


class NotificationForm(Form):
    sent_on = GovukDateField(label="Date the notification was sent")
    panel_reference = forms.CharField(
        label="National Panel's reference", max_length=60, required=False
    )


class LookedAfterDeathNoticeForm(Form):
    # Required; checked in clean() so the message keeps "DfE" in capitals.
    dfe_notified_on = GovukDateField(label="Date the DfE was notified", required=False)
    ofsted_notified_on = GovukDateField(label="Date Ofsted was notified", required=False)

    def clean(self):
        cleaned = super().clean()
        for field, message in (
            ("dfe_notified_on", "Enter the date the DfE was notified"),
            ("ofsted_notified_on", "Enter the date Ofsted was notified"),
        ):
            if field not in self.errors and not cleaned.get(field):
                self.add_error(field, message)
        return cleaned


class PartnersInformedForm(Form):
    informed_on = GovukDateField(label="Date the safeguarding partners were informed")
