"""The agency isolation rule, at object level: an agency's representatives see and update their
own agency's actions across every review; of another agency's actions they see nothing unless
the sub-group shares it, and then only read it. A named owner updates their own action."""

import pytest
from django.urls import reverse

from actions import services
from actions.models import Status
from actions.permissions import actions_for_user, can_action
from lcspr.accounts.models import Role
from tests.actions.conftest import add_action, upload
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def signed_in(client, user):
    client.force_login(user)
    return client


def url(action, name="detail"):
    return reverse(f"actions:{name}", args=[action.pk])


PROGRESS = {"text": "Audit booked.", "status": "in_progress"}


def test_another_agencys_representative_finds_no_unshared_action(
    client, school_action, other_agency_author
):
    client = signed_in(client, other_agency_author)
    assert school_action not in actions_for_user(other_agency_author)
    for name in ("detail", "progress", "completion", "impact"):
        assert client.get(url(school_action, name)).status_code == 404
    assert client.post(url(school_action, "progress"), PROGRESS).status_code == 404


def test_a_shared_action_is_read_only_for_another_agency(
    client, school_action, other_agency_author, subgroup_member
):
    services.action_share(action=school_action, by=subgroup_member, shared=True)
    client = signed_in(client, other_agency_author)
    response = client.get(url(school_action))
    assert response.status_code == 200
    assert "Update progress" not in response.content.decode()
    for name in ("progress", "completion", "impact"):
        assert client.get(url(school_action, name)).status_code == 403
    assert client.post(url(school_action, "progress"), PROGRESS).status_code == 403
    school_action.refresh_from_db()
    assert school_action.status == Status.NOT_STARTED


def test_the_lead_agencys_representative_updates_across_reviews(
    client, school_action, other_review, manager, school, agency_author
):
    elsewhere = add_action(other_review, manager, school)
    client = signed_in(client, agency_author)
    for action in (school_action, elsewhere):
        assert client.post(url(action, "progress"), PROGRESS).status_code == 302
        action.refresh_from_db()
        assert action.status == Status.IN_PROGRESS


def test_a_named_owner_from_another_agency_may_update(
    client, lcspr_review, manager, school, police
):
    owner = UserFactory(full_name="Petra Police", agency=police, roles=[Role.AGENCY_REPRESENTATIVE])
    action = add_action(lcspr_review, manager, school, owner=owner)
    assert can_action(owner, "update", action)
    response = signed_in(client, owner).post(
        url(action, "progress"), {**PROGRESS, "files": [upload()]}
    )
    assert response.status_code == 302
    assert action.updates.get().recorded_by == owner


def test_an_agency_cannot_take_the_sub_groups_decisions_on_its_own_action(
    client, school_action, agency_author
):
    client = signed_in(client, agency_author)
    for name in ("edit", "due_date", "rate", "request_impact", "close", "reopen", "hand_over"):
        assert client.get(url(school_action, name)).status_code == 403, name
    assert client.post(url(school_action, "share"), {"shared": "yes"}).status_code == 403


def test_the_executive_reads_every_action_but_changes_none(
    client, school_action, police_action, executive_member
):
    assert set(actions_for_user(executive_member)) == {school_action, police_action}
    client = signed_in(client, executive_member)
    assert client.get(url(police_action)).status_code == 200
    for name in ("progress", "edit", "rate", "close"):
        assert client.get(url(police_action, name)).status_code == 403, name


def test_a_panel_member_reads_the_whole_plan_but_updates_only_their_agencys(
    client, school_action, police_action, panel_member
):
    # The panel member is the school's representative on this review's panel.
    client = signed_in(client, panel_member)
    assert client.get(url(police_action)).status_code == 200
    assert client.post(url(police_action, "progress"), PROGRESS).status_code == 403
    assert client.post(url(school_action, "progress"), PROGRESS).status_code == 302


def test_outsiders_see_nothing_and_another_reviews_police_member_only_the_polices(
    school_action, police_action, outsider, elsewhere
):
    other_author, other_police_member = elsewhere
    assert not actions_for_user(outsider).exists()
    assert not actions_for_user(other_author).exists()
    # Not on this review's panel, but a police representative: the police-led action only.
    assert list(actions_for_user(other_police_member)) == [police_action]
