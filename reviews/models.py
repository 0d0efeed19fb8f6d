"""The case root: a review (its reference, pseudonym, stage and the referral's facts), the
children it concerns, its timeline, and the per-review permission table. Each stage of the
process keeps its own models in its package (reviews/<stage>/models.py); they are imported at
the end of this module so that Django registers them with this app."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.utils import timezone
from guardian.models import UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from lcspr.accounts.models import Agency
from lcspr.core.audit import EventBase
from reviews.referral.matching import postcode_key, surname_key

User = settings.AUTH_USER_MODEL


class Stage(models.TextChoices):
    REFERRAL = "referral", "Referral"
    RAPID_REVIEW = "rapid_review", "Rapid review"
    AWAITING_DECISION = "awaiting_decision", "Awaiting decision"
    LCSPR = "lcspr", "LCSPR"
    OTHER_LEARNING = "other_learning", "Other learning review"
    NATIONAL_REVIEW = "national_review", "National review"
    CLOSED = "closed", "Closed"


class Trigger(models.TextChoices):
    DEATH = "death", "A child died"
    SERIOUS_HARM = "serious_harm", "A child was seriously harmed in the area"
    HARM_OUTSIDE_ENGLAND = (
        "harm_outside_england",
        "A child normally resident in the area was seriously harmed outside England",
    )
    LOOKED_AFTER_DEATH = "looked_after_death", "A looked-after child died"


class YesNo(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"


class ReportStatus(models.TextChoices):
    """Where a review's report is, kept on the review by the report services for lists."""

    NONE = "", "No draft yet"
    DRAFTING = "drafting", "Drafting"
    APPROVED = "approved", "Approved by the panel chair"
    SIGNED_OFF = "signed_off", "Signed off"
    PUBLISHED = "published", "Published"
    IMPROVEMENTS_PUBLISHED = "improvements_published", "Improvements published"


class ReferenceSequence(models.Model):
    """The last case number issued in a year (CSPR-2026-007), locked while a number is taken."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.year}: {self.last}"


class Review(models.Model):
    reference = models.CharField(max_length=20, unique=True)
    pseudonym = models.CharField(max_length=60, help_text='Used everywhere, e.g. "Child T".')
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.REFERRAL)
    incident_date = models.DateField("Date of the incident")
    incident_location = models.CharField("Where it happened", max_length=200, blank=True)
    la_aware_date = models.DateField("Date the local authority became aware")
    trigger = models.CharField("What happened", max_length=30, choices=Trigger.choices)
    referring_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="referrals", verbose_name="Referred by"
    )
    what_is_known = models.TextField("What is known so far")
    additional_children = models.TextField(
        "Other children involved", blank=True, help_text="More than four children: describe here."
    )
    # The statutory criteria (Children Act 2004 s16C): both must be met to notify.
    abuse_or_neglect = models.CharField(
        "Abuse or neglect of the child is known or suspected",
        max_length=3,
        choices=YesNo.choices,
        blank=True,
    )
    died_or_seriously_harmed = models.CharField(
        "The child has died or been seriously harmed",
        max_length=3,
        choices=YesNo.choices,
        blank=True,
    )
    criteria_note = models.TextField("Reasons for the criteria decision", blank=True)
    partners_informed_on = models.DateField(
        "Date the safeguarding partners were informed", null=True, blank=True
    )
    closed_reason = models.TextField(blank=True)
    # The day the review was closed (cleared if it reopens): its retention period starts here.
    closed_on = models.DateField(null=True, blank=True)
    report_status = models.CharField(
        max_length=30, choices=ReportStatus.choices, blank=True, default=ReportStatus.NONE
    )
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()
    # The background jobs about the review (its merged chronology as PDF): deleted with it, so
    # that removing a review at the end of its retention period takes their files too.
    jobs = GenericRelation("core.Job", content_type_field="about_type", object_id_field="about_id")

    class Meta:
        ordering = ["-created_at"]
        permissions = [("view_case", "See the review's case material")]
        indexes = [models.Index(fields=["stage"], name="review_stage")]

    def __str__(self):
        return f"{self.reference} ({self.pseudonym})"

    @property
    def criteria_checked(self) -> bool:
        return bool(self.abuse_or_neglect and self.died_or_seriously_harmed)

    @property
    def criteria_met(self) -> bool:
        return self.abuse_or_neglect == "yes" and self.died_or_seriously_harmed == "yes"

    @property
    def is_looked_after_death(self) -> bool:
        return self.trigger == Trigger.LOOKED_AFTER_DEATH


class ReviewUserObjectPermission(UserObjectPermissionBase):
    """Guardian's direct foreign-key table for per-review grants (granted by panel membership)."""

    content_object = models.ForeignKey(Review, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        abstract = False


class SocialCareStatus(models.TextChoices):
    """Besides being looked after: what the national notification asks of a child's status with
    children's social care when the incident happened."""

    CHILD_PROTECTION_PLAN = "child_protection_plan", "Subject to a child protection plan"
    CHILD_IN_NEED = "child_in_need", "A child in need"
    PREVIOUSLY_KNOWN = "previously_known", "Previously known to children's social care"
    NOT_KNOWN = "not_known_to_social_care", "Not known to children's social care"


class Child(models.Model):
    """A child the incident concerns. Real identities are shown only to roles that need them."""

    class Sex(models.TextChoices):
        FEMALE = "female", "Female"
        MALE = "male", "Male"
        NOT_KNOWN = "not_known", "Not known"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="children")
    name = models.CharField(max_length=150)
    date_of_birth = models.DateField("Date of birth", null=True, blank=True)
    sex = models.CharField(max_length=10, choices=Sex.choices)
    ethnicity = models.CharField(max_length=100, blank=True)
    disability = models.CharField(
        "Disability or special educational needs", max_length=200, blank=True
    )
    looked_after = models.BooleanField("Looked after by a local authority", default=False)
    social_care_status = models.CharField(
        "Children's social care status at the time of the incident",
        max_length=30,
        choices=SocialCareStatus.choices,
        blank=True,
    )
    address = models.TextField("Address", blank=True)
    # Kept from the name and address on every save, so that other reviews of the same child or
    # family are fetched by them (reviews.referral.matching).
    surname_key = models.CharField(max_length=4, blank=True, editable=False, db_index=True)
    postcode_key = models.CharField(max_length=8, blank=True, editable=False, db_index=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        verbose_name_plural = "children"

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.surname_key = surname_key(self.name)
        self.postcode_key = postcode_key(self.address)
        super().save(*args, **kwargs)


class ReviewEvent(EventBase):
    """The review's timeline: one row per service call."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="events")

    class Meta(EventBase.Meta):
        indexes = [models.Index(fields=["review", "-occurred_at"], name="review_event_recent")]


# Each stage's models, imported here so that Django registers them with this app.
from reviews.clocks.models import *  # noqa: E402, F403
from reviews.decision.models import *  # noqa: E402, F403
from reviews.learning.models import *  # noqa: E402, F403
from reviews.monitoring.models import *  # noqa: E402, F403
from reviews.other_learning.models import *  # noqa: E402, F403
from reviews.publication.models import *  # noqa: E402, F403
from reviews.rapid_review.models import *  # noqa: E402, F403
from reviews.referral.models import *  # noqa: E402, F403
from reviews.report.models import *  # noqa: E402, F403
from reviews.retention.models import *  # noqa: E402, F403
from reviews.terms.models import *  # noqa: E402, F403
