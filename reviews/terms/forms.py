"""Forms of the Terms of Reference pages. They only clean input: every change goes through
reviews.terms."""

from django import forms
from django.db.models import Q

from lcspr.accounts.models import Agency
from lcspr.core.forms import Form, GovukDateField, VersionedFormMixin, textarea
from lcspr.core.versions import version_of
from reviews.terms.models import TermsOfReference

# The sections a comment can be about, in the order the Terms of Reference show them.
SECTIONS = (
    "Subject and family",
    "Period under review",
    "Key lines of enquiry",
    "Methodology",
    "Agencies in scope",
    "Practitioner involvement",
    "Family involvement",
    "Parallel processes",
    "Timescales",
    "Publication plan",
    "Equality considerations",
)
TEXT_SECTIONS = (
    "subject_and_family",
    "methodology",
    "practitioner_involvement",
    "family_involvement",
    "timescales",
    "publication_plan",
    "equality_considerations",
)
NEW_KLOE_BOXES = 3
MAX_KLOES = 100


def _real_name_error(text: str, real_names, pseudonym: str) -> str:
    """A message if `text` contains a child's real name. The message never repeats the name."""
    lowered = " ".join(text.lower().split())
    for name in real_names:
        name = " ".join(name.lower().split())
        if name and name in lowered:
            return f"Use the pseudonym ({pseudonym}), not a child's real name"
    return ""


class PseudonymOnlyMixin:
    """Refuses a child's real name in any text field: the Terms of Reference are shared with
    the whole panel and printed, and name the child only by the pseudonym."""

    def __init__(self, *args, real_names=(), pseudonym="the pseudonym", **kwargs):
        self.real_names, self.pseudonym = list(real_names), pseudonym
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        for name, value in list(cleaned.items()):
            if isinstance(value, str) and value:
                message = _real_name_error(value, self.real_names, self.pseudonym)
                if message:
                    self.add_error(name, message)
        return cleaned


class TermsForm(VersionedFormMixin, PseudonymOnlyMixin, Form):
    subject_and_family = textarea(
        "Subject and family",
        help_text="Who the review is about, by pseudonym only: no real names.",
    )
    period_start = GovukDateField(
        label="Start of the period under review", required=False, help_text="For example, 1 9 2024"
    )
    period_end = GovukDateField(
        label="End of the period under review", required=False, help_text="For example, 2 3 2026"
    )
    methodology = textarea(
        "Methodology",
        help_text="For example, a systems approach with practitioner conversations.",
        rows=5,
    )
    agencies = forms.ModelMultipleChoiceField(
        label="Agencies in scope",
        queryset=Agency.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply. Each agency in scope is asked for a chronology.",
    )
    practitioner_involvement = textarea("Practitioner involvement")
    family_involvement = textarea("Family involvement")
    timescales = textarea("Timescales")
    publication_plan = textarea("Publication plan")
    equality_considerations = textarea(
        "Equality considerations",
        help_text="For example the child's ethnicity, religion, disability, language or culture.",
    )

    def __init__(self, *args, terms: TermsOfReference, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                **{f: getattr(terms, f) for f in (*TEXT_SECTIONS, "period_start", "period_end")},
                "agencies": list(terms.agencies.values_list("pk", flat=True)),
                "version": version_of(terms),
            },
        )
        super().__init__(*args, **kwargs)
        # An agency made inactive since it was chosen stays listed, so saving keeps it.
        self.fields["agencies"].queryset = Agency.objects.filter(
            Q(is_active=True) | Q(pk__in=terms.agencies.values("pk"))
        ).order_by("name")


class KloesForm(PseudonymOnlyMixin, Form):
    """One box per key line of enquiry, and a few empty ones to add more. An empty box removes
    that line; the lines after it move up one number."""

    def __init__(self, *args, texts=(), **kwargs):
        super().__init__(*args, **kwargs)
        count = len(texts) + NEW_KLOE_BOXES
        if self.data:
            posted = [k for k in self.data if k.startswith("kloe_") and k[5:].isdigit()]
            # A posted form may have had more boxes than this one (lines added meanwhile).
            if posted:
                count = max(count, min(max(int(k[5:]) for k in posted), MAX_KLOES))
        for number in range(1, count + 1):
            self.fields[f"kloe_{number}"] = textarea(f"Key line of enquiry {number}", rows=3)
            if number <= len(texts):
                self.fields[f"kloe_{number}"].initial = texts[number - 1]

    def texts(self) -> list[str]:
        return [self.cleaned_data[name] for name in self.fields]


class CommentForm(Form):
    section = forms.ChoiceField(
        label="Which section is your comment about?",
        choices=[("", "The whole document"), *((s, s) for s in SECTIONS)],
        required=False,
    )
    text = textarea("Your comment", required=True, rows=6)


class NewVersionForm(Form):
    reason = textarea(
        "Why do the Terms of Reference need to change?",
        required=True,
        help_text="The reason is kept with the new version, for example new findings from the "
        "coroner or a change to the agencies in scope.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].error_messages["required"] = (
            "Enter why the Terms of Reference need to change"
        )


class ConfirmForm(Form):
    """No fields: carries a refusal's message to the error summary of a confirmation page."""
