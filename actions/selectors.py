"""Reads of actions for monitoring: the sub-group's dashboard and the rows of the
action-plan reports. Every figure is counted in the database (COUNT ... FILTER, GROUP BY), so the
dashboard runs the same number of queries for 20 actions as for 20,000."""

import datetime
import hashlib
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, F, Func, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from actions.models import (
    OPEN_STATUSES,
    RAG_MEANING,
    Action,
    ActionSettings,
    EvidenceFile,
    ProgressUpdate,
    Rag,
    Status,
    overdue_q,
)
from actions.permissions import actions_for_user
from lcspr.accounts.models import Agency, RoleAssignment, User
from lcspr.core.models import ClosureDay
from lcspr.core.working_days import calendar
from reviews.learning.models import LearningTheme
from reviews.models import Review, ReviewUserObjectPermission
from reviews.rapid_review.models import ImmediateAction

PER_PAGE = 50
LIST_PAGE = 20  # the overdue and stale lists: the first screen of each
REVIEW_ROWS_PAGE = 25  # the by-review table
UNRATED = "unrated"
RAG_CHOICES = [*Rag.choices, (UNRATED, "Not rated")]
FILTER_KEYS = (
    "review",
    "agency",
    "status",
    "rag",
    "theme",
    "overdue",
    "stale",
    "due_from",
    "due_to",
)


def stale_cutoff(today: datetime.date, weeks: int) -> datetime.datetime:
    """The start of the day `weeks` weeks before today: activity before it is stale."""
    day = today - datetime.timedelta(weeks=weeks)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _stale_q(cutoff):
    return Q(status__in=OPEN_STATUSES, last_activity__lt=cutoff)


def with_last_activity(actions):
    """Annotate `last_activity`: the latest progress update, or the creation when none."""
    return actions.annotate(last_activity=Coalesce("last_update_at", "created_at"))


def filtered_actions(user, filters: dict | None, *, today: datetime.date, cutoff):
    """The actions `user` may see that match the dashboard's filters (see FILTER_KEYS); each
    with `last_activity`."""
    filters = filters or {}
    actions = with_last_activity(actions_for_user(user))
    if filters.get("review"):
        actions = actions.filter(review_id=filters["review"])
    if filters.get("agency"):
        actions = actions.filter(lead_agency_id=filters["agency"])
    if filters.get("status"):
        actions = actions.filter(status=filters["status"])
    if filters.get("rag") == UNRATED:
        actions = actions.filter(rag="")
    elif filters.get("rag"):
        actions = actions.filter(rag=filters["rag"])
    if filters.get("theme"):
        # A subquery rather than a join: the by-theme figures group on the same relation and a
        # join here would hide every other theme of the matching actions.
        tagged = Action.themes.through.objects.filter(
            action_id=OuterRef("pk"), learningtheme_id=filters["theme"]
        )
        actions = actions.filter(Exists(tagged))
    if filters.get("overdue"):
        actions = actions.filter(overdue_q(today))
    if filters.get("stale"):
        actions = actions.filter(_stale_q(cutoff))
    if filters.get("due_from"):
        actions = actions.filter(due_date__gte=filters["due_from"])
    if filters.get("due_to"):
        actions = actions.filter(due_date__lte=filters["due_to"])
    return actions


def _counts(today, cutoff, *, distinct=False) -> dict:
    """COUNT ... FILTER expressions: the total, each status, each RAG, open, overdue, stale."""

    def count(condition=None):
        return Count("pk", filter=condition, distinct=distinct)

    counts = {"total": count(), "open": count(Q(status__in=OPEN_STATUSES))}
    counts |= {status: count(Q(status=status)) for status in Status.values}
    counts |= {f"rag_{rag}": count(Q(rag=rag)) for rag in Rag.values}
    counts["rag_unrated"] = count(Q(rag=""))
    counts["overdue"] = count(overdue_q(today))
    counts["stale"] = count(_stale_q(cutoff))
    return counts


@dataclass
class Figure:
    """One bar of a chart and one row of its table."""

    key: str
    label: str
    count: int
    meaning: str = ""


@dataclass
class Dashboard:
    today: datetime.date
    stale_weeks: int
    totals: dict
    by_status: list[Figure]
    by_rag: list[Figure]
    by_agency: list[dict]
    by_review: list[dict]
    by_theme: list[dict]
    overdue: Page
    stale: Page
    actions: Page
    # The by-review table, a page at a time: at national scale a sub-group member sees hundreds
    # of reviews with actions (the chart above it keeps the busiest).
    review_rows: Page | None = None
    filters: dict = field(default_factory=dict)


class _Counted(Paginator):
    """A paginator told its count: the dashboard's totals already hold it, so the lists do not
    count the actions again."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self.__dict__["count"] = count  # Paginator.count is a cached_property


def _rolled_up(actions, counts: dict) -> tuple[dict, list[dict], list[dict]]:
    """The whole set's totals, the by-agency rows and the by-review rows from ONE query: the
    conditional counts grouped by (review, lead agency), a row per pair, summed here. Three
    separate aggregates each scanned every action the user sees."""
    keys = list(counts)
    pairs = (
        actions.values(
            "review_id",
            "review__reference",
            "review__pseudonym",
            "lead_agency_id",
            "lead_agency__name",
        )
        .annotate(**counts)
        .order_by()
    )
    totals = dict.fromkeys(keys, 0)
    agencies, reviews = {}, {}
    for pair in pairs:
        agency = agencies.setdefault(
            pair["lead_agency_id"],
            {
                "id": pair["lead_agency_id"],
                "label": pair["lead_agency__name"],
                **dict.fromkeys(keys, 0),
            },
        )
        review = reviews.setdefault(
            pair["review_id"],
            {
                "id": pair["review_id"],
                "label": f"{pair['review__reference']} ({pair['review__pseudonym']})",
                "reference": pair["review__reference"],
                **dict.fromkeys(keys, 0),
            },
        )
        for key in keys:
            totals[key] += pair[key]
            agency[key] += pair[key]
            review[key] += pair[key]
    by_agency = sorted(agencies.values(), key=lambda row: (row["label"], row["id"]))
    by_review = sorted(reviews.values(), key=lambda row: (row["reference"], row["id"]))
    return totals, by_agency, by_review


def dashboard(user, filters: dict | None = None, today=None, *, pages: dict | None = None):
    """The sub-group's monitoring figures over the actions `user` may see, filtered. `pages`
    holds the requested page of each list ("actions", "overdue", "stale", "reviews")."""
    today = today or timezone.localdate()
    pages = pages or {}
    weeks = ActionSettings.load().stale_update_weeks
    cutoff = stale_cutoff(today, weeks)
    actions = filtered_actions(user, filters, today=today, cutoff=cutoff)
    counts = _counts(today, cutoff)
    totals, by_agency, by_review = _rolled_up(actions, counts)
    # Each (action, theme) pair is one row of the join, and the theme filter is a subquery, so
    # plain COUNTs are exact here: no COUNT(DISTINCT), which cost more than the other figures.
    by_theme = list(
        actions.values("themes__id", "themes__name", "themes__position")
        .annotate(**counts)
        .order_by(F("themes__position").asc(nulls_last=True), "themes__name")
    )
    for row in by_theme:
        row["id"], row["label"] = row["themes__id"], row["themes__name"] or "No learning theme"
    listed = actions.select_related("review", "lead_agency", "owner")
    cal = calendar()  # one calendar (one query) for every countdown on the page
    overdue = _Counted(
        listed.filter(overdue_q(today)).order_by("due_date", "review__reference", "number"),
        LIST_PAGE,
        count=totals["overdue"],
    ).get_page(pages.get("overdue"))
    for action in overdue:
        action.overdue_days = cal.count_between(action.due_date, today)
    stale = _Counted(
        listed.filter(_stale_q(cutoff)).order_by("last_activity", "review__reference", "number"),
        LIST_PAGE,
        count=totals["stale"],
    ).get_page(pages.get("stale"))
    drill = _Counted(
        listed.order_by("review__reference", "number"), PER_PAGE, count=totals["total"]
    ).get_page(pages.get("actions"))
    review_rows = Paginator(by_review, REVIEW_ROWS_PAGE).get_page(pages.get("reviews"))
    return Dashboard(
        today=today,
        stale_weeks=weeks,
        totals=totals,
        by_status=[Figure(s.value, s.label, totals[s.value]) for s in Status],
        by_rag=[
            *(Figure(r.value, r.label, totals[f"rag_{r.value}"], RAG_MEANING[r]) for r in Rag),
            Figure(UNRATED, "Not rated", totals["rag_unrated"], "Not yet rated"),
        ],
        by_agency=by_agency,
        by_review=by_review,
        by_theme=by_theme,
        overdue=overdue,
        stale=stale,
        actions=drill,
        review_rows=review_rows,
        filters=dict(filters or {}),
    )


# What the dashboard's content is made from, through each table's history: every change made
# through a service, and every bulk write through the history-aware helpers, adds a history row,
# so the newest history id of each moves whenever a figure, a name, a due date, a working day, a
# setting or what a user may see can have changed. (The object-permission table keeps no history:
# its newest id and its size stand for it, so a grant or a revocation both show.)
FINGERPRINT_HISTORIES = (
    Action,
    Review,
    Agency,
    User,
    RoleAssignment,
    LearningTheme,
    ClosureDay,
    ActionSettings,
)


def dashboard_fingerprint() -> tuple:
    """A value that changes whenever anything the dashboard shows may have changed: one query
    of index-only lookups, however many actions there are."""

    def newest(model):
        return Subquery(model.history.order_by("-history_id").values("history_id")[:1])

    grants = ReviewUserObjectPermission.objects.order_by()
    marks = {f"h{n}": newest(model) for n, model in enumerate(FINGERPRINT_HISTORIES)}
    marks["grants_newest"] = Subquery(grants.order_by("-pk").values("pk")[:1])
    # COUNT as a plain function, so the subquery is one row over the whole table, not grouped.
    marks["grants_count"] = Subquery(grants.annotate(n=Func("pk", function="COUNT")).values("n"))
    ActionSettings.load()  # the row the query hangs off exists from the first load on
    return ActionSettings.objects.filter(pk=1).annotate(**marks).values_list(*marks).get()


def dashboard_cache_key(user, query: str, today: datetime.date) -> str:
    """The cache key of `user`'s dashboard for a URL query on `today` as things stand now."""
    raw = f"{user.pk}|{today.isoformat()}|{query}|{dashboard_fingerprint()}"
    return "actions:dashboard:" + hashlib.sha256(raw.encode()).hexdigest()


def report_actions(actions):
    """Actions with all a report shows, in two queries whatever their number: the review, the
    recommendation, agency and owner joined, the latest progress update as a subquery, and the
    learning themes prefetched."""
    latest = ProgressUpdate.objects.filter(action=OuterRef("pk")).order_by("-recorded_at", "-pk")
    return (
        actions.select_related("review", "recommendation", "lead_agency", "owner", "closed_by")
        .annotate(
            latest_update_text=Subquery(latest.values("text")[:1]),
            latest_update_at=Subquery(latest.values("recorded_at")[:1]),
        )
        .prefetch_related("themes")
        .order_by("review__reference", "recommendation__number", "number")
    )


def report_totals(actions, today) -> dict:
    """Totals by status and RAG for a report, counted in the database."""
    weeks = ActionSettings.load().stale_update_weeks
    cutoff = stale_cutoff(today, weeks)
    totals = with_last_activity(actions).aggregate(**_counts(today, cutoff))
    return {
        "total": totals["total"],
        "overdue": totals["overdue"],
        "stale": totals["stale"],
        "stale_weeks": weeks,
        "by_status": [Figure(s.value, s.label, totals[s.value]) for s in Status],
        "by_rag": [
            *(Figure(r.value, r.label, totals[f"rag_{r.value}"], RAG_MEANING[r]) for r in Rag),
            Figure(UNRATED, "Not rated", totals["rag_unrated"], "Not yet rated"),
        ],
    }


def report_breakdown(actions, today) -> tuple[list[dict], list[dict]]:
    """The by-agency and by-review rows of a report's summary (each with the counts the
    dashboard's breakdown tables show), from one query."""
    cutoff = stale_cutoff(today, ActionSettings.load().stale_update_weeks)
    _totals, by_agency, by_review = _rolled_up(with_last_activity(actions), _counts(today, cutoff))
    return by_agency, by_review


def action_page(action: Action) -> Action:
    """One action with everything its page shows: people, themes, due-date changes, progress
    updates with their files, and the evidence of outcome (`evidence_of_outcome`)."""
    return (
        Action.objects.select_related(
            "review",
            "lead_agency",
            "owner",
            "recommendation",
            "immediate_action",
            "closed_by",
            "impact_requested_by",
            "created_by",
        )
        .prefetch_related(
            "themes",
            "due_date_changes__changed_by",
            Prefetch(
                "updates",
                queryset=ProgressUpdate.objects.select_related("recorded_by").prefetch_related(
                    "files"
                ),
            ),
            Prefetch(
                "evidence_files",
                queryset=EvidenceFile.objects.filter(update__isnull=True),
                to_attr="evidence_of_outcome",
            ),
        )
        .get(pk=action.pk)
    )


def evidence_files_of(action: Action):
    """Every evidence file attached to `action` (with progress, completion or impact), in the
    order attached: what the sub-group reads before closing it."""
    return action.evidence_files.order_by("uploaded_at", "pk")


def evidence_for_user(user):
    """The evidence files of the actions `user` may see."""
    return EvidenceFile.objects.filter(
        action__in=actions_for_user(user).values("pk")
    ).select_related("action")


def untracked_immediate_actions(review):
    """The rapid review's immediate actions not yet followed as actions in the plan."""
    return ImmediateAction.objects.filter(
        rapid_review__review=review, tracked_action__isnull=True
    ).select_related("lead_agency")


def immediate_action_or_404(review, pk) -> ImmediateAction:
    """One of the review's immediate actions; 404 if the id is another review's."""
    return get_object_or_404(
        ImmediateAction.objects.select_related("lead_agency"), pk=pk, rapid_review__review=review
    )


def overdue_actions_owned_by(user, today: datetime.date):
    """The open actions `user` is the named owner of that are past their due date (the
    dashboard's overdue rule), soonest due first."""
    return (
        actions_for_user(user)
        .filter(overdue_q(today), owner=user)
        .select_related("review")
        .order_by("due_date", "pk")
    )


def overdue_actions(user, today: datetime.date):
    """The open actions `user` may see that are past their due date (the dashboard's overdue
    rule), with their review, lead agency and owner, the most overdue first."""
    return (
        actions_for_user(user)
        .filter(overdue_q(today))
        .select_related("review", "lead_agency", "owner")
        .order_by("due_date", "pk")
    )
