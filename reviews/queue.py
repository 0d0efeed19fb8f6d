"""A person's work queue, the home page's "Waiting for you": every step that is theirs to take
now across their reviews, taken from the task list's own rules (`tasklist.waiting_for` on each
review's page: one source of truth), with the agency summaries their agency owes and what other
apps add (an action owner's overdue updates), overdue first, then by due date.

Other apps add to the queue from their AppConfig.ready() through `register_reviews` (reviews
whose task list may hold a step for the user although they do not see the review: an agency's
chronology) and `register_items` (items outside any task list), so reviews imports none of them.

Cost: a fixed number of queries whatever the number of reviews. The pages of every review in the
queue are loaded together (`selectors.review_pages`, each section loading its part for all of
them) and the person's permission facts once (`permissions.load_facts`); see docs/adr/0006.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from lcspr.accounts.models import Role
from lcspr.core.permissions import load_facts
from lcspr.core.working_days import calendar, describe_countdown
from reviews import selectors
from reviews.models import Review, Stage
from reviews.permissions import reviews_for_user, summary_requests_for_user
from reviews.tasklist import waiting_for


@dataclass(frozen=True)
class QueueItem:
    """One thing waiting for a person: on which review, what to do (and where), by when."""

    reference: str
    pseudonym: str
    what: str
    url: str
    due_date: datetime.date | None = None
    countdown: int | None = None  # working days to the due date, negative when overdue
    section: str = ""  # the task list's heading, for a step from it ("" for any other item)

    @property
    def is_overdue(self) -> bool:
        return self.countdown is not None and self.countdown < 0

    @property
    def countdown_text(self) -> str:
        return describe_countdown(self.countdown) if self.countdown is not None else ""

    @property
    def sort_key(self) -> tuple:
        # Overdue first, then the soonest due; items with no due date last.
        return (
            not self.is_overdue,
            self.due_date is None,
            self.due_date or datetime.date.max,
            self.reference,
            self.what,
        )


_review_sources: list[Callable] = []
_item_sources: list[Callable] = []


def register_reviews(source: Callable) -> None:
    """`source(user)` returns review pks whose task list may hold a step for `user` beyond the
    reviews they see (an agency representative's chronology request)."""
    if source not in _review_sources:
        _review_sources.append(source)


def register_items(source: Callable) -> None:
    """`source(user, today)` returns QueueItems from outside any task list (an action owner's
    overdue update)."""
    if source not in _item_sources:
        _item_sources.append(source)


def _queue_review_pks(user) -> set[int]:
    pks = set(reviews_for_user(user).exclude(stage=Stage.CLOSED).values_list("pk", flat=True))
    for source in _review_sources:
        pks.update(source(user))
    return pks


def queue_reviews(user) -> list[Review]:
    """The reviews whose task list is read for `user`'s queue: the open reviews they see, and
    those another app says hold a step of theirs."""
    pks = _queue_review_pks(user)
    return list(Review.objects.filter(pk__in=pks).exclude(stage=Stage.CLOSED).order_by("pk"))


def _countdown(clock) -> tuple[datetime.date | None, int | None]:
    if clock is None or getattr(clock, "due_date", None) is None:
        return None, None
    return clock.due_date, clock.countdown


def _page_items(user, page: dict) -> list[QueueItem]:
    review = page["review"]
    items = []
    for enabled in waiting_for(user, page):
        due_date, countdown = _countdown(enabled.task.clock)
        items.append(
            QueueItem(
                review.reference,
                review.pseudonym,
                enabled.task.name,
                enabled.task.url,
                due_date,
                countdown,
                enabled.heading,
            )
        )
    return items


def steps_waiting(user, review: Review, *, today: datetime.date) -> list[QueueItem]:
    """The task list's steps waiting for `user` on one review, as queue items."""
    return _page_items(user, selectors.review_page(review, today=today))


def _steps_waiting_everywhere(user, today: datetime.date) -> list[QueueItem]:
    """The task lists' steps waiting for `user` across their queue's reviews: every page and
    the user's permission facts loaded at once, so a fixed number of queries whatever the
    number of reviews (docs/adr/0006)."""
    pages = selectors.review_pages(sorted(_queue_review_pks(user)), today=today)
    pages = [page for page in pages if page["review"].stage != Stage.CLOSED]
    load_facts(user, [page["review"] for page in pages])
    return [item for page in pages for item in _page_items(user, page)]


def _summaries_owed(user, today: datetime.date) -> Iterable[QueueItem]:
    """The agency summaries a representative's agency has been asked for and not yet sent."""
    if not user.has_role(Role.AGENCY_REPRESENTATIVE) or not user.agency_id:
        return []
    requests = (
        summary_requests_for_user(user)
        .filter(
            agency_id=user.agency_id,
            received_on__isnull=True,
            review__stage=Stage.RAPID_REVIEW,
        )
        .select_related("review")
    )
    cal = calendar()
    return [
        QueueItem(
            request.review.reference,
            request.review.pseudonym,
            "Send your agency's summary for the rapid review",
            reverse("reviews:summary_detail", args=[request.pk]),
            request.due_date,
            cal.count_between(today, request.due_date),
        )
        for request in requests
    ]


def waiting_for_you(user, *, today: datetime.date | None = None) -> list[QueueItem]:
    """Everything waiting for `user`, overdue first, then by due date."""
    today = today or timezone.localdate()
    items = _steps_waiting_everywhere(user, today)
    items.extend(_summaries_owed(user, today))
    for source in _item_sources:
        items.extend(source(user, today))
    return sorted(items, key=lambda item: item.sort_key)


# --- "Waiting for others": what those a person leads are late on -------------------------------


@dataclass(frozen=True)
class LateItem:
    """Something past its due date that others owe: on which review, who, what, since when,
    and whom a reminder goes to. `kind` and `pk` name it for the reminder button."""

    kind: str
    pk: int
    review: Review
    who: str
    what: str
    url: str
    due_date: datetime.date
    countdown: int
    recipients: tuple = ()

    @property
    def countdown_text(self) -> str:
        return describe_countdown(self.countdown)

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.pk}"


_late_sources: dict[str, tuple[Callable, Callable]] = {}


def register_late(kind: str, find: Callable, get: Callable) -> None:
    """`find(user, today)` lists the LateItems of `kind` that `user` leads; `get(user, pk,
    today)` returns one of them, through the kind's access helper (404 when `user` may not know
    it exists, 403 when they may not chase it; None when it is no longer late)."""
    _late_sources[kind] = (find, get)


def waiting_for_others(user, *, today: datetime.date | None = None) -> list[LateItem]:
    """What those `user` leads are late on, the most overdue first."""
    today = today or timezone.localdate()
    items = [item for find, _get in _late_sources.values() for item in find(user, today)]
    return sorted(items, key=lambda item: (item.due_date, item.review.reference, item.what))


def late_item(user, kind: str, pk: int, *, today: datetime.date | None = None):
    """One late item, for the reminder button (Http404 for an unknown kind)."""
    from django.http import Http404

    if kind not in _late_sources:
        raise Http404
    return _late_sources[kind][1](user, pk, today or timezone.localdate())


def representatives(agency_ids) -> dict[int, list]:
    """The active agency representatives of each agency, by agency id (one query)."""
    from django.contrib.auth import get_user_model

    reps = (
        get_user_model()
        .objects.filter(
            is_active=True,
            agency_id__in=agency_ids,
            role_assignments__role=Role.AGENCY_REPRESENTATIVE,
        )
        .distinct()
    )
    by_agency: dict[int, list] = {}
    for rep in reps:
        by_agency.setdefault(rep.agency_id, []).append(rep)
    return by_agency


def late_summaries(requests, today: datetime.date) -> list[LateItem]:
    """Agency summary requests past their due date, as late items (reminders go to the
    agency's representatives)."""
    requests = list(requests)
    reps = representatives({r.agency_id for r in requests})
    cal = calendar()
    return [
        LateItem(
            "summary",
            r.pk,
            r.review,
            str(r.agency),
            "Agency summary for the rapid review",
            reverse("reviews:summary_detail", args=[r.pk]),
            r.due_date,
            cal.count_between(today, r.due_date),
            tuple(reps.get(r.agency_id, ())),
        )
        for r in requests
    ]


def _late_summary_requests(user, today):
    from reviews.rapid_review.models import AgencySummaryRequest

    if not user.has_role(Role.PARTNERSHIP_MANAGER):
        return AgencySummaryRequest.objects.none()
    return (
        summary_requests_for_user(user)
        .filter(received_on__isnull=True, due_date__lt=today, review__stage=Stage.RAPID_REVIEW)
        .select_related("review", "agency")
        .order_by("due_date", "pk")
    )


def _find_summaries(user, today) -> list[LateItem]:
    return late_summaries(_late_summary_requests(user, today), today)


def _get_summary(user, pk, today) -> LateItem | None:
    from django.core.exceptions import PermissionDenied

    from reviews.permissions import get_summary_request_for

    request = get_summary_request_for(user, pk)
    if not user.has_role(Role.PARTNERSHIP_MANAGER):
        raise PermissionDenied
    late = late_summaries(_late_summary_requests(user, today).filter(pk=request.pk), today)
    return late[0] if late else None


register_late("summary", _find_summaries, _get_summary)
