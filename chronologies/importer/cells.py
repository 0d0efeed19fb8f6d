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
# Excel's own d-mmm-yy and d-mmm-yyyy: 3-Apr-25, 03-Apr-2025.
_D_MON_Y = re.compile(r"(\d{1,2})-([a-z]+)-(\d{4}|\d{2})")
# A weekday before the date: "Thu 03/04/2025", "Thursday, 3 April 2025".
_WEEKDAY = re.compile(r"([a-z]+)\.?,? (.+)")
_DAY_NAMES = [datetime.date(2024, 1, d).strftime("%A") for d in range(1, 8)]  # Monday first
_WEEKDAYS = {}
for _number, _day in enumerate(_DAY_NAMES):
    for _length in (3, 4, 5, len(_day)):
        _WEEKDAYS[_day.lower()[:_length]] = _number
# A date and a time in one cell: "03/04/2025 14:30", "2025-04-03T14:30:00", "3 April 2025 2pm".
_DATE_AND_TIME = re.compile(
    r"(.+?)[ t](\d{1,2}[:.]\d{2}(?::\d{2})? ?(?:[ap]\.?m\.?)?|\d{1,2} ?[ap]\.?m\.?)"
)
# A 24-hour time without a colon, as case systems write it: 1430, 0905.
_HHMM = re.compile(r"(\d{1,2})(\d{2})")
_TIME = re.compile(r"(\d{1,2})(?:[:.](\d{2}))?(?::(\d{2}))?\s*([ap]\.?m\.?)?")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_SPACES = re.compile(r"\s+")
_KLOE_SEPARATORS = re.compile(r"[,;\s]+")
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
    date, certainty, _time = parse_date_time(value)
    return date, certainty


def parse_date_time(value) -> tuple[datetime.date, str | None, datetime.time | None]:
    """A date as people type it in the UK, or as Excel and case systems write it (3-Apr-25,
    "Thu 03/04/2025", "03/04/2025 14:30"); returns (date, certainty forced by the format, the
    time given with it or None). A time of exactly midnight with a date is how a date without
    a time is written (an Excel date cell is a date and time at 00:00), so it gives no time."""
    if isinstance(value, datetime.datetime):
        return value.date(), None, _not_midnight(value.time())
    if isinstance(value, datetime.date):
        return value, None, None
    if isinstance(value, int | float):  # bool included: a tick box is not a date either
        raise CellError(
            f"'{_excel_number(value)}' is a number, not a date (a date saved from Excel as a "
            "number); format the column as a date, for example 03/04/2021"
        )
    text = shown(value)
    lowered = re.sub(r"\s+", " ", text.lower())
    if re.fullmatch(r"\d{4,6}(\.\d+)?", text):
        raise CellError(
            f"'{text}' is a number, not a date (a date saved from Excel as a number); format "
            "the column as a date, for example 03/04/2021"
        )
    time = None
    if m := _DATE_AND_TIME.fullmatch(lowered):
        lowered, time = m[1], _not_midnight(parse_time(m[2]))
    weekday = None
    if (m := _WEEKDAY.fullmatch(lowered)) and m[1] in _WEEKDAYS:
        lowered, weekday = m[2], _WEEKDAYS[m[1]]
    date, certainty = _date(lowered, text)
    if weekday is not None and (certainty or date.weekday() != weekday):
        if certainty:
            raise CellError(f"'{text}' gives a weekday but not the day of the month")
        raise CellError(
            f"'{text}' does not add up: {date.day} {date:%B %Y} was a {date:%A}, not a "
            f"{_DAY_NAMES[weekday]} (dates are read day first, as in the UK)"
        )
    return date, certainty, time


def _date(lowered: str, text: str) -> tuple[datetime.date, str | None]:
    certainty = None
    if m := _DMY.fullmatch(lowered):
        day, month, year = int(m[1]), int(m[2]), _year(m[3])
    elif m := _YMD.fullmatch(lowered):
        year, month, day = int(m[1]), int(m[2]), int(m[3])
    elif (m := _D_MON_Y.fullmatch(lowered)) and m[2] in _MONTHS:
        day, month, year = int(m[1]), _MONTHS[m[2]], _year(m[3])
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


def _year(digits: str) -> int:
    """A year of four digits, or of two as Excel reads them (00-69 this century)."""
    year = int(digits)
    if len(digits) == 4:
        return year
    return 2000 + year if year < 70 else 1900 + year


def _not_midnight(time: datetime.time) -> datetime.time | None:
    return None if time == datetime.time(0) else time


def parse_time(value) -> datetime.time:
    if isinstance(value, datetime.datetime):
        return value.time()
    if isinstance(value, datetime.time):
        return value
    if isinstance(value, int) and not isinstance(value, bool) and 100 <= value <= 2359:
        # 1430 or 0905 typed into an Excel cell formatted as a number (which drops the 0).
        value = f"{value:04d}"
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise CellError(
            f"'{_excel_number(value)}' is a number, not a time; use 14:30, 1430 or 2:30pm"
        )
    text = shown(value)
    if m := _HHMM.fullmatch(text):
        hour, minute, second, period = int(m[1]), int(m[2]), 0, None
    elif (m := _TIME.fullmatch(text.lower())) and (m[2] is not None or m[4]):
        hour, minute, second, period = int(m[1]), int(m[2] or 0), int(m[3] or 0), m[4]
    else:
        raise CellError(f"'{text}' is not a time in a format we accept; use 14:30, 1430 or 2:30pm")
    if period:
        if not 1 <= hour <= 12:
            raise CellError(f"'{text}' is not a real time")
        hour = hour % 12 + (12 if period.startswith("p") else 0)
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
            return table[_SPACES.sub(" ", text.lower())].value
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
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        text = _CONTROL.sub("", text).strip()
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
            parts = [p for p in _KLOE_SEPARATORS.split(shown(value)) if p]
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
        part = _SPACES.sub(" ", part.strip().replace("\u2019", "'"))
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
    if isinstance(raw, datetime.datetime) and raw.time() != datetime.time(0):
        return raw.strftime("%d/%m/%Y %H:%M")
    if isinstance(raw, datetime.date):
        return raw.strftime("%d/%m/%Y")
    return shown(raw)


def shown_time(raw) -> str:
    if isinstance(raw, datetime.datetime | datetime.time):
        return raw.strftime("%H:%M")
    return shown(raw)
