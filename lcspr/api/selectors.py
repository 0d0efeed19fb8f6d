"""What the API reads: every queryset starts from the same access helpers the pages use
(`reviews_for_user`, `actions_for_user`, `filtered_actions`), so the API shows a person exactly
what the pages show them, no more."""

import datetime

from django.db.models import BooleanField, Count, ExpressionWrapper, Prefetch, Q
from django.utils import timezone

from actions.models import ActionSettings, overdue_q
from actions.selectors import filtered_actions, stale_cutoff
from lcspr.api.models import ApiToken
from reviews.clocks.models import Deadline
from reviews.decision.models import Decision
from reviews.learning.models import LearningTheme
from reviews.permissions import reviews_for_user


def reviews(user):
    return (
        reviews_for_user(user)
        .select_related("referring_agency")
        .prefetch_related(
            Prefetch("deadlines", queryset=Deadline.objects.order_by("due_date", "pk")),
            Prefetch("decisions", queryset=Decision.objects.order_by("recorded_at", "pk")),
        )
        .order_by("pk")
    )


def clocks(user):
    return (
        Deadline.objects.filter(review__in=reviews_for_user(user).values("pk"))
        .select_related("review")
        .order_by("due_date", "pk")
    )


def decisions(user):
    return (
        Decision.objects.filter(review__in=reviews_for_user(user).values("pk"))
        .select_related("review")
        .order_by("recorded_at", "pk")
    )


def actions(user, filters: dict):
    today = timezone.localdate()
    cutoff = stale_cutoff(today, ActionSettings.load().stale_update_weeks)
    return (
        filtered_actions(user, filters, today=today, cutoff=cutoff)
        .annotate(is_overdue=ExpressionWrapper(overdue_q(today), output_field=BooleanField()))
        .select_related("review", "lead_agency")
        .prefetch_related("themes")
        .order_by("pk")
    )


def themes(user):
    visible = filtered_actions(user, {}, today=timezone.localdate(), cutoff=timezone.now()).values(
        "pk"
    )
    return LearningTheme.objects.annotate(
        actions_tagged=Count("actions", filter=Q(actions__in=visible), distinct=True)
    ).order_by("position", "name")


def tokens():
    return ApiToken.objects.select_related("user", "created_by", "revoked_by")


def today() -> datetime.date:
    return timezone.localdate()
