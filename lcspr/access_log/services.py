"""Writing the access log: `log_access` for the views that read case material, `note_loaded`
for the access helpers (registered in apps.py), and `reads_of`, the per-request record
`AccessLogMiddleware` writes once the response is ready."""

import contextvars
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.db import models

from lcspr.access_log.case_root import review_id_of
from lcspr.access_log.models import AccessLog


def client_address(request) -> str:
    """The client's address as the proxy in front of us saw it."""
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


@dataclass
class RequestReads:
    """What one request read: the explicit `log_access` call, if any, and the objects the
    access helpers loaded (for the review id of a request that did not log itself)."""

    explicit: dict | None = None
    loaded: list = field(default_factory=list)


_current: contextvars.ContextVar[RequestReads | None] = contextvars.ContextVar(
    "access_log_pending", default=None
)


@contextmanager
def reads_of(request):
    """Collect what `request` reads while its view runs (the middleware writes the row after)."""
    reads = RequestReads()
    request._access_log_pending = reads
    token = _current.set(reads)
    try:
        yield reads
    finally:
        _current.reset(token)
        request._access_log_pending = None


def note_loaded(obj) -> None:
    """Called by the access helpers (`lcspr.core.permissions.get_object_for`) with each object
    they let a user reach, so the access log knows what a page showed."""
    reads = _current.get()
    if reads is not None:
        reads.loaded.append(obj)


def kind_of(what: str, response=None) -> str:
    """A read's kind: an export by its name, a download by its response, else a page view."""
    if "export" in what.lower():
        return AccessLog.Kind.EXPORT
    if response is not None:
        content_type = response.get("Content-Type", "")
        if response.has_header("Content-Disposition") or not content_type.startswith("text/html"):
            return AccessLog.Kind.DOWNLOAD
    return AccessLog.Kind.VIEW


def access_log_write(request, *, what, obj, review_id, kind) -> AccessLog:
    """Write one row of the log for `request`."""
    user = getattr(request, "user", None)
    return AccessLog.objects.create(
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
    reads = _current.get()
    if reads is None or getattr(request, "_access_log_pending", None) is not reads:
        access_log_write(
            request,
            what=what,
            obj=obj,
            review_id=review_id if review_id is not None else review_id_of(obj),
            kind=kind or kind_of(what),
        )
        return
    if reads.explicit is None:
        reads.explicit = {"what": what, "obj": obj, "review_id": review_id, "kind": kind}


def access_log_prune(*, before) -> int:
    """The retention job: remove rows of the log older than `before` (a datetime), the only
    deletion the database allows (lcspr/access_log/guard.py). Returns how many rows went."""
    from lcspr.access_log.guard import deleting_old_rows

    with deleting_old_rows():
        deleted, _ = AccessLog.objects.filter(at__lt=before).delete()
    return deleted
