"""Changes to people and agencies. Each service is atomic and takes the acting user as `by`."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from lcspr.accounts.models import AccountLink, Agency, ReminderDelivery, Role, RoleAssignment, User
from lcspr.core import emails
from lcspr.core.services import delete_with_history, save_with_history
from lcspr.core.text import in_sentence

ROLES_NEEDING_AGENCY = {Role.AGENCY_REPRESENTATIVE, Role.STATUTORY_PARTNER_LEAD}


def _check_roles(roles, agency):
    unknown = set(roles) - set(Role.values)
    if unknown:
        raise ValidationError({"roles": f"Unknown role: {', '.join(sorted(unknown))}."})
    needing = ROLES_NEEDING_AGENCY.intersection(roles)
    if needing and agency is None:
        labels = " and ".join(sorted(in_sentence(Role(r).label) for r in needing))
        raise ValidationError({"agency": f"Choose the agency of this {labels}."})
    if Role.STATUTORY_PARTNER_LEAD in roles and not agency.is_statutory_partner:
        raise ValidationError(
            {"agency": f"{agency} is not one of the three statutory safeguarding partners."}
        )
    if Role.INDEPENDENT_AUTHOR in roles and agency is not None:
        raise ValidationError(
            {
                "agency": "An independent author belongs to no agency: they are independent of "
                f"every agency in the review. Remove {agency} first, or choose other roles."
            }
        )


@transaction.atomic
def agency_create(
    *, name: str, kind: str, short_name: str = "", is_statutory_partner=False, by=None
):
    """Add an agency to the partnership."""
    agency = Agency(
        name=name, short_name=short_name, kind=kind, is_statutory_partner=is_statutory_partner
    )
    save_with_history(agency, by)
    return agency


@transaction.atomic
def user_create(
    *, email: str, full_name: str, roles=(), agency=None, password=None, job_title="", by=None
) -> User:
    """Create an account with its partnership-wide roles."""
    _check_roles(roles, agency)
    user = User(email=email, full_name=full_name, agency=agency, job_title=job_title)
    user.set_password(password) if password else user.set_unusable_password()
    save_with_history(user, by, exclude=["password"])
    for role in roles:
        assignment = RoleAssignment(user=user, role=role)
        save_with_history(assignment, by, validate=False)
    return user


@transaction.atomic
def user_roles_set(*, user: User, roles, by=None) -> User:
    """Replace a user's partnership-wide roles, recording each grant and removal in history."""
    _check_roles(roles, user.agency)
    current = {a.role: a for a in user.role_assignments.all()}
    for role, assignment in current.items():
        if role not in roles:
            delete_with_history(assignment, by)
    for role in set(roles) - set(current):
        assignment = RoleAssignment(user=user, role=role)
        save_with_history(assignment, by, validate=False)
    user.__dict__.pop("roles", None)
    return user


@transaction.atomic
def reminder_delivery_set(*, user: User, delivery: str, by) -> User:
    """Choose how a user gets reminders by e-mail: each straight away, or a daily digest."""
    if delivery not in ReminderDelivery.values:
        raise ValidationError(
            {"reminder_delivery": "Select how you want to get reminders by e-mail"}
        )
    if user.reminder_delivery != delivery:
        user.reminder_delivery = delivery
        save_with_history(user, by, validate=False, update_fields=["reminder_delivery"])
    return user


# --- two-factor sign-in ---------------------------------------------------------------

TWO_FACTOR_DEVICE_NAME = "Authenticator app"
WRONG_CODE = "The code is not correct. Enter the code your authenticator app shows now"


@transaction.atomic
def two_factor_device_for_setup(*, user: User) -> TOTPDevice:
    """The authenticator app a user is setting up: the same key until they confirm it, so
    reloading the page does not invalidate a QR code they have already scanned."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TWO_FACTOR_DEVICE_NAME, confirmed=False)
    return device


@transaction.atomic
def two_factor_confirm(*, device: TOTPDevice, token: str, by: User) -> TOTPDevice:
    """Confirm a new authenticator app with a code it shows; it replaces any older app."""
    if device.user_id != by.pk:
        raise ValidationError("You can only set up two-factor authentication for yourself.")
    if device.confirmed:
        raise ValidationError("This authenticator app is already set up.")
    if not device.verify_token(token):
        raise ValidationError({"otp_token": WRONG_CODE})
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    return device


@transaction.atomic
def two_factor_reset(*, user: User, by: User) -> User:
    """Remove a colleague's authenticator app (a lost or new phone): they set up a new one the
    next time they sign in, and any session they have asks for it at once."""
    if not by.has_role(Role.PARTNERSHIP_MANAGER):
        raise ValidationError("Only a partnership manager can reset two-factor authentication.")
    if user.pk == by.pk:
        raise ValidationError(
            "You cannot reset your own two-factor authentication. Ask another partnership manager."
        )
    deleted, _ = TOTPDevice.objects.filter(user=user).delete()
    if not deleted:
        raise ValidationError(f"{user} has not set up two-factor authentication.")
    two_factor_link_send(user=user, by=by)
    return user


# --- the e-mailed link that lets a person set up an authenticator app -------------------------

LINK_RESEND_WAIT = timedelta(minutes=5)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def two_factor_link_problem(user: User, *, asked_by_self=True, now=None) -> str | None:
    """Why a new set-up link cannot be sent to `user` now, or None. A person asking for a link
    themselves waits a few minutes between links (no flood of e-mails); a manager's reset
    always sends one."""
    if not user.is_active:
        return "This account has been closed."
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return f"{user} has already set up two-factor authentication."
    if not asked_by_self:
        return None
    now = now or timezone.now()
    recent = AccountLink.objects.filter(
        user=user,
        purpose=AccountLink.Purpose.TWO_FACTOR_SETUP,
        used_at__isnull=True,
        created_at__gt=now - LINK_RESEND_WAIT,
    )
    if recent.exists():
        minutes = int(LINK_RESEND_WAIT.total_seconds() // 60)
        return (
            f"A link was sent less than {minutes} minutes ago. Check your e-mail, including "
            "junk or spam, then ask for another link if it has not arrived."
        )
    return None


@transaction.atomic
def two_factor_link_send(*, user: User, by: User | None) -> AccountLink:
    """E-mail `user` a fresh single-use link to set up an authenticator app. Earlier unused
    links stop working. `by` is the manager who reset their app, or None when the person asked
    for it themselves after giving their password."""
    User.objects.select_for_update().filter(pk=user.pk).first()
    problem = two_factor_link_problem(user, asked_by_self=by is None)
    if problem:
        raise ValidationError(problem)
    now = timezone.now()
    AccountLink.objects.filter(
        user=user, purpose=AccountLink.Purpose.TWO_FACTOR_SETUP, used_at__isnull=True
    ).update(expires_at=now)
    token = secrets.token_urlsafe(32)
    link = AccountLink.objects.create(
        user=user,
        purpose=AccountLink.Purpose.TWO_FACTOR_SETUP,
        token_hash=_token_hash(token),
        created_at=now,
        expires_at=now + timedelta(hours=settings.ACCOUNT_LINK_HOURS),
        created_by=by,
    )
    path = reverse("accounts:two_factor_link", kwargs={"token": token})
    emails.send_two_factor_link(user=user, link_path=path, by=by)
    return link


def two_factor_link_for(token: str) -> AccountLink | None:
    """The live set-up link with this secret, or None (unknown, used or expired)."""
    link = (
        AccountLink.objects.select_related("user")
        .filter(token_hash=_token_hash(token), purpose=AccountLink.Purpose.TWO_FACTOR_SETUP)
        .first()
    )
    return link if link is not None and link.is_live() and link.user.is_active else None


@transaction.atomic
def two_factor_confirm_with_link(
    *, link_id: int, device: TOTPDevice, token: str, by: User
) -> TOTPDevice:
    """Confirm a new authenticator app, spending the e-mailed link that allowed it."""
    link = AccountLink.objects.select_for_update().filter(pk=link_id, user=by).first()
    if link is None or not link.is_live():
        raise ValidationError(
            "Your link to set up two-factor authentication has been used or has expired. "
            "Ask for a new one."
        )
    device = two_factor_confirm(device=device, token=token, by=by)
    link.used_at = timezone.now()
    link.save(update_fields=["used_at"])
    return device
