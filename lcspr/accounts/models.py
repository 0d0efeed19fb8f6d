"""People and organisations: users sign in by e-mail, belong to at most one agency, and hold
partnership-wide roles. Roles that apply to one review only (panel chair, panel member, the
review's author) are memberships of that review, kept in panels/, never here."""

from functools import cached_property

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from simple_history.models import HistoricalRecords


class AgencyKind(models.TextChoices):
    LOCAL_AUTHORITY = "local_authority", "Local authority children's services"
    POLICE = "police", "Police"
    ICB = "icb", "Integrated care board"
    NHS_TRUST = "nhs_trust", "NHS trust"
    GP_PRACTICE = "gp_practice", "GP practice"
    SCHOOL = "school", "School"
    PROBATION = "probation", "Probation"
    AMBULANCE = "ambulance", "Ambulance service"
    VOLUNTARY = "voluntary", "Voluntary sector"
    OTHER = "other", "Other"


class Agency(models.Model):
    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=40, blank=True)
    kind = models.CharField(max_length=32, choices=AgencyKind.choices)
    is_statutory_partner = models.BooleanField(
        default=False,
        help_text="One of the three statutory safeguarding partners (LA, ICB, police).",
    )
    is_active = models.BooleanField(default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "agencies"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="agency_name_unique_ci"),
        ]

    def __str__(self):
        return self.name

    @property
    def display_name(self):
        return self.short_name or self.name


class Role(models.TextChoices):
    """Partnership-wide roles. A person may hold several (e.g. a sub-group member who is also a
    statutory partner lead)."""

    PARTNERSHIP_MANAGER = "partnership_manager", "Partnership manager"
    INDEPENDENT_CHAIR = "independent_chair", "Independent Chair"
    STATUTORY_PARTNER_LEAD = "statutory_partner_lead", "Statutory partner lead"
    SUBGROUP_MEMBER = "subgroup_member", "LCSPR sub-group member"
    EXECUTIVE_MEMBER = "executive_member", "Executive Partnership member"
    AGENCY_REPRESENTATIVE = "agency_representative", "Agency representative"
    INDEPENDENT_AUTHOR = "independent_author", "Independent author"


class ReminderDelivery(models.TextChoices):
    """How a user gets reminders by e-mail (the notification centre shows them all anyway)."""

    IMMEDIATE = "immediate", "An e-mail for each reminder, as soon as it is due"
    DIGEST = "digest", "One e-mail a day listing all my reminders"


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField("e-mail address", unique=True)
    full_name = models.CharField(max_length=150)
    job_title = models.CharField(max_length=150, blank=True)
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(
        default=False, help_text="May sign in to the technical administration site."
    )
    date_joined = models.DateTimeField(default=timezone.now)
    reminder_delivery = models.CharField(
        "How you get reminders by e-mail",
        max_length=10,
        choices=ReminderDelivery.choices,
        default=ReminderDelivery.IMMEDIATE,
    )
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ci"),
        ]

    def __str__(self):
        return self.full_name or self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @cached_property
    def roles(self) -> frozenset[str]:
        """The user's partnership-wide roles, loaded once per request."""
        if not self.pk or not self.is_active:
            return frozenset()
        return frozenset(self.role_assignments.values_list("role", flat=True))

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def role_labels(self) -> list[str]:
        return [Role(r).label for r in Role.values if r in self.roles]


class RoleAssignment(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(max_length=32, choices=Role.choices)
    assigned_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="role_assignment_unique"),
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()}"


class AccountLink(models.Model):
    """A single-use link e-mailed to a person: an invitation to choose a password for a new
    account, or the only way to set up an authenticator app for the first time (or again, after
    a manager's reset), so that knowing a password alone never lets anyone enrol their own app.
    Only a hash of the link's secret is stored."""

    class Purpose(models.TextChoices):
        TWO_FACTOR_SETUP = "two_factor_setup", "Set up two-factor authentication"
        INVITATION = "invitation", "Invitation to the service"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="account_links")
    purpose = models.CharField(max_length=32, choices=Purpose.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    # When a newer link replaced this one, or the invitation was cancelled: the link then says
    # it no longer works rather than that it has expired.
    voided_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["user", "purpose", "created_at"])]

    def __str__(self):
        return f"{self.get_purpose_display()} link for {self.user}"

    def is_live(self, now=None) -> bool:
        return (
            self.used_at is None
            and self.voided_at is None
            and (now or timezone.now()) < self.expires_at
        )


class PasswordResetRequest(models.Model):
    """One "forgot your password" request, recorded the same way whether or not the address has
    an account (so the page takes the same time either way) and handled by a background task.
    The rows are also the rate limit: a few links per address, and per client, an hour."""

    class Outcome(models.TextChoices):
        WAITING = "waiting", "Waiting to be handled"
        SENT = "sent", "A reset link was sent"
        NO_ACCOUNT = "no_account", "No active account with this address"
        LIMITED = "limited", "Too many links for this address in the last hour"

    email = models.CharField(max_length=254, db_index=True)
    address = models.CharField(max_length=64, blank=True, db_index=True)
    requested_at = models.DateTimeField(default=timezone.now, db_index=True)
    outcome = models.CharField(max_length=12, choices=Outcome.choices, default=Outcome.WAITING)
    handled_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Password reset for {self.email} at {self.requested_at:%Y-%m-%d %H:%M}"
