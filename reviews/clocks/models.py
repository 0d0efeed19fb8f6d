"""The review's statutory clocks: the partnership's clock settings and one Deadline row per clock
of a review."""

import datetime

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from lcspr.core.models import Singleton
from lcspr.core.text import long_date
from reviews.models import Review

User = settings.AUTH_USER_MODEL


class ClockStart(models.TextChoices):
    AWARENESS = "awareness", "The date the local authority became aware"
    INCIDENT = "incident", "The date of the incident"
    NOTIFICATION = "notification", "The date the notification was sent"


class ClockSettings(Singleton):
    """The partnership's statutory clock rules (one row). Defaults follow Working Together and
    the National Panel's guidance; local procedures differ, so the partnership can change them."""

    notification_days = models.PositiveSmallIntegerField(
        "Working days to notify the National Panel", default=5
    )
    notification_start = models.CharField(
        "Notification clock starts from",
        max_length=20,
        choices=[c for c in ClockStart.choices if c[0] != ClockStart.NOTIFICATION],
        default=ClockStart.AWARENESS,
    )
    partners_informed_days = models.PositiveSmallIntegerField(
        "Working days to inform the safeguarding partners", default=5
    )
    looked_after_death_days = models.PositiveSmallIntegerField(
        "Working days to notify the DfE and Ofsted of a looked-after child's death", default=5
    )
    rapid_review_days = models.PositiveSmallIntegerField(
        "Working days to complete the rapid review", default=15
    )
    rapid_review_start = models.CharField(
        "Rapid review clock starts from",
        max_length=20,
        choices=[c for c in ClockStart.choices if c[0] != ClockStart.INCIDENT],
        default=ClockStart.NOTIFICATION,
    )
    national_notice_days = models.PositiveSmallIntegerField(
        "Working days to inform DfE, Ofsted and the National Panel of an LCSPR", default=5
    )
    completion_months = models.PositiveSmallIntegerField(
        "Months from the decision to complete an LCSPR", default=6
    )
    tor_agreement_days = models.PositiveSmallIntegerField(
        "Working days from the decision to agree the Terms of Reference", default=20
    )
    checkpoint_interval_months = models.PositiveSmallIntegerField(
        "Months between the sub-group's time and quality checkpoints", default=1
    )
    pre_publication_days = models.PositiveSmallIntegerField(
        "Working days before publication to send the final report to the National Panel, the "
        "DfE and Ofsted",
        default=7,
    )
    publication_online_months = models.PositiveSmallIntegerField(
        "Months a published report stays on the website", default=12
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "clock settings"

    def __str__(self):
        return "Clock settings"


class DeadlineKind(models.TextChoices):
    NOTIFICATION = "notification", "Notify the National Panel"
    PARTNERS_INFORMED = "partners_informed", "Inform the safeguarding partners"
    LOOKED_AFTER_DEATH = (
        "looked_after_death",
        "Notify the DfE and Ofsted of a looked-after child's death",
    )
    RAPID_REVIEW = "rapid_review", "Send the rapid review to the National Panel"
    NOTICE_DFE = "notice_dfe", "Tell the DfE an LCSPR will take place"
    NOTICE_OFSTED = "notice_ofsted", "Tell Ofsted an LCSPR will take place"
    NOTICE_PANEL = "notice_panel", "Tell the National Panel an LCSPR will take place"
    COMPLETION = "completion", "Complete the LCSPR"
    TOR_AGREEMENT = "tor_agreement", "Agree the Terms of Reference"
    CHECKPOINT = "checkpoint", "Hold the sub-group's time and quality checkpoint"
    PRE_PUBLICATION = (
        "pre_publication",
        "Send the final report to the National Panel, the DfE and Ofsted",
    )
    TAKEDOWN = "takedown", "Review whether the published report can come down"


class Deadline(models.Model):
    """A statutory clock of one review: its due date is computed by reviews/deadlines.py when
    its trigger happens, recomputed if a date is corrected, and closed when the step is done."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="deadlines")
    kind = models.CharField(max_length=30, choices=DeadlineKind.choices)
    counted_from = models.DateField()
    due_date = models.DateField()
    met_on = models.DateField(null=True, blank=True)
    # Why the step was taken late, or is still not taken past its due date: the partnership
    # manager's words, for the yearly report (reviews/clocks/services.py, late_reason_record).
    late_reason = models.TextField("Why it was late", blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_date"]
        constraints = [
            models.UniqueConstraint(fields=["review", "kind"], name="deadline_one_per_kind"),
        ]
        indexes = [models.Index(fields=["met_on", "due_date"], name="deadline_open_due")]

    def __str__(self):
        return f"{self.get_kind_display()} by {long_date(self.due_date)}"

    @property
    def is_open(self) -> bool:
        return self.met_on is None

    def is_late(self, today: datetime.date) -> bool:
        """Met after its due date, or not met and past it on `today`."""
        if self.met_on is not None:
            return self.met_on > self.due_date
        return self.due_date < today
