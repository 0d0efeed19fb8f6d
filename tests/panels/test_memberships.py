import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from lcspr.accounts.models import Role
from lcspr.core.exceptions import WorkflowError
from panels import services
from panels.models import MemberRole
from reviews.permissions import get_review_for, reviews_for_user
from tests.factories import UserFactory
from tests.reviews.conftest import open_referral

pytestmark = pytest.mark.django_db


@pytest.fixture
def panel_member(school):
    return UserFactory(full_name="Penny Panel", agency=school, roles=[Role.AGENCY_REPRESENTATIVE])


def test_a_panel_member_sees_the_review_they_sit_on_and_no_other(
    lcspr_review, manager, panel_member, local_authority
):
    other = open_referral(manager, local_authority, pseudonym="Child U")
    services.membership_add(
        review=lcspr_review, by=manager, user=panel_member, role=MemberRole.PANEL_MEMBER
    )
    assert list(reviews_for_user(panel_member)) == [lcspr_review]
    assert get_review_for(panel_member, lcspr_review.pk) == lcspr_review
    with pytest.raises(Http404):
        get_review_for(panel_member, other.pk)
    # Sitting on the panel is not the manager's job: visible, but not allowed.
    with pytest.raises(PermissionDenied):
        get_review_for(panel_member, lcspr_review.pk, "manage")


def test_ending_a_membership_ends_access_at_once_and_keeps_what_they_did(
    lcspr_review, manager, panel_member
):
    membership = services.membership_add(
        review=lcspr_review, by=manager, user=panel_member, role=MemberRole.PANEL_MEMBER
    )
    services.membership_end(membership=membership, by=manager, reason="Changed jobs")
    with pytest.raises(Http404):
        get_review_for(panel_member, lcspr_review.pk)
    membership.refresh_from_db()
    assert membership.ended_by == manager and membership.end_reason == "Changed jobs"
    kinds = list(lcspr_review.events.values_list("kind", flat=True))
    assert "member_added" in kinds and "member_removed" in kinds


def test_access_stays_while_another_membership_of_the_review_is_active(
    lcspr_review, manager, subgroup_member
):
    subgroup_member.agency = lcspr_review.referring_agency
    subgroup_member.save()
    chair = services.membership_add(
        review=lcspr_review, by=manager, user=subgroup_member, role=MemberRole.PANEL_CHAIR
    )
    services.membership_add(
        review=lcspr_review, by=manager, user=subgroup_member, role=MemberRole.PANEL_MEMBER
    )
    services.membership_end(membership=chair, by=manager)
    assert get_review_for(subgroup_member, lcspr_review.pk) == lcspr_review


def test_the_panel_chair_must_be_a_sub_group_member(lcspr_review, manager, panel_member):
    with pytest.raises(WorkflowError, match="member of the LCSPR sub-group"):
        services.membership_add(
            review=lcspr_review, by=manager, user=panel_member, role=MemberRole.PANEL_CHAIR
        )


def test_a_review_has_one_panel_chair_at_a_time(lcspr_review, manager):
    first, second = (UserFactory(roles=[Role.SUBGROUP_MEMBER]) for _ in range(2))
    services.membership_add(review=lcspr_review, by=manager, user=first, role="panel_chair")
    with pytest.raises(WorkflowError, match="already has a panel chair"):
        services.membership_add(review=lcspr_review, by=manager, user=second, role="panel_chair")


def test_a_panel_member_represents_an_agency(lcspr_review, manager, outsider):
    with pytest.raises(WorkflowError, match="Choose the agency"):
        services.membership_add(
            review=lcspr_review, by=manager, user=outsider, role=MemberRole.PANEL_MEMBER
        )


def test_a_leavers_memberships_end_when_their_account_is_deactivated(
    lcspr_review, manager, panel_member
):
    from lcspr.accounts import people

    membership = services.membership_add(
        review=lcspr_review, by=manager, user=panel_member, role=MemberRole.PANEL_MEMBER
    )
    done = people.person_deactivate(user=panel_member, reason="Left the school", by=manager)
    assert done == [f"1 review membership ended ({lcspr_review.reference})"]
    membership.refresh_from_db()
    assert membership.ended_by == manager
    assert membership.end_reason == "Left the partnership: Left the school"
    event = lcspr_review.events.filter(kind="member_removed").get()
    assert event.actor == manager and "Penny Panel left as panel member" in event.summary
    # What they did stays theirs; coming back does not restore the membership.
    assert membership.added_by == manager and membership.user == panel_member
    people.person_reactivate(user=panel_member, reason="Came back", by=manager)
    with pytest.raises(Http404):
        get_review_for(panel_member, lcspr_review.pk)
