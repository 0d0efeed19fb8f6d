"""Wording helpers shared by services, e-mails and documents."""

import datetime


def long_date(value: datetime.date) -> str:
    """A date as GOV.UK style writes it: "6 March 2026" (no leading zero)."""
    return f"{value.day} {value:%B %Y}"


# A spreadsheet evaluates a cell that starts with one of these (CSV/formula injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value) -> str:
    """Text no spreadsheet will evaluate: a leading = + - @ (or tab, return) gets a quote."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
