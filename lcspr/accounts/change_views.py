"""What changed for a person: their account (name, agency, whether it is active) and every
partnership role given or taken away, in words. The partnership manager's, as the people
pages are."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from lcspr.accounts.models import Role, RoleAssignment, User
from lcspr.core.changes import merged, record_changes
from lcspr.core.permissions import role_required

ACCOUNT_LABELS = {
    "is_active": "Account active",
    "is_staff": "May use the technical administration site",
    "is_superuser": "Has every permission in the technical administration site",
}
ACCOUNT_BOOKKEEPING = ("date_joined",)


def _role_change(row) -> str:
    label = Role(row.role).label if row.role in Role.values else row.role
    return {"+": f"Role given: {label}", "-": f"Role taken away: {label}"}.get(
        row.history_type, f"Role changed: {label}"
    )


@login_required
@role_required(Role.PARTNERSHIP_MANAGER)
@require_GET
def person_changes(request, pk):
    person = get_object_or_404(User, pk=pk)
    changes = merged(
        record_changes(person.history.all(), exclude=ACCOUNT_BOOKKEEPING, labels=ACCOUNT_LABELS),
        record_changes(
            RoleAssignment.history.filter(user_id=person.pk),
            exclude=("user", "role", "assigned_at"),
            describe=_role_change,
        ),
    )
    return render(request, "accounts/person_changes.html", {"person": person, "changes": changes})
