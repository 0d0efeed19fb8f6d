"""Removing a review at the end of its retention period: every row under it, found by following
the foreign keys, the change history of each, and its files once the transaction commits."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models import DO_NOTHING, FileField, Q
from django.db.models.deletion import Collector, ProtectedError

from reviews.models import Review

# Chunk size of `id IN (...)` lists (SQLite's limit on query parameters).
CHUNK = 500


class RetentionRefused(ValidationError):
    """A removal or a hold the rules do not allow now; the message says why."""


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


def remove_tree(review: Review, *, dry_run: bool) -> RemovalCounts:
    """Delete `review` with everything under it and the history of all of it; its files go
    once the transaction commits (never on a dry run)."""
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
