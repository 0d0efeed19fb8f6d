"""Retention periods, legal holds and the removal of reviews whose period has ended."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone

from lcspr.accounts.models import Role
from lcspr.core import permissions
from lcspr.core.services import lock_row, save_with_history, timeline_event
from lcspr.core.versions import require_version
from reviews.decision.models import Decision, Outcome
from reviews.models import Review, Stage
from reviews.other_learning.models import OtherLearningReview
from reviews.permissions import may_view
from reviews.retention.models import LegalHold, RetentionRemoval, RetentionSettings, RetentionType
from reviews.retention.removal import RemovalCounts, RetentionRefused, remove_tree

__all__ = ["RemovalCounts", "RetentionRefused"]

HOLD_ROLES = (Role.PARTNERSHIP_MANAGER, Role.INDEPENDENT_CHAIR)


OUTCOME_TYPE = {
    Outcome.NO_FURTHER_ACTION: RetentionType.RAPID_REVIEW,
    Outcome.OTHER_LEARNING: RetentionType.OTHER_LEARNING,
    Outcome.LCSPR: RetentionType.LCSPR,
    Outcome.NATIONAL_REVIEW: RetentionType.NATIONAL,
}


def may_hold(user, review: Review) -> bool:
    """Set or lift a legal hold: the partnership manager, the Independent Chair."""
    return user.has_role(*HOLD_ROLES) and may_view(user, review)


permissions.register_rule(Review, "legal_hold", may_hold)


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` later (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def retention_type_for(outcome: str | None, *, learning_review: bool = False) -> str:
    """What a closed review was, from the decision in force when it closed. With none, a
    referral closed as not notifiable, or one that had a learning review instead (kept as
    long as any other learning review)."""
    if outcome is None and learning_review:
        return RetentionType.OTHER_LEARNING
    return OUTCOME_TYPE.get(outcome, RetentionType.NOT_NOTIFIABLE)


@dataclass
class RetentionRow:
    """A closed review and where it stands against its retention period."""

    review: Review
    retention_type: str
    closed_on: datetime.date
    years: int
    expires_on: datetime.date
    on_hold: bool

    @property
    def type_label(self) -> str:
        return RetentionType(self.retention_type).label

    def is_due(self, today: datetime.date) -> bool:
        return not self.on_hold and self.expires_on <= today


def _closed_reviews():
    current = Decision.objects.filter(review=OuterRef("pk"), superseded_by__isnull=True).order_by(
        "-recorded_at", "-pk"
    )
    return (
        Review.objects.filter(stage=Stage.CLOSED, closed_on__isnull=False)
        .annotate(
            current_outcome=Subquery(current.values("outcome")[:1]),
            learning_review=Exists(OtherLearningReview.objects.filter(review=OuterRef("pk"))),
            on_hold=Exists(LegalHold.objects.filter(review=OuterRef("pk"), lifted_at__isnull=True)),
        )
        .order_by("closed_on", "pk")
    )


def _row(review: Review, settings: RetentionSettings) -> RetentionRow:
    kind = retention_type_for(review.current_outcome, learning_review=review.learning_review)
    years = settings.years_for(kind)
    return RetentionRow(
        review=review,
        retention_type=kind,
        closed_on=review.closed_on,
        years=years,
        expires_on=add_years(review.closed_on, years),
        on_hold=review.on_hold,
    )


def closed_reviews_retention() -> list[RetentionRow]:
    """Every closed review with its retention type, period, expiry date and hold (2 queries)."""
    settings = RetentionSettings.load()
    return [_row(review, settings) for review in _closed_reviews()]


def reviews_due_for_removal(today: datetime.date) -> list[RetentionRow]:
    """Closed reviews past their retention period on `today` and not under a legal hold,
    longest expired first."""
    rows = [row for row in closed_reviews_retention() if row.is_due(today)]
    return sorted(rows, key=lambda row: (row.expires_on, row.review.pk))


def retention_row(review: Review) -> RetentionRow | None:
    """Where one review stands; None while it is open."""
    review = _closed_reviews().filter(pk=review.pk).first()
    return _row(review, RetentionSettings.load()) if review else None


def hold_in_force(review: Review) -> LegalHold | None:
    """The legal hold on `review` now, if any."""
    return LegalHold.objects.filter(review=review, lifted_at__isnull=True).first()


@transaction.atomic
def retention_settings_update(*, by, version: int | None = None, **fields) -> RetentionSettings:
    """Change the partnership's retention periods (years from closure, per type of review);
    refused when read at an older `version` and someone has changed them since."""
    settings = RetentionSettings.objects.select_for_update().get(pk=RetentionSettings.load().pk)
    require_version(settings, version, fields=list(fields))
    for name, value in fields.items():
        setattr(settings, name, value)
    save_with_history(settings, by)
    return settings


@transaction.atomic
def legal_hold_set(*, review: Review, by, reason: str) -> LegalHold:
    """Put a review on legal hold: nothing of it is removed until the hold is lifted."""
    review = lock_row(review)
    if not may_hold(by, review):
        raise RetentionRefused(
            "Only the partnership manager or the Independent Chair can set a legal hold."
        )
    if hold_in_force(review):
        raise RetentionRefused("The review is already on legal hold.")
    if not (reason or "").strip():
        raise RetentionRefused({"reason": "Enter why the review is on legal hold"})
    hold = LegalHold(review=review, reason=reason.strip(), set_by=by)
    save_with_history(hold, by, validate=False)
    timeline_event(
        review=review, by=by, kind="legal_hold_set", summary="Legal hold set", reason=hold.reason
    )
    return hold


@transaction.atomic
def legal_hold_lift(*, review: Review, by, reason: str) -> LegalHold:
    """Lift the legal hold on a review; its retention period applies again."""
    review = lock_row(review)
    if not may_hold(by, review):
        raise RetentionRefused(
            "Only the partnership manager or the Independent Chair can lift a legal hold."
        )
    hold = LegalHold.objects.select_for_update().filter(review=review, lifted_at=None).first()
    if hold is None:
        raise RetentionRefused("The review is not on legal hold.")
    if not (reason or "").strip():
        raise RetentionRefused({"reason": "Enter why the legal hold is lifted"})
    hold.lifted_by, hold.lifted_at, hold.lift_reason = by, timezone.now(), reason.strip()
    save_with_history(hold, by, validate=False)
    timeline_event(
        review=review,
        by=by,
        kind="legal_hold_lifted",
        summary="Legal hold lifted",
        reason=hold.lift_reason,
    )
    return hold


def removal_preview(review: Review) -> RemovalCounts:
    """How much removing `review` would take (rows, history rows, files), worked out by doing it
    in a transaction that is rolled back. Raises RetentionRefused if it could not be removed."""
    with transaction.atomic():
        # A fresh instance: deleting clears the primary key of the instance it is given.
        counts = remove_tree(Review.objects.get(pk=review.pk), dry_run=True)
        transaction.set_rollback(True)
    return counts


@transaction.atomic
def review_remove_expired(*, review: Review, by, today: datetime.date) -> RetentionRemoval:
    """Remove a closed review past its retention period, with everything under it, its change
    history and its files; write the `RetentionRemoval` record. Refused if the review is on
    legal hold (checked again here with the review locked, so a hold set since the list was
    made wins), open, or not yet past its retention period."""
    try:
        locked = Review.objects.select_for_update().get(pk=review.pk)
    except Review.DoesNotExist:
        raise RetentionRefused(f"{review.reference} has already been removed.") from None
    if LegalHold.objects.filter(review=locked, lifted_at__isnull=True).exists():
        raise RetentionRefused(f"{locked.reference} is on legal hold: nothing was removed.")
    row = retention_row(locked)
    if row is None:
        raise RetentionRefused(f"{locked.reference} is not closed: nothing was removed.")
    if row.expires_on > today:
        raise RetentionRefused(
            f"{locked.reference} is kept until {row.expires_on:%d/%m/%Y}: nothing was removed."
        )
    counts = remove_tree(locked, dry_run=False)
    removal = RetentionRemoval(
        reference=locked.reference,
        retention_type=row.retention_type,
        closed_on=row.closed_on,
        retention_years=row.years,
        removed_by=by,
        rows_removed=counts.rows,
        history_rows_removed=counts.history_rows,
        files_removed=counts.files,
        counts=counts.by_model,
    )
    save_with_history(removal, by, validate=False)
    return removal
