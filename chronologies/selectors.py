"""Reads of chronologies: the merged multi-agency chronology of a review, built from accepted
entries only, with the child's age at each event, likely duplicates (a row an agency recorded
twice, or similar entries of two agencies on one date) and long periods with no agency contact.
A constant number of queries whatever the size."""

import datetime
from collections import OrderedDict
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from itertools import groupby
from threading import Lock
from typing import NamedTuple

from django.db import connection
from django.db.models import Count, F, Max, OuterRef, Subquery
from django.shortcuts import get_object_or_404

from chronologies.models import ChronologyRequest, Entry, RequestStatus, ReviewerComment
from reviews.models import Child, Review

GAP_DAYS = 60  # a longer period with no contact from any agency is highlighted
DUPLICATE_SIMILARITY = 0.8


@dataclass
class MergedChronology:
    """The merged chronology as a page, an export or a PDF shows it."""

    entries: list = field(default_factory=list)
    gaps: list = field(default_factory=list)  # [(start, end, days)]
    agencies: list = field(default_factory=list)  # agencies with an accepted chronology
    kloes: list = field(default_factory=list)  # [[number, text]] from the requests
    # What a page works out from every entry (its timeline picture, per zoom), kept with the
    # overview for as long as the same version of the accepted entries (merged_overview only).
    derived: dict = field(default_factory=dict)
    page_version: tuple = ()  # what else a page of entries shows (merged_overview only)
    date_of_birth: datetime.date | None = None  # the first child's (merged_overview only)


def age_at(date_of_birth: datetime.date | None, on: datetime.date) -> str:
    """The child's age on a date as people say it: "2 years 3 months" (blank if unknown)."""
    if date_of_birth is None:
        return ""
    if on < date_of_birth:
        return "Before birth"
    months = (on.year - date_of_birth.year) * 12 + on.month - date_of_birth.month
    if on.day < date_of_birth.day:
        months -= 1
    years, months = divmod(months, 12)
    parts = []
    if years:
        parts.append(f"{years} year{'s' if years != 1 else ''}")
    if months:
        parts.append(f"{months} month{'s' if months != 1 else ''}")
    return " ".join(parts) or "Under 1 month"


def _same_words(text: str) -> str:
    return " ".join(text.split())


def _duplicate_pks(items) -> set:
    """The pks of possible duplicates, from (pk, date, agency_id, text, time) in date order,
    text lower-cased: a row an agency recorded twice (same date, time and text), or a similar
    entry of another agency on the same date. Each date's group is compared only within
    itself, and difflib's cheap upper bounds rule most pairs out before the full ratio."""
    flagged = set()
    matcher = SequenceMatcher()
    for _date, group in groupby(items, key=lambda item: item[1]):
        group = list(group)
        recorded: dict[tuple, list] = {}
        for pk, _day, agency_id, text, time in group:
            recorded.setdefault((agency_id, time, _same_words(text)), []).append(pk)
        for pks in recorded.values():
            if len(pks) > 1:
                flagged.update(pks)
        if len({item[2] for item in group}) < 2:
            continue
        for j in range(1, len(group)):
            second = group[j]
            matcher.set_seq2(second[3])  # difflib caches what it learns about the second text
            for i in range(j):
                first = group[i]
                if first[2] == second[2] or (first[0] in flagged and second[0] in flagged):
                    continue
                matcher.set_seq1(first[3])
                if (
                    matcher.real_quick_ratio() >= DUPLICATE_SIMILARITY
                    and matcher.quick_ratio() >= DUPLICATE_SIMILARITY
                    and matcher.ratio() >= DUPLICATE_SIMILARITY
                ):
                    flagged.update((first[0], second[0]))
    return flagged


def _flag_duplicates(entries: list) -> None:
    """Mark an agency's rows recorded twice, and entries of different agencies on the same date
    with similar descriptions (`possible_duplicate`)."""
    flagged = _duplicate_pks(
        (e.pk, e.date, e.request.agency_id, e.description.lower(), e.time) for e in entries
    )
    for entry in entries:
        entry.possible_duplicate = entry.pk in flagged


def find_gaps(dates: list[datetime.date], *, longer_than: int = GAP_DAYS) -> list:
    """Periods between consecutive (sorted) dates longer than `longer_than` days, as
    (start, end, days)."""
    gaps = []
    for previous, current in zip(dates, dates[1:], strict=False):
        days = (current - previous).days
        if days > longer_than:
            gaps.append((previous, current, days))
    return gaps


def accepted_requests(review) -> list:
    """The review's accepted chronology requests, with their agencies, by agency name."""
    return list(
        ChronologyRequest.objects.filter(review=review, status=RequestStatus.ACCEPTED)
        .select_related("agency")
        .order_by("agency__name")
    )


def merged_entries(
    review,
    *,
    agency_ids=None,
    date_from=None,
    date_to=None,
    kloe=None,
    theme=None,
    requests=None,
) -> MergedChronology:
    """Every accepted entry of the review, in date order (time, agency, sequence to break
    ties), each with `age`, `possible_duplicate`, `comment_count` and `gap_before` (days with no
    contact before it, or None). Pass `requests` (accepted_requests) when already loaded."""
    queryset = (
        Entry.objects.filter(request__review=review, request__status=RequestStatus.ACCEPTED)
        .select_related("request__agency")
        .annotate(comment_count=Count("reviewer_comments"))
        .order_by(
            "date", F("time").asc(nulls_first=True), "request__agency__name", "sequence", "pk"
        )
    )
    if agency_ids:
        queryset = queryset.filter(request__agency_id__in=agency_ids)
    if date_from:
        queryset = queryset.filter(date__gte=date_from)
    if date_to:
        queryset = queryset.filter(date__lte=date_to)
    entries = list(queryset)
    # JSON list membership in Python: portable across SQLite and PostgreSQL.
    if kloe not in (None, ""):
        entries = [e for e in entries if int(kloe) in [int(n) for n in e.kloe_numbers or []]]
    if theme:
        entries = [e for e in entries if theme in (e.themes or [])]
    date_of_birth = _date_of_birth(review)
    for entry in entries:
        entry.age = age_at(date_of_birth, entry.date)
        entry.possible_duplicate = False
        entry.gap_before = None
    _flag_duplicates(entries)
    gaps = find_gaps([e.date for e in entries])
    starts = {end: days for _start, end, days in gaps}
    for previous, entry in zip(entries, entries[1:], strict=False):
        if entry.date in starts and previous.date != entry.date:
            entry.gap_before = starts[entry.date]
    if requests is None:
        requests = accepted_requests(review)
    if agency_ids:
        requests = [r for r in requests if r.agency_id in set(agency_ids)]
    return MergedChronology(
        entries=entries,
        gaps=gaps,
        agencies=[r.agency for r in requests],
        kloes=requests[0].kloes if requests else [],
    )


# --- the merged chronology page ----------------------------------------------------------------
# The page shows 100 entries at a time, but its gaps, duplicate flags and timeline picture are
# about every entry. Those are worked out once per version of the review's accepted chronologies
# (accepted entries cannot be edited: a change means returning the chronology, and accepting it
# again changes the version) and kept in this process, so a page of a 5,000-entry chronology
# costs a handful of small queries. (Process memory, not the shared cache: a few MB per review,
# no pickling, and nothing to go stale across databases.)
OVERVIEWS_KEPT = 32
_overviews: OrderedDict = OrderedDict()
_overviews_lock = Lock()


class RowAgency(NamedTuple):
    agency_id: int


@dataclass(slots=True)
class Row:
    """One entry as the page's paging and timeline need it (timeline_svg reads `date` and
    `request.agency_id`)."""

    pk: int
    date: datetime.date
    request: RowAgency
    possible_duplicate: bool = False
    gap_before: int | None = None


def forget_overviews() -> None:
    """Drop every kept overview (tests call this between tests)."""
    with _overviews_lock:
        _overviews.clear()


def _versions(review) -> tuple[tuple, tuple]:
    """What changes whenever the review's accepted entries do (how many, the newest, the latest
    acceptance), and what else a page of them shows (the panel's comments: the newest history
    row of any comment, written by every change; the first child's date of birth, for the
    ages). One query of small aggregates."""
    accepted = Entry.objects.filter(
        request__review=OuterRef("pk"), request__status=RequestStatus.ACCEPTED
    ).values("request__review")
    figures = (
        accepted.annotate(n=Count("pk")).values("n"),
        accepted.annotate(n=Max("pk")).values("n"),
        accepted.annotate(n=Max("request__accepted_at")).values("n"),
        ReviewerComment.history.order_by("-history_id").values("history_id")[:1],
        Child.objects.filter(review=OuterRef("pk")).order_by("pk").values("date_of_birth")[:1],
    )
    row = (
        Review.objects.filter(pk=review.pk)
        .values_list(*(Subquery(figure) for figure in figures))
        .get()
    )
    return row[:3], row[3:]


def merged_overview(
    review,
    *,
    agency_ids=None,
    date_from=None,
    date_to=None,
    kloe=None,
    theme=None,
    requests=None,
) -> MergedChronology:
    """The merged chronology as its page needs it: every matching entry as a light `Row` in
    merged_entries' order (with `possible_duplicate` and `gap_before`), the gaps and agencies,
    without loading the entries themselves. Page through the rows, then load one page with
    `merged_page_entries`."""
    if requests is None:
        requests = accepted_requests(review)
    filters = (tuple(sorted(agency_ids or ())), date_from, date_to, kloe or None, theme or None)
    version, page_version = _versions(review)
    key = (
        connection.settings_dict["NAME"],
        review.pk,
        tuple((r.pk, r.accepted_at) for r in requests),
        version,
        filters,
    )
    with _overviews_lock:
        kept = _overviews.get(key)
        if kept is not None:
            _overviews.move_to_end(key)
    if kept is None:
        kept = _overview_rows(review, *filters)
        with _overviews_lock:
            _overviews[key] = kept
            while len(_overviews) > OVERVIEWS_KEPT:
                _overviews.popitem(last=False)
    rows, gaps, derived = kept
    if agency_ids:
        requests = [r for r in requests if r.agency_id in set(agency_ids)]
    return MergedChronology(
        entries=rows,
        gaps=gaps,
        agencies=[r.agency for r in requests],
        kloes=requests[0].kloes if requests else [],
        derived=derived,
        page_version=page_version,
        date_of_birth=page_version[-1],
    )


def overview_kept(chronology: MergedChronology, key, build, *, limit: int = 16):
    """What `build()` returns, kept with `chronology`'s overview under `key` (at most `limit`
    things, the least recently used dropped first): for what a page works out from every entry,
    such as the timeline picture, or renders of a page of entries. Put in the key whatever else
    it depends on."""
    derived = chronology.derived
    with _overviews_lock:
        value = derived.get(key)
        if value is not None:
            derived[key] = derived.pop(key)  # the most recently used, last
            return value
    value = build()
    with _overviews_lock:
        derived[key] = value
        while len(derived) > limit:
            derived.pop(next(iter(derived)))
    return value


def _overview_rows(review, agency_ids, date_from, date_to, kloe, theme) -> tuple:
    queryset = Entry.objects.filter(
        request__review=review, request__status=RequestStatus.ACCEPTED
    ).order_by("date", F("time").asc(nulls_first=True), "request__agency__name", "sequence", "pk")
    if agency_ids:
        queryset = queryset.filter(request__agency_id__in=agency_ids)
    if date_from:
        queryset = queryset.filter(date__gte=date_from)
    if date_to:
        queryset = queryset.filter(date__lte=date_to)
    values = list(
        queryset.values_list(
            "pk", "date", "request__agency_id", "description", "kloe_numbers", "themes", "time"
        )
    )
    if kloe not in (None, ""):
        values = [v for v in values if int(kloe) in [int(n) for n in v[4] or []]]
    if theme:
        values = [v for v in values if theme in (v[5] or [])]
    flagged = _duplicate_pks((v[0], v[1], v[2], v[3].lower(), v[6]) for v in values)
    rows = [Row(v[0], v[1], RowAgency(v[2]), v[0] in flagged) for v in values]
    gaps = find_gaps([row.date for row in rows])
    starts = {end: days for _start, end, days in gaps}
    for previous, row in zip(rows, rows[1:], strict=False):
        if row.date in starts and previous.date != row.date:
            row.gap_before = starts[row.date]
    return rows, gaps, {}


def _date_of_birth(review) -> datetime.date | None:
    """The first child's date of birth (None when unknown): one query."""
    return review.children.order_by("pk").values_list("date_of_birth", flat=True).first()


def merged_page_entries(review, rows) -> list:
    """The entries of one page of `merged_overview` rows, in their order, each with `age`,
    `possible_duplicate`, `comment_count` and `gap_before` (two queries)."""
    loaded = {
        entry.pk: entry
        for entry in Entry.objects.filter(pk__in=[row.pk for row in rows])
        .select_related("request__agency")
        .annotate(comment_count=Count("reviewer_comments"))
    }
    date_of_birth = _date_of_birth(review)
    entries = []
    for row in rows:
        entry = loaded[row.pk]
        entry.age = age_at(date_of_birth, entry.date)
        entry.possible_duplicate = row.possible_duplicate
        entry.gap_before = row.gap_before
        entries.append(entry)
    return entries


_ASK = object()


def key_events(review, *, date_of_birth=_ASK) -> list[tuple[datetime.date, str]]:
    """The review's key dates, marked on the timeline: the child's birth (when known), the
    serious incident and the day the local authority became aware of it (one query, none when
    the first child's `date_of_birth`, perhaps None, is passed)."""
    if date_of_birth is _ASK:
        date_of_birth = _date_of_birth(review)
    events = [(review.incident_date, "Serious incident")]
    if review.la_aware_date and review.la_aware_date != review.incident_date:
        events.append((review.la_aware_date, "Local authority became aware"))
    if date_of_birth:
        events.append((date_of_birth, "Child born"))
    return sorted(events)


def accepted_entry_or_404(review, pk) -> Entry:
    """One entry of an accepted chronology of `review`, with its agency; 404 for any other."""
    return get_object_or_404(
        Entry.objects.select_related("request__agency"),
        pk=pk,
        request__review=review,
        request__status=RequestStatus.ACCEPTED,
    )
