"""The chronology import forms: the file upload, and the confirmation before a re-import
replaces the draft's entries."""

from django import forms

from lcspr.core.forms import Form


class ImportUploadForm(Form):
    file = forms.FileField(
        label="Upload a file",
        help_text="An Excel workbook (.xlsx) or a CSV file, up to 10 MB and 10,000 rows.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].error_messages["required"] = "Select an Excel or CSV file"


class ImportConfirmForm(Form):
    """The second step of a re-import: confirm replacing the draft's entries. When the parsed
    rows were too large to keep between steps, the file is chosen again here."""

    confirm = forms.CharField(widget=forms.HiddenInput, initial="replace")
    file = forms.FileField(label="Choose the file again", required=False)
