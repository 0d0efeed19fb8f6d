"""The Serious Incident Notification to the National Panel, and the adults a review is about."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from reviews.models import Review
from reviews.referral.matching import postcode_key, surname_key

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


class Adult(models.Model):
    """A parent, carer or member of the household the review is about: recorded so that other
    reviews of the same family are found. Real identities are shown only to roles that need them."""

    class Relationship(models.TextChoices):
        MOTHER = "mother", "Mother"
        FATHER = "father", "Father"
        PARENTS_PARTNER = "parents_partner", "Parent's partner or step-parent"
        CARER = "carer", "Carer or guardian"
        RELATIVE = "relative", "Other relative"
        HOUSEHOLD = "household", "Other member of the household"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="adults")
    name = models.CharField("Full name", max_length=150)
    relationship = models.CharField(
        "Relationship to the child", max_length=20, choices=Relationship.choices
    )
    date_of_birth = models.DateField("Date of birth", null=True, blank=True)
    address = models.TextField("Address", blank=True)
    # Kept from the name and address on every save (reviews.referral.matching).
    surname_key = models.CharField(max_length=4, blank=True, editable=False, db_index=True)
    postcode_key = models.CharField(max_length=8, blank=True, editable=False, db_index=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.surname_key = surname_key(self.name)
        self.postcode_key = postcode_key(self.address)
        super().save(*args, **kwargs)
