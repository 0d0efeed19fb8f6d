"""Insert many rows on PostgreSQL with `COPY ... FROM STDIN`, the way `bulk_create` would store
them but without Django compiling an INSERT with a parameter per value (most of what was left of
a 5,000-row chronology import's store). The primary keys are taken from the table's sequence
first, so every object has its id afterwards, as after `bulk_create`. It runs in the caller's
transaction: a refusal by the database rolls back with everything else."""

import datetime
import decimal
import io
import json
import uuid

from django.db import connections, models

# The field types whose values this writes exactly as the ORM sends them; a model with any other
# goes through `bulk_create` (see `can_copy`).
_COPYABLE = {
    "AutoField",
    "BigAutoField",
    "SmallAutoField",
    "BooleanField",
    "CharField",
    "TextField",
    "SlugField",
    "EmailField",
    "URLField",
    "DateField",
    "TimeField",
    "DateTimeField",
    "IntegerField",
    "BigIntegerField",
    "SmallIntegerField",
    "PositiveIntegerField",
    "PositiveBigIntegerField",
    "PositiveSmallIntegerField",
    "DecimalField",
    "FloatField",
    "UUIDField",
    "JSONField",
}


def can_copy(model, using: str) -> bool:
    """Whether `copy_insert` can write `model`'s rows on the database `using`."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return False
    pk = model._meta.pk
    if pk.get_internal_type() not in {"AutoField", "BigAutoField", "SmallAutoField"}:
        return False  # its ids do not come from a sequence
    return all(
        (field.target_field if field.is_relation else field).get_internal_type() in _COPYABLE
        and field.db_default is models.NOT_PROVIDED
        for field in model._meta.concrete_fields
    )


def copy_insert(objs: list, model, *, using: str) -> list:
    """Insert `objs` (none saved yet) with one `COPY`, giving each its primary key from the
    table's sequence. Call `can_copy` first."""
    if not objs:
        return objs
    if any(obj.pk is not None for obj in objs):
        raise ValueError("copy_insert takes objects not saved yet")
    connection = connections[using]
    meta = model._meta
    quote = connection.ops.quote_name
    fields = [field for field in meta.concrete_fields if not field.primary_key]
    with connection.cursor() as cursor:
        # One nextval per object, in order (a sequence is not rolled back, as with INSERT).
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [quote(meta.db_table), meta.pk.column, len(objs)],
        )
        ids = sorted(row[0] for row in cursor.fetchall())
        lines = []
        for obj, pk in zip(objs, ids, strict=True):
            values = [str(pk)]
            for field in fields:
                values.append(_text(field, field.pre_save(obj, True), connection))
            lines.append("\t".join(values))
        lines.append("")
        sql = (
            f"COPY {quote(meta.db_table)} "
            f"({', '.join(quote(c) for c in [meta.pk.column] + [f.column for f in fields])}) "
            "FROM STDIN"
        )
        _copy(cursor.cursor, sql, "\n".join(lines))
    for obj, pk in zip(objs, ids, strict=True):
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = using
    return objs


def _copy(raw_cursor, sql: str, data: str) -> None:
    if hasattr(raw_cursor, "copy_expert"):  # psycopg2
        raw_cursor.copy_expert(sql, io.StringIO(data))
    else:  # psycopg 3
        with raw_cursor.copy(sql) as copy:
            copy.write(data)


def _text(field: models.Field, value, connection) -> str:
    """One value in COPY's text format: what the ORM would send for it, `\\N` for NULL."""
    if value is None:
        return "\\N"
    if isinstance(field, models.JSONField):
        return _escape(json.dumps(field.get_prep_value(value), cls=field.encoder))
    value = field.get_db_prep_save(value, connection)
    if value is None:
        return "\\N"
    if isinstance(value, str):
        return _escape(value)
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, int | float | decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, datetime.date | datetime.time):  # and datetime.datetime
        return value.isoformat()
    raise TypeError(f"Cannot COPY {type(value).__name__} into {field}")


def _escape(text: str) -> str:
    if "\x00" in text:
        # What psycopg2 says for the same value through the ORM.
        raise ValueError("A string literal cannot contain NUL (0x00) characters.")
    if "\\" in text:
        text = text.replace("\\", "\\\\")
    if "\t" in text:
        text = text.replace("\t", "\\t")
    if "\n" in text:
        text = text.replace("\n", "\\n")
    if "\r" in text:
        text = text.replace("\r", "\\r")
    return text
