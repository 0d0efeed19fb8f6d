"""Edits carry the version they were read at, so a save never silently reverts someone else's.

A record's version is the id of its latest change-history row. An edit form sends it back
(the hidden `version` field of lcspr.core.forms.VersionedFormMixin) and the service, with the
row locked, refuses the save when someone has since changed one of the fields the form edits,
saying who changed what, from what to what (see docs/adr/0015-edits-carry-their-version.md)."""

import datetime

from django.db import models
from django.utils import timezone

from lcspr.core.exceptions import StaleEdit
from lcspr.core.text import long_date

# A long text is quoted only so far in the message.
QUOTE_CHARS = 80


def version_of(obj: models.Model) -> int:
    """The id of `obj`'s latest change-history row (0 when it has none)."""
    latest = obj.history.order_by("-history_id").values_list("history_id", flat=True).first()
    return latest or 0


def require_version(obj: models.Model, version: int | None, *, fields) -> None:
    """Refuse an edit of `fields` read at `version` when someone has changed any of them since
    (call with the row locked). No version (a caller that is not a form) means no check."""
    if version is None:
        return
    current = version_of(obj)
    if version == current:
        return
    tracked = _tracked(obj, fields)
    if version == 0:
        _require_still_unwritten(obj, tracked, current)
        return
    # The row read may be of another record of the same kind that `obj` has since replaced
    # (a changed decision supersedes the one in force when the page was read).
    read = obj.history.model.objects.filter(history_id=version).first()
    if read is None:
        raise StaleEdit(
            "This record changed while you were editing. Your changes have not been saved. "
            "Check them below and save again.",
            version=current,
        )
    since = list(obj.history.filter(history_id__gt=version).order_by("history_id"))
    delta = since[-1].diff_against(read, included_fields=tracked, foreign_keys_are_objs=True)
    if not delta.changes:
        return  # what changed meanwhile is not on this form
    changes = [
        (c.field, _value(obj, c.field, c.old), _value(obj, c.field, c.new)) for c in delta.changes
    ]
    raise StaleEdit(_message(obj, read, since, tracked, changes), version=current, changes=changes)


def _require_still_unwritten(obj: models.Model, tracked: list[str], current: int) -> None:
    """A page read when the record had no history (version 0): before it existed, or before
    its first recorded change. Refuse when someone has since written any of the form's fields;
    a record that existed already is said as it now reads (what it read before is not kept)."""
    since = list(obj.history.order_by("history_id"))
    created = since[0].history_type == "+"
    changes = []
    for name in tracked:
        field = obj._meta.get_field(name)
        now = list(getattr(obj, name).order_by("pk")) if field.many_to_many else getattr(obj, name)
        if created and now in (None, "", []):
            continue
        then = ([] if field.many_to_many else None) if created else _NOT_KEPT
        changes.append((name, then, now))
    if changes:
        raise StaleEdit(
            _message(obj, None, since, tracked, changes), version=current, changes=changes
        )


# What a record read before its first recorded change held (history does not keep it).
_NOT_KEPT = object()


def _tracked(obj: models.Model, fields) -> list[str]:
    """The names among `fields` that the record's change history keeps."""
    history = obj.history.model
    names = {f.name for f in (*history.tracked_fields, *history._history_m2m_fields)}
    return [f for f in fields if f in names]


def _value(obj: models.Model, name: str, value):
    """A field's value from a history diff, with a many-to-many as the list of its objects."""
    field = obj._meta.get_field(name)
    if not field.many_to_many:
        return value
    target = field.m2m_reverse_field_name()
    pks = [getattr(row[target], "pk", row[target]) for row in value or ()]
    return list(field.related_model._default_manager.filter(pk__in=pks).order_by("pk"))


def _message(obj, read, since, tracked, changes) -> str:
    """Who changed what since the page was read (`read` None: before the record existed)."""
    authors, previous, last = [], read, since[-1].history_date
    for row in since:
        if previous is None or row.diff_against(previous, included_fields=tracked).changes:
            name = str(row.history_user) if row.history_user else "Someone"
            if name not in authors:
                authors.append(name)
            last = row.history_date
        previous = row
    what = "; ".join(
        f"{_label(obj, name)} is now {_in_words(obj, name, new)}"
        if old is _NOT_KEPT
        else f"{_label(obj, name)} from {_in_words(obj, name, old)} to {_in_words(obj, name, new)}"
        for name, old, new in changes
    )
    return (
        f"{' and '.join(authors)} changed this {_when(last)} while you were editing: {what}. "
        "Your changes have not been saved. Check them below and save again."
    )


def _label(obj, name: str) -> str:
    label = str(obj._meta.get_field(name).verbose_name)
    return label[0].upper() + label[1:]


def _in_words(obj, name: str, value) -> str:
    field = obj._meta.get_field(name)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "none"
    if value is None or value == "":
        return "blank"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime.date):
        return long_date(value)
    if isinstance(value, str):
        text = " ".join(value.split())
        return f"“{text[:QUOTE_CHARS]}…”" if len(text) > QUOTE_CHARS else f"“{text}”"
    return str(value)


def _when(moment: datetime.datetime) -> str:
    local = timezone.localtime(moment)
    if local.date() == timezone.localdate():
        return f"at {local:%H:%M}"
    return f"on {long_date(local)} at {local:%H:%M}"
