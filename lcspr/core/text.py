"""Wording helpers shared by services, e-mails and documents."""

import datetime
import re

from django.utils import timezone


def long_date(value: datetime.date) -> str:
    """A date as GOV.UK style writes it: "6 March 2026" (no leading zero); a moment in time
    is shown as its local date."""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value)
    return f"{value.day} {value:%B %Y}"


# A spreadsheet evaluates a cell that starts with one of these (CSV/formula injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value) -> str:
    """Text no spreadsheet will evaluate: a leading = + - @ (or tab, return) gets a quote."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


# Names that keep their capitals inside a sentence (acronyms such as LCSPR, DfE or ToR keep
# theirs anyway: only a word written Like-this is lower-cased).
PROPER_NAMES = (
    "National Panel",
    "Independent Chair",
    "Terms of Reference",
    "Executive Partnership",
    "Executive Summary",
    "Overview Report",
    "Ofsted",
    "England",
    "Wales",
)
_PROPER = re.compile("|".join(rf"\b{re.escape(name)}\b" for name in PROPER_NAMES))
_WORD = re.compile(r"[^\W\d_]+")


def in_sentence(label) -> str:
    """A label as it reads inside a sentence: "Carry out an LCSPR" becomes "carry out an
    LCSPR", "Tell the DfE" becomes "tell the DfE"; acronyms, mixed-case words (DfE, ToR) and
    PROPER_NAMES keep their capitals."""
    text = "" if label is None else str(label)
    kept = [(m.start(), m.end()) for m in _PROPER.finditer(text)]

    def lower(match: re.Match) -> str:
        word = match.group()
        if any(start <= match.start() < end for start, end in kept):
            return word
        return word.lower() if word == word.capitalize() else word

    return _WORD.sub(lower, text)
