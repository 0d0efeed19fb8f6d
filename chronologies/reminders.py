"""Chronology requests as reminders: every agency chronology not yet submitted (or
returned for changes) is due on its request's due date. The named authors submit it; an agency
that has named nobody yet hears through its representatives, who name the authors.

One provider, a fixed handful of queries however many requests there are.
"""

import datetime

from django.contrib.auth import get_user_model
from django.db.models import Prefetch
from django.urls import reverse

from chronologies.models import ChronologyRequest, RequestStatus
from lcspr.reminders.clocks import Due, register_clock
from reviews.models import Stage
from reviews.reminders import agency_representatives, managers, review_label

OPEN = (RequestStatus.DRAFT, RequestStatus.RETURNED)


def chronology_items(today: datetime.date) -> list[Due]:
    """Every open chronology request, for its active authors, else its agency's
    representatives, else the partnership managers (4 queries)."""
    requests = list(
        ChronologyRequest.objects.filter(status__in=OPEN)
        .exclude(review__stage=Stage.CLOSED)
        .select_related("review", "agency")
        .prefetch_related(
            Prefetch(
                "authors",
                queryset=get_user_model().objects.filter(is_active=True).only("pk"),
                to_attr="active_authors",
            )
        )
        .order_by("due_date", "pk")
    )
    if not requests:
        return []
    representatives = agency_representatives({r.agency_id for r in requests})
    fallback = managers()
    items = []
    for request in requests:
        authors = tuple(sorted(a.pk for a in request.active_authors))
        returned = request.status == RequestStatus.RETURNED
        items.append(
            Due(
                key=f"chronology-request:{request.pk}",
                title=(
                    f"{'Resubmit' if returned else 'Submit'} the {request.agency.name} chronology"
                ),
                due_date=request.due_date,
                url=reverse("chronologies:request", args=[request.pk]),
                responsible=authors or representatives.get(request.agency_id) or fallback,
                review_label=review_label(request.review),
                review_id=request.review_id,
                kind="Chronology",
            )
        )
    return items


register_clock("chronologies", chronology_items)
