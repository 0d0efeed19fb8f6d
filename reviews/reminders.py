"""The clocks of reviews/ as reminders.

Two providers for lcspr.reminders: every open statutory deadline the partnership manager
must meet (notification, partners informed, rapid review, the national notices after an LCSPR
decision, the pre-publication sending and the takedown date), and every agency summary an agency
still owes. The clocks that need a review's panel (Terms of Reference, checkpoints, completion)
are listed by panels/reminders.py, which builds on the helpers here.

Each provider lists all its open items in a fixed number of queries however many reviews there
are; which threshold an item has reached today, and whom to tell beyond the responsible people,
is the mechanism's business.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse

from lcspr.accounts.models import Role
from lcspr.reminders.clocks import Due, register_clock
from reviews.clocks.deadlines import NOTICE_KINDS
from reviews.clocks.models import Deadline, DeadlineKind
from reviews.models import Stage
from reviews.rapid_review.models import AgencySummaryRequest

STATUTORY = "Statutory deadline"
RECIPIENT_OF_NOTICE = {kind: recipient for recipient, kind in NOTICE_KINDS.items()}
# The page where each step is recorded.
PAGES = {
    DeadlineKind.NOTIFICATION: "reviews:notification",
    DeadlineKind.PARTNERS_INFORMED: "reviews:partners_informed",
    DeadlineKind.LOOKED_AFTER_DEATH: "reviews:looked_after_death",
    DeadlineKind.RAPID_REVIEW: "reviews:send",
    DeadlineKind.PRE_PUBLICATION: "reviews:publication",
    DeadlineKind.TAKEDOWN: "reviews:publication",
    **dict.fromkeys(RECIPIENT_OF_NOTICE, "reviews:notice"),
}
# Outstanding national notices and the pre-publication sending are reminded every working day
# until recorded (Working Together 2023), not only at the usual thresholds.
DAILY = {*RECIPIENT_OF_NOTICE, DeadlineKind.PRE_PUBLICATION}
# The takedown date only prompts the partnership to consider removing the report: nobody is
# late if it stays up, so it never escalates.
INFORMATIVE = {DeadlineKind.TAKEDOWN}
RUN_ON_AFTER_CLOSING = (DeadlineKind.TAKEDOWN, DeadlineKind.LOOKED_AFTER_DEATH)


# --- helpers shared with the other apps' providers --------------------------------------------


def users_with_role(role: str) -> tuple[int, ...]:
    """The ids of the active users holding a partnership-wide role (one query)."""
    return tuple(
        get_user_model()
        .objects.filter(is_active=True, role_assignments__role=role)
        .order_by("pk")
        .values_list("pk", flat=True)
        .distinct()
    )


def managers() -> tuple[int, ...]:
    """The partnership managers: the last resort when nobody else is named."""
    return users_with_role(Role.PARTNERSHIP_MANAGER)


def agency_representatives(agency_ids: Iterable[int] | None = None) -> dict[int, tuple[int, ...]]:
    """The active agency representatives of each agency, by agency id (one query). With no
    `agency_ids`, every agency's."""
    users = get_user_model().objects.filter(
        is_active=True,
        agency__isnull=False,
        role_assignments__role=Role.AGENCY_REPRESENTATIVE,
    )
    if agency_ids is not None:
        users = users.filter(agency_id__in=agency_ids)
    found = defaultdict(list)
    for agency_id, user_id in users.order_by("pk").values_list("agency_id", "pk").distinct():
        found[agency_id].append(user_id)
    return {agency_id: tuple(ids) for agency_id, ids in found.items()}


def union(*groups: Iterable[int]) -> tuple[int, ...]:
    """User ids from several groups, each once, in the order first named."""
    return tuple(dict.fromkeys(pk for group in groups for pk in group))


def review_label(review) -> str:
    """ "CSPR-2026-004 (Child T)": all a reminder may say about the case."""
    return f"{review.reference} ({review.pseudonym})"


def open_deadlines(kinds: Iterable[str]):
    """Open Deadline rows of `kinds` with their review. A closed review's clocks are moot,
    except those that run on after it closes: the takedown date, and the DfE and Ofsted notice
    of a looked-after child's death, owed whatever became of the referral."""
    return (
        Deadline.objects.filter(met_on__isnull=True, kind__in=list(kinds))
        .filter(Q(kind__in=RUN_ON_AFTER_CLOSING) | ~Q(review__stage=Stage.CLOSED))
        .select_related("review")
        .order_by("due_date", "pk")
    )


def deadline_due(deadline: Deadline, *, url: str, responsible: Iterable[int]) -> Due:
    """A Deadline row as a reminder item."""
    review = deadline.review
    return Due(
        key=f"deadline:{deadline.pk}",
        title=deadline.get_kind_display(),
        due_date=deadline.due_date,
        url=url,
        responsible=tuple(responsible),
        review_label=review_label(review),
        review_id=review.pk,
        escalates=deadline.kind not in INFORMATIVE,
        kind=STATUTORY,
        extra={"daily": deadline.kind in DAILY, "deadline_kind": deadline.kind},
    )


# --- the providers ----------------------------------------------------------------------------


def _page(deadline: Deadline) -> str:
    name = PAGES[deadline.kind]
    if deadline.kind in RECIPIENT_OF_NOTICE:
        return reverse(name, args=[deadline.review_id, RECIPIENT_OF_NOTICE[deadline.kind]])
    return reverse(name, args=[deadline.review_id])


def deadline_items(today: datetime.date) -> list[Due]:
    """Every open statutory or national deadline, for the partnership managers (2 queries)."""
    responsible = managers()
    return [
        deadline_due(deadline, url=_page(deadline), responsible=responsible)
        for deadline in open_deadlines(PAGES)
    ]


def summary_request_items(today: datetime.date) -> list[Due]:
    """Every agency summary requested for a rapid review and not yet received, for the agency's
    representatives (the partnership managers when the agency has none) (3 queries). Only
    while the rapid review is under way: a summary cannot be submitted after it."""
    requests = list(
        AgencySummaryRequest.objects.filter(
            received_on__isnull=True, review__stage=Stage.RAPID_REVIEW
        )
        .select_related("review", "agency")
        .order_by("due_date", "pk")
    )
    if not requests:
        return []
    representatives = agency_representatives({r.agency_id for r in requests})
    fallback = managers()
    return [
        Due(
            key=f"summary-request:{request.pk}",
            title=f"Send the {request.agency.name} summary for the rapid review",
            due_date=request.due_date,
            url=reverse("reviews:summary_detail", args=[request.pk]),
            responsible=representatives.get(request.agency_id) or fallback,
            review_label=review_label(request.review),
            review_id=request.review_id,
            kind="Agency summary",
        )
        for request in requests
    ]


register_clock("statutory_deadlines", deadline_items)
register_clock("agency_summaries", summary_request_items)
