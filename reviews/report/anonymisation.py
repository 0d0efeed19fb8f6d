"""The anonymisation check: the restricted list of real names, the scan of a report version, and
the Independent Chair's override."""

import bisect
import re
import unicodedata
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from lcspr.core.documents import DocumentError, extract_text
from lcspr.core.exceptions import WorkflowError
from lcspr.core.services import (
    delete_with_history,
    lock_row,
    save_with_history,
    timeline_event,
)
from lcspr.core.text import in_sentence, long_date
from reviews.models import Review
from reviews.referral import matching
from reviews.report import services as reports
from reviews.report.models import (
    AnonymisationCheck,
    CheckPurpose,
    NameCategory,
    ReportVersion,
    RestrictedName,
)

MIN_TERM_LENGTH = 2

EMPTY_LIST = (
    "The restricted list is empty, so the check would have nothing to look for: add the real "
    "names and identifying details (names, dates of birth, addresses) to the restricted list, "
    "then run the check."
)


CONTEXT_CHARS = 300


_APOSTROPHES = "'\u2019\u2018"


_HYPHENS = "-\u2010\u2011"


# Not a letter or digit on either side: "Ann" is not found in "Annual" or "Joanne".
_BEFORE = r"(?<![^\W_])"


_AFTER = r"(?![^\W_])"


# Possessives stay part of the match so the whole word is highlighted: Ann's, Ann’s, Smiths'.
_POSSESSIVE = rf"(?:[{_APOSTROPHES}]s|s[{_APOSTROPHES}])?"


# A full stop after these does not end a sentence ("Mr. Smith said...").
_ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "st", "prof", "no", "eg", "ie", "etc", "rev", "cllr"}


_SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)\]]*\s+")


def _normal(text: str) -> str:
    """One spelling for accented letters typed either way (é as one character or e + accent)."""
    return unicodedata.normalize("NFC", text)


def term_pattern(term: str) -> re.Pattern:
    """The regular expression for one restricted term: case-insensitive, whole words, any
    whitespace between its words, any apostrophe or hyphen character where it has one."""
    parts = []
    for char in _normal(term.strip()):
        if char in _APOSTROPHES:
            parts.append(f"[{_APOSTROPHES}]")
        elif char in _HYPHENS:
            parts.append(f"[{_HYPHENS}]")
        elif char.isspace():
            if parts and parts[-1] != r"\s+":
                parts.append(r"\s+")
        else:
            parts.append(re.escape(char))
    return re.compile(_BEFORE + "".join(parts) + _POSSESSIVE + _AFTER, re.IGNORECASE)


def _sentence_breaks(text: str) -> list[tuple[int, int]]:
    """The (start, end) of each gap between two sentences of `text`."""
    breaks = []
    for boundary in _SENTENCE_END.finditer(text):
        word = re.search(r"(\w+)\W*$", text[max(0, boundary.start() - 20) : boundary.start() + 1])
        if word and (len(word.group(1)) == 1 or word.group(1).lower() in _ABBREVIATIONS):
            continue  # an initial or an abbreviation, not the end of a sentence
        breaks.append((boundary.start() + 1, boundary.end()))
    return breaks


def _sentence_bounds(breaks: list[tuple[int, int]], length: int, start: int, end: int):
    """The start and end of the sentence around text[start:end]."""
    before = bisect.bisect_right(breaks, start, key=lambda b: b[1]) - 1
    after = bisect.bisect_left(breaks, end, key=lambda b: b[0] - 1)
    left = breaks[before][1] if before >= 0 else 0
    right = breaks[after][0] if after < len(breaks) else length
    return left, right


def _context(text: str, breaks, start: int, end: int) -> tuple[str, int]:
    """The sentence around a match, cut to about CONTEXT_CHARS around it at word boundaries,
    whitespace squashed; and the offset of the match inside it (for highlighting)."""
    left, right = _sentence_bounds(breaks, len(text), start, end)
    room = max((CONTEXT_CHARS - (end - start)) // 2, 30)
    cut_left, cut_right = start - left > room, right - end > room
    if cut_left:
        space = text.find(" ", start - room, start)
        left = space + 1 if space != -1 else start - room
    if cut_right:
        space = text.rfind(" ", end, end + room)
        right = space if space != -1 else end + room

    def squash(part: str) -> str:
        return re.sub(r"\s+", " ", part)

    before = ("… " if cut_left else "") + squash(text[left:start]).lstrip()
    after = squash(text[end:right]).rstrip() + (" …" if cut_right else "")
    return before + squash(text[start:end]) + after, len(before)


def _terms(names) -> list[tuple[str, str]]:
    """(term, category) pairs from RestrictedName objects or pairs."""
    pairs = []
    for name in names:
        term, category = (name.term, name.category) if hasattr(name, "term") else name
        if term and term.strip():
            pairs.append((term.strip(), category))
    return pairs


def find_occurrences(segments: Iterable[tuple[str, str]], names) -> list[dict]:
    """Every occurrence of each restricted term in the (location, text) segments, in document
    order: {term, category, match, context, offset, location}; `offset` is where the match
    starts inside `context`."""
    patterns = [(term, category, term_pattern(term)) for term, category in _terms(names)]
    findings = []
    for location, raw in segments:
        text = _normal(raw)
        breaks = _sentence_breaks(text) if any(p.search(text) for _, _, p in patterns) else []
        hits = []
        for term, category, pattern in patterns:
            for found in pattern.finditer(text):
                context, offset = _context(text, breaks, found.start(), found.end())
                hits.append(
                    (
                        found.start(),
                        {
                            "term": term,
                            "category": category,
                            "match": re.sub(r"\s+", " ", found.group()),
                            "context": context,
                            "offset": offset,
                            "location": location,
                        },
                    )
                )
        findings.extend(hit for _, hit in sorted(hits, key=lambda h: h[0]))
    return findings


def read_version(version: ReportVersion) -> bytes:
    """The stored bytes of a version, refused if they are not the file that was uploaded."""
    try:
        with reports.open_checked(version) as file:
            return file.read()
    except reports.FileTampered as e:
        raise WorkflowError(f"{e} Ask the partnership manager to investigate.") from None


def scan_version(version: ReportVersion, names=None) -> list[dict]:
    """The findings for one version against `names` (by default its review's list)."""
    if names is None:
        names = list(version.review.restricted_names.all())
    try:
        segments = extract_text(read_version(version), version.file_name)
    except DocumentError as e:
        raise WorkflowError(f"{version}: {e}") from None
    return find_occurrences(segments, names)


def checks_of(versions) -> None:
    """Load every check of `versions` in one query, newest first, onto each version
    (`loaded_checks`): latest_checks then answers from them (the task list, for many reviews)."""
    versions = list(versions)
    by_version = {v.pk: v for v in versions}
    for version in versions:
        version.loaded_checks = []
    checks = AnonymisationCheck.objects.filter(version_id__in=list(by_version)).select_related(
        "run_by", "overridden_by", "version"
    )
    for check in checks.order_by("-run_at", "-pk"):
        by_version[check.version_id].loaded_checks.append(check)


def latest_checks(versions, purpose: str | None = None) -> dict[int, AnonymisationCheck]:
    """The latest check of each version (of `purpose`, if given), keyed by version pk, in one
    query (none when `checks_of` loaded them)."""
    versions = list(versions)
    if versions and all(hasattr(v, "loaded_checks") for v in versions):
        loaded: dict[int, AnonymisationCheck] = {}
        for version in versions:
            for check in version.loaded_checks:
                if not purpose or check.purpose == purpose:
                    loaded.setdefault(version.pk, check)
                    break
        return loaded
    ids = [v.pk for v in versions]
    checks = AnonymisationCheck.objects.filter(version_id__in=ids).select_related(
        "run_by", "overridden_by", "version"
    )
    if purpose:
        checks = checks.filter(purpose=purpose)
    latest: dict[int, AnonymisationCheck] = {}
    for check in checks.order_by("-run_at", "-pk"):
        latest.setdefault(check.version_id, check)
    return latest


def _names_added_since(review: Review, when) -> bool:
    last = getattr(review, "restricted_name_last_added", None)
    if hasattr(review, "restricted_name_count"):  # loaded with the review page
        return last is not None and last > when
    return review.restricted_names.filter(added_at__gt=when).exists()


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def publication_check_status(
    review: Review, versions
) -> tuple[bool, str, list[AnonymisationCheck | None]]:
    """Whether the anonymisation check allows publishing `versions` (the final Overview Report
    and any Executive Summary): each one's latest check before publication must exist, cover
    every name on the list now, and be clear (nothing found, or overridden). Returns (ok, what to
    do in words, the latest check of each version or None)."""
    versions = [v for v in versions if v is not None]
    if not versions:
        return False, "There is no final report to check for restricted names.", []
    latest = latest_checks(versions, CheckPurpose.PUBLICATION)
    count = getattr(review, "restricted_name_count", None)  # loaded with the review page
    if not (count if count is not None else review.restricted_names.exists()):
        message = (
            "Add the real names and identifying details to the restricted list, then run the "
            "anonymisation check before publication."
        )
        return False, message, [latest.get(v.pk) for v in versions]
    problems, checks = [], []
    for version in versions:
        check = latest.get(version.pk)
        checks.append(check)
        document = version.get_kind_display()
        if check is None or not check.terms_checked:
            problems.append(
                f"Run the anonymisation check before publication on the final {document} "
                f"(version {version.number})."
            )
        elif _names_added_since(review, check.run_at):
            problems.append(
                f"Restricted names were added after the last check of the {document} version "
                f"{version.number}: run the check again."
            )
        elif not check.is_clear:
            remain = _plural(
                check.finding_count, "restricted name remains", "restricted names remain"
            )
            problems.append(
                f"{remain} in the {document} version {version.number}: fix the report or ask "
                "the Independent Chair to override."
            )
    return not problems, " ".join(problems), checks


def _category_words(category: str) -> str:
    return in_sentence(NameCategory(category).label)


@transaction.atomic
def restricted_name_add(*, review: Review, by, term: str, category: str) -> RestrictedName:
    """Add a real name or identifying detail to the review's restricted list."""
    review = lock_row(review)
    term = re.sub(r"\s+", " ", term or "").strip()
    if len(term) < MIN_TERM_LENGTH:
        raise WorkflowError(
            {"term": f"Enter a name or detail of at least {MIN_TERM_LENGTH} characters"}
        )
    if category not in NameCategory.values:
        raise WorkflowError({"category": "Select what kind of name or detail it is"})
    if review.restricted_names.filter(term__iexact=term).exists():
        raise WorkflowError({"term": "This name or detail is already on the list"})
    name = save_with_history(
        RestrictedName(review=review, term=term, category=category, added_by=by), by
    )
    timeline_event(
        review,
        by,
        "restricted_name_added",
        f"A restricted name ({_category_words(category)}) was added",
    )
    return name


def _people_details(review: Review) -> list[tuple[str, str]]:
    """(term, category) for what the review records about its children and the adults it is
    about: each full name and given name, each date of birth written the two usual ways, and
    each address's first line and postcode."""
    details = []
    people = [(child, NameCategory.CHILD) for child in review.children.all()]
    people += [(adult, NameCategory.FAMILY) for adult in review.adults.all()]
    for person, category in people:
        name = re.sub(r"\s+", " ", person.name).strip()
        given = name.split(" ")[0]
        details += [(t, category) for t in {name, given} if len(t) >= MIN_TERM_LENGTH]
        if person.date_of_birth:
            born = person.date_of_birth
            details += [
                (long_date(born), NameCategory.OTHER),
                (f"{born:%d/%m/%Y}", NameCategory.OTHER),
            ]
        details += [(term, NameCategory.ADDRESS) for term in _address_terms(person.address)]
    return details


def _address_terms(address: str) -> list[str]:
    """An address's first line and its postcode, as a report might quote them."""
    lines = [line.strip(" ,") for line in re.split(r"[\n,]", address or "") if line.strip(" ,")]
    terms = lines[:1]
    postcode = matching.POSTCODE.search(address.upper()) if address else None
    if postcode:
        terms.append(" ".join(postcode.groups()))
    return [t for t in terms if len(t) >= MIN_TERM_LENGTH]


@transaction.atomic
def restricted_names_prefill(*, review: Review, by) -> list[RestrictedName]:
    """Start the restricted list with the names, dates of birth and addresses recorded for the
    review's children and the adults it is about (those not on it already); the manager and the
    author add the rest."""
    review = lock_row(review)
    on_list = {t.lower() for t in review.restricted_names.values_list("term", flat=True)}
    added = []
    for term, category in _people_details(review):
        if term.lower() not in on_list:
            on_list.add(term.lower())
            added.append(
                save_with_history(
                    RestrictedName(review=review, term=term, category=category, added_by=by), by
                )
            )
    if added:
        timeline_event(
            review,
            by,
            "restricted_names_prefilled",
            f"The restricted list was started with {_plural(len(added), 'detail', 'details')} "
            "recorded for the review's children and adults",
        )
    return added


@transaction.atomic
def restricted_name_remove(*, name: RestrictedName, by) -> None:
    """Take a name off the restricted list (checks already run keep what they found)."""
    review = lock_row(name.review)
    category = name.category
    delete_with_history(name, by)
    timeline_event(
        review,
        by,
        "restricted_name_removed",
        f"A restricted name ({_category_words(category)}) was removed",
    )


@transaction.atomic
def anonymisation_check_run(
    *, review: Review, version: ReportVersion, by, purpose: str
) -> AnonymisationCheck:
    """Search the current version's text for every name on the restricted list and record
    what was found."""
    review = lock_row(review)
    version = ReportVersion.objects.get(pk=version.pk)  # as stored now, not as the caller saw it
    if version.review_id != review.pk:
        raise WorkflowError("That version belongs to another review.")
    if purpose not in CheckPurpose.values:
        raise WorkflowError({"purpose": "Select why the check is being run"})
    if not version.is_current:
        raise WorkflowError(
            f"{version} has been replaced by a newer version: check the current one."
        )
    names = list(review.restricted_names.all())
    if not names:
        # Nothing to look for would read as "no names found": refuse, and say what to do.
        raise WorkflowError(EMPTY_LIST)
    findings = scan_version(version, names)
    check = save_with_history(
        AnonymisationCheck(
            review=review,
            version=version,
            purpose=purpose,
            run_by=by,
            terms_checked=len(names),
            findings=findings,
        ),
        by,
    )
    found = _plural(len(findings), "restricted name found", "restricted names found")
    timeline_event(
        review,
        by,
        "anonymisation_check",
        f"Anonymisation check of {version} ({in_sentence(CheckPurpose(purpose).label)}): "
        f"{found if findings else 'no restricted names found'}",
        check=check.pk,
        version=version.pk,
        findings=len(findings),
    )
    return check


@transaction.atomic
def anonymisation_override(*, check: AnonymisationCheck, by, reason: str) -> AnonymisationCheck:
    """The Independent Chair allows publication despite what a check found, with the reason."""
    check = (
        AnonymisationCheck.objects.select_for_update().select_related("version").get(pk=check.pk)
    )
    if not check.findings:
        raise WorkflowError("This check found no restricted names: there is nothing to override.")
    if check.overridden_at is not None:
        raise WorkflowError("This check has already been overridden.")
    if not check.version.is_current:
        raise WorkflowError(
            f"{check.version} has been replaced by a newer version: check the current one."
        )
    if latest_checks([check.version])[check.version_id].pk != check.pk:
        raise WorkflowError("A newer check of this version has been run: override that one.")
    if not (reason or "").strip():
        raise WorkflowError({"reason": "Enter why publication may go ahead with these names"})
    check.overridden_by = by
    check.overridden_at = timezone.now()
    check.override_reason = reason.strip()
    save_with_history(check, by)
    # The reason may quote a name, so it stays on the check and out of the timeline.
    timeline_event(
        check.review,
        by,
        "anonymisation_override",
        f"Anonymisation check of {check.version} overridden by the Independent Chair "
        f"({_plural(check.finding_count, 'restricted name', 'restricted names')} found)",
        check=check.pk,
    )
    return check
