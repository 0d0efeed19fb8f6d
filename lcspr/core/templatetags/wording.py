"""Wording filters every template may use (a builtin library): `in_sentence` lower-cases a
label to sit inside a sentence, keeping acronyms and proper names ("carry out an LCSPR");
`long_date` writes a date as GOV.UK style does ("6 March 2026")."""

from django import template

from lcspr.core import text

register = template.Library()


@register.filter
def in_sentence(label) -> str:
    """A label lower-cased to sit inside a sentence, keeping acronyms and proper names."""
    return text.in_sentence(label)


@register.filter
def long_date(value) -> str:
    """A date as `date:"j F Y"` writes it, "6 March 2026" ("" for none), about twenty times
    faster: for long tables (docs/performance.md)."""
    return text.long_date(value) if value else ""
