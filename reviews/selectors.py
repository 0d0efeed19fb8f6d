"""Reads of reviews that need scoping and prefetching, so pages run a constant number of
queries whatever the number of reviews."""

import datetime

from django.db.models import DateField, F, Min, Prefetch, Q, QuerySet, Value
from django.utils import timezone

from lcspr.core.working_days import calendar
from reviews.clocks import deadlines
from reviews.clocks.models import Deadline
from reviews.decision.models import Decision
from reviews.models import Review, Stage
from reviews.permissions import reviews_for_user
from reviews.rapid_review.models import AgencySummaryRequest
from reviews.tasklist import registered_sections

OPEN_STAGES = [s for s in Stage.values if s != Stage.CLOSED]


def review_list_queryset(
    user,
    *,
    stage: str = "",
    stage_not: str = "",
    overdue: bool = False,
    report_status: str | None = None,
    today=None,
):
    """The reviews `user` may see, soonest open deadline first, with their open deadlines
    prefetched (`open_deadlines`). Filter by stage, by where the report is (`report_status`, ""
    for no draft yet; None for any) and by overdue clocks. Page it, then `with_countdowns`."""
    today = today or timezone.localdate()
    reviews = (
        reviews_for_user(user)
        .select_related("referring_agency")
        .annotate(next_due=Min("deadlines__due_date", filter=Q(deadlines__met_on__isnull=True)))
        .prefetch_related(
            Prefetch(
                "deadlines",
                queryset=Deadline.objects.filter(met_on__isnull=True).order_by("due_date"),
                to_attr="open_deadlines",
            )
        )
        .order_by(F("next_due").asc(nulls_last=True), "-created_at")
    )
    if stage:
        reviews = reviews.filter(stage=stage)
    if stage_not:
        reviews = reviews.exclude(stage=stage_not)
    if report_status is not None:
        reviews = reviews.filter(report_status=report_status)
    if overdue:
        reviews = reviews.filter(next_due__lt=today)
    return reviews


def with_countdowns(reviews, *, today=None) -> list:
    """`reviews` (from review_list_queryset) as a list, each with `next_deadline` and its
    working-day `countdown` attached."""
    today = today or timezone.localdate()
    reviews = list(reviews)
    cal = calendar()
    for review in reviews:
        review.next_deadline = review.open_deadlines[0] if review.open_deadlines else None
        review.countdown = (
            deadlines.countdown(review.next_deadline.due_date, today, cal)
            if review.next_deadline
            else None
        )
    return reviews


def review_list(user, *, today=None, **filters) -> list:
    """Every review `user` may see, with countdowns (for short lists: a user's own reviews)."""
    return with_countdowns(review_list_queryset(user, today=today, **filters), today=today)


def review_counts(user, *, today=None) -> dict:
    """How many reviews `user` sees are open, and how many of those have an overdue clock: two
    counts in the database, whatever the caseload."""
    today = today or timezone.localdate()
    open_reviews = (
        reviews_for_user(user)
        .exclude(stage=Stage.CLOSED)
        .annotate(next_due=Min("deadlines__due_date", filter=Q(deadlines__met_on__isnull=True)))
    )
    return {
        "open": open_reviews.count(),
        "overdue": open_reviews.filter(next_due__lt=today).count(),
    }


def for_review_page(reviews: QuerySet, *, today: datetime.date | None = None) -> QuerySet:
    """`reviews` loaded as the review page reads them: their one-to-one records and every
    section's figures (`related`, `annotate`) in the same query, their lists prefetched. An
    access helper may load the review it checks this way (`get_review_for(..., loading=)`), so
    that review_pages runs no second query for it."""
    today = today or timezone.localdate()
    annotations, related = {}, []
    for section in registered_sections():
        related.extend(section.related)
        if section.annotate is not None:
            annotations.update(section.annotate(today))
    return (
        reviews.select_related(
            "referring_agency",
            "created_by",
            "notification",
            "rapid_review",
            "other_learning",
            "looked_after_death_notice",
            *related,
        )
        .annotate(page_loaded_for=Value(today, output_field=DateField()), **annotations)
        .prefetch_related(
            "children",
            "adults",
            Prefetch("decisions", queryset=Decision.objects.select_related("recorded_by")),
            "notices",
            Prefetch(
                "agency_summaries",
                queryset=AgencySummaryRequest.objects.select_related("agency"),
            ),
            Prefetch("deadlines", queryset=Deadline.objects.order_by("due_date")),
        )
    )


def review_pages(reviews, *, today: datetime.date | None = None) -> list[dict]:
    """Everything the review page's task list shows, for each of `reviews` (or review pks), in
    the same order: a fixed number of queries whatever the number of reviews and the rows each
    holds. The reviews, their one-to-one records and every section's figures come in one query
    (`for_review_page`, none when the reviews were loaded that way for the same day); the lists
    in one query each; then each section's `load` adds its own rows for all the pages at once
    (docs/adr/0006)."""
    today = today or timezone.localdate()
    reviews = list(reviews)
    if not reviews:
        return []
    if all(getattr(review, "page_loaded_for", None) == today for review in reviews):
        loaded = {review.pk: review for review in reviews}
    else:
        pks = [getattr(review, "pk", review) for review in reviews]
        loaded = for_review_page(Review.objects.filter(pk__in=pks), today=today).in_bulk()
    cal = calendar()
    pks = [getattr(review, "pk", review) for review in reviews]
    pages = [_page(loaded[pk], today, cal) for pk in pks if pk in loaded]
    for section in registered_sections():
        if section.load is not None:
            section.load(pages)
    return pages


def _one_to_one(review: Review, name: str):
    return getattr(review, name, None) if hasattr(review, name) else None


def _page(review: Review, today: datetime.date, cal) -> dict:
    clocks = {}
    for deadline in review.deadlines.all():
        deadline.countdown = deadlines.countdown(deadline.due_date, today, cal)
        deadline.countdown_text = deadlines.countdown_text(deadline.due_date, today, cal)
        clocks[deadline.kind] = deadline
    for request in review.agency_summaries.all():
        request.countdown = deadlines.countdown(request.due_date, today, cal)
        request.countdown_text = deadlines.countdown_text(request.due_date, today, cal)
    decisions = list(review.decisions.all())
    replaced_by = {d.supersedes_id: d for d in decisions if d.supersedes_id}
    for decision in decisions:
        decision.replacement = replaced_by.get(decision.pk)
    return {
        "review": review,
        "clocks": clocks,
        "today": today,
        "calendar": cal,
        "decisions": decisions,
        "notification": _one_to_one(review, "notification"),
        "rapid_review": _one_to_one(review, "rapid_review"),
        "other_learning": _one_to_one(review, "other_learning"),
        "looked_after_death_notice": (
            _one_to_one(review, "looked_after_death_notice")
            if review.is_looked_after_death
            else None
        ),
    }


def review_page(review: Review, *, today: datetime.date | None = None) -> dict:
    """One review's page (`review_pages` for one review)."""
    return review_pages([review], today=today)[0]


def timeline_events(review: Review):
    """The review's timeline, newest first as the model orders it, with who acted."""
    return review.events.select_related("actor")
