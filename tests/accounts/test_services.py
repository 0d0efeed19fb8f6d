import pytest
from django.core.exceptions import ValidationError

from lcspr.accounts import services
from lcspr.accounts.models import Role, User

pytestmark = pytest.mark.django_db


def test_an_agency_representative_must_belong_to_an_agency():
    with pytest.raises(ValidationError) as error:
        services.user_create(
            email="rep@example.org", full_name="Rae Rep", roles=[Role.AGENCY_REPRESENTATIVE]
        )
    assert "Choose the agency" in str(error.value)
    assert not User.objects.exists()


def test_a_statutory_partner_lead_must_come_from_a_statutory_partner(school):
    with pytest.raises(ValidationError) as error:
        services.user_create(
            email="lead@example.org",
            full_name="Lee Lead",
            agency=school,
            roles=[Role.STATUTORY_PARTNER_LEAD],
        )
    assert "not one of the three statutory safeguarding partners" in str(error.value)


def test_e_mail_addresses_are_unique_whatever_their_case(manager):
    with pytest.raises(ValidationError):
        services.user_create(email=manager.email.upper(), full_name="Copy Cat")


def test_role_changes_are_kept_in_history(manager, outsider):
    services.user_roles_set(user=outsider, roles=[Role.SUBGROUP_MEMBER], by=manager)
    services.user_roles_set(user=outsider, roles=[Role.EXECUTIVE_MEMBER], by=manager)
    outsider = User.objects.get(pk=outsider.pk)
    assert outsider.roles == {Role.EXECUTIVE_MEMBER}
    history = outsider.role_assignments.model.history.filter(user_id=outsider.pk)
    assert [(h.role, h.history_type) for h in history.order_by("history_id")] == [
        (Role.SUBGROUP_MEMBER, "+"),
        (Role.SUBGROUP_MEMBER, "-"),
        (Role.EXECUTIVE_MEMBER, "+"),
    ]
    assert all(h.history_user == manager for h in history)


def test_a_new_account_without_a_password_cannot_sign_in_until_one_is_set():
    user = services.user_create(email="new@example.org", full_name="New Starter")
    assert not user.has_usable_password()
