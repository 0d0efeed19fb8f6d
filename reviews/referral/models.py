"""The Serious Incident Notification to the National Panel."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from reviews.models import Review

User = settings.AUTH_USER_MODEL


class Notification(models.Model):
    """The Serious Incident Notification to the National Panel, and who else was told."""

    review = models.OneToOneField(Review, on_delete=models.CASCADE, related_name="notification")
    sent_on = models.DateField("Date the notification was sent")
    sent_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    panel_reference = models.CharField("National Panel's reference", max_length=60, blank=True)
    history = HistoricalRecords()

    def __str__(self):
        return f"Notification for {self.review}"


class LookedAfterDeathNotice(models.Model):
    """That the DfE and Ofsted were told of a looked-after child's death: required whatever the
    cause of death, whether or not the National Panel is notified, with its own clock."""

    review = models.OneToOneField(
        Review, on_delete=models.CASCADE, related_name="looked_after_death_notice"
    )
    dfe_notified_on = models.DateField("Date the DfE was notified")
    ofsted_notified_on = models.DateField("Date Ofsted was notified")
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    def __str__(self):
        return f"DfE and Ofsted told of the death in {self.review}"

    @property
    def met_on(self):
        return max(self.dfe_notified_on, self.ofsted_notified_on)
