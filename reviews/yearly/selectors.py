"""The figures of the partnership's yearly report on reviews, for one period of 12 months, over
the reviews the reader may see (reviews.permissions.reviews_for_user). Every figure is counted
in the database, so the report runs the same number of queries for 10 reviews as for 1,000.

Clocks are read as they are stored: a met clock is history (docs/clocks.md), so its due date
and met date are the ones kept when it was met, never recomputed here.

Actions are actions/' to count: that app registers a source with `register_actions` (from its
AppConfig.ready()), so reviews imports none of it.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone

from lcspr.core.working_days import calendar
from reviews.clocks.models import Deadline, DeadlineKind
from reviews.decision.models import Decision, DecisionStatus, Outcome
from reviews.learning.models import LearningSummary, LearningTheme
from reviews.models import Review
from reviews.monitoring.models import Checkpoint
from reviews.permissions import reviews_for_user
from reviews.publication.models import Publication, PublicationDeferral
from reviews.rapid_review.models import RapidReview
from reviews.referral.models import Notification

# The statutory steps whose timeliness the report gives, in the order they happen (the
# checkpoint is never met and the take-down review is the partnership's own).
TIMED_STEPS = (
    DeadlineKind.NOTIFICATION,
    DeadlineKind.PARTNERS_INFORMED,
    DeadlineKind.LOOKED_AFTER_DEATH,
    DeadlineKind.RAPID_REVIEW,
    DeadlineKind.NOTICE_PANEL,
    DeadlineKind.NOTICE_DFE,
    DeadlineKind.NOTICE_OFSTED,
    DeadlineKind.TOR_AGREEMENT,
    DeadlineKind.COMPLETION,
    DeadlineKind.PRE_PUBLICATION,
)
FINANCIAL_YEAR_START = 4  # April


@dataclass(frozen=True)
class Period:
    """Twelve months from the first day of `start`'s month."""

    start: datetime.date
    end: datetime.date

    @classmethod
    def starting(cls, year: int, month: int) -> "Period":
        start = datetime.date(year, month, 1)
        following = datetime.date(year + 1, month, 1)
        return cls(start, following - datetime.timedelta(days=1))

    @classmethod
    def last_financial_year(cls, today: datetime.date) -> "Period":
        """The last complete financial year (April to March) before `today`."""
        year = today.year - 1 if today.month >= FINANCIAL_YEAR_START else today.year - 2
        return cls.starting(year, FINANCIAL_YEAR_START)

    def is_complete(self, today: datetime.date) -> bool:
        return self.end < today

    @property
    def label(self) -> str:
        return f"{self.start:%B %Y} to {self.end:%B %Y}"


@dataclass
class StepTimeliness:
    """One statutory step's clocks that fell due in the period."""

    kind: str
    label: str
    on_time: int
    late: int
    overdue: int  # not met, and its due date has passed
    open: int  # not met, not yet due

    @property
    def total(self) -> int:
        return self.on_time + self.late + self.overdue + self.open


@dataclass
class LateClock:
    """A clock met late, or still open past its due date, with the reasons the review holds: the
    one the partnership manager recorded for the clock first."""

    review: Review
    label: str
    due_date: datetime.date
    met_on: datetime.date | None
    working_days_late: int
    reasons: list[str] = field(default_factory=list)


@dataclass
class ActionsPart:
    """What actions/ adds: actions open at some point in the period by their status today, how
    many have evidence of impact, and the actions completed in the period with that evidence."""

    by_status: list[tuple[str, str, int]]  # (key, label, count)
    total: int
    with_impact: int
    completed: list  # rows with reference, review, text, lead agency, closed_on, impact_evidence


_action_sources: list[Callable] = []


def register_actions(source: Callable) -> None:
    """`source(user, period)` returns the report's ActionsPart over the actions `user` sees."""
    if source not in _action_sources:
        _action_sources.append(source)


def _in(period: Period, field_name: str) -> Q:
    return Q(**{f"{field_name}__range": (period.start, period.end)})


def _current_decisions(reviews):
    """Each review's decision in force (a changed decision's successor, not the one it
    replaced)."""
    replaced = Decision.objects.filter(supersedes=OuterRef("pk"), status=DecisionStatus.IN_FORCE)
    return Decision.objects.filter(review__in=reviews, status=DecisionStatus.IN_FORCE).exclude(
        Exists(replaced)
    )


def _decisions(reviews, period) -> list[tuple[str, str, int]]:
    counts = dict(
        _current_decisions(reviews)
        .filter(_in(period, "decided_on"))
        .values_list("outcome")
        .annotate(n=Count("pk"))
        .values_list("outcome", "n")
    )
    return [(o.value, o.label, counts.get(o.value, 0)) for o in Outcome]


def _timeliness(reviews, period, today) -> list[StepTimeliness]:
    due = Deadline.objects.filter(review__in=reviews, kind__in=TIMED_STEPS).filter(
        _in(period, "due_date")
    )
    rows = {
        row["kind"]: row
        for row in due.values("kind").annotate(
            on_time=Count("pk", filter=Q(met_on__isnull=False, met_on__lte=F("due_date"))),
            late=Count("pk", filter=Q(met_on__isnull=False, met_on__gt=F("due_date"))),
            overdue=Count("pk", filter=Q(met_on__isnull=True, due_date__lt=today)),
            open=Count("pk", filter=Q(met_on__isnull=True, due_date__gte=today)),
        )
    }
    empty = {"on_time": 0, "late": 0, "overdue": 0, "open": 0}
    return [
        StepTimeliness(
            kind.value,
            kind.label,
            **{key: rows.get(kind.value, empty)[key] for key in empty},
        )
        for kind in TIMED_STEPS
    ]


def late_q(today) -> Q:
    """Met after its due date, or not met and past it."""
    return Q(met_on__gt=F("due_date")) | Q(met_on__isnull=True, due_date__lt=today)


def _late_clocks(reviews, period, today) -> list[LateClock]:
    rows = list(
        Deadline.objects.filter(review__in=reviews, kind__in=TIMED_STEPS)
        .filter(_in(period, "due_date"))
        .filter(late_q(today))
        .select_related("review")
        .order_by("due_date", "review__reference", "kind")
    )
    reasons = _reasons([row.review_id for row in rows])
    cal = calendar()
    late = []
    for row in rows:
        late.append(
            LateClock(
                review=row.review,
                label=row.get_kind_display(),
                due_date=row.due_date,
                met_on=row.met_on,
                working_days_late=cal.count_between(row.due_date, row.met_on or today),
                reasons=[
                    *([row.late_reason] if row.late_reason else []),
                    *reasons.get((row.review_id, row.kind), []),
                ],
            )
        )
    return late


def _reasons(review_ids) -> dict:
    """The reasons a review records for a step taking longer: the sub-group's checkpoints that
    found the LCSPR at risk of delay or behind the timescale (for its completion), and the
    reasons the publication was put back (for the sending before publication)."""
    reasons: dict = {}
    checkpoints = (
        Checkpoint.objects.filter(review_id__in=review_ids)
        .exclude(progress=Checkpoint.Progress.ON_TRACK)
        .exclude(progress_notes="")
        .order_by("review_id", "held_on", "pk")
    )
    for checkpoint in checkpoints:
        reasons.setdefault((checkpoint.review_id, DeadlineKind.COMPLETION), []).append(
            f"{checkpoint.get_progress_display()} ({checkpoint.held_on:%d/%m/%Y}): "
            f"{checkpoint.progress_notes}"
        )
    deferrals = PublicationDeferral.objects.filter(review_id__in=review_ids).order_by(
        "review_id", "recorded_at", "pk"
    )
    for deferral in deferrals:
        reasons.setdefault((deferral.review_id, DeadlineKind.PRE_PUBLICATION), []).append(
            f"Publication put back ({timezone.localdate(deferral.recorded_at):%d/%m/%Y}): "
            f"{deferral.reason}"
        )
    return reasons


def _themes(reviews) -> list[tuple[str, int, int]]:
    """Each learning theme with how many of `reviews` have it as a primary and as another theme
    in their learning summary (themes no review has are left out)."""

    def counts(through) -> dict:
        return dict(
            through.objects.filter(learningsummary__review__in=reviews)
            .values("learningtheme_id")
            .annotate(n=Count("pk"))
            .values_list("learningtheme_id", "n")
        )

    primary = counts(LearningSummary.primary_themes.through)
    other = counts(LearningSummary.other_themes.through)
    themes = LearningTheme.objects.filter(pk__in={*primary, *other}).order_by("position", "name")
    return [(theme.name, primary.get(theme.pk, 0), other.get(theme.pk, 0)) for theme in themes]


def year_reviews(user, period: Period):
    """The reviews `user` sees that had a statutory step in the period: the notification, the
    rapid review sent, the decision, the final report signed off, or the publication."""
    visible = reviews_for_user(user)
    step = (
        Exists(Notification.objects.filter(_in(period, "sent_on"), review=OuterRef("pk")))
        | Exists(RapidReview.objects.filter(_in(period, "sent_to_panel_on"), review=OuterRef("pk")))
        | Exists(
            Decision.objects.filter(
                _in(period, "decided_on"),
                review=OuterRef("pk"),
                status=DecisionStatus.IN_FORCE,
            )
        )
        | Exists(
            Deadline.objects.filter(
                _in(period, "met_on"), kind=DeadlineKind.COMPLETION, review=OuterRef("pk")
            )
        )
        | Exists(Publication.objects.filter(_in(period, "published_on"), review=OuterRef("pk")))
    )
    return visible.filter(step)


def yearly_report(user, period: Period, *, today: datetime.date | None = None) -> dict:
    """Everything the yearly report shows, over the reviews `user` sees."""
    today = today or timezone.localdate()
    visible = reviews_for_user(user).values("pk")
    decisions = _decisions(visible, period)
    started = next(count for key, _label, count in decisions if key == Outcome.LCSPR)
    figures = {
        "notified": Notification.objects.filter(review__in=visible)
        .filter(_in(period, "sent_on"))
        .count(),
        "rapid_reviews": RapidReview.objects.filter(review__in=visible)
        .filter(_in(period, "sent_to_panel_on"))
        .count(),
        "decisions": sum(count for _key, _label, count in decisions),
        "lcsprs_started": started,
        "lcsprs_completed": Deadline.objects.filter(
            review__in=visible, kind=DeadlineKind.COMPLETION
        )
        .filter(_in(period, "met_on"))
        .count(),
        "published": Publication.objects.filter(review__in=visible)
        .filter(_in(period, "published_on"))
        .count(),
    }
    timeliness = _timeliness(visible, period, today)
    return {
        "period": period,
        "complete": period.is_complete(today),
        "today": today,
        "figures": figures,
        "decisions": decisions,
        "timeliness": timeliness,
        "late": _late_clocks(visible, period, today),
        "themes": _themes(year_reviews(user, period).values("pk")),
        "actions": [source(user, period) for source in _action_sources],
    }
