"""Wording helpers shared by services, e-mails and documents."""

import datetime


def long_date(value: datetime.date) -> str:
    """A date as GOV.UK style writes it: "6 March 2026" (no leading zero)."""
    return f"{value.day} {value:%B %Y}"
