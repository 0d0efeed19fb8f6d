import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory

from lcspr.accounts.models import Agency, Role
from lcspr.core import permissions
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def agency_policy():
    """A throwaway policy: staff of an agency may view it; only its statutory lead may edit."""

    def policy(user, action, obj):
        if action == "view":
            return user.agency_id == obj.pk
        if action == "edit":
            return user.agency_id == obj.pk and user.has_role(Role.STATUTORY_PARTNER_LEAD)
        return False

    permissions.register_policy(Agency, policy)
    yield policy
    permissions._policies.pop(Agency, None)


def _get(user, agency, action):
    return permissions.get_object_for(
        user,
        visible=Agency.objects.filter(pk=user.agency_id),
        pk=agency.pk,
        allowed=lambda obj: permissions.can(user, action, obj),
    )


def test_the_access_helper_returns_the_object_to_an_allowed_user(agency_policy, partner_lead):
    assert _get(partner_lead, partner_lead.agency, "edit") == partner_lead.agency


def test_the_access_helper_hides_an_object_the_user_may_not_know_about(agency_policy, partner_lead):
    other = AgencyFactory()
    with pytest.raises(Http404):
        _get(partner_lead, other, "view")


def test_the_access_helper_refuses_a_visible_object_the_user_may_not_change(
    agency_policy, other_agency_author
):
    with pytest.raises(PermissionDenied):
        _get(other_agency_author, other_agency_author.agency, "edit")


def test_a_malformed_id_is_a_404_not_a_500(agency_policy, partner_lead):
    with pytest.raises(Http404):
        permissions.get_object_for(
            partner_lead, visible=Agency.objects.all(), pk="not-a-number", allowed=lambda o: True
        )


def test_closed_and_anonymous_accounts_can_do_nothing(agency_policy, partner_lead):
    from django.contrib.auth.models import AnonymousUser

    assert not permissions.can(AnonymousUser(), "view", partner_lead.agency)
    partner_lead.is_active = False
    assert not permissions.can(partner_lead, "view", partner_lead.agency)


def test_asking_about_a_model_without_a_policy_is_an_error_not_a_yes(partner_lead):
    with pytest.raises(LookupError):
        permissions.can(partner_lead, "view", partner_lead)


def test_object_permissions_are_granted_and_revoked_on_one_object_only(outsider):
    first, second = AgencyFactory(), AgencyFactory()
    permissions.grant(outsider, "change_agency", first)
    assert permissions.has_object_perm(outsider, "change_agency", first)
    assert not permissions.has_object_perm(outsider, "change_agency", second)
    assert list(
        permissions.objects_with_perm(outsider, "accounts.change_agency", Agency.objects.all())
    ) == [first]
    permissions.revoke(outsider, "change_agency", first)
    assert not permissions.has_object_perm(outsider, "change_agency", first)


def test_prefetched_permissions_answer_a_list_without_a_query_per_object(
    outsider, django_assert_num_queries
):
    agencies = [AgencyFactory() for _ in range(5)]
    for agency in agencies[:3]:
        permissions.grant(outsider, "view_agency", agency)
    checker = permissions.prefetch_object_perms(outsider, agencies)
    with django_assert_num_queries(0):
        allowed = [a for a in agencies if checker.has_perm("view_agency", a)]
    assert allowed == agencies[:3]


def test_role_required_refuses_a_signed_in_user_without_the_role(manager, outsider):
    from django.http import HttpResponse

    @permissions.role_required(Role.PARTNERSHIP_MANAGER)
    def view(request):
        return HttpResponse("ok")

    request = RequestFactory().get("/")
    request.user = manager
    assert view(request).status_code == 200
    request.user = outsider
    with pytest.raises(PermissionDenied):
        view(request)


def test_a_user_can_hold_several_roles():
    user = UserFactory(roles=[Role.SUBGROUP_MEMBER, Role.EXECUTIVE_MEMBER])
    assert user.has_role(Role.EXECUTIVE_MEMBER)
    assert not user.has_role(Role.PARTNERSHIP_MANAGER)
