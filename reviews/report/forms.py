"""Forms of the report pages (drafts, comments, approval, sign-off, the anonymisation check).
They only clean input: every change goes through reviews.report's services."""

from django import forms

from lcspr.core.forms import Form, textarea
from lcspr.core.uploads import check_document
from reviews.report.models import CheckPurpose, NameCategory, ReportKind, RestrictedName


class UploadForm(Form):
    kind = forms.ChoiceField(
        label="Which document is this?", choices=ReportKind.choices, widget=forms.RadioSelect
    )
    file = forms.FileField(
        label="The file",
        help_text="A PDF or a Word (DOCX) document, smaller than 10 MB.",
        widget=forms.FileInput(attrs={"accept": ".pdf,.docx"}),
    )
    change_note = textarea(
        "What changed in this version",
        help_text="For example, the comments on the findings section answered. Needed for every "
        "version after the first.",
        rows=3,
    )

    def __init__(self, *args, reopening: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].error_messages["required"] = "Select which document this is"
        self.fields["file"].error_messages["required"] = "Choose the file to upload"
        if reopening:
            # Only shown while an approval stands: any new version ends it.
            self.fields["reopen_reason"] = textarea(
                "Why the approved version is being replaced",
                help_text="The panel chair has approved the report: any new version ends the "
                "approval (and any sign-off), and the panel chair approves again.",
                rows=3,
            )

    def clean_file(self):
        return check_document(self.cleaned_data["file"], label="file")


class CommentForm(Form):
    location = forms.CharField(
        label="Section or page (optional)",
        required=False,
        max_length=100,
        help_text="For example, section 4.2 or page 12. Leave blank for a general comment.",
    )
    text = textarea("Your comment", required=True, rows=6)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].error_messages["required"] = "Enter your comment"


class RespondForm(Form):
    response = textarea(
        "Your response",
        help_text="How the comment is answered, or why the report stays as it is.",
        rows=5,
    )
    resolve = forms.BooleanField(
        label="Mark the comment as resolved",
        required=False,
        help_text="A resolved comment is closed: the panel member sees your response.",
    )


class ApproveForm(Form):
    """The versions the panel chair checked travel with the form, so a version shared while
    the page was open is not approved unseen."""

    overview = forms.IntegerField(widget=forms.HiddenInput)
    executive_summary = forms.IntegerField(widget=forms.HiddenInput, required=False)
    note = textarea("Approval note (optional)", rows=3)
    confirm = forms.BooleanField(label="I approve these versions as the final report of the review")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["confirm"].error_messages["required"] = (
            "Confirm that you approve these versions as final"
        )


class SignOffForm(Form):
    note = textarea("Sign-off note (optional)", rows=3)
    confirm = forms.BooleanField(
        label="I sign off the approved report on behalf of the partnership"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["confirm"].error_messages["required"] = (
            "Confirm that you sign off the report for the partnership"
        )


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
