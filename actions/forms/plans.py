"""Forms of the action-plan pages. They only clean input: every change goes through
actions.services, which also decides what the workflow allows."""

from functools import partial

from django import forms
from django.core.exceptions import ValidationError

from actions.models import RAG_MEANING, Assurance, Rag, Source, Status
from actions.services import STATUS_ORDER
from lcspr.accounts.models import Agency, User
from lcspr.core.forms import Form as GovukForm
from lcspr.core.forms import GovukDateField, VersionedFormMixin, textarea
from lcspr.core.uploads import check_evidence
from reviews.learning.models import LearningTheme

required_textarea = partial(textarea, required=True)

MAX_FILES = 10
# The sources the "add an action" page offers; immediate actions are tracked from the rapid
# review's own list, so their text and lead agency stay as the partners recorded them.
ADD_SOURCES = [Source.RECOMMENDATION, Source.DURING_REVIEW, Source.PARTNERSHIP]


class Form(GovukForm):
    """A GOV.UK form whose questions get their own "required" messages (`required_messages`),
    since "Enter what progress has been made?" does not read well."""

    required_messages: dict[str, str] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, message in self.required_messages.items():
            if name in self.fields:
                self.fields[name].error_messages["required"] = message


class PersonField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj} ({obj.agency})" if obj.agency_id else str(obj)


def _agencies():
    return Agency.objects.filter(is_active=True).order_by("name")


def _people():
    return User.objects.filter(is_active=True).select_related("agency").order_by("full_name")


def _themes():
    return LearningTheme.objects.filter(is_active=True)


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class EvidenceFilesField(forms.FileField):
    """Any number of evidence files (up to MAX_FILES), each checked by its content."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if len(files) > MAX_FILES:
            raise ValidationError(f"Choose up to {MAX_FILES} evidence files at a time")
        cleaned = []
        for number, file in enumerate(files, start=1):
            file = super().clean(file, initial)
            label = "evidence file" if len(files) == 1 else f"evidence file {number}"
            cleaned.append(check_evidence(file, label=label))
        return cleaned


def evidence_files():
    return EvidenceFilesField(
        label="Evidence files (optional)",
        required=False,
        help_text="PDF, Word (DOCX), Excel (XLSX), CSV, PNG or JPEG, up to 20 MB each. "
        "No real names of the child or family.",
    )


class ActionFields(Form):
    """What an action says and who leads it: shared by adding and editing."""

    text = required_textarea(
        "Action",
        help_text="Specific, measurable, achievable, realistic and timed: what will be done, by "
        "whom and how you will know.",
    )
    lead_agency = forms.ModelChoiceField(label="Lead agency", queryset=Agency.objects.none())
    owner = PersonField(
        label="Named owner (optional)",
        queryset=User.objects.none(),
        required=False,
        help_text="The person who answers for the action. The lead agency's representatives "
        "can update it too.",
    )
    themes = forms.ModelMultipleChoiceField(
        label="Learning themes (optional)",
        queryset=LearningTheme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_agency"].queryset = _agencies()
        self.fields["owner"].queryset = _people()
        self.fields["themes"].queryset = _themes()


class ActionEditForm(VersionedFormMixin, ActionFields):
    """An open action corrected, carrying the version it was read at."""


class ActionAddForm(ActionFields):
    required_messages = {"source": "Select where the action comes from"}
    source = forms.ChoiceField(
        label="Where does the action come from?",
        choices=[(s.value, s.label) for s in ADD_SOURCES],
        widget=forms.RadioSelect,
    )
    recommendation = forms.ModelChoiceField(
        label="The recommendation it answers",
        queryset=None,
        required=False,
        help_text="Only for an action that answers a recommendation of the final report.",
    )
    due_date = GovukDateField(label="Due date", help_text="For example, 31 3 2027.")
    field_order = ["source", "recommendation", "text", "lead_agency", "owner", "due_date"]

    def __init__(self, *args, review, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recommendation"].queryset = review.recommendations.all()
        self.fields["themes"].help_text = "Leave empty to use the review's primary learning themes."
        if not review.recommendations.exists():
            del self.fields["recommendation"]
            self.fields["source"].choices = self.fields["source"].choices[1:]


class RecommendationLabel(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"Recommendation {obj.number}: {obj.text[:90]}"


class RecommendationRowForm(Form):
    """One action of the "turn recommendations into actions" page; a row left empty is skipped."""

    recommendation = RecommendationLabel(
        label="The recommendation it answers", queryset=None, required=False
    )
    text = required_textarea("Action", required=False, rows=3)
    lead_agency = forms.ModelChoiceField(
        label="Lead agency", queryset=Agency.objects.none(), required=False
    )
    owner = PersonField(
        label="Named owner (optional)", queryset=User.objects.none(), required=False
    )
    due_date = GovukDateField(label="Due date", required=False)

    def __init__(self, *args, review, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recommendation"].queryset = review.recommendations.all()
        self.fields["lead_agency"].queryset = _agencies()
        self.fields["owner"].queryset = _people()

    @property
    def is_blank(self) -> bool:
        return not (self.cleaned_data.get("text") or "").strip()

    def clean(self):
        data = super().clean()
        if (data.get("text") or "").strip():
            for name, message in (
                ("recommendation", "Select the recommendation it answers"),
                ("lead_agency", "Select the lead agency"),
                ("due_date", "Enter the due date"),
            ):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, message)
        return data


RecommendationRowFormSet = forms.formset_factory(RecommendationRowForm, extra=0, max_num=60)


class ImmediateForm(Form):
    owner = PersonField(
        label="Named owner (optional)", queryset=User.objects.none(), required=False
    )
    due_date = GovukDateField(
        label="Due date",
        required=False,
        help_text="Leave as it is to keep the date the rapid review set.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _people()


class DueDateForm(Form):
    required_messages = {"reason": "Enter why the due date is moving"}
    new_date = GovukDateField(label="New due date", help_text="For example, 30 6 2027.")
    reason = required_textarea("Why is the due date moving?")


def status_choices(current: str):
    """The statuses a progress update may set: the current one and those after it."""
    allowed = STATUS_ORDER[STATUS_ORDER.index(current) :] if current in STATUS_ORDER else []
    return [(s.value, s.label) for s in allowed]


class ProgressForm(Form):
    required_messages = {"text": "Enter the progress made", "status": "Select the status"}
    text = required_textarea("What progress has been made?")
    status = forms.ChoiceField(label="Status", choices=(), widget=forms.RadioSelect)
    files = evidence_files()

    def __init__(self, *args, action, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = status_choices(action.status)


class CompletionForm(Form):
    completion_evidence = required_textarea(
        "Evidence of completion",
        help_text="What was done, when, and where the record of it is kept.",
    )
    files = evidence_files()


class ImpactForm(Form):
    required_messages = {
        "impact_evidence": "Enter what changed in practice",
        "assurance_method": "Select how the impact was assured",
    }
    impact_evidence = required_textarea(
        "What changed in practice?",
        help_text="The difference the action made for children and families, with figures.",
    )
    assurance_method = forms.ChoiceField(
        label="How was the impact assured?", choices=Assurance.choices, widget=forms.RadioSelect
    )
    assurance_detail = required_textarea(
        "Assurance detail",
        required=False,
        help_text="Who assured it, when, and how many cases or people. Needed for 'Other'.",
        rows=3,
    )
    files = evidence_files()


class RateForm(Form):
    required_messages = {"rag": "Select the RAG rating"}
    rag = forms.ChoiceField(
        label="RAG rating",
        choices=[(r.value, f"{r.label}: {RAG_MEANING[r].lower()}") for r in Rag],
        widget=forms.RadioSelect,
    )
    note = required_textarea(
        "Reason for the rating",
        required=False,
        help_text="Needed for red and amber: what the sub-group discussed.",
        rows=3,
    )


class ImpactRequestForm(Form):
    required_messages = {"note": "Enter what evidence of impact the sub-group needs"}
    note = required_textarea(
        "What evidence of impact does the sub-group need?",
        help_text="For example, an audit of cases since the training, or a survey of "
        "practitioners.",
    )


class CloseForm(Form):
    note = required_textarea("Note for the record (optional)", required=False, rows=3)


class ReopenForm(Form):
    required_messages = {"reason": "Enter why the action is reopened"}
    reason = required_textarea("Why is the action reopened?")


class HandOverForm(Form):
    required_messages = {"handed_to": "Enter the plan the action is handed to"}
    handed_to = required_textarea(
        "Which plan is the action handed to?",
        help_text="For example, the partnership's neglect strategy action plan, or the police "
        "force's own improvement plan.",
        rows=3,
    )


class StatusFilterForm(Form):
    status = forms.ChoiceField(
        label="Status", choices=[("", "All statuses"), *Status.choices], required=False
    )
