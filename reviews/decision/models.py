"""The Independent Chair's decision on the partners' recommendation, and the notices to the DfE,
Ofsted and the National Panel that an LCSPR will take place."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from lcspr.accounts.models import Agency
from lcspr.core.text import long_date
from reviews.models import Review

User = settings.AUTH_USER_MODEL


class Outcome(models.TextChoices):
    LCSPR = "lcspr", "An LCSPR will take place"
    OTHER_LEARNING = "other_learning", "No LCSPR, but another learning review"
    NO_FURTHER_ACTION = "no_further_action", "No further action"
    NATIONAL_REVIEW = "national_review", "A national review led by the National Panel"


class DecisionStatus(models.TextChoices):
    IN_FORCE = "in_force", "In force"
    AWAITING_PARTNERS = "awaiting_partners", "Awaiting the statutory partners' agreement"
    NOT_AGREED = "not_agreed", "Not agreed by the statutory partners"


class Decision(models.Model):
    """The Independent Chair's decision. Never edited: a changed decision is a new row that
    supersedes the old one, with a reason, and both stay visible. An outcome other than the one
    the partners signed off waits for the three statutory partners' agreement before it takes
    effect (and supersedes the decision in force only then)."""

    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="decisions")
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    rationale = models.TextField()
    decided_on = models.DateField()
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    change_reason = models.TextField(blank=True)
    status = models.CharField(
        max_length=20, choices=DecisionStatus.choices, default=DecisionStatus.IN_FORCE
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["recorded_at", "pk"]

    def __str__(self):
        return f"{self.get_outcome_display()} ({long_date(self.decided_on)})"

    @property
    def is_in_force(self) -> bool:
        return self.status == DecisionStatus.IN_FORCE

    @property
    def is_awaiting_partners(self) -> bool:
        return self.status == DecisionStatus.AWAITING_PARTNERS

    @property
    def is_not_agreed(self) -> bool:
        return self.status == DecisionStatus.NOT_AGREED


class PartnerAgreement(models.Model):
    """One statutory partner's answer, for their agency, to a decision whose outcome differs
    from the recommendation they signed off: agreement, or disagreement with reasons."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="agreements")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    agrees = models.BooleanField()
    reasons = models.TextField(blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["agency__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "agency"], name="agreement_one_per_partner"
            ),
        ]

    def __str__(self):
        return f"{self.agency} {'agrees' if self.agrees else 'does not agree'}"


class NoticeRecipient(models.TextChoices):
    DFE = "dfe", "Department for Education"
    OFSTED = "ofsted", "Ofsted"
    NATIONAL_PANEL = "national_panel", "National Panel"


class NationalNotice(models.Model):
    """That the partnership told DfE, Ofsted or the National Panel an LCSPR will take place."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="notices")
    recipient = models.CharField(max_length=20, choices=NoticeRecipient.choices)
    sent_on = models.DateField("Date sent")
    reference = models.CharField("Their reference", max_length=80, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "recipient"], name="notice_one_per_body"),
        ]

    def __str__(self):
        return f"{self.get_recipient_display()} told on {long_date(self.sent_on)}"
