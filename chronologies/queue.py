"""What chronologies add to the home page's queues (reviews.queue): for "Waiting for you", the
reviews whose task list holds a representative's agency chronology although they do not see the
review itself; for "Waiting for others", the chronologies past their due date on the reviews a
person accepts them for (the manager, a panel chair)."""

from django.urls import reverse

from chronologies.models import RequestStatus
from chronologies.permissions import get_request_for, requests_for_user, requests_to_decide
from lcspr.accounts.models import Role
from lcspr.core.working_days import calendar
from reviews.models import Stage
from reviews.queue import LateItem, register_late, register_reviews, representatives


def reviews_with_chronologies_to_write(user) -> list[int]:
    """The reviews where `user`'s agency has a chronology to write or correct."""
    if not user.has_role(Role.AGENCY_REPRESENTATIVE) or not user.agency_id:
        return []
    return list(
        requests_for_user(user)
        .filter(
            agency_id=user.agency_id,
            status__in=(RequestStatus.DRAFT, RequestStatus.RETURNED),
        )
        .values_list("review_id", flat=True)
    )


register_reviews(reviews_with_chronologies_to_write)


def _late_requests(user, today):
    return (
        requests_to_decide(user)
        .filter(
            status__in=(RequestStatus.DRAFT, RequestStatus.RETURNED),
            due_date__lt=today,
            review__stage=Stage.LCSPR,
        )
        .select_related("review", "agency")
        .order_by("due_date", "pk")
    )


def _late_items(requests, today) -> list[LateItem]:
    requests = list(requests)
    reps = representatives({r.agency_id for r in requests})
    cal = calendar()
    return [
        LateItem(
            "chronology",
            r.pk,
            r.review,
            str(r.agency),
            "Agency chronology",
            reverse("chronologies:request", args=[r.pk]),
            r.due_date,
            cal.count_between(today, r.due_date),
            tuple(reps.get(r.agency_id, ())),
        )
        for r in requests
    ]


def _find_late(user, today) -> list[LateItem]:
    """Chronologies past their due date on the reviews `user` accepts them for."""
    return _late_items(_late_requests(user, today), today)


def _get_late(user, pk, today) -> LateItem | None:
    request = get_request_for(user, pk, "decide")
    late = _late_items(_late_requests(user, today).filter(pk=request.pk), today)
    return late[0] if late else None


register_late("chronology", _find_late, _get_late)
