"""Retention periods, legal holds and the removal of reviews whose period has ended."""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models import DO_NOTHING, Exists, FileField, OuterRef, Q, Subquery
from django.db.models.deletion import Collector, ProtectedError
from django.utils import timezone

from lcspr.accounts.models import Role
from lcspr.core import permissions
from lcspr.core.services import lock_row, save_with_history, timeline_event
from reviews.decision.models import Decision, Outcome
from reviews.models import Review, Stage
from reviews.other_learning.models import OtherLearningReview
from reviews.permissions import may_view
from reviews.retention.models import LegalHold, RetentionRemoval, RetentionSettings, RetentionType

HOLD_ROLES = (Role.PARTNERSHIP_MANAGER, Role.INDEPENDENT_CHAIR)


OUTCOME_TYPE = {
    Outcome.NO_FURTHER_ACTION: RetentionType.RAPID_REVIEW,
    Outcome.OTHER_LEARNING: RetentionType.OTHER_LEARNING,
    Outcome.LCSPR: RetentionType.LCSPR,
    Outcome.NATIONAL_REVIEW: RetentionType.NATIONAL,
}


# Chunk size of `id IN (...)` lists (SQLite's limit on query parameters).
CHUNK = 500


class RetentionRefused(ValidationError):
    """A removal or a hold the rules do not allow now; the message says why."""


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
def retention_settings_update(*, by, **fields) -> RetentionSettings:
    """Change the partnership's retention periods (years from closure, per type of review)."""
    settings = RetentionSettings.objects.select_for_update().get(pk=RetentionSettings.load().pk)
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


@dataclass
class _Tally:
    """What a removal took: rows by model, the primary keys removed (to find their history),
    the files to delete."""

    review_pk: int
    rows: Counter = field(default_factory=Counter)
    removed: dict = field(default_factory=lambda: defaultdict(set))
    files: set = field(default_factory=set)
    history_rows: int = 0

    def add_files(self, model, filter_q, source=None) -> None:
        """The files named in `model`'s rows matching `filter_q`; `source` is the model whose
        file fields they are (a historical model keeps them as text)."""
        file_fields = [f for f in (source or model)._meta.fields if isinstance(f, FileField)]
        for f in file_fields:
            for name in model._default_manager.filter(filter_q).values_list(f.attname, flat=True):
                if name:
                    self.files.add((f.storage, str(name)))

    def absorb(self, collector: Collector) -> None:
        for model, instances in collector.data.items():
            pks = {obj.pk for obj in instances}
            self._add(model, pks)
        for queryset in collector.fast_deletes:
            self._add(queryset.model, set(queryset.values_list("pk", flat=True)))

    def _add(self, model, pks: set) -> None:
        if not pks:
            return
        self.rows[model._meta.label] += len(pks)
        self.removed[model] |= pks
        for chunk in _chunks(pks):
            self.add_files(model, Q(pk__in=chunk))


def _chunks(values):
    values = list(values)
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def _review_id_of(obj, depth: int = 0):
    """The review a record belongs to: its `review_id`, or its parent's, up a few levels."""
    if isinstance(obj, Review):
        return obj.pk
    review_id = getattr(obj, "review_id", None)
    if review_id is not None or depth > 4:
        return review_id
    for f in obj._meta.fields:
        if f.many_to_one or f.one_to_one:
            if f.related_model is type(obj) or not getattr(obj, f.attname, None):
                continue
            if f.related_model._meta.app_label in ("accounts", "auth", "contenttypes"):
                continue
            found = _review_id_of(getattr(obj, f.name), depth + 1)
            if found is not None:
                return found
    return None


def _delete(objs: list, tally: _Tally, depth: int = 0) -> None:
    """Delete `objs` (one model) and their cascade. Records under PROTECT that belong to the same
    review (a decision superseded by another, actions answering its recommendations) are
    deleted first; a record of another review that depends on it stops the removal."""
    if depth > 50:
        raise RetentionRefused("The review's records depend on each other in a loop.")
    for _attempt in range(50):
        collector = Collector(using=DEFAULT_DB_ALIAS, origin=objs[0])
        try:
            collector.collect(objs)
        except ProtectedError as error:
            blockers = list(error.protected_objects)
            foreign = [b for b in blockers if _review_id_of(b) != tally.review_pk]
            if foreign:
                kinds = ", ".join(sorted({b._meta.verbose_name_plural for b in foreign}))
                raise RetentionRefused(
                    f"Records of another review depend on this one ({kinds}); "
                    "they must be changed before it can be removed."
                ) from None
            by_model = defaultdict(list)
            for blocker in blockers:
                by_model[type(blocker)].append(blocker)
            for group in by_model.values():
                _delete(group, tally, depth + 1)
            continue
        tally.absorb(collector)
        collector.delete()
        return
    raise RetentionRefused("The review's records could not be put in an order to remove them.")


def _record_models() -> list:
    """The models that record other records without a foreign-key constraint: the change
    history (each historical model, and those of many-to-many fields)."""
    return [
        model
        for model in apps.get_models()
        if any(f.many_to_one and f.remote_field.on_delete is DO_NOTHING for f in model._meta.fields)
    ]


def _purge_history(tally: _Tally) -> None:
    """Delete the change history of every removed record, and of records removed earlier whose
    parent is removed now (a child taken off the referral, an entry deleted from a chronology),
    until nothing more points at what was removed."""
    record_models = _record_models()
    changed = True
    while changed:
        changed = False
        for historical in record_models:
            instance = getattr(historical, "instance_type", None)
            own_fields = {f.attname for f in historical._meta.fields}
            if instance is not None and instance._meta.pk.attname not in own_fields:
                instance = None  # a many-to-many history: its rows hang off a history row
            conditions = []
            if instance is not None and tally.removed.get(instance):
                conditions.append((instance._meta.pk.attname, tally.removed[instance]))
            for f in historical._meta.fields:
                if (
                    f.many_to_one
                    and f.remote_field.on_delete is DO_NOTHING
                    and tally.removed.get(f.related_model)
                ):
                    conditions.append((f.attname, tally.removed[f.related_model]))
            for attname, pks in conditions:
                for chunk in _chunks(pks):
                    rows = historical.objects.filter(**{f"{attname}__in": chunk})
                    if "review_id" in own_fields:
                        # Another review's record that once pointed here keeps its history.
                        rows = rows.filter(review_id=tally.review_pk)
                    if instance is not None:
                        ids = set(rows.values_list(instance._meta.pk.attname, flat=True))
                        if ids - tally.removed[instance]:
                            tally.removed[instance] |= ids
                            changed = True
                        tally.add_files(historical, Q(pk__in=rows.values("pk")), instance)
                    history_ids = set(rows.values_list("pk", flat=True))
                    if not history_ids:
                        continue
                    if history_ids - tally.removed[historical]:
                        tally.removed[historical] |= history_ids
                        changed = True
                    deleted, _ = rows.delete()
                    tally.history_rows += deleted


def _existing(files) -> list:
    return [(storage, name) for storage, name in files if storage.exists(name)]


def _remove_files(files) -> None:
    for storage, name in files:
        storage.delete(name)


@dataclass
class RemovalCounts:
    rows: int
    history_rows: int
    files: int
    by_model: dict


def _remove_tree(review: Review, *, dry_run: bool) -> RemovalCounts:
    tally = _Tally(review_pk=review.pk)
    _delete([review], tally)
    _purge_history(tally)
    files = _existing(tally.files)
    if not dry_run:
        transaction.on_commit(lambda: _remove_files(files))
    return RemovalCounts(
        rows=sum(tally.rows.values()),
        history_rows=tally.history_rows,
        files=len(files),
        by_model=dict(sorted(tally.rows.items())),
    )


def removal_preview(review: Review) -> RemovalCounts:
    """How much removing `review` would take (rows, history rows, files), worked out by doing it
    in a transaction that is rolled back. Raises RetentionRefused if it could not be removed."""
    with transaction.atomic():
        # A fresh instance: deleting clears the primary key of the instance it is given.
        counts = _remove_tree(Review.objects.get(pk=review.pk), dry_run=True)
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
    counts = _remove_tree(locked, dry_run=False)
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
