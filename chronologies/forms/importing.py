"""The chronology import forms: the file upload, and the confirmation before a re-import
replaces the draft's entries."""

import os

from django import forms

from lcspr.core.forms import Form
from lcspr.core.uploads import safe_file_name


def _clean_name(file):
    """The name is shown back on the page and kept in the session: sanitise it (the importer
    decides the kind by the content)."""
    if file:
        file.name = safe_file_name(file.name, os.path.splitext(file.name)[1], fallback="upload")
    return file


class ImportUploadForm(Form):
    file = forms.FileField(
        label="Upload a file",
        help_text="An Excel workbook (.xlsx) or a CSV file, up to 10 MB and 10,000 rows.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].error_messages["required"] = "Select an Excel or CSV file"

    def clean_file(self):
        return _clean_name(self.cleaned_data["file"])


class ImportConfirmForm(Form):
    """The second step of a re-import: confirm replacing the draft's entries. When the parsed
    rows were too large to keep between steps, the file is chosen again here."""

    confirm = forms.CharField(widget=forms.HiddenInput, initial="replace")
    file = forms.FileField(label="Choose the file again", required=False)

    def clean_file(self):
        return _clean_name(self.cleaned_data.get("file"))
