"""The case root: what the access log needs to know about the domain. The log imports no domain
app; the app that owns the case root declares it (reviews/ declares Review)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models


@dataclass(frozen=True)
class CaseRoot:
    """The model whose id `AccessLog.review_id` holds, declared by the app that owns it: how to
    find one by its reference and how to show it."""

    model: type[models.Model]
    reference_field: str
    url_name: str
    label: Callable = str


_case_root: CaseRoot | None = None


def register_case_root(model, *, reference_field: str, url_name: str, label=str) -> None:
    """Declare the case root (reviews/ declares Review)."""
    global _case_root
    _case_root = CaseRoot(model, reference_field, url_name, label)


def case_root() -> CaseRoot | None:
    return _case_root


def review_id_of(obj) -> int | None:
    """The id of the case root an object belongs to: its own id for the root, else its
    `review_id`."""
    if obj is None:
        return None
    if _case_root is not None and isinstance(obj, _case_root.model):
        return obj.pk
    return getattr(obj, "review_id", None)
