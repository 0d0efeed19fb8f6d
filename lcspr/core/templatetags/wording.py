"""Wording filters every template may use (a builtin library): `in_sentence` lower-cases a
label to sit inside a sentence, keeping acronyms and proper names ("carry out an LCSPR")."""

from django import template

from lcspr.core import text

register = template.Library()


@register.filter
def in_sentence(label) -> str:
    """A label lower-cased to sit inside a sentence, keeping acronyms and proper names."""
    return text.in_sentence(label)
