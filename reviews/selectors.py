"""Reads of reviews that need scoping and prefetching, so pages run a constant number of
queries whatever the number of reviews."""

import datetime

from django.db.models import F, Min, Prefetch, Q
from django.utils import timezone

from lcspr.core.working_days import calendar
from reviews.clocks import deadlines
from reviews.clocks.models import Deadline
from reviews.models import Review, Stage
from reviews.other_learning.models import OtherLearningReview
from reviews.permissions import reviews_for_user
from reviews.rapid_review.models import RapidReview
from reviews.referral.models import LookedAfterDeathNotice, Notification

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


def review_page(review: Review, *, today: datetime.date | None = None) -> dict:
    """Everything the review page's task list shows, loaded in a fixed number of queries."""
    today = today or timezone.localdate()
    cal = calendar()
    review = (
        Review.objects.select_related("referring_agency", "created_by")
        .prefetch_related(
            "children",
            "decisions__recorded_by",
            "notices",
            "agency_summaries__agency",
            Prefetch("deadlines", queryset=Deadline.objects.order_by("due_date")),
        )
        .get(pk=review.pk)
    )
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
        "decisions": decisions,
        "notification": Notification.objects.filter(review=review).first(),
        "rapid_review": (
            RapidReview.objects.filter(review=review)
            .prefetch_related("meetings", "immediate_actions", "sign_offs__signed_by")
            .first()
        ),
        "other_learning": OtherLearningReview.objects.filter(review=review).first(),
        "looked_after_death_notice": (
            LookedAfterDeathNotice.objects.filter(review=review).first()
            if review.is_looked_after_death
            else None
        ),
    }


def timeline_events(review: Review):
    """The review's timeline, newest first as the model orders it, with who acted."""
    return review.events.select_related("actor")
