"""Changes to people and agencies. Each service is atomic and takes the acting user as `by`."""

from django.core.exceptions import ValidationError
from django.db import transaction

from lcspr.accounts.models import Agency, ReminderDelivery, Role, RoleAssignment, User

ROLES_NEEDING_AGENCY = {Role.AGENCY_REPRESENTATIVE, Role.STATUTORY_PARTNER_LEAD}


def _check_roles(roles, agency):
    unknown = set(roles) - set(Role.values)
    if unknown:
        raise ValidationError({"roles": f"Unknown role: {', '.join(sorted(unknown))}."})
    needing = ROLES_NEEDING_AGENCY.intersection(roles)
    if needing and agency is None:
        labels = " and ".join(sorted(Role(r).label.lower() for r in needing))
        raise ValidationError({"agency": f"Choose the agency of this {labels}."})
    if Role.STATUTORY_PARTNER_LEAD in roles and not agency.is_statutory_partner:
        raise ValidationError(
            {"agency": f"{agency} is not one of the three statutory safeguarding partners."}
        )


@transaction.atomic
def agency_create(
    *, name: str, kind: str, short_name: str = "", is_statutory_partner=False, by=None
):
    """Add an agency to the partnership."""
    agency = Agency(
        name=name, short_name=short_name, kind=kind, is_statutory_partner=is_statutory_partner
    )
    agency._history_user = by
    agency.full_clean()
    agency.save()
    return agency


@transaction.atomic
def user_create(
    *, email: str, full_name: str, roles=(), agency=None, password=None, job_title="", by=None
) -> User:
    """Create an account with its partnership-wide roles."""
    _check_roles(roles, agency)
    user = User(email=email, full_name=full_name, agency=agency, job_title=job_title)
    user._history_user = by
    user.full_clean(exclude=["password"])
    user.set_password(password) if password else user.set_unusable_password()
    user.save()
    for role in roles:
        assignment = RoleAssignment(user=user, role=role)
        assignment._history_user = by
        assignment.save()
    return user


@transaction.atomic
def user_roles_set(*, user: User, roles, by=None) -> User:
    """Replace a user's partnership-wide roles, recording each grant and removal in history."""
    _check_roles(roles, user.agency)
    current = {a.role: a for a in user.role_assignments.all()}
    for role, assignment in current.items():
        if role not in roles:
            assignment._history_user = by
            assignment.delete()
    for role in set(roles) - set(current):
        assignment = RoleAssignment(user=user, role=role)
        assignment._history_user = by
        assignment.save()
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
        user._history_user = by
        user.save(update_fields=["reminder_delivery"])
    return user
