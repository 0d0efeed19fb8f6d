"""The audit trail has three parts:

- change history: django-simple-history on every domain model, with the request user recorded by
  its middleware; inside Celery tasks pass the acting user explicitly (`_history_user`);
- the timeline: one typed event row per service call (`EventBase`; each app that owns a case
  root declares the concrete table, e.g. the review timeline);
- the access log: reads of case material (`log_access`, and `AccessLogMiddleware`, which logs
  every successful GET of a case-material page that did not log itself).

The access log is kept apart from the change history: it is its own table (`AccessLog`), with
no foreign key to any domain model, so it outlives the material it describes.
"""

import contextvars
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import models
from django.utils import timezone


class EventBase(models.Model):
    """One thing that happened, written by a service in the same transaction as the change."""

    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=60)
    summary = models.CharField(max_length=500)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        abstract = True
        ordering = ["-occurred_at", "-id"]

    def __str__(self):
        return self.summary


def client_address(request) -> str:
    """The client's address as the proxy in front of us saw it."""
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


# --- the case root: what the access log needs to know about the domain ------------------------


@dataclass(frozen=True)
class CaseRoot:
    """The model whose id `AccessLog.review_id` holds, declared by the app that owns it (the
    platform imports no domain app): how to find one by its reference and how to show it."""

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


# --- the access log --------------------------------------------------------------------------


@dataclass
class _Pending:
    """What one request read: the explicit `log_access` call, if any, and the objects the
    access helpers loaded (for the review id of a request that did not log itself)."""

    explicit: dict | None = None
    loaded: list = field(default_factory=list)


_current: contextvars.ContextVar[_Pending | None] = contextvars.ContextVar(
    "access_log_pending", default=None
)


def note_loaded(obj) -> None:
    """Called by the access helpers (`lcspr.core.permissions.get_object_for`) with each object
    they let a user reach, so the access log knows what a page showed."""
    pending = _current.get()
    if pending is not None:
        pending.loaded.append(obj)


def _kind_of(what: str, response=None) -> str:
    from lcspr.core.models import AccessLog

    if "export" in what.lower():
        return AccessLog.Kind.EXPORT
    if response is not None:
        content_type = response.get("Content-Type", "")
        if response.has_header("Content-Disposition") or not content_type.startswith("text/html"):
            return AccessLog.Kind.DOWNLOAD
    return AccessLog.Kind.VIEW


def _write(request, *, what, obj, review_id, kind) -> None:
    from lcspr.core.models import AccessLog

    user = getattr(request, "user", None)
    AccessLog.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        kind=kind,
        what=what[:200],
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        review_id=review_id,
        path=request.get_full_path()[:500],
        address=client_address(request)[:64],
    )


def log_access(
    request, *, what: str, obj: models.Model | None = None, review_id=None, kind: str = ""
) -> None:
    """Record that the signed-in user viewed or downloaded case material. One row per request:
    under `AccessLogMiddleware` the row is written once the response is ready (so a second
    call in the same request adds nothing, and the kind comes from the response); without it
    (a task, a test calling the view directly), at once."""
    pending = _current.get()
    if pending is None or getattr(request, "_access_log_pending", None) is not pending:
        _write(
            request,
            what=what,
            obj=obj,
            review_id=review_id if review_id is not None else review_id_of(obj),
            kind=kind or _kind_of(what),
        )
        return
    if pending.explicit is None:
        pending.explicit = {"what": what, "obj": obj, "review_id": review_id, "kind": kind}


class AccessLogMiddleware:
    """One access-log row for each request that read case material: every request whose view
    called `log_access`, and every successful GET or HEAD of a page in the case-material URL
    namespaces (settings.ACCESS_LOG_NAMESPACES) that did not, except the pages listed in
    settings.ACCESS_LOG_EXCLUDED (settings pages that hold no case material). For those, `what`
    is the page's URL name and the object and review are the last object the access helpers
    loaded."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        pending = _Pending()
        request._access_log_pending = pending
        token = _current.set(pending)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        try:
            self._record(request, response, pending)
        finally:
            request._access_log_pending = None
        return response

    def _record(self, request, response, pending: _Pending) -> None:
        loaded = pending.loaded[-1] if pending.loaded else None
        review_id = next(
            (rid for rid in (review_id_of(obj) for obj in pending.loaded) if rid is not None),
            None,
        )
        if pending.explicit is not None:
            explicit = pending.explicit
            obj = explicit["obj"]
            rid = explicit["review_id"]
            if rid is None:
                rid = review_id_of(obj) if obj is not None else review_id
            _write(
                request,
                what=explicit["what"],
                obj=obj,
                review_id=rid,
                kind=explicit["kind"] or _kind_of(explicit["what"], response),
            )
            return
        if request.method not in ("GET", "HEAD") or not 200 <= response.status_code < 300:
            return
        match = getattr(request, "resolver_match", None)
        if match is None or not match.namespaces:
            return
        if match.namespaces[0] not in settings.ACCESS_LOG_NAMESPACES:
            return
        if match.view_name in settings.ACCESS_LOG_EXCLUDED:
            return
        what = match.view_name
        _write(request, what=what, obj=loaded, review_id=review_id, kind=_kind_of(what, response))
