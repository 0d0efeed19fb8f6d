"""The partnership manager's changes to people: invitations by e-mail (the manager never sees or
sets a password), leavers and their return. Each is atomic, takes the acting user as `by`, is
recorded in the change history and is refused with a reason."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from lcspr.accounts import emails
from lcspr.accounts.leavers import run_leaver_steps
from lcspr.accounts.models import AccountLink, Role, User
from lcspr.accounts.services import _check_roles, _token_hash, user_create
from lcspr.core.services import lock_row, save_with_history

MAX_REASON_CHARS = 300
INVITATION = AccountLink.Purpose.INVITATION


def _require_manager(by: User, what: str) -> None:
    if by is None or not by.has_role(Role.PARTNERSHIP_MANAGER):
        raise ValidationError(f"Only a partnership manager can {what}.")


def _reason(reason: str, doing: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": f"Enter why you are {doing}"})
    if len(reason) > MAX_REASON_CHARS:
        raise ValidationError(
            {"reason": f"The reason must be {MAX_REASON_CHARS} characters or fewer"}
        )
    return reason


def is_invited(user: User) -> bool:
    """An account whose owner has not yet chosen a password from their invitation."""
    return user.is_active and not user.has_usable_password()


# --- invitations ----------------------------------------------------------------------------


def email_problem(email: str) -> str:
    """Why `email` cannot be given to a new account, or ""."""
    if User.objects.filter(email__iexact=email.strip()).exists():
        return f"{email.strip()} already has an account. Find them in the list of people"
    return ""


@transaction.atomic
def person_invite(
    *,
    email: str,
    full_name: str,
    agency=None,
    roles=(),
    job_title: str = "",
    by: User,
    send: bool = True,
) -> User:
    """Create an account for a new person with their partnership roles and e-mail them a
    single-use link to choose their password (the e-mail leaves once the account is saved).
    `send=False` leaves the invitation to the caller (bulk onboarding sends them all last)."""
    _require_manager(by, "invite people")
    email = User.objects.normalize_email((email or "").strip()).lower()
    problem = email_problem(email)
    if problem:
        raise ValidationError({"email": problem})
    _check_roles(roles, agency)
    user = user_create(
        email=email, full_name=full_name.strip(), roles=roles, agency=agency,
        job_title=job_title.strip(), by=by,
    )  # fmt: skip
    if send:
        invitation_send(user=user, by=by)
    return user


@transaction.atomic
def invitation_send(*, user: User, by: User) -> AccountLink:
    """E-mail `user` a new invitation link; any earlier one stops working at once."""
    _require_manager(by, "send invitations")
    user = lock_row(user)
    if not user.is_active:
        raise ValidationError(f"{user}'s account has been deactivated: reactivate it first.")
    if user.has_usable_password():
        raise ValidationError(
            f"{user} has already accepted their invitation and chosen a password."
        )
    now = timezone.now()
    _void_invitations(user, now)
    token = secrets.token_urlsafe(32)
    link = AccountLink.objects.create(
        user=user,
        purpose=INVITATION,
        token_hash=_token_hash(token),
        created_at=now,
        expires_at=now + timedelta(hours=settings.ACCOUNT_LINK_HOURS),
        created_by=by,
    )
    path = reverse("accounts:invitation", kwargs={"token": token})
    emails.send_invitation(user=user, link_path=path, by=by)
    return link


def _void_invitations(user: User, now) -> int:
    return AccountLink.objects.filter(
        user=user, purpose=INVITATION, used_at__isnull=True, voided_at__isnull=True
    ).update(voided_at=now)


@transaction.atomic
def invitation_cancel(*, user: User, by: User) -> User:
    """Withdraw an invitation nobody has accepted: its link stops working and the account is
    closed (kept, with its history; reactivating it allows a new invitation)."""
    _require_manager(by, "cancel invitations")
    user = lock_row(user)
    if not is_invited(user):
        raise ValidationError(f"{user} has no invitation waiting to be accepted.")
    _void_invitations(user, timezone.now())
    user.is_active = False
    user._change_reason = "Invitation cancelled"
    save_with_history(user, by, validate=False, update_fields=["is_active"])
    return user


def invitation_state(token: str) -> tuple[AccountLink | None, str]:
    """The invitation with this secret and what it is now: "live", "used", "voided",
    "expired", "closed" (the account has been deactivated) or "unknown"."""
    link = (
        AccountLink.objects.select_related("user")
        .filter(token_hash=_token_hash(token), purpose=INVITATION)
        .first()
    )
    if link is None:
        return None, "unknown"
    if link.used_at is not None:
        return link, "used"
    if not link.user.is_active:
        return link, "closed"
    if link.voided_at is not None:
        return link, "voided"
    if link.expires_at <= timezone.now():
        return link, "expired"
    return link, "live"


@transaction.atomic
def invitation_accept(*, token: str, password: str) -> User:
    """The invited person chooses their password with the link; the link is spent."""
    link, state = invitation_state(token)
    if state != "live":
        raise ValidationError("This invitation link can no longer be used.")
    link = AccountLink.objects.select_for_update().get(pk=link.pk)
    if not link.is_live():
        raise ValidationError("This invitation link can no longer be used.")
    user = lock_row(link.user)
    password_validation.validate_password(password, user)
    user.set_password(password)
    save_with_history(user, user, validate=False, update_fields=["password"])
    link.used_at = timezone.now()
    link.save(update_fields=["used_at"])
    return user


def two_factor_setup_link_for_new_person(*, user: User) -> AccountLink:
    """A set-up link for the authenticator app of a person who has just chosen their password
    from their invitation (which proved the e-mail address is theirs): never e-mailed, it is
    kept in their browser's session and spent when the app is set up."""
    now = timezone.now()
    return AccountLink.objects.create(
        user=user,
        purpose=AccountLink.Purpose.TWO_FACTOR_SETUP,
        token_hash=_token_hash(secrets.token_urlsafe(32)),
        created_at=now,
        expires_at=now + timedelta(hours=settings.ACCOUNT_LINK_HOURS),
    )


# --- roles ----------------------------------------------------------------------------------


@transaction.atomic
def person_roles_change(*, user: User, roles, read_roles=None, by: User) -> User:
    """The manager gives and takes away a person's partnership roles (the rules of
    `user_roles_set`). `read_roles`, the roles the page showed, refuses a change over someone
    else's newer one."""
    from lcspr.accounts.services import user_roles_set

    _require_manager(by, "change people's roles")
    user = lock_row(user)
    if not user.is_active:
        raise ValidationError(f"{user}'s account has been deactivated: reactivate it first.")
    current = set(user.role_assignments.values_list("role", flat=True))
    if read_roles is not None and set(read_roles) != current:
        raise ValidationError(
            {
                "roles": "Someone changed these roles while you were editing. Your changes "
                "have not been saved. Check the roles below and save again."
            }
        )
    if user.pk == by.pk and Role.PARTNERSHIP_MANAGER not in roles:
        raise ValidationError(
            {
                "roles": "You cannot take away your own partnership manager role. Ask another "
                "partnership manager."
            }
        )
    return user_roles_set(user=user, roles=list(roles), by=by)


# --- leavers --------------------------------------------------------------------------------


def _end_sessions(user: User) -> int:
    """Delete every session `user` is signed in with (sessions live 30 idle minutes, so the
    live ones are few)."""
    ended = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            ended.append(session.session_key)
    Session.objects.filter(session_key__in=ended).delete()
    return len(ended)


@transaction.atomic
def person_deactivate(*, user: User, reason: str, by: User) -> list[str]:
    """A leaver: their account closes, every session they have ends, they cannot sign in and
    every review membership ends. Everything they did stays, attributed to them. Returns what
    else ended, in words."""
    _require_manager(by, "deactivate accounts")
    reason = _reason(reason, "deactivating this account")
    user = lock_row(user)
    if user.pk == by.pk:
        raise ValidationError("You cannot deactivate your own account. Ask another manager.")
    if not user.is_active:
        raise ValidationError(f"{user}'s account has already been deactivated.")
    now = timezone.now()
    AccountLink.objects.filter(user=user, used_at__isnull=True, voided_at__isnull=True).update(
        voided_at=now
    )
    user.is_active = False
    user._change_reason = f"Deactivated: {reason}"
    save_with_history(user, by, validate=False, update_fields=["is_active"])
    done = run_leaver_steps(user=user, by=by, reason=reason)
    # In the transaction: if the deactivation rolls back, so does the end of the sessions.
    _end_sessions(user)
    return done


@transaction.atomic
def person_reactivate(*, user: User, reason: str, by: User) -> User:
    """A person comes back: they can sign in again with their password (and authenticator
    app). Review memberships that ended when they left are not restored."""
    _require_manager(by, "reactivate accounts")
    reason = _reason(reason, "reactivating this account")
    user = lock_row(user)
    if user.is_active:
        raise ValidationError(f"{user}'s account is already active.")
    user.is_active = True
    user._change_reason = f"Reactivated: {reason}"
    save_with_history(user, by, validate=False, update_fields=["is_active"])
    return user
