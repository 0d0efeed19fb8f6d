"""Whether two people recorded on different reviews may be the same person: names compared
allowing for spelling (difflib's ratio and a phonetic key), dates of birth allowing for day and
month swapped or two adjacent digits transposed, addresses by postcode and house number. Pure
functions, no database: the selectors fetch candidates by the cheap keys computed here and
score them with `compare`."""

import dataclasses
import datetime
import difflib
import re
import unicodedata

from lcspr.core.text import long_date

# How alike two names must be (difflib's ratio: Jayden/Jaydon 0.83, Smith/Smyth 0.8).
SIMILAR = 0.8
POSTCODE = re.compile(r"\b([A-Z]{1,2}[0-9][A-Z0-9]?)\s*([0-9][A-Z]{2})\b")
HOUSE_NUMBER = re.compile(r"\b(\d+[A-Z]?)\b")
_SOUNDEX = str.maketrans("BFPVCGJKQSXZDTLMNR", "111122222222334556")


def normalise(text: str) -> str:
    """Lower case, accents and punctuation dropped, spaces collapsed (a hyphen is a space)."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return " ".join(re.sub(r"[^a-z0-9' ]+", " ", text.replace("-", " ")).replace("'", "").split())


def name_parts(name: str) -> tuple[str, str]:
    """(first name, surname) of a full name as typed."""
    words = normalise(name).split()
    if not words:
        return "", ""
    return words[0], words[-1] if len(words) > 1 else ""


def soundex(word: str) -> str:
    """The American Soundex code of `word` (Smith and Smyth are both S530)."""
    letters = [c for c in word.upper() if "A" <= c <= "Z"]
    if not letters:
        return ""
    codes = [c.translate(_SOUNDEX) if c not in "AEIOUYHW" else c for c in letters]
    result, previous = letters[0], codes[0]
    for letter, code in zip(letters[1:], codes[1:], strict=True):
        if code.isdigit() and code != previous:
            result += code
        if letter not in "HW":
            previous = code
    return (result + "000")[:4]


def surname_key(name: str) -> str:
    """The key candidates are fetched by: the Soundex code of the surname (of the only name,
    when one word was typed)."""
    first, last = name_parts(name)
    return soundex(last or first)


def postcode_key(address: str) -> str:
    """The postcode in an address, without spaces ("" when none is written)."""
    found = POSTCODE.search((address or "").upper())
    return "".join(found.groups()) if found else ""


def date_variants(born: datetime.date | None) -> set[datetime.date]:
    """`born` and the dates a slip of the keyboard makes of it: day and month swapped, two
    adjacent digits of DDMMYYYY transposed (only those that are real dates)."""
    if born is None:
        return set()
    digits = f"{born:%d%m%Y}"
    typed = [f"{born:%m%d%Y}"] + [
        digits[:i] + digits[i + 1] + digits[i] + digits[i + 2 :] for i in range(len(digits) - 1)
    ]
    return {born} | {
        date for date in map(_real_date, typed) if date is not None and 1900 <= date.year <= 2100
    }


def _real_date(digits: str) -> datetime.date | None:
    """The date DDMMYYYY says, or None when it is not a real date."""
    try:
        return datetime.datetime.strptime(digits, "%d%m%Y").date()  # noqa: DTZ007 - a date
    except ValueError:
        return None


@dataclasses.dataclass(frozen=True)
class Person:
    """What matching reads of a child or an adult recorded on a review."""

    name: str
    date_of_birth: datetime.date | None = None
    address: str = ""


@dataclasses.dataclass(frozen=True)
class Reason:
    """One way two people agree: the words everyone allowed to see the match reads, and the
    detail (the names or dates compared) only those allowed to see identities read."""

    words: str
    detail: str = ""


def _similar(a: str, b: str) -> bool:
    return bool(a and b) and (
        a == b or difflib.SequenceMatcher(None, a, b).ratio() >= SIMILAR or _one_swap(a, b)
    )


def _one_swap(a: str, b: str) -> bool:
    """Two adjacent letters transposed (Jnoes/Jones)."""
    if len(a) != len(b) or len(a) < 3:
        return False
    differ = [i for i in range(len(a)) if a[i] != b[i]]
    return len(differ) == 2 and differ[1] == differ[0] + 1 and a[differ[0]] == b[differ[1]]


def _name_reason(label: str, a: str, b: str, shown_a: str, shown_b: str) -> Reason | None:
    if not (a and b):
        return None
    if a == b:
        return Reason(f"same {label}")
    if _similar(a, b) or (len(a) > 3 and soundex(a) == soundex(b) and a[:2] == b[:2]):
        return Reason(f"similar {label}", f"{shown_a}/{shown_b}")
    return None


def _shown_parts(name: str) -> tuple[str, str]:
    words = " ".join(name.split()).split(" ")
    return words[0], words[-1] if len(words) > 1 else ""


def _date_reason(a: datetime.date | None, b: datetime.date | None) -> Reason | None:
    if a is None or b is None:
        return None
    if a == b:
        return Reason("same date of birth")
    detail = f"{long_date(a)}/{long_date(b)}"
    if (a.day, a.month) == (b.month, b.day) and a.year == b.year:
        return Reason("date of birth with the day and month swapped", detail)
    if b in date_variants(a):
        return Reason("date of birth with two digits transposed", detail)
    return None


def _address_reason(a: str, b: str) -> Reason | None:
    if not (a.strip() and b.strip()):
        return None
    code_a, code_b = postcode_key(a), postcode_key(b)
    number_a = HOUSE_NUMBER.findall(POSTCODE.sub("", a.upper()))[:1]
    number_b = HOUSE_NUMBER.findall(POSTCODE.sub("", b.upper()))[:1]
    if number_a != number_b:
        return None  # next door is another household
    if code_a and code_b:
        return Reason("same address") if code_a == code_b else None
    text_a, text_b = normalise(a), normalise(b)
    if text_a == text_b or difflib.SequenceMatcher(None, text_a, text_b).ratio() >= 0.9:
        return Reason("same address")
    return None


def compare(a: Person, b: Person) -> list[Reason]:
    """How `a` and `b` agree, when that is enough to think them the same person or family:
    at least two of first name, surname, date of birth and address, one of them the date of
    birth or the address (a name alone, even a full one, is too common). [] otherwise."""
    first_a, last_a = name_parts(a.name)
    first_b, last_b = name_parts(b.name)
    shown_first_a, shown_last_a = _shown_parts(a.name)
    shown_first_b, shown_last_b = _shown_parts(b.name)
    first = _name_reason("first name", first_a, first_b, shown_first_a, shown_first_b)
    last = _name_reason("surname", last_a, last_b, shown_last_a, shown_last_b)
    born = _date_reason(a.date_of_birth, b.date_of_birth)
    address = _address_reason(a.address, b.address)
    reasons = [r for r in (born, last, first, address) if r is not None]
    if len(reasons) < 2 or not (born or address):
        return []
    if first and last and not (first.detail or last.detail):
        return [Reason("same name"), *(r for r in reasons if r not in (first, last))]
    return reasons


def in_words(reasons: list[Reason], *, details: bool) -> str:
    """The reasons as one phrase: "same date of birth and surname", "similar first name
    (Jayden/Jaydon), same address"; the details only when `details`."""
    phrases = []
    for reason in reasons:
        phrase = reason.words
        if details and reason.detail:
            phrase += f" ({reason.detail})"
        phrases.append(phrase)
    same = [p for p in phrases if p.startswith("same ") and "(" not in p]
    if len(same) > 1:
        joined = "same " + _and([p.removeprefix("same ") for p in same])
        phrases = [joined] + [p for p in phrases if p not in same]
    return phrases[0][0].upper() + ", ".join(phrases)[1:]


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
