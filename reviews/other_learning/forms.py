"""Forms of the other learning review pages."""

from django import forms

from lcspr.core.forms import Form, GovukDateField, VersionedFormMixin, not_in_future
from reviews.other_learning.models import OtherLearningReview


class LearningReviewStartForm(Form):
    """What a learning review held instead of a notification starts with: its type and scope."""

    kind = forms.ChoiceField(
        label="Type of learning review",
        choices=OtherLearningReview.Kind.choices,
        widget=forms.RadioSelect,
    )
    scope = forms.CharField(
        label="Scope or terms of reference",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="The questions the review will look at, the period and the agencies involved.",
    )


class OtherLearningForm(VersionedFormMixin, LearningReviewStartForm):
    scope_sent_on = GovukDateField(
        label="Date the scope was sent to practitioners (optional)",
        required=False,
        help_text="Practitioners are sent the scope before the session or review.",
    )
    held_on = GovukDateField(
        label="Date held (optional)",
        required=False,
        help_text="Leave blank until the session or review has taken place.",
    )
    participants = forms.CharField(
        label="Participants (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Roles and agencies, one per line. Do not enter names.",
    )
    learning = forms.CharField(
        label="Learning identified (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def clean_scope_sent_on(self):
        return not_in_future(
            self.cleaned_data.get("scope_sent_on"), "Date the scope was sent to practitioners"
        )

    def clean_held_on(self):
        return not_in_future(self.cleaned_data.get("held_on"), "Date held")
