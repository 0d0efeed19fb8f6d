"""Wording helpers shared by services, e-mails and documents."""

import datetime

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
