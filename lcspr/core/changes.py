"""What changed: a record's change history (django-simple-history) told in words, for the
"What changed" pages. Each change says who made it, when, why (when a reason was kept) and every
field it changed, from what to what: dates as dates, choices as their labels, records as their
names, yes-or-no fields as Yes or No.

The apps own the pages: each reaches the record through its own access helper (whoever may see
the record may see its changes) and passes the record's history here."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import models
from django.utils import timezone
from django.utils.text import capfirst
from simple_history.utils import get_m2m_reverse_field_name

from lcspr.core.text import long_date

NOT_RECORDED = "Not recorded"
RESTRICTED = "Recorded (restricted)"


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str  # "" for a record being created
    new: str  # "" for a record being deleted


@dataclass(frozen=True)
class Change:
    history_id: int
    when: datetime.datetime
    who: str
    what: str  # "Created", "Changed" or "Deleted", unless the page describes it
    kind: str  # simple-history's type: "+" created, "~" changed, "-" deleted
    reason: str
    fields: list[FieldChange] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"change-{self.history_id}"


WHAT = {"+": "Created", "~": "Changed", "-": "Deleted"}
# The "old value" of a field of a record being created: there was nothing before.
_NOTHING = object()


def record_changes(history, *, exclude=(), hidden=(), labels=None, describe=None) -> list[Change]:
    """The changes in `history` (historical rows of one record, or of several records of one
    model, such as a person's role assignments), newest first. Fields in `exclude` are left out;
    a change of a field in `hidden` is shown without its values; `labels` names fields whose
    own names do not read well (a yes-or-no flag). `describe(row)`, when given,
    says what each change was (e.g. "Role given: Independent Chair")."""
    rows = list(history.select_related("history_user").order_by("history_date", "history_id"))
    if not rows:
        return []
    model = rows[0].instance_type
    pk_name = model._meta.pk.attname
    plain, m2m = _tracked_fields(rows[0], set(exclude))
    previous: dict = {}
    raw = []  # (row, [(field name, old, new)])
    for row in rows:
        before = previous.get(getattr(row, pk_name))
        raw.append((row, _raw_changes(row, before, plain, m2m)))
        previous[getattr(row, pk_name)] = row
    names = _names_of_records(model, raw)
    changes = [
        Change(
            history_id=row.history_id,
            when=row.history_date,
            who=str(row.history_user) if row.history_user_id else "The system",
            what=describe(row) if describe else WHAT[row.history_type],
            kind=row.history_type,
            reason=row.history_change_reason or "",
            fields=[
                _field_change(model, name, old, new, names, name in hidden, labels or {})
                for name, old, new in fields
            ],
        )
        for row, fields in raw
    ]
    return changes[::-1]


def _tracked_fields(row, exclude: set) -> tuple[list[str], list[str]]:
    """The editable fields the history keeps, in the model's order, and its many-to-many ones."""
    plain = [f.name for f in row.tracked_fields if f.editable and f.name not in exclude]
    m2m = [f.name for f in row._history_m2m_fields if f.name not in exclude]
    return plain, m2m


def _raw_changes(row, before, plain, m2m) -> list[tuple]:
    if row.history_type == "-":
        return []
    if before is None or row.history_type == "+":
        created = [(name, _NOTHING, _raw(row, name)) for name in plain]
        created += [(name, _NOTHING, _m2m_rows(row, name)) for name in m2m]
        return [(name, old, new) for name, old, new in created if new not in (None, "", [])]
    delta = row.diff_against(before, included_fields=[*plain, *m2m])
    order = {name: i for i, name in enumerate([*plain, *m2m])}
    return sorted(
        ((c.field, c.old, c.new) for c in delta.changes), key=lambda c: order.get(c[0], 0)
    )


def _raw(row, name: str):
    model_field = row._meta.get_field(name)
    return getattr(row, model_field.attname)


def _m2m_rows(row, name: str) -> list[dict]:
    target = get_m2m_reverse_field_name(row.instance_type._meta.get_field(name))
    return list(getattr(row, name).order_by(target).values(target))


def _names_of_records(model, raw) -> dict:
    """{(related model, pk): name} for every record a change refers to: one query per model."""
    wanted = defaultdict(set)
    for _row, fields in raw:
        for name, old, new in fields:
            model_field = model._meta.get_field(name)
            if model_field.many_to_many:
                target = get_m2m_reverse_field_name(model_field)
                for value in (old, new):
                    if isinstance(value, list):
                        wanted[model_field.related_model].update(r[target] for r in value)
            elif model_field.is_relation:
                wanted[model_field.related_model].update(
                    v for v in (old, new) if v is not None and v is not _NOTHING
                )
    names = {}
    for related, pks in wanted.items():
        for pk, obj in related._default_manager.in_bulk(list(pks)).items():
            names[(related, pk)] = str(obj)
    return names


def _field_change(model, name, old, new, names, hidden: bool, labels: dict) -> FieldChange:
    model_field = model._meta.get_field(name)
    label = labels.get(name) or capfirst(str(model_field.verbose_name))
    if hidden:
        return FieldChange(label, "" if old is _NOTHING else RESTRICTED, RESTRICTED)
    return FieldChange(
        label,
        "" if old is _NOTHING else in_words(model_field, old, names),
        in_words(model_field, new, names),
    )


def in_words(model_field: models.Field, value, names: dict) -> str:
    """One stored value as a person reads it."""
    if model_field.many_to_many:
        target = get_m2m_reverse_field_name(model_field)
        related = model_field.related_model
        listed = [names.get((related, r[target]), "a removed record") for r in value or ()]
        return ", ".join(listed) or "None"
    if value is None or value == "" or value == []:
        return NOT_RECORDED
    if isinstance(value, list):  # a JSON list: numbers or names
        return ", ".join(str(v) for v in value)
    if model_field.is_relation:
        return names.get((model_field.related_model, value), "a removed record")
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.BooleanField):
        return "Yes" if value else "No"
    if isinstance(value, datetime.datetime):
        local = timezone.localtime(value)
        return f"{long_date(local)}, {local:%H:%M}"
    if isinstance(value, datetime.date):
        return long_date(value)
    if isinstance(value, datetime.time):
        return f"{value:%H:%M}"
    if isinstance(model_field, models.FileField):
        return str(value).rsplit("/", 1)[-1]
    return str(value)


def merged(*lists: list[Change]) -> list[Change]:
    """Several records' changes as one list, newest first (a person's account and roles)."""
    return sorted(
        (c for changes in lists for c in changes),
        key=lambda c: (c.when, c.history_id),
        reverse=True,
    )
