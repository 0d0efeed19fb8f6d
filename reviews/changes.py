"""What changed: the change history of a review's own records (its details, a decision, a Terms
of Reference version), in words, and the links from the review's timeline to them. Whoever may
see the record may see its changes."""

import datetime

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.views.decorators.http import require_GET

from lcspr.access_log.services import log_access
from lcspr.core.changes import record_changes
from lcspr.core.permissions import can
from lcspr.core.text import long_date
from reviews.decision.models import Decision
from reviews.models import Review
from reviews.permissions import get_review_for
from reviews.terms.models import TermsOfReference

# Kept by the services for lists and the workflow, never typed by anyone: not "changes".
REVIEW_BOOKKEEPING = ("created_by", "created_at", "report_status")
# Shown to the roles that may see identities only (as on the review's page).
REVIEW_IDENTITIES = ("additional_children",)


def _page(request, review, *, title, record, changes, back_url, back_text):
    log_access(request, what=f"What changed: {record}", obj=review, review_id=review.pk)
    context = {
        "review": review,
        "title": title,
        "record": record,
        "changes": changes,
        "back_url": back_url,
        "back_text": back_text,
    }
    return render(request, "reviews/record_changes.html", context)


@login_required
@require_GET
def review_changes(request, pk):
    """Every change to the review's details: referral facts, criteria, stage."""
    review = get_review_for(request.user, pk, "view")
    hidden = () if can(request.user, "view_identities", review) else REVIEW_IDENTITIES
    changes = record_changes(review.history.all(), exclude=REVIEW_BOOKKEEPING, hidden=hidden)
    return _page(
        request,
        review,
        title="What changed in the review's details",
        record="the review's details",
        changes=changes,
        back_url=reverse("reviews:detail", args=[review.pk]),
        back_text="Back to the review",
    )


@login_required
@require_GET
def decision_changes(request, pk, decision_pk):
    """Every change to one of the Independent Chair's decisions (its status, as the partners
    answer)."""
    review = get_review_for(request.user, pk, "view")
    decision = get_object_or_404(Decision, pk=decision_pk, review=review)
    return _page(
        request,
        review,
        title=f"What changed in the decision: {decision.get_outcome_display()}",
        record=f"the decision of {long_date(decision.decided_on)}",
        changes=record_changes(decision.history.all()),
        back_url=reverse("reviews:detail", args=[review.pk]),
        back_text="Back to the review",
    )


@login_required
@require_GET
def terms_changes(request, pk, version):
    """Every change to one version of the Terms of Reference."""
    review = get_review_for(request.user, pk, "view_tor")
    terms = get_object_or_404(TermsOfReference, review=review, version=version)
    return _page(
        request,
        review,
        title=f"What changed in version {terms.version} of the Terms of Reference",
        record=f"Terms of Reference version {terms.version}",
        changes=record_changes(terms.history.all()),
        back_url=reverse("reviews:terms", args=[review.pk]),
        back_text="Back to the Terms of Reference",
    )


urlpatterns = [
    path("<int:pk>/changes/", review_changes, name="review_changes"),
    path("<int:pk>/decision/<int:decision_pk>/changes/", decision_changes, name="decision_changes"),
    path("<int:pk>/terms/<int:version>/changes/", terms_changes, name="terms_changes"),
]


# --- the timeline's links to the changes its events made --------------------------------------

# Which record's history holds the change a kind of timeline event made, and the page that
# shows it: (historical rows of the review's records, the page's URL for one row).
_SAME_MOMENT = datetime.timedelta(seconds=60)


def _review_rows(review):
    return review.history.all(), lambda row: reverse("reviews:review_changes", args=[review.pk])


def _decision_rows(review):
    return (
        Decision.history.filter(review_id=review.pk),
        lambda row: reverse("reviews:decision_changes", args=[review.pk, row.id]),
    )


def _terms_rows(review):
    return (
        TermsOfReference.history.filter(review_id=review.pk),
        lambda row: reverse("reviews:terms_changes", args=[review.pk, row.version]),
    )


EVENT_RECORDS = {
    "review_opened": _review_rows,
    "details_corrected": _review_rows,
    "criteria_checked": _review_rows,
    "partners_informed": _review_rows,
    "decision": _decision_rows,
    "decision_changed": _decision_rows,
    "decision_awaiting_partners": _decision_rows,
    "decision_agreed": _decision_rows,
    "decision_not_agreed": _decision_rows,
    "tor_started": _terms_rows,
    "tor_updated": _terms_rows,
    "tor_new_version": _terms_rows,
    "tor_shared": _terms_rows,
    "tor_agreed": _terms_rows,
}
# The pages a timeline reader may not open: (what the page needs, its sources).
_NEEDS = {_terms_rows: "view_tor"}


def change_links(user, review: Review, events) -> dict[int, str]:
    """{event id: the "What changed" address of the change it made} for the timeline's events
    that made a change a history keeps: the latest change by the same person to that record
    in the minute up to the event (services save, then write the event, in one transaction).
    One query per kind of record, however many events and whichever kinds they are."""
    shown = list(events)
    links = {}
    if not shown:
        return links
    by_source = {source: [] for source in dict.fromkeys(EVENT_RECORDS.values())}
    for event in shown:
        if event.kind in EVENT_RECORDS:
            by_source[EVENT_RECORDS[event.kind]].append(event)
    # Every kind of record is asked, whichever kinds of event the page shows: the same queries
    # however the events on a page mix.
    earliest = min(e.occurred_at for e in shown) - _SAME_MOMENT
    latest = max(e.occurred_at for e in shown)
    for source, group in by_source.items():
        if source in _NEEDS and not can(user, _NEEDS[source], review):
            continue
        rows, url_for = source(review)
        candidates = list(
            rows.filter(history_date__gte=earliest, history_date__lte=latest).order_by(
                "-history_date", "-history_id"
            )
        )
        for event in group:
            row = next(
                (
                    r
                    for r in candidates
                    if r.history_user_id == event.actor_id
                    and event.occurred_at - _SAME_MOMENT <= r.history_date <= event.occurred_at
                ),
                None,
            )
            if row is not None:
                links[event.pk] = f"{url_for(row)}#change-{row.history_id}"
    return links
