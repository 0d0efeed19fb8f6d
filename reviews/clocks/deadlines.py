"""Every statutory clock of a review: when it starts, how long it runs, and when it is met.
`refresh` keeps a review's Deadline rows in step with its recorded dates."""

import datetime
from collections.abc import Collection
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from lcspr.core.services import delete_with_history, save_with_history
from lcspr.core.working_days import WorkingCalendar, calendar, describe_countdown
from reviews.clocks.models import ClockSettings, ClockStart, Deadline, DeadlineKind
from reviews.decision.models import NoticeRecipient, Outcome
from reviews.models import Review, Stage

ALL_KINDS = frozenset(DeadlineKind.values)
NOTICE_KINDS = {
    NoticeRecipient.DFE: DeadlineKind.NOTICE_DFE,
    NoticeRecipient.OFSTED: DeadlineKind.NOTICE_OFSTED,
    NoticeRecipient.NATIONAL_PANEL: DeadlineKind.NOTICE_PANEL,
}


@dataclass(frozen=True)
class Clock:
    kind: str
    counted_from: datetime.date
    due_date: datetime.date
    met_on: datetime.date | None


def _notification_start(review: Review, clocks: ClockSettings) -> datetime.date:
    if clocks.notification_start == ClockStart.INCIDENT:
        return review.incident_date
    return review.la_aware_date


def months_later(start: datetime.date, months: int, cal: WorkingCalendar) -> datetime.date:
    """`months` calendar months after start, moved to the next working day if it is not one."""
    due = start + relativedelta(months=months)
    return due if cal.is_working_day(due) else cal.next_working_day(due)


def current_decision(review: Review):
    """The decision in force: the latest one that took effect. A decision awaiting the partners'
    agreement, or not agreed, is not in force and starts no clock."""
    live = [d for d in review.decisions.all() if d.is_in_force]
    return live[-1] if live else None


def expected_clocks(
    review: Review, clocks: ClockSettings, cal: WorkingCalendar
) -> dict[str, Clock]:
    """The clocks a review should have now, keyed by DeadlineKind."""
    expected: dict[str, Clock] = {}
    notification = getattr(review, "notification", None) if _has(review, "notification") else None
    rapid_review = getattr(review, "rapid_review", None) if _has(review, "rapid_review") else None
    # A referral that does not meet the criteria leaves the referral stage without a
    # notification: closed, or for a learning review held instead. Nothing is then due to the
    # National Panel, so neither are the clocks that count with the notification (none could
    # be met: the notification is recorded only at the referral stage).
    left_without_notification = notification is None and review.stage in (
        Stage.CLOSED,
        Stage.OTHER_LEARNING,
    )

    if not left_without_notification:
        start = _notification_start(review, clocks)
        expected[DeadlineKind.NOTIFICATION] = Clock(
            DeadlineKind.NOTIFICATION,
            start,
            cal.add(start, clocks.notification_days),
            notification.sent_on if notification else None,
        )
        expected[DeadlineKind.PARTNERS_INFORMED] = Clock(
            DeadlineKind.PARTNERS_INFORMED,
            start,
            cal.add(start, clocks.partners_informed_days),
            review.partners_informed_on,
        )
        if clocks.rapid_review_start == ClockStart.AWARENESS:
            rr_start = review.la_aware_date
        else:
            rr_start = notification.sent_on if notification else None
        if rr_start is not None:
            expected[DeadlineKind.RAPID_REVIEW] = Clock(
                DeadlineKind.RAPID_REVIEW,
                rr_start,
                cal.add(rr_start, clocks.rapid_review_days),
                rapid_review.sent_to_panel_on if rapid_review else None,
            )

    if review.is_looked_after_death:
        # Whatever the cause of death and whatever happens to the referral: its own clock,
        # from when the local authority became aware of the death.
        notice = (
            review.looked_after_death_notice if _has(review, "looked_after_death_notice") else None
        )
        expected[DeadlineKind.LOOKED_AFTER_DEATH] = Clock(
            DeadlineKind.LOOKED_AFTER_DEATH,
            review.la_aware_date,
            cal.add(review.la_aware_date, clocks.looked_after_death_days),
            notice.met_on if notice else None,
        )

    decision = current_decision(review)
    if decision is not None and decision.outcome == Outcome.LCSPR:
        sent = {n.recipient: n.sent_on for n in review.notices.all()}
        for recipient, kind in NOTICE_KINDS.items():
            expected[kind] = Clock(
                kind,
                decision.decided_on,
                cal.add(decision.decided_on, clocks.national_notice_days),
                sent.get(recipient),
            )
        approval = next((a for a in review.report_approvals.all() if a.is_live), None)
        signed_off = approval.signed_off_at if approval and approval.is_signed_off else None
        expected[DeadlineKind.COMPLETION] = Clock(
            DeadlineKind.COMPLETION,
            decision.decided_on,
            months_later(decision.decided_on, clocks.completion_months, cal),
            timezone.localtime(signed_off).date() if signed_off else None,
        )
        agreed = [t.agreed_at for t in review.tor_versions.all() if t.agreed_at]
        expected[DeadlineKind.TOR_AGREEMENT] = Clock(
            DeadlineKind.TOR_AGREEMENT,
            decision.decided_on,
            cal.add(decision.decided_on, clocks.tor_agreement_days),
            timezone.localtime(min(agreed)).date() if agreed else None,
        )
        if review.stage == Stage.LCSPR and signed_off is None:
            # The checkpoint clock rolls: each checkpoint held starts the next interval. It ends
            # when the report is complete (signed off).
            held = [c.held_on for c in review.checkpoints.all()]
            last = max(held) if held else decision.decided_on
            expected[DeadlineKind.CHECKPOINT] = Clock(
                DeadlineKind.CHECKPOINT,
                last,
                months_later(last, clocks.checkpoint_interval_months, cal),
                None,
            )
        publication = review.publication if _has(review, "publication") else None
        expected.update(_publication_clocks(publication, clocks, cal))
    return expected


def _publication_clocks(publication, clocks: ClockSettings, cal: WorkingCalendar):
    """The final report must reach the National Panel, the DfE and Ofsted at least N working
    days before the planned publication date (met when every sending is recorded); a published
    report stays online for M months, after which the partnership reviews whether it comes
    down."""
    expected = {}
    if publication is None:
        return expected
    # Judged against the planned date until the report is published, then against the day it
    # was: a planned date moved later does not excuse a late sending, nor condemn an early one.
    publishing_on = publication.published_on or publication.planned_on
    if publishing_on:
        sent = [publication.sent_to_panel_on, publication.sent_to_dfe_on]
        # Ofsted receives the report too. A report published before its date was recorded here
        # (publication needs all three now) is judged on the two sendings it was published on.
        if publication.sent_to_ofsted_on or not publication.published_on:
            sent.append(publication.sent_to_ofsted_on)
        expected[DeadlineKind.PRE_PUBLICATION] = Clock(
            DeadlineKind.PRE_PUBLICATION,
            publishing_on,
            latest_send_date(publishing_on, clocks, cal),
            max(sent) if all(sent) else None,
        )
    if publication.published_on:
        expected[DeadlineKind.TAKEDOWN] = Clock(
            DeadlineKind.TAKEDOWN,
            publication.published_on,
            months_later(publication.published_on, clocks.publication_online_months, cal),
            publication.removed_on,
        )
    return expected


def latest_send_date(
    planned_on: datetime.date, clocks: ClockSettings, cal: WorkingCalendar
) -> datetime.date:
    """The last day the final report can go to the National Panel, the DfE and Ofsted for
    publication on `planned_on`: `pre_publication_days` working days before it."""
    return cal.subtract(planned_on, clocks.pre_publication_days)


def earliest_publication_date(
    sent_on: datetime.date, clocks: ClockSettings, cal: WorkingCalendar
) -> datetime.date:
    """The first day a report sent on `sent_on` may be published."""
    return cal.add(sent_on, clocks.pre_publication_days)


def _has(review: Review, related: str) -> bool:
    try:
        getattr(review, related)
    except Exception:  # noqa: BLE001 - RelatedObjectDoesNotExist for a missing one-to-one
        return False
    return True


def refresh(
    review: Review, *, by=None, clocks=None, cal=None, recompute_met: Collection[str] = ()
) -> list[Deadline]:
    """Bring the review's stored Deadline rows in line with its facts (history-recorded).

    A met clock is history: its start and due date stay as they were when it was met, whatever
    the clock settings or the calendar say later (only its met date follows a correction of the
    date that met it). `recompute_met` names the kinds whose met clocks are worked out again: a
    correction of the dates a clock counts from changes what it always should have been
    (ALL_KINDS), and a report once published is judged against its publication date."""
    clocks = clocks or ClockSettings.load()
    cal = cal or calendar()
    # Reload related facts: services call this right after changing them.
    review = (
        Review.objects.prefetch_related(
            "decisions", "notices", "tor_versions", "checkpoints", "report_approvals"
        )
        .select_related("publication", "looked_after_death_notice")
        .get(pk=review.pk)
    )
    expected = expected_clocks(review, clocks, cal)
    stored = {d.kind: d for d in review.deadlines.all()}
    for kind, deadline in stored.items():
        if kind not in expected:
            delete_with_history(deadline, by)
    result = []
    for kind, clock in expected.items():
        deadline = stored.get(kind) or Deadline(review=review, kind=kind)
        fields = {
            "counted_from": clock.counted_from,
            "due_date": clock.due_date,
            "met_on": clock.met_on,
        }
        if deadline.met_on is not None and clock.met_on is not None and kind not in recompute_met:
            fields = {"met_on": clock.met_on}
        if deadline.pk is None or any(getattr(deadline, f) != v for f, v in fields.items()):
            for f, v in fields.items():
                setattr(deadline, f, v)
            save_with_history(deadline, by, validate=False)
        result.append(deadline)
    return sorted(result, key=lambda d: d.due_date)


def countdown(due_date: datetime.date, today: datetime.date, cal: WorkingCalendar) -> int:
    """Working days from today to the due date: negative when overdue."""
    return cal.count_between(today, due_date)


def countdown_text(due_date: datetime.date, today: datetime.date, cal: WorkingCalendar) -> str:
    """ "due in 3 working days", "due today", "overdue by 2 working days"."""
    return describe_countdown(countdown(due_date, today, cal))
