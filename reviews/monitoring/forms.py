"""Forms for the sub-group's time and quality monitoring (SI 2018/789 reg. 14). They only clean
input: every change goes through reviews.monitoring."""

from django import forms

from lcspr.core.forms import Form, GovukDateField, textarea
from reviews.monitoring.models import Checkpoint


class CheckpointForm(Form):
    held_on = GovukDateField(label="Date of the checkpoint", help_text="For example, 27 3 2026.")
    progress = forms.ChoiceField(
        label="Progress against the timescale",
        choices=Checkpoint.Progress.choices,
        widget=forms.RadioSelect,
    )
    progress_notes = textarea("Notes on progress")
    quality_concerns = textarea(
        "Quality concerns", help_text="Optional. Anything about the quality of the review so far."
    )


class WrittenRequestForm(Form):
    sent_on = GovukDateField(label="Date sent", help_text="For example, 27 3 2026.")
    request = textarea(
        "What was asked for",
        required=True,
        help_text="For example, a draft of the report, or information about progress.",
    )


class WrittenResponseForm(Form):
    response_on = GovukDateField(label="Date of the response", help_text="For example, 3 4 2026.")
    response = textarea("The author's response", required=True)
