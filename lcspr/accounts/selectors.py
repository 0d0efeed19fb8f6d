"""Reads of people for the partnership's pages."""

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Prefetch, Q
from django.shortcuts import get_object_or_404
from django_otp.plugins.otp_totp.models import TOTPDevice

from lcspr.accounts.models import AccountLink, Agency, RoleAssignment, User


def active_people():
    """Every active account with its agency, by name."""
    return User.objects.filter(is_active=True).select_related("agency").order_by("full_name")


def live_setup_link(link_id: int, user) -> AccountLink | None:
    """The e-mailed set-up link `link_id` when it is `user`'s and still usable, else None."""
    link = AccountLink.objects.filter(
        pk=link_id, user=user, purpose=AccountLink.Purpose.TWO_FACTOR_SETUP
    ).first()
    return link if link is not None and link.is_live() else None


# --- the manager's people pages -------------------------------------------------------------


class PersonStatus:
    ACTIVE = "active"
    INVITED = "invited"
    DEACTIVATED = "deactivated"

    choices = [
        ("", "Everyone active or invited"),
        (ACTIVE, "Active"),
        (INVITED, "Invited, not yet joined"),
        (DEACTIVATED, "Deactivated"),
    ]


def _unusable_password():
    from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX

    return Q(password__startswith=UNUSABLE_PASSWORD_PREFIX) | Q(password="")


def people_list(*, agency=None, role: str = "", status: str = ""):
    """Every account for the people list, filtered by agency, partnership role and status, with
    what each row shows (agency, roles, two-factor, invitation) in a constant number of
    queries."""
    people = User.objects.select_related("agency").annotate(
        has_two_factor=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
        invited=ExpressionWrapper(
            Q(is_active=True) & _unusable_password(), output_field=BooleanField()
        ),
    )
    if status == PersonStatus.ACTIVE:
        people = people.filter(is_active=True).exclude(_unusable_password())
    elif status == PersonStatus.INVITED:
        people = people.filter(_unusable_password(), is_active=True)
    elif status == PersonStatus.DEACTIVATED:
        people = people.filter(is_active=False)
    else:
        people = people.filter(is_active=True)
    if agency is not None:
        people = people.filter(agency=agency)
    if role:
        people = people.filter(role_assignments__role=role)
    return people.prefetch_related(
        Prefetch("role_assignments", queryset=RoleAssignment.objects.order_by("role"))
    ).order_by("full_name", "pk")


def person_or_404(pk, *, active_only=False) -> User:
    """A person for the manager's pages (the views check the role first)."""
    people = User.objects.select_related("agency")
    return get_object_or_404(people.filter(is_active=True) if active_only else people, pk=pk)


def latest_invitation(user) -> AccountLink | None:
    """The person's most recent invitation link, if any."""
    return (
        AccountLink.objects.filter(user=user, purpose=AccountLink.Purpose.INVITATION)
        .order_by("-created_at", "-pk")
        .first()
    )


def person_changes(user, limit: int = 20):
    """The person's account changes, newest first: who changed it, when and why."""
    return user.history.select_related("history_user").order_by("-history_date")[:limit]


def role_changes(user, limit: int = 20):
    """Roles given and taken away, newest first, by whom."""
    return (
        RoleAssignment.history.filter(user_id=user.pk)
        .select_related("history_user")
        .order_by("-history_date")[:limit]
    )


def agencies_offered():
    """The agencies a new person may belong to."""
    return Agency.objects.filter(is_active=True).order_by("name")


def demo_loaded() -> bool:
    """Whether the local demo's accounts are here (the sign-in page then shows the demo map)."""
    from lcspr.accounts import demo

    return User.objects.filter(email=demo.demo_email("manager")).exists()
