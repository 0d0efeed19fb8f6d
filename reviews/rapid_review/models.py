"""The rapid review: its findings and criteria check, meetings, immediate actions, the agency
summaries asked for, the partners' recommendation and sign-offs, and the National Panel's
response."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from lcspr.accounts.models import Agency
from lcspr.core.text import long_date
from reviews.models import Review

User = settings.AUTH_USER_MODEL


class Recommendation(models.TextChoices):
    LCSPR = "lcspr", "Carry out an LCSPR"
    OTHER_LEARNING = "other_learning", "Carry out another learning review"
    NO_FURTHER_REVIEW = "no_further_review", "No further review"
    NATIONAL = "national", "Refer for a national review"


class PanelResponse(models.TextChoices):
    AGREES = "agrees", "Agrees with the recommendation"
    CHALLENGES = "challenges", "Challenges the recommendation"
    NATIONAL = "national", "Will carry out a national review"


class RapidReview(models.Model):
    review = models.OneToOneField(Review, on_delete=models.CASCADE, related_name="rapid_review")
    facts = models.TextField("Facts established so far", blank=True)
    emerging_learning = models.TextField("Emerging learning", blank=True)
    equality_context = models.TextField("Equality and diversity context", blank=True)
    # The criteria for a local review, in the statutory guidance's words (Working Together to
    # Safeguard Children 2023, under SI 2018/789).
    crit_learning_potential = models.BooleanField(
        "Highlights or may highlight improvements needed to safeguard and promote the welfare of "
        "children, including where those improvements have been previously identified",
        default=False,
    )
    crit_recurrent_themes = models.BooleanField(
        "Highlights recurrent themes in the safeguarding and promotion of the welfare of children",
        default=False,
    )
    crit_serious_concern = models.BooleanField(
        "Highlights concerns regarding two or more organisations or agencies working together "
        "effectively to safeguard and promote the welfare of children",
        default=False,
    )
    crit_national_panel_view = models.BooleanField(
        "Is one which the Child Safeguarding Practice Review Panel have considered and concluded "
        "a local review may be more appropriate",
        default=False,
    )
    may_need_national_review = models.BooleanField(
        "The case may need a national review", default=False
    )
    national_review_reasons = models.TextField("Why a national review may be needed", blank=True)
    recommendation = models.CharField(max_length=20, choices=Recommendation.choices, blank=True)
    recommendation_rationale = models.TextField("Reasons for the recommendation", blank=True)
    recommended_on = models.DateField(null=True, blank=True)
    sent_to_panel_on = models.DateField(
        "Date the rapid review was sent to the National Panel", null=True, blank=True
    )
    panel_response = models.CharField(
        "The National Panel's response", max_length=20, choices=PanelResponse.choices, blank=True
    )
    panel_response_on = models.DateField("Date of the response", null=True, blank=True)
    panel_response_notes = models.TextField("Notes on the response", blank=True)
    history = HistoricalRecords()

    def __str__(self):
        return f"Rapid review for {self.review}"


class RapidReviewMeeting(models.Model):
    rapid_review = models.ForeignKey(RapidReview, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField("Date of the meeting")
    attendees = models.TextField("Who attended", help_text="One per line: role and agency.")
    notes = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["held_on", "pk"]

    def __str__(self):
        return f"Meeting on {long_date(self.held_on)}"


class ImmediateAction(models.Model):
    """A safety action identified during the rapid review; becomes a tracked action when the
    action plans land (actions/)."""

    rapid_review = models.ForeignKey(
        RapidReview, on_delete=models.CASCADE, related_name="immediate_actions"
    )
    description = models.TextField("What must be done")
    lead_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    due_date = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.description[:80]


class AgencySummaryRequest(models.Model):
    """A request to one involved agency for its summary of involvement."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="agency_summaries")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="summary_requests")
    requested_on = models.DateField(default=timezone.localdate)
    due_date = models.DateField()
    summary = models.TextField(blank=True)
    file = models.FileField(upload_to="agency-summaries/%Y/", blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    received_on = models.DateField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["review", "agency"], name="summary_one_per_agency"),
        ]

    def __str__(self):
        return f"{self.agency} summary for {self.review.reference}"


class PartnerSignOff(models.Model):
    """One statutory partner's sign-off of the rapid review's recommendation."""

    rapid_review = models.ForeignKey(
        RapidReview, on_delete=models.CASCADE, related_name="sign_offs"
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    signed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(default=timezone.now)
    recommendation = models.CharField(max_length=20, choices=Recommendation.choices)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["rapid_review", "agency"], name="sign_off_one_per_partner"
            ),
        ]

    def __str__(self):
        return f"Signed off for {self.agency}"
