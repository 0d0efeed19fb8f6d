"""The review page's task list: every step of the process, its status, its clock and (when the
user may take it now) its link. Later stages live in other apps (panels, chronologies, actions),
which add their own sections with `register_section` from their AppConfig.ready(), so this
module never imports them."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone

from lcspr.core.permissions import can
from lcspr.core.text import long_date
from reviews.clocks import deadlines
from reviews.clocks.models import DeadlineKind
from reviews.decision.models import NoticeRecipient, Outcome
from reviews.models import Stage
from reviews.rapid_review import services as rapid_review_services
from reviews.referral import services as referral_services

SectionBuilder = Callable[..., "tuple[str, list[Task]] | None"]
_extra_sections: list[tuple[int, SectionBuilder]] = []


def register_section(builder: SectionBuilder, *, order: int = 100) -> None:
    """Add a section after the built-in ones, in `order` (commissioning 100, chronologies 200,
    report and publication 300, action plan 400): builder(user, page) -> (heading, tasks) or
    None."""
    if all(b is not builder for _, b in _extra_sections):
        _extra_sections.append((order, builder))
        _extra_sections.sort(key=lambda item: item[0])


COMPLETED = "Completed"
IN_PROGRESS = "In progress"
NOT_STARTED = "Not yet started"
CANNOT_START = "Cannot start yet"
NOT_NEEDED = "Not needed"
NONE_RECORDED = "None recorded"  # an optional step of a rapid review that is over


@dataclass
class Task:
    """One row of the review's task list."""

    name: str
    status: str
    url: str = ""
    hint: str = ""
    clock: object = None  # an open Deadline with `countdown` attached
    lines: list = field(default_factory=list)  # (text, countdown or None)

    @property
    def tag_class(self) -> str:
        return {IN_PROGRESS: "govuk-tag--light-blue", NOT_STARTED: "govuk-tag--blue"}.get(
            self.status, ""
        )

    @property
    def is_muted(self) -> bool:
        return self.status in (CANNOT_START, NOT_NEEDED, NONE_RECORDED)


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _task_list(user, page, notification, rapid, other) -> list[tuple[str, list[Task]]]:
    """Every step of the first half of the process, with its status, clock and (when the user
    may take it now) its link."""
    review, clocks = page["review"], page["clocks"]
    may_manage, may_sign, may_decide = (
        can(user, action, review) for action in ("manage", "sign_off", "decide")
    )
    pk, stage = review.pk, review.stage

    def url(name, allowed, *args):
        return reverse(f"reviews:{name}", args=[pk, *args]) if allowed else ""

    def clock(kind):
        deadline = clocks.get(kind)
        return deadline if deadline is not None and deadline.is_open else None

    is_referral, closed = stage == Stage.REFERRAL, stage == Stage.CLOSED
    children = len(review.children.all())
    referral = [
        Task(
            "Case details",
            COMPLETED,
            url("edit", may_manage and not closed),
            f"{review.get_trigger_display()}; referred by {review.referring_agency}",
        ),
        Task(
            "Children",
            COMPLETED if children else NOT_STARTED,
            url(
                "child_add", may_manage and not closed and children < referral_services.MAX_CHILDREN
            ),
            _count(children, "child recorded", "children recorded")
            if children
            else "No children recorded yet",
        ),
        Task(
            "Criteria check",
            COMPLETED if review.criteria_checked else NOT_STARTED,
            url("criteria", may_manage and is_referral),
            ("The criteria are met" if review.criteria_met else "The criteria are not met")
            if review.criteria_checked
            else "",
        ),
    ]
    closed_unnotified = closed and notification is None
    if (review.criteria_checked and not review.criteria_met) or closed_unnotified:
        referral.append(
            Task(
                "Close the referral",
                COMPLETED if closed_unnotified else NOT_STARTED,
                url("close", may_manage and is_referral),
                review.closed_reason if closed else "",
            )
        )

    def notification_status(done):
        if done:
            return COMPLETED
        if closed:
            return NOT_NEEDED
        return NOT_STARTED if review.criteria_met else CANNOT_START

    may_notify = may_manage and is_referral and review.criteria_met
    notify = [
        Task(
            "Notify the National Panel",
            notification_status(notification is not None),
            url("notification", may_notify),
            (
                f"Sent on {long_date(notification.sent_on)}"
                + (
                    f"; the Panel's reference is {notification.panel_reference}"
                    if notification.panel_reference
                    else ""
                )
            )
            if notification
            else (
                "" if review.criteria_met or closed else "Record that the criteria are met first"
            ),
            clock(DeadlineKind.NOTIFICATION),
        ),
        Task(
            "Inform the safeguarding partners",
            COMPLETED if review.partners_informed_on else (NOT_NEEDED if closed else NOT_STARTED),
            url("partners_informed", may_manage and not closed),
            f"Informed on {long_date(review.partners_informed_on)}"
            if review.partners_informed_on
            else "",
            clock(DeadlineKind.PARTNERS_INFORMED),
        ),
    ]
    if review.is_looked_after_death:
        told = notification is not None and notification.dfe_notified_on
        notify.append(
            Task(
                "Notify the DfE and Ofsted of a looked-after child's death",
                notification_status(told),
                url("notification", may_notify),
                f"DfE notified on {long_date(notification.dfe_notified_on)}; Ofsted notified on "
                f"{long_date(notification.ofsted_notified_on)}"
                if told
                else "Recorded with the notification to the National Panel",
            )
        )

    return [
        ("Referral", referral),
        ("Notification", notify),
        ("Rapid review", _rapid_review_tasks(user, page, rapid, url, clock, may_manage, may_sign)),
        ("Decision", _decision_tasks(page, rapid, other, url, clock, may_manage, may_decide)),
    ]


def _rapid_review_tasks(user, page, rapid, url, clock, may_manage, may_sign) -> list[Task]:
    review = page["review"]
    if rapid is None:
        status = NOT_NEEDED if review.stage == Stage.CLOSED else CANNOT_START
        hint = "" if status == NOT_NEEDED else "Starts when the notification is recorded"
        names = [
            "Findings",
            "Meetings",
            "Immediate safety actions",
            "Agency summaries",
            "Recommendation",
            "Partner sign-offs",
            "Send to the National Panel",
            "National Panel's response",
        ]
        return [Task(name, status, hint=hint) for name in names]

    active = may_manage and review.stage == Stage.RAPID_REVIEW
    empty = NOT_STARTED if review.stage == Stage.RAPID_REVIEW else NONE_RECORDED
    findings = [rapid.facts, rapid.emerging_learning]
    if all(findings):
        findings_status = COMPLETED
    elif any(findings) or rapid.equality_context:
        findings_status = IN_PROGRESS
    else:
        findings_status = empty
    meetings, actions = list(rapid.meetings.all()), list(rapid.immediate_actions.all())

    requests = list(review.agency_summaries.all())
    received = [r for r in requests if r.received_on]
    summary_lines = [
        (f"{r.agency}: received on {long_date(r.received_on)}", None)
        if r.received_on
        else (f"{r.agency}: due by {long_date(r.due_date)}", r.countdown)
        for r in requests
    ]
    if not requests:
        summaries_status = empty
    else:
        summaries_status = COMPLETED if len(received) == len(requests) else IN_PROGRESS

    sign_offs = {s.agency_id: s for s in rapid.sign_offs.all()}
    partners = list(rapid_review_services.statutory_partners())
    missing = [p for p in partners if p.pk not in sign_offs]
    sign_lines = [
        (
            f"{p}: signed off by {sign_offs[p.pk].signed_by} on "
            f"{long_date(timezone.localtime(sign_offs[p.pk].signed_at))}",
            None,
        )
        if p.pk in sign_offs
        else (f"{p}: not yet signed off", None)
        for p in partners
    ]
    if not rapid.recommendation:
        sign_status = CANNOT_START
    elif not missing:
        sign_status = COMPLETED
    else:
        sign_status = IN_PROGRESS if sign_offs else NOT_STARTED
    may_sign_now = (
        may_sign
        and review.stage == Stage.RAPID_REVIEW
        and bool(rapid.recommendation)
        and user.agency_id not in sign_offs
    )
    ready_to_send = bool(rapid.recommendation) and not missing
    if rapid.sent_to_panel_on:
        send_status = COMPLETED
    else:
        send_status = NOT_STARTED if ready_to_send else CANNOT_START

    return [
        Task(
            "Findings",
            findings_status,
            url("rapid_review", active),
            "Facts, emerging learning, equality context and the local-review criteria",
        ),
        Task(
            "Meetings",
            COMPLETED if meetings else empty,
            url("meeting_add", active),
            _count(len(meetings), "meeting", "meetings")
            + (f", the latest on {long_date(meetings[-1].held_on)}" if meetings else ""),
        ),
        Task(
            "Immediate safety actions",
            COMPLETED if actions else empty,
            url("immediate_action_add", active),
            _count(len(actions), "action recorded", "actions recorded"),
        ),
        Task(
            "Agency summaries",
            summaries_status,
            url("summary_request_add", active),
            f"{len(received)} of {len(requests)} received"
            if requests
            else "No agency has been asked yet",
            lines=summary_lines,
        ),
        Task(
            "Recommendation",
            COMPLETED if rapid.recommendation else NOT_STARTED,
            url("recommendation", active),
            rapid.get_recommendation_display(),
        ),
        Task(
            "Partner sign-offs",
            sign_status,
            url("sign_off", may_sign_now),
            "" if rapid.recommendation else "Needs the partners' recommendation first",
            lines=sign_lines,
        ),
        Task(
            "Send to the National Panel",
            send_status,
            url("send", active and ready_to_send and not rapid.sent_to_panel_on),
            f"Sent on {long_date(rapid.sent_to_panel_on)}"
            if rapid.sent_to_panel_on
            else (
                ""
                if ready_to_send
                else "Needs the recommendation signed off by every statutory partner"
            ),
            clock(DeadlineKind.RAPID_REVIEW),
        ),
        Task(
            "National Panel's response",
            COMPLETED
            if rapid.panel_response
            else (NOT_STARTED if rapid.sent_to_panel_on else CANNOT_START),
            url("panel_response", may_manage and bool(rapid.sent_to_panel_on)),
            f"{rapid.get_panel_response_display()} ({long_date(rapid.panel_response_on)})"
            if rapid.panel_response
            else "",
        ),
    ]


def _decision_tasks(page, rapid, other, url, clock, may_manage, may_decide) -> list[Task]:
    review = page["review"]
    current = deadlines.current_decision(review)
    ready = (
        rapid is not None
        and bool(rapid.recommendation)
        and review.stage in (Stage.RAPID_REVIEW, Stage.AWAITING_DECISION)
        and not rapid_review_services.missing_sign_offs(rapid)
    )
    if current is not None:
        may_change = may_decide and (
            review.stage != Stage.CLOSED or current.outcome == Outcome.NO_FURTHER_ACTION
        )
        decision = Task(
            "Independent Chair's decision",
            COMPLETED,
            url("decision_change", may_change),
            f"{current.get_outcome_display()} ({long_date(current.decided_on)})",
        )
    else:
        status = (
            NOT_STARTED if ready else (NOT_NEEDED if review.stage == Stage.CLOSED else CANNOT_START)
        )
        decision = Task(
            "Independent Chair's decision",
            status,
            url("decision", may_decide and ready),
            "" if ready or status == NOT_NEEDED else "Needs the signed-off recommendation first",
        )
    tasks = [decision]
    if current is None:
        if decision.status != NOT_NEEDED:
            tasks.append(
                Task(
                    "Notices to the DfE, Ofsted and the National Panel, or another learning review",
                    CANNOT_START,
                    hint="Depends on the decision",
                )
            )
    elif current.outcome == Outcome.LCSPR:
        sent = {n.recipient: n for n in review.notices.all()}
        for recipient, kind in deadlines.NOTICE_KINDS.items():
            notice = sent.get(recipient)
            tasks.append(
                Task(
                    DeadlineKind(kind).label,
                    COMPLETED if notice else NOT_STARTED,
                    url("notice", may_manage and notice is None, recipient),
                    (
                        f"{NoticeRecipient(recipient).label} told on {long_date(notice.sent_on)}"
                        + (f"; their reference is {notice.reference}" if notice.reference else "")
                    )
                    if notice
                    else "",
                    clock(kind),
                )
            )
        # "Complete the LCSPR" and its clock belong to the Commissioning section (panels/).
    elif current.outcome == Outcome.OTHER_LEARNING:
        if other is not None and other.closed_on:
            status, hint = COMPLETED, f"Closed on {long_date(other.closed_on)}"
        elif other is not None:
            status, hint = IN_PROGRESS, other.get_kind_display()
        else:
            status, hint = NOT_STARTED, "A reflective learning session or practice review"
        tasks.append(
            Task(
                "Other learning review",
                status,
                url("other_learning", may_manage and review.stage == Stage.OTHER_LEARNING),
                hint,
            )
        )
    return tasks


def build(user, page, notification, rapid, other) -> list[tuple[str, list[Task]]]:
    """The whole task list: the built-in sections, then those other apps registered."""
    sections = _task_list(user, page, notification, rapid, other)
    for _, builder in _extra_sections:
        section = builder(user, page)
        if section:
            sections.append(section)
    return sections
