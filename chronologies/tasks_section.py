"""The "Chronologies" section of a review's task list: each agency's chronology with its status
and lateness in working days, and the merged chronology. Two queries whatever the number of
agencies; each task links to its page only for those who may see it."""

from types import SimpleNamespace

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from chronologies.models import RequestStatus
from chronologies.permissions import can_review_chronology, requests_for_user
from lcspr.core.text import long_date
from lcspr.core.working_days import calendar
from reviews import tasklist
from reviews.models import Stage
from reviews.tasklist import CANNOT_START, COMPLETED, IN_PROGRESS, NOT_STARTED, Task
from reviews.terms.models import TermsOfReference

STATUS = {
    RequestStatus.DRAFT: NOT_STARTED,
    RequestStatus.SUBMITTED: IN_PROGRESS,
    RequestStatus.RETURNED: IN_PROGRESS,
    RequestStatus.ACCEPTED: COMPLETED,
}


def _hint(chronology) -> str:
    entries = f"{chronology.entry_count} {'entry' if chronology.entry_count == 1 else 'entries'}"
    if chronology.status == RequestStatus.ACCEPTED:
        return f"Accepted on {long_date(timezone.localtime(chronology.accepted_at))}; {entries}"
    if chronology.status == RequestStatus.SUBMITTED:
        return f"Submitted, waiting for a decision; {entries}"
    if chronology.status == RequestStatus.RETURNED:
        return f"Returned to the agency for changes; {entries}"
    return f"Not yet submitted; {entries}"


def chronologies_section(user, page):
    """The section once chronologies have been requested, or can be; None before."""
    review = page["review"]
    chronologies = list(
        review.chronologies.select_related("agency", "review").annotate(
            entry_count=Count("entries")
        )
    )
    if not chronologies and not (
        review.stage == Stage.LCSPR
        and review.tor_versions.filter(status=TermsOfReference.Status.AGREED).exists()
    ):
        return None
    visible = set(
        requests_for_user(user).filter(review=review).values_list("pk", flat=True)
        if chronologies
        else ()
    )
    today, cal = timezone.localdate(), calendar()
    may_request = can_review_chronology(user, "request_chronologies", review)
    tasks = [
        Task(
            "Ask the agencies for their chronologies",
            COMPLETED if chronologies else NOT_STARTED,
            reverse("chronologies:review_requests", args=[review.pk]) if may_request else "",
            f"{len(chronologies)} {'agency' if len(chronologies) == 1 else 'agencies'} asked"
            if chronologies
            else "Every agency in scope of the agreed Terms of Reference",
        )
    ]
    for chronology in chronologies:
        accepted = chronology.status == RequestStatus.ACCEPTED
        may_see = chronology.pk in visible
        clock = (
            None
            if accepted
            else SimpleNamespace(
                due_date=chronology.due_date,
                countdown=cal.count_between(today, chronology.due_date),
            )
        )
        tasks.append(
            Task(
                f"{chronology.agency} chronology",
                STATUS[chronology.status],
                reverse("chronologies:request", args=[chronology.pk]) if may_see else "",
                _hint(chronology),
                clock,
            )
        )
    accepted = sum(1 for c in chronologies if c.status == RequestStatus.ACCEPTED)
    if not accepted:
        merged_status = CANNOT_START
    else:
        merged_status = COMPLETED if accepted == len(chronologies) else IN_PROGRESS
    tasks.append(
        Task(
            "Merged chronology",
            merged_status,
            reverse("chronologies:merged", args=[review.pk])
            if can_review_chronology(user, "view_merged", review)
            else "",
            f"{accepted} of {len(chronologies)} agency chronologies accepted"
            if chronologies
            else "Built from the accepted agency chronologies",
        )
    )
    return "Chronologies", tasks


tasklist.register_section(chronologies_section, order=200)
