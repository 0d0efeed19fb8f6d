"""The service kit every app's services use: save and delete with the acting user in the change
history, write an event on a case's timeline, lock a row for the rest of the transaction, and
the refusals many steps share."""

import datetime

from django.conf import settings
from django.db import connections, models
from django.utils import timezone
from simple_history.utils import bulk_create_with_history as _simple_history_bulk_create

from lcspr.core import page_cache, pg_copy
from lcspr.core.exceptions import WorkflowError


def save_with_history(
    obj: models.Model, by, *, validate: bool = True, exclude=None, update_fields=None
) -> models.Model:
    """Validate (unless told not to) and save `obj`, recording `by` in its change history."""
    obj._history_user = by
    if validate:
        obj.full_clean(exclude=exclude)
    obj.save(update_fields=update_fields)
    return obj


def delete_with_history(obj: models.Model, by) -> None:
    """Delete `obj`, recording `by` in its change history (the deleted row stays there)."""
    obj._history_user = by
    obj.delete()


def bulk_delete_with_history(queryset: models.QuerySet, by, *, batch_size: int = 1000) -> int:
    """Delete every row of `queryset` in one statement, recording each in its change history as
    deleted by `by` (the history rows copied from the rows inside the database): what
    `delete_with_history` records, without a query per row. Rows that cascade from them are not
    looked for: delete them first the same way (the database's foreign keys refuse the delete
    otherwise, so nothing is left dangling). Returns the number deleted."""
    page_cache.changed()  # no signal for a bulk write: the page cache is told here
    model = queryset.model
    history = model.history.model
    if not _history_can_be_copied(history):
        return _bulk_delete_with_history_rows(queryset, by, batch_size=batch_size)
    ids = list(queryset.order_by("pk").values_list("pk", flat=True))
    if not ids:
        return 0
    _copy_history(model, ids, by, history_type="-", change_reason="", batch_size=batch_size)
    # QuerySet.delete() would send the delete signals row by row (simple-history's among them).
    deleted = model._base_manager.filter(pk__in=ids)._raw_delete(queryset.db)
    if deleted != len(ids):
        raise RuntimeError(f"Deleted {deleted} of {len(ids)} {model._meta.verbose_name_plural}")
    return deleted


def _bulk_delete_with_history_rows(queryset: models.QuerySet, by, *, batch_size: int) -> int:
    """`bulk_delete_with_history` for a history model with fields of its own: the history rows
    built in Python."""
    model = queryset.model
    rows = list(queryset.order_by("pk"))
    if not rows:
        return 0
    history = model.history.model
    when = timezone.now()
    history.objects.bulk_create(
        [
            history(
                history_date=when,
                history_user=by,
                history_change_reason="",
                history_type="-",
                **{field.attname: getattr(row, field.attname) for field in history.tracked_fields},
            )
            for row in rows
        ],
        batch_size=batch_size,
    )
    deleted = model._base_manager.filter(pk__in=[row.pk for row in rows])._raw_delete(queryset.db)
    if deleted != len(rows):
        raise RuntimeError(f"Deleted {deleted} of {len(rows)} {model._meta.verbose_name_plural}")
    return deleted


_HISTORY_OWN_FIELDS = {
    "history_id",
    "history_date",
    "history_user",
    "history_change_reason",
    "history_type",
}


def _history_can_be_copied(history) -> bool:
    """Whether a history model's rows can be copied from its model's rows in the database: it
    has no fields of its own beyond simple-history's, and history is being recorded."""
    tracked = {field.name for field in history.tracked_fields}
    own = {field.name for field in history._meta.concrete_fields} - tracked
    return own == _HISTORY_OWN_FIELDS and getattr(settings, "SIMPLE_HISTORY_ENABLED", True)


def bulk_create_with_history(objs: list, model, by, *, batch_size: int = 1000) -> list:
    """Insert `objs`, each recorded in its change history as created by `by`: what
    simple-history's `bulk_create_with_history` records (one moment, type "+", no change
    reason), but the history rows are copied from the rows just inserted by the database
    (INSERT ... SELECT) instead of being built and sent again from Python, which was most of
    the time of a 5,000-row chronology import. On PostgreSQL the rows themselves go in with
    one `COPY` (`lcspr.core.pg_copy`); elsewhere with `bulk_create` in batches. Falls back to
    simple-history's helper for a history model with fields of its own beyond the tracked
    ones."""
    page_cache.changed()  # no signal for a bulk write: the page cache is told here
    history = model.history.model
    if not _history_can_be_copied(history):
        return _simple_history_bulk_create(objs, model, batch_size=batch_size, default_user=by)
    using = model._default_manager.db
    if pg_copy.can_copy(model, using) and all(obj.pk is None for obj in objs):
        created = pg_copy.copy_insert(objs, model, using=using)
    else:
        created = model._default_manager.bulk_create(objs, batch_size=batch_size)
    ids = [obj.pk for obj in created]
    if not ids or None in ids:
        raise RuntimeError(f"The database did not return the new {model._meta.db_table} ids")
    _copy_history(model, ids, by, history_type="+", change_reason=None, batch_size=batch_size)
    return created


def _copy_history(model, ids: list, by, *, history_type: str, change_reason, batch_size: int):
    """Write a history row for each of `ids` copied from the model's row (INSERT ... SELECT),
    all at one moment, by `by`."""
    history = model.history.model
    tracked = sorted(field.name for field in history.tracked_fields)
    connection = connections[model._default_manager.db]
    quote = connection.ops.quote_name
    columns = [model._meta.get_field(name).column for name in tracked]
    history_columns = [history._meta.get_field(name).column for name in tracked]
    own_columns = [
        history._meta.get_field(name).column
        for name in ("history_date", "history_user", "history_change_reason", "history_type")
    ]
    when = connection.ops.adapt_datetimefield_value(timezone.now())
    by_id = by.pk if by is not None else None
    with connection.cursor() as cursor:
        for start in range(0, len(ids), batch_size):
            chunk = ids[start : start + batch_size]
            # Only quoted table and column names from the models go into the text; every
            # value is a parameter.
            sql = (
                f"INSERT INTO {quote(history._meta.db_table)} "  # noqa: S608 - names only
                f"({', '.join(quote(c) for c in history_columns + own_columns)}) "
                f"SELECT {', '.join(quote(c) for c in columns)}, %s, %s, %s, %s "
                f"FROM {quote(model._meta.db_table)} "
                f"WHERE {quote(model._meta.pk.column)} IN ({', '.join(['%s'] * len(chunk))}) "
                f"ORDER BY {quote(model._meta.pk.column)}"
            )
            cursor.execute(sql, [when, by_id, change_reason, history_type, *chunk])


def timeline_event(review: models.Model, by, kind: str, summary: str, **data) -> models.Model:
    """Write one event on the review's timeline (the case root's `events`, an `EventBase`
    table), in the caller's transaction."""
    return review.events.create(actor=by, kind=kind, summary=summary[:500], data=data)


def lock_row(obj: models.Model, *, related: tuple[str, ...] = ()) -> models.Model:
    """The row of `obj` again, locked until the transaction ends, so two people cannot take the
    same step at once. `related` rows are joined (and read) but not locked."""
    queryset = type(obj)._default_manager.select_for_update(of=("self",))
    if related:
        queryset = queryset.select_related(*related)
    return queryset.get(pk=obj.pk)


def require_not_future(value: datetime.date | None, field: str) -> None:
    """Refuse a date after today, on the form field `field`."""
    if value and value > timezone.localdate():
        raise WorkflowError({field: "The date must be today or in the past."})
