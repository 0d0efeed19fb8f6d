from django.conf import settings
from django.db import models
from django.utils import timezone


class AccessLog(models.Model):
    """Who viewed or downloaded which case material, when and from where. Kept apart from the
    change history: reads are not changes."""

    class Kind(models.TextChoices):
        VIEW = "view", "Viewed a page"
        DOWNLOAD = "download", "Downloaded a file"
        EXPORT = "export", "Exported data"

    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.VIEW)
    what = models.CharField(max_length=200)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    # A plain id, not a foreign key: the log imports no domain app and outlives the material.
    review_id = models.BigIntegerField(null=True, blank=True)
    path = models.CharField(max_length=500)
    address = models.CharField(max_length=64, blank=True)

    class Meta:
        # The table it had when it lived in lcspr.core: the move changed no database.
        db_table = "core_accesslog"
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["user", "at"], name="access_log_user_at"),
            models.Index(fields=["review_id", "at"], name="access_log_review_at"),
        ]

    def __str__(self):
        return f"{self.user} {self.what} at {self.at:%Y-%m-%d %H:%M}"
