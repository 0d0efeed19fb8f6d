"""The template's columns: headings, the entry fields they fill, guidance, and defaults."""

import re
from typing import NamedTuple

from chronologies.models import DateCertainty, YesNoUnknown

DATA_SHEET = "Chronology"


class Column(NamedTuple):
    heading: str
    field: str
    required: bool
    guidance: str
    width: int = 20


COLUMNS = (
    Column("Date", "date", True, "The date of the event, for example 03/04/2021.", 14),
    Column("Time", "time", False, "The time, if known: 14:30, 1430 or 2:30pm.", 10),
    Column(
        "Date certainty",
        "date_certainty",
        False,
        "Exact, Month only or Approximate. Leave blank for Exact. A date given as a month "
        "(April 2021) is always Month only.",
        16,
    ),
    Column(
        "Source record reference",
        "source_reference",
        False,
        "Where the event is recorded in your agency's system (a case note or record number).",
        22,
    ),
    Column(
        "Practitioner role",
        "practitioner_role",
        False,
        "The role of the practitioner involved, not their name (for example: Health visitor).",
        22,
    ),
    Column(
        "Event or contact type",
        "event_type",
        False,
        "For example: home visit, phone call, referral, strategy meeting.",
        22,
    ),
    Column("Child seen", "child_seen", False, "Yes, No or Not known.", 12),
    Column("Child seen alone", "seen_alone", False, "Yes, No or Not known.", 14),
    Column("Description", "description", True, "What happened, factually.", 50),
    Column(
        "Child's voice / lived experience",
        "child_voice",
        False,
        "What the child said, did or showed, and what life was like for them.",
        40,
    ),
    Column(
        "Action or decision taken",
        "action_taken",
        False,
        "What your agency did or decided as a result.",
        35,
    ),
    Column("Outcome", "outcome", False, "What came of it.", 30),
    Column(
        "Agency analysis of significance",
        "significance",
        False,
        "Your agency's view of why this event matters to the review.",
        40,
    ),
    Column(
        "Key lines of enquiry",
        "kloe_numbers",
        False,
        'The numbers of the key lines of enquiry the event relates to, for example "1, 3".',
        14,
    ),
    Column(
        "Learning themes",
        "themes",
        False,
        'Learning themes separated by ";", using the names on this sheet.',
        30,
    ),
)

DATE_FORMATS_HELP = (
    "03/04/2021, 3/4/21, 3 April 2021, 3 Apr 2021, 3-Apr-21, 2021-04-03, a date cell in Excel, "
    "or a month alone (April 2021), which is recorded as the 1st of the month with the "
    "certainty Month only. A weekday before the date (Sat 03/04/2021) is checked against it. "
    "A date and time in one cell (03/04/2021 14:30) gives the time too: leave the Time column "
    "blank or give the same time."
)
TIME_FORMATS_HELP = "14:30, 1430, 2:30pm, 2pm, or a time cell in Excel."


def heading_key(text) -> str:
    """A heading as compared: case, spacing, curly apostrophes and a required-mark ignored."""
    text = str(text or "").strip().lower().replace("\u2019", "'").rstrip("*").strip()
    return re.sub(r"\s+", " ", text)


BY_HEADING = {heading_key(column.heading): column for column in COLUMNS}

# The value of each field when its cell is blank.
DEFAULTS = {
    **{c.field: "" for c in COLUMNS},
    "time": None,
    "date_certainty": DateCertainty.EXACT.value,
    "child_seen": YesNoUnknown.UNKNOWN.value,
    "seen_alone": YesNoUnknown.UNKNOWN.value,
    "kloe_numbers": [],
    "themes": [],
}

# Agencies put a title (often merged cells) above the headings: they are looked for in these
# first rows, and the rows above them are not read.
HEADING_ROWS = 10
REQUIRED = tuple(c for c in COLUMNS if c.required)


def recognised(row) -> set[Column]:
    """The template columns whose headings are in `row`."""
    return {BY_HEADING[key] for key in map(heading_key, row or ()) if key in BY_HEADING}


def heading_row(rows) -> int | None:
    """The index in `rows` (the first rows of a sheet or file) of the first row holding every
    required heading, or None."""
    for index, row in enumerate(rows):
        if set(REQUIRED) <= recognised(row):
            return index
    return None
