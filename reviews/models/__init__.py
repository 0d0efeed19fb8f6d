"""The case root and the first half of the statutory process: referral, serious incident
notification, rapid review and the Independent Chair's decision. Later stages (Terms of
Reference, reports, publication) hang off the same `Review`."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from guardian.models import UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from lcspr.accounts.models import Agency
from lcspr.core.audit import EventBase
from lcspr.core.models import Singleton
from lcspr.core.text import long_date

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
        "Working days before publication to send the final report to the National Panel and DfE",
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
    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        verbose_name_plural = "children"

    def __str__(self):
        return self.name


class DeadlineKind(models.TextChoices):
    NOTIFICATION = "notification", "Notify the National Panel"
    PARTNERS_INFORMED = "partners_informed", "Inform the safeguarding partners"
    RAPID_REVIEW = "rapid_review", "Send the rapid review to the National Panel"
    NOTICE_DFE = "notice_dfe", "Tell the DfE an LCSPR will take place"
    NOTICE_OFSTED = "notice_ofsted", "Tell Ofsted an LCSPR will take place"
    NOTICE_PANEL = "notice_panel", "Tell the National Panel an LCSPR will take place"
    COMPLETION = "completion", "Complete the LCSPR"
    TOR_AGREEMENT = "tor_agreement", "Agree the Terms of Reference"
    CHECKPOINT = "checkpoint", "Hold the sub-group's time and quality checkpoint"
    PRE_PUBLICATION = (
        "pre_publication",
        "Send the final report to the National Panel and DfE",
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


class Notification(models.Model):
    """The Serious Incident Notification to the National Panel, and who else was told."""

    review = models.OneToOneField(Review, on_delete=models.CASCADE, related_name="notification")
    sent_on = models.DateField("Date the notification was sent")
    sent_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    panel_reference = models.CharField("National Panel's reference", max_length=60, blank=True)
    dfe_notified_on = models.DateField("Date DfE was notified", null=True, blank=True)
    ofsted_notified_on = models.DateField("Date Ofsted was notified", null=True, blank=True)
    history = HistoricalRecords()

    def __str__(self):
        return f"Notification for {self.review}"


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
    # SI 2018/789 regulation 11: the criteria for a local review.
    crit_learning_potential = models.BooleanField(
        "Highlights improvements needed to safeguard and promote children's welfare",
        default=False,
    )
    crit_recurrent_themes = models.BooleanField(
        "Highlights recurrent themes in safeguarding children", default=False
    )
    crit_serious_concern = models.BooleanField(
        "Concerns two or more organisations or agencies working together effectively",
        default=False,
    )
    crit_national_panel_view = models.BooleanField(
        "The National Panel considers it appropriate for a local review", default=False
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


class Outcome(models.TextChoices):
    LCSPR = "lcspr", "An LCSPR will take place"
    OTHER_LEARNING = "other_learning", "No LCSPR, but another learning review"
    NO_FURTHER_ACTION = "no_further_action", "No further action"
    NATIONAL_REVIEW = "national_review", "A national review led by the National Panel"


class Decision(models.Model):
    """The Independent Chair's decision. Never edited: a changed decision is a new row that
    supersedes the old one, with a reason, and both stay visible."""

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
    history = HistoricalRecords()

    class Meta:
        ordering = ["recorded_at", "pk"]

    def __str__(self):
        return f"{self.get_outcome_display()} ({long_date(self.decided_on)})"


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


class OtherLearningReview(models.Model):
    """A reflective learning session or practice review: informal, with its own short
    workflow (scope, then the session, then closure with the learning)."""

    class Kind(models.TextChoices):
        REFLECTIVE_SESSION = "reflective_session", "Reflective learning session"
        PRACTICE_REVIEW = "practice_review", "Practice review"

    review = models.OneToOneField(Review, on_delete=models.CASCADE, related_name="other_learning")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    scope = models.TextField("Scope or terms of reference")
    held_on = models.DateField("Date of the session", null=True, blank=True)
    participants = models.TextField(blank=True, help_text="Roles and agencies, one per line.")
    learning = models.TextField("Learning identified", blank=True)
    closed_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    def __str__(self):
        return f"{self.get_kind_display()} for {self.review}"


class ReviewEvent(EventBase):
    """The review's timeline: one row per service call."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="events")

    class Meta(EventBase.Meta):
        indexes = [models.Index(fields=["review", "-occurred_at"], name="review_event_recent")]


# --- Commissioning: Terms of Reference and the sub-group's monitoring (issue 4) -----------------


class TermsOfReference(models.Model):
    """One version of a review's Terms of Reference. Draft → shared with the panel for comment →
    agreed by the panel chair. An agreed version is never edited: a later change is a new
    version, with a reason, and every agreed version is kept."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SHARED = "shared", "Shared with the panel for comment"
        AGREED = "agreed", "Agreed"
        SUPERSEDED = "superseded", "Superseded"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="tor_versions")
    version = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    subject_and_family = models.TextField(
        "Subject and family", blank=True, help_text="Pseudonymised: no real names."
    )
    period_start = models.DateField("Start of the period under review", null=True, blank=True)
    period_end = models.DateField("End of the period under review", null=True, blank=True)
    methodology = models.TextField(blank=True)
    agencies = models.ManyToManyField(
        Agency, blank=True, related_name="+", verbose_name="Agencies in scope"
    )
    practitioner_involvement = models.TextField(blank=True)
    family_involvement = models.TextField(blank=True)
    timescales = models.TextField(blank=True)
    publication_plan = models.TextField(blank=True)
    equality_considerations = models.TextField(blank=True)
    change_reason = models.TextField("Reason for the new version", blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    shared_at = models.DateTimeField(null=True, blank=True)
    agreed_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    agreed_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(m2m_fields=[agencies])

    class Meta:
        ordering = ["review", "-version"]
        verbose_name_plural = "terms of reference"
        constraints = [
            models.UniqueConstraint(fields=["review", "version"], name="tor_version_unique"),
            models.UniqueConstraint(
                fields=["review"],
                condition=models.Q(status__in=["draft", "shared"]),
                name="tor_one_open_version",
            ),
        ]

    def __str__(self):
        return f"Terms of Reference v{self.version} for {self.review.reference}"

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.SHARED)


class KeyLineOfEnquiry(models.Model):
    terms = models.ForeignKey(TermsOfReference, on_delete=models.CASCADE, related_name="kloes")
    number = models.PositiveSmallIntegerField()
    text = models.TextField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["number"]
        verbose_name = "key line of enquiry"
        verbose_name_plural = "key lines of enquiry"
        constraints = [
            models.UniqueConstraint(fields=["terms", "number"], name="kloe_number_unique"),
        ]

    def __str__(self):
        return f"KLOE {self.number}: {self.text[:60]}"


class ParallelProcess(models.Model):
    class Kind(models.TextChoices):
        CRIMINAL = "criminal", "Criminal proceedings"
        CORONER = "coroner", "Coroner's inquest"
        FAMILY_COURT = "family_court", "Family court proceedings"
        HR = "hr", "HR or disciplinary process"
        DHR = "dhr", "Domestic homicide review"
        SAR = "sar", "Safeguarding adults review"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        PLANNED = "planned", "Expected"
        ONGOING = "ongoing", "Under way"
        CONCLUDED = "concluded", "Concluded"

    terms = models.ForeignKey(
        TermsOfReference, on_delete=models.CASCADE, related_name="parallel_processes"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    status = models.CharField(max_length=20, choices=Status.choices)
    expected_date = models.DateField("Expected date of the next milestone", null=True, blank=True)
    notes = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.get_status_display()}"


class TorComment(models.Model):
    """A panel member's comment on a shared draft of the Terms of Reference."""

    terms = models.ForeignKey(TermsOfReference, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    section = models.CharField(max_length=60, blank=True)
    text = models.TextField("Comment")
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"Comment by {self.author} on v{self.terms.version}"


class Checkpoint(models.Model):
    """The sub-group's regular check of a review's time and quality (SI 2018/789 reg. 14)."""

    class Progress(models.TextChoices):
        ON_TRACK = "on_track", "On track"
        AT_RISK = "at_risk", "At risk of delay"
        LATE = "late", "Behind the timescale"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="checkpoints")
    held_on = models.DateField("Date of the checkpoint")
    progress = models.CharField(
        "Progress against the timescale", max_length=20, choices=Progress.choices
    )
    progress_notes = models.TextField("Notes on progress", blank=True)
    quality_concerns = models.TextField("Quality concerns", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return f"Checkpoint on {long_date(self.held_on)}: {self.get_progress_display()}"


class WrittenRequest(models.Model):
    """A written request to the author for a draft or information (reg. 14), and the reply."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="written_requests")
    sent_on = models.DateField("Date sent")
    request = models.TextField("What was asked for")
    response_on = models.DateField("Date of the response", null=True, blank=True)
    response = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-sent_on", "-pk"]

    def __str__(self):
        return f"Request sent {long_date(self.sent_on)}"


# The writing-up half (issue 6) lives in its own module; imported here so Django finds it.
from reviews.models.reports import *  # noqa: E402, F403
from reviews.models.retention import *  # noqa: E402, F403
