"""The manager's people services: invitations, roles, leavers and their return."""

import datetime
import re

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.test import Client

from lcspr.accounts import people
from lcspr.accounts.models import AccountLink, Role
from lcspr.core.models import OutboundEmail
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
User = get_user_model()
NEW_PASSWORD = "lantern-orchard-velvet-42"


def invitation_token(user) -> str:
    """The secret of the newest invitation e-mailed to `user`, read from the outbox."""
    email = OutboundEmail.objects.filter(recipient=user, kind="invitation").latest("pk")
    return re.search(r"/account/invitation/([^/\s]+)/", email.body_text).group(1)


def signs_in(email: str, password: str) -> bool:
    response = Client().post("/account/sign-in/", {"username": email, "password": password})
    return response.status_code == 302


def invite(manager, school, **kwargs):
    values = {
        "email": "Rowan.Reed@Riverside.example",
        "full_name": "Rowan Reed",
        "agency": school,
        "roles": [Role.AGENCY_REPRESENTATIVE],
        "by": manager,
    } | kwargs
    return people.person_invite(**values)


def test_an_invited_person_gets_a_single_use_link_and_no_password(manager, school):
    person = invite(manager, school)
    assert person.email == "rowan.reed@riverside.example"
    assert not person.has_usable_password() and people.is_invited(person)
    assert person.roles == {Role.AGENCY_REPRESENTATIVE}
    email = OutboundEmail.objects.get(recipient=person, kind="invitation")
    assert "Choose your password" in email.body_text
    assert f"after {settings.ACCOUNT_LINK_HOURS} hours" in email.body_text
    link = AccountLink.objects.get(user=person, purpose=AccountLink.Purpose.INVITATION)
    assert link.created_by == manager and link.token_hash not in email.body_text
    history = person.history.latest()
    assert history.history_user == manager and history.history_type == "+"


def test_an_invitation_is_refused_for_an_address_that_has_an_account(manager, school):
    with pytest.raises(ValidationError) as refused:
        invite(manager, school, email=manager.email.upper())
    assert "already has an account" in refused.value.message_dict["email"][0]


@pytest.mark.parametrize(
    ("roles", "agency", "field", "message"),
    [
        ([Role.AGENCY_REPRESENTATIVE], None, "agency", "Choose the agency"),
        ([Role.STATUTORY_PARTNER_LEAD], "school", "agency", "is not one of the three statutory"),
        ([Role.INDEPENDENT_AUTHOR], "school", "agency", "An independent author belongs to no"),
    ],
)
def test_an_invitation_applies_the_role_rules(manager, school, roles, agency, field, message):
    with pytest.raises(ValidationError) as refused:
        invite(manager, school, roles=roles, agency=school if agency else None)
    assert message in refused.value.message_dict[field][0]
    assert not User.objects.filter(email="rowan.reed@riverside.example").exists()


def test_only_a_manager_invites(subgroup_member, school):
    with pytest.raises(ValidationError, match="Only a partnership manager"):
        invite(subgroup_member, school)


def test_the_invited_person_chooses_a_password_once(manager, school):
    person = invite(manager, school)
    token = invitation_token(person)
    people.invitation_accept(token=token, password=NEW_PASSWORD)
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD) and not people.is_invited(person)
    assert people.invitation_state(token)[1] == "used"
    with pytest.raises(ValidationError, match="can no longer be used"):
        people.invitation_accept(token=token, password="another-long-password-9")


def test_a_weak_password_is_refused_with_the_reason(manager, school):
    person = invite(manager, school)
    with pytest.raises(ValidationError, match="too short"):
        people.invitation_accept(token=invitation_token(person), password="short")
    assert people.invitation_state(invitation_token(person))[1] == "live"


def test_an_invitation_expires_after_the_configured_hours(manager, school):
    person = invite(manager, school)
    token = invitation_token(person)
    later = datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(
        hours=settings.ACCOUNT_LINK_HOURS, minutes=1
    )
    with time_machine.travel(later):
        assert people.invitation_state(token)[1] == "expired"
        with pytest.raises(ValidationError):
            people.invitation_accept(token=token, password=NEW_PASSWORD)


def test_resending_voids_the_older_link(manager, school):
    person = invite(manager, school)
    first = invitation_token(person)
    people.invitation_send(user=person, by=manager)
    second = invitation_token(person)
    assert first != second
    assert people.invitation_state(first)[1] == "voided"
    assert people.invitation_state(second)[1] == "live"


def test_an_accepted_invitation_is_not_sent_again(manager, school):
    person = invite(manager, school)
    people.invitation_accept(token=invitation_token(person), password=NEW_PASSWORD)
    with pytest.raises(ValidationError, match="already accepted"):
        people.invitation_send(user=person, by=manager)


def test_cancelling_an_invitation_closes_the_account_and_the_link(manager, school):
    person = invite(manager, school)
    token = invitation_token(person)
    people.invitation_cancel(user=person, by=manager)
    person.refresh_from_db()
    assert not person.is_active
    assert people.invitation_state(token)[1] == "closed"
    assert person.history.latest().history_change_reason == "Invitation cancelled"
    # Reactivated, the person can be invited again.
    people.person_reactivate(user=person, reason="Joined after all", by=manager)
    people.invitation_send(user=person, by=manager)
    assert people.invitation_state(invitation_token(person))[1] == "live"


def test_roles_are_changed_with_the_rules_and_in_history(manager, school, agency_author):
    people.person_roles_change(
        user=agency_author,
        roles=[Role.AGENCY_REPRESENTATIVE, Role.SUBGROUP_MEMBER],
        read_roles=[Role.AGENCY_REPRESENTATIVE],
        by=manager,
    )
    assert User.objects.get(pk=agency_author.pk).roles == {
        Role.AGENCY_REPRESENTATIVE,
        Role.SUBGROUP_MEMBER,
    }
    with pytest.raises(ValidationError) as refused:
        people.person_roles_change(
            user=agency_author, roles=[Role.STATUTORY_PARTNER_LEAD], by=manager
        )
    assert "Riverside Primary School is not one of the three statutory" in str(refused.value)


def test_a_roles_change_over_a_newer_one_is_refused(manager, agency_author):
    with pytest.raises(ValidationError, match="changed these roles while you were editing"):
        people.person_roles_change(
            user=agency_author, roles=[], read_roles=[Role.SUBGROUP_MEMBER], by=manager
        )


def test_a_manager_cannot_take_away_their_own_manager_role(manager):
    with pytest.raises(ValidationError, match="your own partnership manager role"):
        people.person_roles_change(user=manager, roles=[], by=manager)


def test_a_leaver_is_signed_out_at_once_and_cannot_sign_in(manager, agency_author, password):
    browser = Client()
    browser.force_login(agency_author)
    assert browser.get("/").status_code == 200
    people.person_deactivate(user=agency_author, reason="Left the school", by=manager)
    agency_author.refresh_from_db()
    assert not agency_author.is_active
    response = browser.get("/")
    assert response.status_code == 302 and "/account/sign-in/" in response["Location"]
    assert not signs_in(agency_author.email, password)
    change = agency_author.history.latest()
    assert change.history_user == manager
    assert change.history_change_reason == "Deactivated: Left the school"


def test_deactivation_deletes_every_session_of_the_leaver_and_no_one_elses(
    manager, agency_author, subgroup_member
):
    """Each of the leaver's browsers is signed out at once, not at its next idle timeout."""
    from django.contrib.sessions.models import Session

    def signed_in(user):
        client = Client()
        client.force_login(user)
        return client.cookies[settings.SESSION_COOKIE_NAME].value

    laptop, phone, colleague = (
        signed_in(agency_author),
        signed_in(agency_author),
        signed_in(subgroup_member),
    )
    people.person_deactivate(user=agency_author, reason="Left the school", by=manager)
    live = set(Session.objects.values_list("session_key", flat=True))
    assert laptop not in live and phone not in live
    assert colleague in live


def test_an_inactive_users_session_is_refused_even_if_it_was_kept(agency_author):
    """The sign-in middleware refuses an account closed by any route, sessions or not."""
    browser = Client()
    browser.force_login(agency_author)
    User.objects.filter(pk=agency_author.pk).update(is_active=False)
    response = browser.get("/")
    assert response.status_code == 302 and "/account/sign-in/" in response["Location"]


def test_deactivation_needs_a_reason_and_not_oneself(manager, agency_author):
    with pytest.raises(ValidationError) as refused:
        people.person_deactivate(user=agency_author, reason=" ", by=manager)
    assert refused.value.message_dict["reason"] == ["Enter why you are deactivating this account"]
    with pytest.raises(ValidationError, match="your own account"):
        people.person_deactivate(user=manager, reason="Testing", by=manager)


def test_a_deactivated_account_is_not_deactivated_again(manager, agency_author):
    people.person_deactivate(user=agency_author, reason="Left", by=manager)
    with pytest.raises(ValidationError, match="already been deactivated"):
        people.person_deactivate(user=agency_author, reason="Left", by=manager)


def test_a_reactivated_person_signs_in_again(manager, agency_author, password):
    people.person_deactivate(user=agency_author, reason="Left", by=manager)
    people.person_reactivate(user=agency_author, reason="Came back", by=manager)
    assert agency_author.history.latest().history_change_reason == "Reactivated: Came back"
    assert signs_in(agency_author.email, password)
    with pytest.raises(ValidationError, match="already active"):
        people.person_reactivate(user=agency_author, reason="Again", by=manager)


def test_deactivation_spends_any_live_link(manager, school):
    person = invite(manager, school)
    token = invitation_token(person)
    people.person_deactivate(user=person, reason="Will not join", by=manager)
    link, state = people.invitation_state(token)
    assert state == "closed" and not link.is_live()


def test_only_a_manager_deactivates(subgroup_member, agency_author):
    with pytest.raises(ValidationError, match="Only a partnership manager"):
        people.person_deactivate(user=agency_author, reason="Left", by=subgroup_member)
    assert UserFactory._meta.model.objects.get(pk=agency_author.pk).is_active
