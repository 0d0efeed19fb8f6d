"""The one record of a background job (lcspr.core.jobs), for every kind of job."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords


class JobQuerySet(models.QuerySet):
    def about(self, obj: models.Model):
        """The jobs about `obj` (a review, for the merged chronology PDF)."""
        return self.filter(about_type=ContentType.objects.get_for_model(obj), about_id=obj.pk)


class Job(models.Model):
    """One piece of background work someone asked for, with its progress and its result."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Being prepared"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=50, help_text="As registered: lcspr.core.jobs.registry.")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(
        default=0, help_text="Steps or rows to do, as the job counts them; 0 until it knows."
    )
    message = models.TextField(blank=True, help_text="Why the job failed.")
    file = models.FileField(upload_to="jobs/%Y/", blank=True)
    parameters = models.JSONField(default=dict, blank=True)
    about_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    about_id = models.PositiveBigIntegerField(null=True, blank=True)
    about = GenericForeignKey("about_type", "about_id")
    history = HistoricalRecords()

    objects = JobQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at"]
        indexes = [models.Index(fields=["about_type", "about_id"], name="core_job_about_idx")]

    def __str__(self):
        return f"{self.kind} for {self.requested_by} ({self.status})"

    @property
    def progress(self) -> int:
        """Per cent done: 100 once done, otherwise from what the job last reported."""
        if self.status == self.Status.DONE:
            return 100
        if not self.progress_total:
            return 0
        return min(100, self.progress_done * 100 // self.progress_total)

    @property
    def is_active(self) -> bool:
        """Waiting for a worker or being run: its page keeps refreshing."""
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)
