"""The service kit every app's services use: save and delete with the acting user in the change
history, write an event on a case's timeline, lock a row for the rest of the transaction, and
the refusals many steps share."""

import datetime

from django.db import models
from django.utils import timezone

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
    deleted by `by` (one bulk insert): what `delete_with_history` records, without a query per
    row. Rows that cascade from them are not looked for: delete them first the same way (the
    database's foreign keys refuse the delete otherwise, so nothing is left dangling). Returns
    the number deleted."""
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
    # QuerySet.delete() would send the delete signals row by row (simple-history's among them).
    deleted = model._base_manager.filter(pk__in=[row.pk for row in rows])._raw_delete(queryset.db)
    if deleted != len(rows):
        raise RuntimeError(f"Deleted {deleted} of {len(rows)} {model._meta.verbose_name_plural}")
    return deleted


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
