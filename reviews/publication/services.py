"""Publication's steps, from the plan to the report coming down."""

import datetime

from django.db import transaction
from django.utils import timezone

from lcspr.core.exceptions import WorkflowError
from lcspr.core.services import (
    delete_with_history,
    lock_row,
    require_not_future,
    save_with_history,
    timeline_event,
)
from lcspr.core.text import in_sentence, long_date
from lcspr.core.versions import require_version
from lcspr.core.working_days import calendar
from reviews.clocks import deadlines
from reviews.clocks.models import ClockSettings, DeadlineKind
from reviews.decision.models import Outcome
from reviews.models import ReportStatus, Review
from reviews.publication.models import Proceeding, Publication, PublicationDeferral
from reviews.publication.selectors import RECIPIENTS, all_sent, publication_blockers, sent_dates
from reviews.report import services as reports

PROCEEDING_FIELDS = ("kind", "description", "status", "expected_date", "concluded_on", "notes")


def _publication(review: Review, by) -> Publication:
    """The review's publication record, created by the first step (the review is locked)."""
    publication = Publication.objects.select_for_update().filter(review=review).first()
    return publication or save_with_history(Publication(review=review), by)


def _require_lcspr(review: Review) -> None:
    current = deadlines.current_decision(review)
    if current is None or current.outcome != Outcome.LCSPR:
        raise WorkflowError("Publication is only recorded for an LCSPR.")


def _require_unpublished(publication: Publication, doing: str) -> None:
    if publication.is_published:
        raise WorkflowError(
            f"You cannot {doing}: the report was published on "
            f"{long_date(publication.published_on)}."
        )


def _signed_off(review: Review):
    approval = reports.live_approval(review)
    if approval is None or not approval.is_signed_off:
        raise WorkflowError(
            "The final report has not been signed off by the Independent Chair yet: it can only "
            "be sent once it is."
        )
    return approval


def _start(review: Review, by) -> tuple[Review, Publication]:
    review = lock_row(review)
    _require_lcspr(review)
    return review, _publication(review, by)


def _check_proceeding(fields: dict) -> None:
    status, concluded_on = fields.get("status"), fields.get("concluded_on")
    if status == Proceeding.Status.CONCLUDED and not concluded_on:
        raise WorkflowError({"concluded_on": "Enter the date the proceedings concluded"})
    if status != Proceeding.Status.CONCLUDED and concluded_on:
        raise WorkflowError(
            {"concluded_on": "Leave the date concluded blank until the proceedings conclude"}
        )
    require_not_future(concluded_on, "concluded_on")


@transaction.atomic
def proceeding_add(
    *,
    review: Review,
    by,
    kind: str,
    status: str,
    description: str = "",
    expected_date: datetime.date | None = None,
    concluded_on: datetime.date | None = None,
    notes: str = "",
) -> Proceeding:
    """Record a parallel proceeding (criminal trial, inquest, family court, HR, DHR, SAR), from
    the Terms of Reference or the publication page: publication waits for the criminal ones
    and inquests."""
    review = lock_row(review)
    _require_lcspr(review)
    fields = {
        "kind": kind,
        "status": status,
        "description": description,
        "expected_date": expected_date,
        "concluded_on": concluded_on,
        "notes": notes,
    }
    _check_proceeding(fields)
    proceeding = save_with_history(Proceeding(review=review, recorded_by=by, **fields), by)
    timeline_event(
        review,
        by,
        "proceeding_added",
        f"Parallel proceeding recorded: {proceeding.get_kind_display()} "
        f"({in_sentence(proceeding.get_status_display())})",
    )
    return proceeding


@transaction.atomic
def proceeding_update(*, proceeding: Proceeding, by, version=None, **fields) -> Proceeding:
    """Change a proceeding's status, expected date or notes (e.g. the trial has concluded);
    refused when read at an older `version` and someone has changed it since."""
    review = lock_row(proceeding.review)
    _require_lcspr(review)
    proceeding = Proceeding.objects.select_for_update().get(pk=proceeding.pk)
    require_version(proceeding, version, fields=PROCEEDING_FIELDS)
    unknown = set(fields) - set(PROCEEDING_FIELDS)
    if unknown:
        raise TypeError(f"Unknown proceeding fields: {', '.join(sorted(unknown))}")
    merged = {f: fields.get(f, getattr(proceeding, f)) for f in PROCEEDING_FIELDS}
    _check_proceeding(merged)
    was = in_sentence(proceeding.get_status_display())
    for field, value in merged.items():
        setattr(proceeding, field, value)
    save_with_history(proceeding, by)
    now = in_sentence(proceeding.get_status_display())
    summary = f"Parallel proceeding updated: {proceeding.get_kind_display()}"
    if was != now:
        summary += f" ({was} → {now})"
    timeline_event(review, by, "proceeding_updated", summary)
    return proceeding


@transaction.atomic
def proceeding_remove(*, proceeding: Proceeding, by) -> None:
    """Remove a proceeding recorded in error (the deleted record stays in its history)."""
    review = lock_row(proceeding.review)
    _require_lcspr(review)
    proceeding = Proceeding.objects.select_for_update().get(pk=proceeding.pk)
    delete_with_history(proceeding, by)
    timeline_event(
        review,
        by,
        "proceeding_removed",
        f"Parallel proceeding removed: {proceeding.get_kind_display()} "
        f"({in_sentence(proceeding.get_status_display())})",
    )


@transaction.atomic
def publication_plan(
    *, review: Review, by, planned_on: datetime.date, reason: str = ""
) -> Publication:
    """Set the planned publication date; a change needs a reason and is kept as a deferral."""
    review, publication = _start(review, by)
    _require_unpublished(publication, "change the planned date")
    if planned_on < timezone.localdate():
        raise WorkflowError({"planned_on": "The planned publication date must be today or later"})
    previous = publication.planned_on
    if previous == planned_on:
        raise WorkflowError(
            {"planned_on": f"Publication is already planned for {long_date(previous)}"}
        )
    if previous is not None and not reason.strip():
        raise WorkflowError({"reason": "Enter why the planned publication date has changed"})
    clocks, cal = ClockSettings.load(), calendar()
    if all_sent(publication):
        earliest = deadlines.earliest_publication_date(max(sent_dates(publication)), clocks, cal)
        if planned_on < earliest:
            raise WorkflowError(
                {
                    "planned_on": f"The final report was sent on "
                    f"{long_date(max(sent_dates(publication)))}, so the earliest publication "
                    f"date is {long_date(earliest)}"
                }
            )
    elif deadlines.latest_send_date(planned_on, clocks, cal) < timezone.localdate():
        earliest = deadlines.earliest_publication_date(timezone.localdate(), clocks, cal)
        raise WorkflowError(
            {
                "planned_on": "The final report must reach the National Panel, the DfE and Ofsted "
                f"{clocks.pre_publication_days} working days before publication, so the "
                f"earliest date you can plan is {long_date(earliest)}"
            }
        )
    publication.planned_on = planned_on
    save_with_history(publication, by)
    if previous is None:
        timeline_event(
            review, by, "publication_planned", f"Publication planned for {long_date(planned_on)}"
        )
    else:
        save_with_history(
            PublicationDeferral(
                review=review,
                from_date=previous,
                to_date=planned_on,
                reason=reason.strip(),
                recorded_by=by,
            ),
            by,
        )
        timeline_event(
            review,
            by,
            "publication_deferred",
            f"Planned publication moved from {long_date(previous)} to {long_date(planned_on)}",
            reason=reason.strip(),
        )
    deadlines.refresh(review, by=by, clocks=clocks, cal=cal)
    return publication


@transaction.atomic
def publication_sent_record(
    *, review: Review, by, recipient: str, sent_on: datetime.date
) -> Publication:
    """Record the date the signed-off final report was sent to the National Panel or the DfE
    (recording it again corrects the date, until publication)."""
    if recipient not in RECIPIENTS:
        raise WorkflowError(f"Unknown recipient: {recipient}.")
    field, body = RECIPIENTS[recipient]
    review, publication = _start(review, by)
    _require_unpublished(publication, f"change when the report was sent to {body}")
    approval = _signed_off(review)
    require_not_future(sent_on, "sent_on")
    signed_off_on = timezone.localtime(approval.signed_off_at).date()
    if sent_on < signed_off_on:
        raise WorkflowError(
            {
                "sent_on": f"The report was signed off on {long_date(signed_off_on)}: it cannot "
                "have been sent before then"
            }
        )
    previous = getattr(publication, field)
    if previous == sent_on:
        raise WorkflowError({"sent_on": f"This date is already recorded for {body}"})
    setattr(publication, field, sent_on)
    save_with_history(publication, by)
    if previous is None:
        summary = f"Final report sent to {body} on {long_date(sent_on)}"
    else:
        summary = (
            f"Date the final report was sent to {body} corrected from {long_date(previous)} "
            f"to {long_date(sent_on)}"
        )
    timeline_event(review, by, "publication_sent", summary, recipient=recipient)
    deadlines.refresh(review, by=by)
    return publication


@transaction.atomic
def publication_family_record(
    *, review: Review, by, offered_on: datetime.date | None, response: str
) -> Publication:
    """Record that the family were offered the final draft (and their response), or why not."""
    review, publication = _start(review, by)
    _require_unpublished(publication, "change the family record")
    response = response.strip()
    if offered_on is None and not response:
        raise WorkflowError({"response": "Enter why the family were not offered the final draft"})
    require_not_future(offered_on, "offered_on")
    publication.family_offered_on = offered_on
    publication.family_response = response
    save_with_history(publication, by)
    if offered_on:
        summary = f"Family offered the final draft on {long_date(offered_on)}"
    else:
        summary = "Recorded why the family were not offered the final draft"
    # The response itself may be sensitive: it stays on the record, not in the timeline.
    timeline_event(review, by, "publication_family", summary)
    return publication


@transaction.atomic
def publication_improvements_only_set(
    *, review: Review, by, improvements_only: bool, reason: str = ""
) -> Publication:
    """Choose between publishing the full report and only information about the improvements."""
    review, publication = _start(review, by)
    _require_unpublished(publication, "change what will be published")
    reason = reason.strip()
    if improvements_only and not reason:
        raise WorkflowError({"reason": "Enter why the full report will not be published"})
    if publication.improvements_only == improvements_only and (
        not improvements_only or publication.improvements_reason == reason
    ):
        raise WorkflowError("Nothing has changed.")
    publication.improvements_only = improvements_only
    publication.improvements_reason = reason if improvements_only else ""
    save_with_history(publication, by)
    if improvements_only:
        summary = "Only information about the improvements will be published"
    else:
        summary = "The full report will be published"
    timeline_event(review, by, "publication_improvements_only", summary, reason=reason)
    deadlines.refresh(review, by=by)
    return publication


@transaction.atomic
def report_publish(
    *, review: Review, by, published_on: datetime.date, web_address: str
) -> Publication:
    """Record the publication of the final report (or of the improvements) on the website."""
    review, publication = _start(review, by)
    _require_unpublished(publication, "publish it again")
    require_not_future(published_on, "published_on")
    if not web_address.strip():
        raise WorkflowError({"web_address": "Enter the web address of the published report"})
    blockers = publication_blockers(review, published_on)
    if blockers:
        raise WorkflowError(blockers)
    publication.published_on = published_on
    publication.web_address = web_address.strip()
    save_with_history(publication, by)
    if publication.improvements_only:
        review.report_status = ReportStatus.IMPROVEMENTS_PUBLISHED
        summary = f"Information about the improvements published on {long_date(published_on)}"
    else:
        review.report_status = ReportStatus.PUBLISHED
        summary = f"Final report published on {long_date(published_on)}"
    save_with_history(review, by, validate=False)
    timeline_event(review, by, "report_published", summary, web_address=publication.web_address)
    # A report once published is judged against the day it was published.
    deadlines.refresh(review, by=by, recompute_met={DeadlineKind.PRE_PUBLICATION})
    return publication


@transaction.atomic
def publication_removed_record(*, review: Review, by, removed_on: datetime.date) -> Publication:
    """Record that the published report came down from the website (after the months it must
    stay online)."""
    review, publication = _start(review, by)
    if not publication.is_published:
        raise WorkflowError("The report has not been published.")
    if publication.removed_on:
        raise WorkflowError(
            f"The report's removal is already recorded ({long_date(publication.removed_on)})."
        )
    require_not_future(removed_on, "removed_on")
    clocks = ClockSettings.load()
    may_come_down = deadlines.months_later(
        publication.published_on, clocks.publication_online_months, calendar()
    )
    if removed_on < may_come_down:
        raise WorkflowError(
            {
                "removed_on": f"A published report stays online for at least "
                f"{clocks.publication_online_months} months: this one may come down from "
                f"{long_date(may_come_down)}"
            }
        )
    publication.removed_on = removed_on
    save_with_history(publication, by)
    timeline_event(
        review, by, "publication_removed", f"Published report came down on {long_date(removed_on)}"
    )
    deadlines.refresh(review, by=by)
    return publication
