"""The audit trail has three parts:

- change history: django-simple-history on every domain model, with the request user recorded by
  its middleware; inside Celery tasks the acting user is passed explicitly
  (`lcspr.core.services.save_with_history`);
- the timeline: one typed event row per service call (`EventBase`; each app that owns a case
  root declares the concrete table, e.g. the review timeline);
- the access log: reads of case material, its own app (`lcspr.access_log`), kept apart from the
  change history because reads are not changes.
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
