"""Changes to chronologies: requests, entries (typed or imported), submission, return and
acceptance. Same rules as reviews/services.py: atomic, `by` is the acting user, history and a
timeline event, `WorkflowError` with a reason a user understands."""

import datetime

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from chronologies import emails
from chronologies.models import ChronologyRequest, Entry, RequestStatus, ReviewerComment, Submission
from lcspr.core.exceptions import WorkflowError
from lcspr.core.services import (
    bulk_create_with_history,
    bulk_delete_with_history,
    delete_with_history,
    lock_row,
    save_with_history,
    timeline_event,
)
from lcspr.core.text import in_sentence, long_date
from lcspr.core.versions import require_version
from reviews.models import Review, Stage
from reviews.terms.models import TermsOfReference

ENTRY_FIELDS = (
    "date",
    "time",
    "date_certainty",
    "source_reference",
    "practitioner_role",
    "event_type",
    "child_seen",
    "seen_alone",
    "description",
    "child_voice",
    "action_taken",
    "outcome",
    "significance",
    "kloe_numbers",
    "themes",
)
DECLARATION = (
    "I hold a senior role in my agency. I had no direct involvement in this child's case and I "
    "did not line-manage anyone who did. I have checked this chronology against my agency's "
    "records."
)
MAX_ENTRIES = 10_000


def _require_editable(request: ChronologyRequest) -> None:
    if not request.is_editable:
        raise WorkflowError(
            f"The chronology is {in_sentence(request.get_status_display())}: it cannot change now."
        )


@transaction.atomic
def requests_create_from_terms(
    *, review: Review, by, due_date: datetime.date
) -> list[ChronologyRequest]:
    """Ask every agency in scope of the agreed Terms of Reference for its chronology, for the
    period and key lines of enquiry the Terms set."""
    review = Review.objects.select_for_update().get(pk=review.pk)
    if review.stage != Stage.LCSPR:
        raise WorkflowError("Chronologies are requested while an LCSPR is in progress.")
    terms = (
        review.tor_versions.filter(status=TermsOfReference.Status.AGREED)
        .prefetch_related("agencies", "kloes")
        .first()
    )
    if terms is None:
        raise WorkflowError("Agree the Terms of Reference first: they set the agencies in scope.")
    if not (terms.period_start and terms.period_end):
        raise WorkflowError("The agreed Terms of Reference have no period under review.")
    if due_date <= timezone.localdate():
        raise WorkflowError({"due_date": "The due date must be in the future."})
    asked = set(review.chronologies.values_list("agency_id", flat=True))
    kloes = [[k.number, k.text] for k in terms.kloes.all()]
    created = []
    for agency in terms.agencies.all():
        if agency.pk in asked:
            continue
        request = ChronologyRequest(
            review=review,
            agency=agency,
            due_date=due_date,
            period_start=terms.period_start,
            period_end=terms.period_end,
            kloes=kloes,
            requested_by=by,
        )
        save_with_history(request, by, validate=False)
        created.append(request)
    if not created:
        raise WorkflowError("Every agency in scope has already been asked for its chronology.")
    for request in created:
        emails.send_chronology_requested(request=request)
        emails.tell_chronology_requested(request=request)
    names = ", ".join(str(r.agency) for r in created)
    timeline_event(
        review=review,
        by=by,
        kind="chronologies_requested",
        summary=f"Chronologies requested by {long_date(due_date)} from {names}"[:500],
    )
    return created


@transaction.atomic
def authors_set(*, request: ChronologyRequest, by, authors) -> ChronologyRequest:
    """Name the agency's chronology author(s): representatives of that agency."""
    request = lock_row(request, related=("review", "agency"))
    _require_editable(request)
    wrong = [a for a in authors if a.agency_id != request.agency_id]
    if wrong:
        raise WorkflowError({"authors": f"{wrong[0]} does not work for {request.agency}."})
    request.authors.set(authors)
    timeline_event(
        review=request.review,
        by=by,
        kind="chronology_authors",
        summary=f"{request.agency} named its chronology author(s)",
    )
    return request


def _clean_entry(entry: Entry) -> None:
    if entry.date and entry.date > timezone.localdate():
        raise WorkflowError({"date": "The date of an event cannot be in the future."})
    entry.full_clean(exclude=["request", "sequence"])


@transaction.atomic
def entry_save(
    *, request: ChronologyRequest, by, entry: Entry | None = None, version=None, **fields
) -> Entry:
    """Add an entry (numbered after the last) or change one, while the chronology is a draft
    or has been returned; a change read at an older `version` of the entry is refused when
    someone has changed it since."""
    request = lock_row(request, related=("review", "agency"))
    _require_editable(request)
    if entry is not None:
        require_version(entry, version, fields=ENTRY_FIELDS)
    unknown = set(fields) - set(ENTRY_FIELDS)
    if unknown:
        raise ValueError(f"Not an entry field: {', '.join(sorted(unknown))}")
    if entry is None:
        last = request.entries.aggregate(m=Max("sequence"))["m"] or 0
        entry = Entry(request=request, sequence=last + 1)
    elif entry.request_id != request.pk:
        raise ValueError("The entry belongs to another chronology.")
    for field, value in fields.items():
        setattr(entry, field, value)
    _clean_entry(entry)
    save_with_history(entry, by, validate=False)
    return entry


@transaction.atomic
def entry_delete(*, entry: Entry, by) -> None:
    request = lock_row(entry.request, related=("review", "agency"))
    _require_editable(request)
    delete_with_history(entry, by)


@transaction.atomic
def entries_replace(*, request: ChronologyRequest, by, rows: list[dict]) -> int:
    """Replace the draft's entries with imported rows, all or nothing. The rows have been
    validated by the importer; the agency comes from the request, never from the file."""
    request = lock_row(request, related=("review", "agency"))
    _require_editable(request)
    if not rows:
        raise WorkflowError("The file has no entries.")
    if len(rows) > MAX_ENTRIES:
        raise WorkflowError(f"A chronology can hold up to {MAX_ENTRIES:,} entries.")
    # In bulk, each recorded in the history as deleted by the person importing: a draft of
    # thousands of entries is replaced in a few statements, not a delete per entry.
    bulk_delete_with_history(ReviewerComment.objects.filter(entry__request=request), by)
    bulk_delete_with_history(request.entries.all(), by)
    entries = []
    for sequence, row in enumerate(rows, start=1):
        unknown = set(row) - set(ENTRY_FIELDS)
        if unknown:
            raise ValueError(f"Not an entry field: {', '.join(sorted(unknown))}")
        entries.append(Entry(request=request, sequence=sequence, **row))
    bulk_create_with_history(entries, Entry, by, batch_size=1000)
    timeline_event(
        review=request.review,
        by=by,
        kind="chronology_imported",
        summary=f"{request.agency} imported {len(entries)} chronology entries",
    )
    return len(entries)


def _snapshot(entry: Entry) -> dict:
    return {
        "sequence": entry.sequence,
        **{
            f: (getattr(entry, f).isoformat() if getattr(entry, f) is not None else None)
            if f in ("date", "time")
            else getattr(entry, f)
            for f in ENTRY_FIELDS
        },
    }


@transaction.atomic
def submit(*, request: ChronologyRequest, by, declaration_confirmed: bool) -> Submission:
    """A named author submits the chronology, declaring their seniority and their independence
    from the case."""
    request = lock_row(request, related=("review", "agency"))
    _require_editable(request)
    if not request.authors.filter(pk=by.pk).exists():
        raise WorkflowError(
            "Only a named author of this chronology can submit it. Name yourself as an author "
            "first."
        )
    if not declaration_confirmed:
        raise WorkflowError(
            {"declaration": "Confirm the declaration of seniority and independence"}
        )
    entries = list(request.entries.all())
    if not entries:
        raise WorkflowError("Add at least one entry before submitting.")
    version = (request.submissions.aggregate(m=Max("version"))["m"] or 0) + 1
    submission = Submission(
        request=request,
        version=version,
        submitted_by=by,
        declaration=DECLARATION,
        entry_count=len(entries),
        entries=[_snapshot(e) for e in entries],
    )
    save_with_history(submission, by, validate=False)
    request.status = RequestStatus.SUBMITTED
    request.submitted_at = timezone.now()
    save_with_history(request, by, validate=False)
    timeline_event(
        review=request.review,
        by=by,
        kind="chronology_submitted",
        summary=f"{request.agency} submitted its chronology (version {version}, "
        f"{len(entries)} entries)",
    )
    return submission


def _decide(request: ChronologyRequest, by, outcome: str, comments: str) -> Submission:
    if request.status != RequestStatus.SUBMITTED:
        raise WorkflowError("Only a submitted chronology can be accepted or returned.")
    submission = request.submissions.order_by("-version").first()
    submission.outcome = outcome
    submission.outcome_by = by
    submission.outcome_at = timezone.now()
    submission.comments = comments
    save_with_history(submission, by, validate=False)
    return submission


@transaction.atomic
def return_for_changes(*, request: ChronologyRequest, by, comments: str) -> Submission:
    """Send a submitted chronology back to the agency with comments."""
    request = lock_row(request, related=("review", "agency"))
    if not comments.strip():
        raise WorkflowError({"comments": "Enter what the agency needs to change"})
    submission = _decide(request, by, "returned", comments)
    request.status = RequestStatus.RETURNED
    save_with_history(request, by, validate=False)
    timeline_event(
        review=request.review,
        by=by,
        kind="chronology_returned",
        summary=f"{request.agency} chronology returned for changes",
    )
    return submission


@transaction.atomic
def accept(*, request: ChronologyRequest, by, comments: str = "") -> Submission:
    """Accept a submitted chronology: it is locked and joins the merged chronology."""
    request = lock_row(request, related=("review", "agency"))
    submission = _decide(request, by, "accepted", comments)
    request.status = RequestStatus.ACCEPTED
    request.accepted_at = timezone.now()
    save_with_history(request, by, validate=False)
    timeline_event(
        review=request.review,
        by=by,
        kind="chronology_accepted",
        summary=f"{request.agency} chronology accepted",
    )
    return submission


@transaction.atomic
def reviewer_comment_add(*, entry: Entry, by, text: str) -> ReviewerComment:
    """A panel member's or the author's comment on one entry of the merged chronology."""
    if entry.request.status != RequestStatus.ACCEPTED:
        raise WorkflowError("Comments are made on accepted entries.")
    if not text.strip():
        raise WorkflowError({"text": "Enter your comment"})
    comment = ReviewerComment(entry=entry, author=by, text=text)
    save_with_history(comment, by)
    return comment
