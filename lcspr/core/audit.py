"""The audit trail has three parts:

- change history: django-simple-history on every domain model, with the request user recorded by
  its middleware; inside Celery tasks pass the acting user explicitly (`_history_user`);
- the timeline: one typed event row per service call (`EventBase`; each app that owns a case
  root declares the concrete table, e.g. the review timeline);
- the access log: reads of case material (`log_access`).
"""

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


def log_access(request, *, what: str, obj: models.Model | None = None, review_id=None) -> None:
    """Record that the signed-in user viewed or downloaded case material."""
    from lcspr.core.models import AccessLog

    AccessLog.objects.create(
        user=request.user if request.user.is_authenticated else None,
        what=what[:200],
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        review_id=review_id,
        path=request.get_full_path()[:500],
        address=client_address(request)[:64],
    )
