"""A review's people: who sits on its panel, who writes it, and since when. A membership is
what gives a person access to one review (see panels/services.py); ending it takes the access
away at once, and what they wrote stays in place and attributed."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from lcspr.accounts.models import Agency
from lcspr.core.text import long_date
from reviews.models import Review


class MemberRole(models.TextChoices):
    PANEL_CHAIR = "panel_chair", "Panel chair"
    PANEL_MEMBER = "panel_member", "Panel member"
    AUTHOR = "author", "Independent author"
    BUSINESS_UNIT = "business_unit", "Partnership business unit"


class Membership(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=MemberRole.choices)
    agency = models.ForeignKey(
        Agency,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The agency a panel member represents.",
    )
    started_at = models.DateTimeField(default=timezone.now)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    end_reason = models.CharField(max_length=300, blank=True)
    # The author's appointment (role "author" only).
    commissioned_on = models.DateField("Date commissioned", null=True, blank=True)
    contract_reference = models.CharField(
        "Contract or agreement reference", max_length=100, blank=True
    )
    expected_delivery = models.DateField("Expected delivery date", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["role", "started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "user", "role"],
                condition=Q(ended_at__isnull=True),
                name="membership_one_active_per_role",
            ),
            models.UniqueConstraint(
                fields=["review"],
                condition=Q(ended_at__isnull=True, role="panel_chair"),
                name="membership_one_active_chair",
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} on {self.review.reference}"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None


class PanelMeeting(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="panel_meetings")
    held_on = models.DateField("Date of the meeting")
    agenda = models.TextField(blank=True)
    present = models.ManyToManyField(
        Membership, blank=True, related_name="meetings_attended", verbose_name="Members present"
    )
    apologies = models.ManyToManyField(
        Membership, blank=True, related_name="meetings_apologised", verbose_name="Apologies"
    )
    others_present = models.TextField(
        "Others present", blank=True, help_text="People who are not panel members, with role."
    )
    minutes = models.TextField(blank=True)
    minutes_file = models.FileField(upload_to="minutes/%Y/", blank=True)
    minutes_file_name = models.CharField(max_length=200, blank=True)
    decisions = models.TextField("Decisions made", blank=True)
    actions_arising = models.TextField("Actions arising", blank=True)
    next_meeting_on = models.DateField("Date of the next meeting", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords(m2m_fields=[present, apologies])

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return f"Panel meeting on {long_date(self.held_on)}"


class PractitionerEvent(models.Model):
    class Format(models.TextChoices):
        EVENT = "event", "Practitioner event"
        SMALL_GROUP = "small_group", "Small group"
        ONE_TO_ONE = "one_to_one", "One-to-one conversation"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="practitioner_events")
    format = models.CharField(max_length=20, choices=Format.choices)
    held_on = models.DateField("Date")
    scope = models.TextField(
        "Scope sent to the practitioners",
        blank=True,
        help_text="What the practitioners are told before the event: its purpose and the "
        "questions it will consider. Sent by e-mail to each practitioner invited with an "
        "address. Use the review's pseudonym, never the family's names.",
    )
    learning = models.TextField("Learning captured", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return f"{self.get_format_display()} on {long_date(self.held_on)}"


class Practitioner(models.Model):
    """A practitioner invited to an event. Not a user: practitioners get no access to case
    material."""

    event = models.ForeignKey(
        PractitionerEvent, on_delete=models.CASCADE, related_name="practitioners"
    )
    name = models.CharField(max_length=150)
    role = models.CharField(max_length=150)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    email = models.EmailField("E-mail address", blank=True)
    scope_sent_at = models.DateTimeField("Scope e-mailed", null=True, blank=True)
    attended = models.BooleanField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name}, {self.role}"


class FamilyContact(models.Model):
    """One contact with a family member. Seen only by the panel chair, the author and the
    partnership manager."""

    class Method(models.TextChoices):
        LETTER = "letter", "Letter"
        PHONE = "phone", "Telephone"
        VISIT = "visit", "Visit or meeting"
        EMAIL = "email", "E-mail"
        VIA_ADVOCATE = "via_advocate", "Through an advocate"
        OTHER = "other", "Other"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="family_contacts")
    family_member = models.CharField(
        "Who was contacted", max_length=150, help_text="Relationship to the child, e.g. mother."
    )
    contacted_on = models.DateField("Date of contact")
    method = models.CharField("How", max_length=20, choices=Method.choices)
    advocate_offered = models.BooleanField("An advocate was offered", default=False)
    views_shared = models.TextField("Views they shared", blank=True)
    wants_to_see_draft = models.BooleanField(
        "They want to see the draft report", null=True, blank=True
    )
    wants_to_meet_panel = models.BooleanField("They want to meet the panel", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-contacted_on", "-pk"]

    def __str__(self):
        return f"Contact with {self.family_member} on {long_date(self.contacted_on)}"
