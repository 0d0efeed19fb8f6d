"""Forms of the rapid review and of the agency summaries. They only clean input: every change
goes through reviews.rapid_review.services."""

from functools import partial

from django import forms

from lcspr.accounts.models import Agency
from lcspr.core.forms import Form, GovukDateField, VersionedFormMixin, textarea
from lcspr.core.uploads import check_document
from lcspr.core.versions import version_of
from reviews.rapid_review.models import PanelResponse, RapidReview, Recommendation

required_textarea = partial(textarea, required=True)


# SI 2018/789 regulation 11: the criteria for a local review, as RapidReview's booleans.
CRITERIA_FIELDS = (
    "crit_learning_potential",
    "crit_recurrent_themes",
    "crit_serious_concern",
    "crit_national_panel_view",
)


CRITERIA_LABEL = "Criteria for a local review (SI 2018/789 regulation 11)"


def criteria_choices():
    return [(name, RapidReview._meta.get_field(name).verbose_name) for name in CRITERIA_FIELDS]


def criteria_ticked(rapid_review: RapidReview) -> list[str]:
    """The labels of the reg. 11 criteria the rapid review found met."""
    return [str(label) for name, label in criteria_choices() if getattr(rapid_review, name)]


class RapidReviewForm(VersionedFormMixin, Form):
    boolean_choices = {"criteria": CRITERIA_FIELDS}

    facts = required_textarea("Facts established so far", required=False)
    emerging_learning = required_textarea("Emerging learning", required=False)
    equality_context = required_textarea(
        "Equality and diversity context",
        required=False,
        help_text="For example the child's ethnicity, religion, disability, language or culture, "
        "and how they shaped what happened.",
    )
    criteria = forms.MultipleChoiceField(
        label=CRITERIA_LABEL,
        required=False,
        choices=criteria_choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply.",
    )
    may_need_national_review = forms.BooleanField(
        label="The case may need a national review", required=False
    )
    national_review_reasons = required_textarea(
        "Why a national review may be needed",
        required=False,
        help_text="Only if the case may need a national review.",
        rows=3,
    )

    @classmethod
    def initial_from(cls, rapid_review: RapidReview | None) -> dict:
        if rapid_review is None:
            return {}
        initial = {
            name: getattr(rapid_review, name)
            for name in (
                "facts",
                "emerging_learning",
                "equality_context",
                "may_need_national_review",
                "national_review_reasons",
            )
        }
        initial["criteria"] = [name for name in CRITERIA_FIELDS if getattr(rapid_review, name)]
        initial["version"] = version_of(rapid_review)
        return initial

    def clean(self):
        data = super().clean()
        if data.get("may_need_national_review") and not data.get("national_review_reasons"):
            self.add_error("national_review_reasons", "Enter why a national review may be needed")
        return data

    def service_fields(self) -> dict:
        """The cleaned data as rapid_review_update's keyword arguments."""
        data = dict(self.cleaned_data)
        ticked = set(data.pop("criteria"))
        data.update({name: name in ticked for name in CRITERIA_FIELDS})
        return data


class MeetingForm(Form):
    held_on = GovukDateField(label="Date of the meeting")
    attendees = required_textarea(
        "Who attended", help_text="One per line: their role and agency, not their name."
    )
    notes = required_textarea("Notes", required=False)


class ImmediateActionForm(Form):
    description = required_textarea("What must be done", rows=4)
    lead_agency = forms.ModelChoiceField(
        label="Lead agency",
        queryset=Agency.objects.filter(is_active=True),
        empty_label="Select an agency",
    )
    due_date = GovukDateField(
        label="Due date", required=False, help_text="Optional. For example, 27 3 2026."
    )


class SummaryRequestForm(Form):
    agency = forms.ModelChoiceField(
        label="Agency", queryset=Agency.objects.none(), empty_label="Select an agency"
    )
    due_date = GovukDateField(label="Due date", help_text="For example, 27 3 2026.")

    def __init__(self, *args, review, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(is_active=True).exclude(
            summary_requests__review=review
        )


class RecommendationForm(Form):
    recommendation = forms.ChoiceField(
        label="The partners' recommendation",
        choices=Recommendation.choices,
        widget=forms.RadioSelect,
    )
    rationale = required_textarea("Reasons for the recommendation")


class SendForm(Form):
    sent_on = GovukDateField(
        label="Date sent to the National Panel", help_text="For example, 20 3 2026."
    )


class PanelResponseForm(Form):
    response = forms.ChoiceField(
        label="The National Panel's response",
        choices=PanelResponse.choices,
        widget=forms.RadioSelect,
    )
    response_on = GovukDateField(label="Date of the response", help_text="For example, 2 4 2026.")
    notes = required_textarea("Notes on the response", required=False)


class SummarySubmitForm(Form):
    summary = required_textarea(
        "Summary",
        required=False,
        help_text="Your agency's involvement with the child and family. Use roles, not names, "
        "for practitioners.",
        rows=10,
    )
    file = forms.FileField(
        label="Summary file",
        required=False,
        help_text="Optional if you write the summary above. A PDF or Word (DOCX) document, "
        "up to 10 MB.",
        widget=forms.FileInput(attrs={"accept": ".pdf,.docx"}),
    )

    def clean_file(self):
        file = self.cleaned_data.get("file")
        if not file:
            return file
        return check_document(file, label="summary file")

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("summary", "").strip() and not data.get("file"):
            self.add_error("summary", "Enter the summary or choose a summary file")
        return data
