"""Reads of chronologies: the merged multi-agency chronology of a review, built from accepted
entries only, with the child's age at each event, likely duplicates across agencies and long
periods with no agency contact. A constant number of queries whatever the size."""

import datetime
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from itertools import groupby

from django.db.models import Count, F

from chronologies.models import ChronologyRequest, Entry, RequestStatus

GAP_DAYS = 60  # a longer period with no contact from any agency is highlighted
DUPLICATE_SIMILARITY = 0.8


@dataclass
class MergedChronology:
    """The merged chronology as a page, an export or a PDF shows it."""

    entries: list = field(default_factory=list)
    gaps: list = field(default_factory=list)  # [(start, end, days)]
    agencies: list = field(default_factory=list)  # agencies with an accepted chronology
    kloes: list = field(default_factory=list)  # [[number, text]] from the requests


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


def _flag_duplicates(entries: list) -> None:
    """Mark entries of different agencies on the same date with similar descriptions. Entries
    arrive in date order, so each date's group is compared only within itself."""
    for _date, group in groupby(entries, key=lambda e: e.date):
        group = list(group)
        texts = [e.description.lower() for e in group]
        for i, first in enumerate(group):
            for j in range(i + 1, len(group)):
                second = group[j]
                if first.request.agency_id == second.request.agency_id:
                    continue
                if first.possible_duplicate and second.possible_duplicate:
                    continue
                if SequenceMatcher(None, texts[i], texts[j]).ratio() >= DUPLICATE_SIMILARITY:
                    first.possible_duplicate = second.possible_duplicate = True


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
    child = review.children.order_by("pk").only("date_of_birth").first()
    date_of_birth = child.date_of_birth if child else None
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
