"""The notification centre's messages: each user's own, written by the features that notify
(the reminder scan today)."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class InAppNotification(models.Model):
    """A message in a user's notification centre. Written in the same transaction as the
    sent-log row, so it is never lost, whatever happens to the e-mail."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(max_length=250)
    body = models.CharField(max_length=500, blank=True)
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        # The table it had when it lived in lcspr.core: the move changed no database.
        db_table = "core_inappnotification"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self):
        return f"{self.title} for {self.recipient}"
