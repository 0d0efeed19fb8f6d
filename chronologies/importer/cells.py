"""Cell parsers: each takes a cell's raw value (text, number, date...) as a spreadsheet or a
CSV file gives it, and returns the entry field's value or raises CellError in the user's words."""

import datetime
import re

from chronologies.importer.columns import COLUMNS
from chronologies.models import DateCertainty, Entry, YesNoUnknown
from reviews.learning.themes import theme_names

_MONTHS = {}
for _number in range(1, 13):
    _name = datetime.date(2000, _number, 1).strftime("%B").lower()
    _MONTHS[_name] = _number
    _MONTHS[_name[:3]] = _number
_MONTHS["sept"] = 9

_DMY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})")
_YMD = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_D_MONTH_Y = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{4})")
_MONTH_Y = re.compile(r"([a-z]+)\.?,?\s+(\d{4})")
_TIME = re.compile(r"(\d{1,2})(?:[:.](\d{2}))?(?::(\d{2}))?\s*([ap]\.?m\.?)?")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_YES_NO = {
    "yes": YesNoUnknown.YES,
    "y": YesNoUnknown.YES,
    "no": YesNoUnknown.NO,
    "n": YesNoUnknown.NO,
    "not known": YesNoUnknown.UNKNOWN,
    "unknown": YesNoUnknown.UNKNOWN,
    "nk": YesNoUnknown.UNKNOWN,
    "n/k": YesNoUnknown.UNKNOWN,
}
_CERTAINTY = {
    "exact": DateCertainty.EXACT,
    "month only": DateCertainty.MONTH,
    "month": DateCertainty.MONTH,
    "approximate": DateCertainty.APPROXIMATE,
    "approx": DateCertainty.APPROXIMATE,
}
_MAX_LENGTHS = {
    f.name: f.max_length
    for f in Entry._meta.get_fields()
    if getattr(f, "max_length", None) and f.name not in ("date_certainty", "child_seen")
}
_MAX_LENGTHS.pop("seen_alone", None)


class CellError(ValueError):
    """A cell's value is not acceptable; the message says why, in the user's words."""


def shown(value) -> str:
    return str(value).strip()


def parse_date(value) -> tuple[datetime.date, str | None]:
    """A date as people type it in the UK; returns (date, certainty forced by the format)."""
    if isinstance(value, datetime.datetime):
        return value.date(), None
    if isinstance(value, datetime.date):
        return value, None
    if isinstance(value, int | float):  # bool included: a tick box is not a date either
        raise CellError(
            f"'{_excel_number(value)}' is a number, not a date (a date saved from Excel as a "
            "number); format the column as a date, for example 03/04/2021"
        )
    text = shown(value)
    lowered = text.lower()
    if re.fullmatch(r"\d{4,6}(\.\d+)?", text):
        raise CellError(
            f"'{text}' is a number, not a date (a date saved from Excel as a number); format "
            "the column as a date, for example 03/04/2021"
        )
    certainty = None
    if m := _DMY.fullmatch(lowered):
        day, month, year = int(m[1]), int(m[2]), m[3]
        year = (
            int(year)
            if len(year) == 4
            else 2000 + int(year)
            if int(year) < 70
            else 1900 + int(year)
        )
    elif m := _YMD.fullmatch(lowered):
        year, month, day = int(m[1]), int(m[2]), int(m[3])
    elif (m := _D_MONTH_Y.fullmatch(lowered)) and m[2] in _MONTHS:
        day, month, year = int(m[1]), _MONTHS[m[2]], int(m[3])
    elif (m := _MONTH_Y.fullmatch(lowered)) and m[1] in _MONTHS:
        day, month, year, certainty = 1, _MONTHS[m[1]], int(m[2]), DateCertainty.MONTH
    else:
        raise CellError(
            f"'{text}' is not a date in a format we accept; use a date such as 03/04/2021 or "
            "3 April 2021"
        )
    try:
        return datetime.date(year, month, day), certainty
    except ValueError:
        raise CellError(f"'{text}' is not a real date") from None


def parse_time(value) -> datetime.time:
    if isinstance(value, datetime.datetime):
        return value.time()
    if isinstance(value, datetime.time):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise CellError(f"'{_excel_number(value)}' is a number, not a time; use 14:30 or 2:30pm")
    text = shown(value)
    m = _TIME.fullmatch(text.lower())
    if not m or (m[2] is None and not m[4]):
        raise CellError(f"'{text}' is not a time in a format we accept; use 14:30 or 2:30pm")
    hour, minute, second = int(m[1]), int(m[2] or 0), int(m[3] or 0)
    if m[4]:
        if not 1 <= hour <= 12:
            raise CellError(f"'{text}' is not a real time")
        hour = hour % 12 + (12 if m[4].startswith("p") else 0)
    try:
        return datetime.time(hour, minute, second)
    except ValueError:
        raise CellError(f"'{text}' is not a real time") from None


def _choice(table: dict, allowed: str):
    def parse(value):
        if isinstance(value, bool) and table is _YES_NO:
            return YesNoUnknown.YES if value else YesNoUnknown.NO
        text = shown(value)
        try:
            return table[re.sub(r"\s+", " ", text.lower())].value
        except KeyError:
            raise CellError(f"'{text}' is not one of {allowed}") from None

    return parse


def _excel_number(value) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def _text(field_name: str):
    limit = _MAX_LENGTHS.get(field_name)

    def parse(value) -> str:
        if isinstance(value, datetime.datetime | datetime.date):
            text = value.strftime("%d/%m/%Y")
        elif isinstance(value, int | float) and not isinstance(value, bool):
            text = _excel_number(value)
        else:
            text = str(value)
        text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).strip()
        if limit and len(text) > limit:
            raise CellError(f"must be {limit:,} characters or fewer (it has {len(text):,})")
        return text

    return parse


def _kloes(kloe_numbers: set[int]):
    known = ", ".join(str(n) for n in sorted(kloe_numbers)) or "none"

    def parse(value) -> list[int]:
        if isinstance(value, int | float) and not isinstance(value, bool):
            parts = [_excel_number(value)]
        else:
            parts = [p for p in re.split(r"[,;\s]+", shown(value)) if p]
        numbers = []
        for part in parts:
            if not part.isdigit():
                raise CellError(f"'{part}' is not a number; give numbers such as \"1, 3\"")
            number = int(part)
            if number not in kloe_numbers:
                raise CellError(
                    f"'{part}' is not one of this review's key lines of enquiry ({known})"
                )
            if number not in numbers:
                numbers.append(number)
        return numbers

    return parse


def _themes_parser(known: list[str]):
    """Parse a cell of themes against the partnership's themes in use."""
    by_name = {theme.lower(): theme for theme in known}

    def parse(value) -> list[str]:
        return _themes(value, by_name)

    return parse


def _themes(value, by_name: dict[str, str]) -> list[str]:
    themes = []
    for part in str(value).split(";"):
        part = re.sub(r"\s+", " ", part.strip().replace("\u2019", "'"))
        if not part:
            continue
        try:
            theme = by_name[part.lower()]
        except KeyError:
            raise CellError(
                f"'{part}' is not a learning theme; use the names listed on the template's "
                "Guidance sheet"
            ) from None
        if theme not in themes:
            themes.append(theme)
    return themes


def parsers(kloe_numbers: set[int]) -> dict:
    parsers = {c.field: _text(c.field) for c in COLUMNS}
    parsers.update(
        date=parse_date,
        time=parse_time,
        date_certainty=_choice(_CERTAINTY, "Exact, Month only or Approximate"),
        child_seen=_choice(_YES_NO, "Yes, No or Not known"),
        seen_alone=_choice(_YES_NO, "Yes, No or Not known"),
        kloe_numbers=_kloes(kloe_numbers),
        themes=_themes_parser(theme_names()),
    )
    return parsers


def is_formula(value) -> bool:
    if isinstance(value, str):
        return value.startswith("=")
    # openpyxl gives array and data-table formulas as objects of its own.
    return type(value).__name__ in ("ArrayFormula", "DataTableFormula")


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# --- Reading the file.


def shown_date(raw) -> str:
    if isinstance(raw, datetime.date):
        return raw.strftime("%d/%m/%Y")
    return shown(raw)
