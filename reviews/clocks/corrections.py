"""Correcting a recorded date of a review's statutory record: the partnership manager gives the
right date and the reason; the change is in the record's history and on the timeline, and the
clocks that count from the date or are met by it follow. Every correction keeps the dates in a
possible order (incident ≤ awareness ≤ notification ≤ rapid review sent ≤ decision ≤ the
notices of the decision), or is refused with a reason that names the conflicting date."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from lcspr.core.exceptions import WorkflowError
from lcspr.core.services import lock_row, save_with_history, timeline_event
from lcspr.core.text import long_date
from lcspr.core.versions import require_version, version_of
from reviews.clocks import deadlines
from reviews.decision.models import NationalNotice, NoticeRecipient
from reviews.models import Review, Stage
from reviews.rapid_review.models import RapidReview
from reviews.referral.models import Notification

MAX_REASON = 300


def _review(review: Review) -> Review:
    return review


def _notification(review: Review) -> Notification | None:
    return Notification.objects.filter(review=review).first()


def _rapid_review(review: Review) -> RapidReview | None:
    return RapidReview.objects.filter(review=review).first()


def _notice(recipient: str) -> Callable[[Review], Model | None]:
    def record(review: Review) -> NationalNotice | None:
        return review.notices.filter(recipient=recipient).first()

    return record


@dataclass(frozen=True)
class RecordedDate:
    """One date of the statutory record: where it is kept and how the pages name it."""

    key: str
    label: str  # "the date the National Panel was notified"
    record: Callable[[Review], Model | None]
    field: str

    @property
    def title(self) -> str:
        return self.label[0].upper() + self.label[1:]


DATES = {
    d.key: d
    for d in (
        RecordedDate("incident", "the date of the incident", _review, "incident_date"),
        RecordedDate(
            "awareness", "the date the local authority became aware", _review, "la_aware_date"
        ),
        RecordedDate(
            "notification", "the date the National Panel was notified", _notification, "sent_on"
        ),
        RecordedDate(
            "partners_informed",
            "the date the safeguarding partners were informed",
            _review,
            "partners_informed_on",
        ),
        RecordedDate(
            "rapid_review_sent",
            "the date the rapid review was sent to the National Panel",
            _rapid_review,
            "sent_to_panel_on",
        ),
        RecordedDate(
            "decision",
            "the date of the Independent Chair's decision",
            deadlines.current_decision,
            "decided_on",
        ),
        RecordedDate(
            "notice_dfe",
            "the date the DfE was told an LCSPR will take place",
            _notice(NoticeRecipient.DFE),
            "sent_on",
        ),
        RecordedDate(
            "notice_ofsted",
            "the date Ofsted was told an LCSPR will take place",
            _notice(NoticeRecipient.OFSTED),
            "sent_on",
        ),
        RecordedDate(
            "notice_panel",
            "the date the National Panel was told an LCSPR will take place",
            _notice(NoticeRecipient.NATIONAL_PANEL),
            "sent_on",
        ),
    )
}

# (earlier, later): the first may not come after the second.
ORDER = (
    ("incident", "awareness"),
    ("awareness", "notification"),
    ("awareness", "partners_informed"),
    ("notification", "rapid_review_sent"),
    ("rapid_review_sent", "decision"),
    ("decision", "notice_dfe"),
    ("decision", "notice_ofsted"),
    ("decision", "notice_panel"),
)


def recorded_dates(review: Review) -> list[tuple[RecordedDate, datetime.date]]:
    """The dates recorded so far, in the order of the process."""
    rows = []
    for date in DATES.values():
        record = date.record(review)
        value = getattr(record, date.field, None) if record is not None else None
        if value is not None:
            rows.append((date, value))
    return rows


def correction_blocker(review: Review, key: str) -> str:
    """Why this date cannot be corrected now ("" when it can)."""
    if key not in DATES:
        return "There is no such date on the review's record."
    if review.stage == Stage.CLOSED:
        return "The review is closed: its record can no longer change."
    date = DATES[key]
    record = date.record(review)
    if record is None or getattr(record, date.field) is None:
        return f"{date.title} has not been recorded yet, so there is nothing to correct."
    return ""


def version_read(review: Review, key: str) -> int | None:
    """The version of the record holding the date, for the correction page to carry."""
    record = DATES[key].record(review)
    return version_of(record) if record is not None else None


def _order_problem(key: str, value: datetime.date, dates: dict[str, datetime.date]) -> str:
    for earlier, later in ORDER:
        if key == earlier and later in dates and value > dates[later]:
            return (
                f"{DATES[key].title} cannot be after {DATES[later].label} "
                f"({long_date(dates[later])})."
            )
        if key == later and earlier in dates and value < dates[earlier]:
            return (
                f"{DATES[key].title} cannot be before {DATES[earlier].label} "
                f"({long_date(dates[earlier])})."
            )
    return ""


@transaction.atomic
def date_correct(
    *,
    review: Review,
    by,
    key: str,
    value: datetime.date,
    reason: str,
    version: int | None = None,
) -> Model:
    """Correct one recorded date, with the reason; returns the record that holds it (refused
    when the page was read at an older `version` of it and someone has changed the date since)."""
    review = lock_row(review)
    blocker = correction_blocker(review, key)
    if blocker:
        raise WorkflowError(blocker)
    date = DATES[key]
    record = date.record(review)
    require_version(record, version, fields=(date.field,))
    reason = (reason or "").strip()
    if value is None:
        raise WorkflowError({"value": "Enter the correct date"})
    if not reason:
        raise WorkflowError({"reason": "Enter why the date is being corrected"})
    if len(reason) > MAX_REASON:
        raise WorkflowError(
            {
                "reason": f"The reason must be {MAX_REASON} characters or fewer "
                f"(it has {len(reason)})"
            }
        )
    previous = getattr(record, date.field)
    if value == previous:
        raise WorkflowError({"value": f"{date.title} is already {long_date(value)}"})
    if value > timezone.localdate():
        raise WorkflowError({"value": "The date cannot be in the future"})
    problem = _order_problem(key, value, {d.key: v for d, v in recorded_dates(review)})
    replaced = getattr(record, "supersedes", None) if key == "decision" else None
    if replaced is not None and value < replaced.decided_on:
        problem = (
            f"{date.title} cannot be before the decision it replaced "
            f"({long_date(replaced.decided_on)})."
        )
    if problem:
        raise WorkflowError({"value": problem})
    # Clocks that counted from the old date were worked out from a wrong start, met or not.
    recount = {d.kind for d in review.deadlines.all() if d.counted_from == previous}
    setattr(record, date.field, value)
    # The history row's reason column is short: it keeps the start; the timeline keeps it all.
    record._change_reason = reason if len(reason) <= 100 else reason[:99] + "…"
    save_with_history(record, by, validate=False)
    deadlines.refresh(review, by=by, recompute_met=recount)
    timeline_event(
        review,
        by,
        "date_corrected",
        f"{date.title} corrected from {long_date(previous)} to {long_date(value)}: {reason}",
        date=key,
        previous=previous.isoformat(),
        corrected=value.isoformat(),
        reason=reason,
    )
    return record
