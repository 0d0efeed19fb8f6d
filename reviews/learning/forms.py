"""Forms of the learning pages."""

from django import forms

from lcspr.core.forms import Form, VersionedFormMixin
from lcspr.core.versions import version_of
from reviews.learning.briefing import BOX_LINES, PARAGRAPH_CHARACTERS
from reviews.learning.models import LearningSummary, LearningTheme
from reviews.learning.services import SUMMARY_FIELDS

# Roughly what fits in a box of the one-page briefing (reviews/briefing.py); longer text is cut
# short there, while the learning page always shows it in full.
BRIEFING_FITS = (BOX_LINES * PARAGRAPH_CHARACTERS) // 50 * 50


class ThemeChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, theme):
        return theme.name if theme.is_active else f"{theme.name} (no longer in use)"


def _briefing_hint(hint: str = "") -> str:
    fits = f"About {BRIEFING_FITS} characters fit in its box of the one-page briefing."
    return f"{hint} {fits}".strip()


class LearningSummaryForm(VersionedFormMixin, Form):
    primary_themes = ThemeChoiceField(
        label="Primary learning themes",
        queryset=LearningTheme.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=f"Choose up to {LearningSummary.MAX_PRIMARY_THEMES}: the themes the review "
        "is mostly about.",
    )
    other_themes = ThemeChoiceField(
        label="Other learning themes",
        queryset=LearningTheme.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Any other themes the report touches on. A theme is either primary or other.",
    )
    background = forms.CharField(
        label="The case in brief",
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=_briefing_hint("Name the child only by the pseudonym."),
    )
    why_it_matters = forms.CharField(
        label="Why it matters",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_briefing_hint(),
    )
    findings = forms.CharField(
        label="The report's findings",
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text=_briefing_hint("The learning, one finding to a line."),
    )
    reflective_questions = forms.CharField(
        label="Questions for practitioners",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_briefing_hint("One question to a line."),
    )
    further_reading = forms.CharField(
        label="Further reading and resources",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_briefing_hint("One resource to a line."),
    )

    def __init__(self, *args, summary: LearningSummary | None = None, **kwargs):
        chosen: list[int] = []
        version = 0  # read before anyone wrote it
        if summary is not None:
            primary = [t.pk for t in summary.primary_themes.all()]
            other = [t.pk for t in summary.other_themes.all()]
            chosen = primary + other
            version = version_of(summary)
            kwargs.setdefault(
                "initial",
                {
                    "primary_themes": primary,
                    "other_themes": other,
                    **{f: getattr(summary, f) for f in SUMMARY_FIELDS},
                },
            )
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("version", version)
        super().__init__(*args, **kwargs)
        # The themes in use, and any retired since they were chosen for this summary.
        themes = LearningTheme.objects.filter(is_active=True) | LearningTheme.objects.filter(
            pk__in=chosen
        )
        for name in ("primary_themes", "other_themes"):
            self.fields[name].queryset = themes.distinct().order_by("position", "name")


class RecommendationForm(Form):
    text = forms.CharField(
        label="Recommendation",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="As worded in the final report.",
    )
    finding = forms.CharField(
        label="The finding it answers (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class RecommendationEditForm(VersionedFormMixin, RecommendationForm):
    number = forms.IntegerField(
        label="Number in the report",
        min_value=1,
        max_value=999,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
    )

    field_order = ["number", "text", "finding"]


class ThemeForm(Form):
    name = forms.CharField(
        label="Name of the theme",
        max_length=100,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-30"}),
    )


class ThemeEditForm(VersionedFormMixin, ThemeForm):
    pass
