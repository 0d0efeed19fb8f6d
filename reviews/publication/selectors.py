"""What the publication pages and steps read: the publication record, its dates and what stops
publication."""

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from lcspr.core.text import in_sentence, long_date
from lcspr.core.working_days import WorkingCalendar, calendar
from reviews.clocks import deadlines
from reviews.clocks.models import ClockSettings
from reviews.models import Review
from reviews.publication.models import Proceeding, Publication
from reviews.report import anonymisation
from reviews.report import services as reports

# recipient -> (Publication field, how the page and messages name the body)
RECIPIENTS = {
    "national_panel": ("sent_to_panel_on", "the National Panel"),
    "dfe": ("sent_to_dfe_on", "the DfE"),
    "ofsted": ("sent_to_ofsted_on", "Ofsted"),
}


def proceedings_for(review: Review | None) -> QuerySet:
    """The review's parallel proceedings, the one record that the Terms of Reference and
    publication both read and change (every review's when `review` is None, to prefetch)."""
    queryset = Proceeding.objects.order_by("pk")
    return queryset if review is None else queryset.filter(review=review)


def publication_for(review: Review) -> Publication | None:
    """The review's publication record, or None before the first step is recorded."""
    return Publication.objects.filter(review=review).first()


def sent_dates(publication: Publication | None) -> list[datetime.date]:
    """The dates recorded for sending the final report, in RECIPIENTS order (missing ones left
    out)."""
    if publication is None:
        return []
    return [getattr(publication, f) for f, _ in RECIPIENTS.values() if getattr(publication, f)]


def all_sent(publication: Publication | None) -> bool:
    return len(sent_dates(publication)) == len(RECIPIENTS)


def sendings(publication: Publication | None) -> list[dict]:
    """Each body the final report goes to before publication, with the date it was sent."""
    return [
        {
            "recipient": recipient,
            "body": body,
            "sent_on": getattr(publication, field) if publication is not None else None,
        }
        for recipient, (field, body) in RECIPIENTS.items()
    ]


@dataclass(frozen=True)
class PublicationDates:
    """The dates the publication page shows, all computed from the partnership's clock rules."""

    latest_send: datetime.date | None  # last day to send for the planned date
    send_countdown: int | None  # working days from today to latest_send (negative: overdue)
    earliest_publication: datetime.date | None  # first day publication may happen
    may_come_down: datetime.date | None  # published_on + the months it must stay online


def publication_dates(
    publication: Publication | None,
    *,
    clocks: ClockSettings | None = None,
    cal: WorkingCalendar | None = None,
    today: datetime.date | None = None,
) -> PublicationDates:
    """The latest send date (and its countdown while the sending is outstanding), the earliest
    publication date and the date a published report may come down."""
    # Before the first step there is no record: the dates are those of an empty plan.
    publication = publication or Publication()
    clocks = clocks or ClockSettings.load()
    cal = cal or calendar()
    today = today or timezone.localdate()
    latest = countdown = earliest = come_down = None
    if publication.planned_on:
        latest = deadlines.latest_send_date(publication.planned_on, clocks, cal)
        if not all_sent(publication):
            countdown = deadlines.countdown(latest, today, cal)
    if all_sent(publication):
        earliest = deadlines.earliest_publication_date(max(sent_dates(publication)), clocks, cal)
    elif not publication.is_published:
        # Nothing sent yet (or only one body): the earliest is counted from sending today.
        earliest = deadlines.earliest_publication_date(today, clocks, cal)
    if publication.published_on:
        come_down = deadlines.months_later(
            publication.published_on, clocks.publication_online_months, cal
        )
    return PublicationDates(latest, countdown, earliest, come_down)


def publication_blockers(
    review: Review, published_on: datetime.date | None = None, *, live_approval=None
) -> list[str]:
    """Why the report cannot be published on `published_on` (or, without a date, at all): an
    empty list when it can. The publication page lists these; `report_publish` refuses with
    them. `live_approval` may be passed when the caller already loaded it."""
    publication = publication_for(review)
    if publication is not None and publication.is_published:
        return [f"The report was published on {long_date(publication.published_on)}."]
    blockers = []
    approval = live_approval if live_approval is not None else reports.live_approval(review)
    if approval is None or not approval.is_signed_off:
        blockers.append(
            "The Independent Chair has not signed off the final report for the partnership."
        )
    improvements_only = publication is not None and publication.improvements_only
    for field, body in RECIPIENTS.values():
        if publication is None or not getattr(publication, field):
            blockers.append(f"Record the date the final report was sent to {body}.")
    if all_sent(publication) and published_on is not None:
        clocks, cal = ClockSettings.load(), calendar()
        last_sent = max(sent_dates(publication))
        earliest = deadlines.earliest_publication_date(last_sent, clocks, cal)
        if published_on < earliest:
            blockers.append(
                f"The final report was sent on {long_date(last_sent)}, so it cannot be published "
                f"before {long_date(earliest)} ({clocks.pre_publication_days} working days "
                "later)."
            )
    if not improvements_only:
        for proceeding in proceedings_for(review):
            if proceeding.blocks_publication:
                blockers.append(
                    f"{proceeding.get_kind_display()} have not concluded: wait for them, or "
                    "publish information about the improvements only."
                    if proceeding.kind == Proceeding.Kind.CRIMINAL
                    else f"The {in_sentence(proceeding.get_kind_display())} has not concluded: "
                    "wait for it, or publish information about the improvements only."
                )
    if publication is None or not (publication.family_offered_on or publication.family_response):
        blockers.append(
            "Record whether the family were offered the final draft before publication."
        )
    if approval is not None:
        ok, message, _checks = anonymisation.publication_check_status(review, approval.versions)
        if not ok:
            blockers.append(message)
    return blockers
