import datetime
import re

from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from lcspr.access_log.case_root import case_root
from lcspr.access_log.models import AccessLog


def access_log_filtered(form):
    """The log rows matching a valid filter form (every row if the form is unbound, none if it
    is invalid), newest first."""
    rows = AccessLog.objects.select_related("user__agency").order_by("-at", "-pk")
    if not form.is_bound or not form.is_valid():
        return rows if not form.is_bound else rows.none()
    data = form.cleaned_data
    if form.review_id is not None:
        rows = rows.filter(review_id=form.review_id)
    if data["user"]:
        rows = rows.filter(user_id=data["user"])
    if data["kind"]:
        rows = rows.filter(kind=data["kind"])
    tz = timezone.get_current_timezone()
    if data["date_from"]:
        start = datetime.datetime.combine(data["date_from"], datetime.time.min, tzinfo=tz)
        rows = rows.filter(at__gte=start)
    if data["date_to"]:
        end = datetime.datetime.combine(
            data["date_to"] + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
        )
        rows = rows.filter(at__lt=end)
    return rows


def _object_label(object_type: str, object_id: str) -> str:
    if not object_type:
        return ""
    try:
        name = apps.get_model(object_type)._meta.verbose_name
    except (LookupError, ValueError):
        name = object_type
    return f"{str(name).capitalize()} {object_id}".strip()


def case_roots_by_id(review_ids) -> dict:
    """{id: (reference, label, url)} for the case roots still held, in one query."""
    root = case_root()
    ids = {pk for pk in review_ids if pk is not None}
    if root is None or not ids:
        return {}
    found = root.model._default_manager.in_bulk(ids)
    return {
        pk: (getattr(obj, root.reference_field), root.label(obj), reverse(root.url_name, args=[pk]))
        for pk, obj in found.items()
    }


# A page logged without its own words is stored under its route name ("reviews:terms_edit").
_ROUTE = re.compile(r"[a-z_]+:[a-z0-9_]+")
_ROUTE_VERBS = {"add": "add", "edit": "change", "remove": "remove", "delete": "delete"}


def read_in_words(what: str) -> str:
    """What was read, in words: a stored route name such as "reviews:publication_proceeding_add"
    reads "add publication proceeding" (the stored row is never changed)."""
    if not _ROUTE.fullmatch(what):
        return what
    namespace, name = what.split(":", 1)
    words = [w for w in name.split("_") if w]
    if len(words) > 1 and words[-1] in _ROUTE_VERBS:
        words = [_ROUTE_VERBS[words[-1]], *words[:-1]]
    if words == ["detail"]:
        words = [namespace.removesuffix("s"), "page"]
    return " ".join(words)


def describe(entry: AccessLog, reviews: dict) -> dict:
    """One log row as the viewer and the exports show it (`reviews` from case_roots_by_id):
    `description` says what was read in words, after the review's reference."""
    review = reviews.get(entry.review_id)
    what = read_in_words(entry.what)
    return {
        "entry": entry,
        "description": f"{review[0]}: {what}" if review else what[:1].upper() + what[1:],
        "object": _object_label(entry.object_type, entry.object_id),
        "object_kind": _object_label(entry.object_type, "").strip(),
        "review_reference": review[0] if review else "",
        "review_label": review[1] if review else "",
        "review_url": review[2] if review else "",
        "review_removed": entry.review_id is not None and review is None,
    }
