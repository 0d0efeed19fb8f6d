import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import Http404
from django.test import RequestFactory

from lcspr.accounts.models import Agency, Role
from lcspr.core import permissions
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def agency_rules():
    """Throwaway rules: staff of an agency may view it; only its statutory lead may edit."""
    rules = {
        "view": lambda user, agency: user.agency_id == agency.pk,
        "edit": lambda user, agency: (
            user.agency_id == agency.pk and user.has_role(Role.STATUTORY_PARTNER_LEAD)
        ),
    }
    permissions.register_rules(Agency, rules)
    yield rules
    permissions._rules.pop(Agency, None)


def _get(user, agency, action):
    return permissions.get_object_for(
        user,
        visible=Agency.objects.filter(pk=user.agency_id),
        pk=agency.pk,
        allowed=lambda obj: permissions.can(user, action, obj),
    )


def test_the_access_helper_returns_the_object_to_an_allowed_user(agency_rules, partner_lead):
    assert _get(partner_lead, partner_lead.agency, "edit") == partner_lead.agency


def test_the_access_helper_hides_an_object_the_user_may_not_know_about(agency_rules, partner_lead):
    other = AgencyFactory()
    with pytest.raises(Http404):
        _get(partner_lead, other, "view")


def test_the_access_helper_refuses_a_visible_object_the_user_may_not_change(
    agency_rules, other_agency_author
):
    with pytest.raises(PermissionDenied):
        _get(other_agency_author, other_agency_author.agency, "edit")


def test_a_malformed_id_is_a_404_not_a_500(agency_rules, partner_lead):
    with pytest.raises(Http404):
        permissions.get_object_for(
            partner_lead, visible=Agency.objects.all(), pk="not-a-number", allowed=lambda o: True
        )


def test_closed_and_anonymous_accounts_can_do_nothing(agency_rules, partner_lead):
    from django.contrib.auth.models import AnonymousUser

    assert not permissions.can(AnonymousUser(), "view", partner_lead.agency)
    partner_lead.is_active = False
    assert not permissions.can(partner_lead, "view", partner_lead.agency)


def test_asking_about_a_model_without_rules_is_an_error_not_a_yes(partner_lead):
    with pytest.raises(LookupError):
        permissions.can(partner_lead, "view", partner_lead)


def test_asking_for_an_action_nobody_registered_names_the_model_and_the_action(
    agency_rules, partner_lead
):
    with pytest.raises(LookupError, match=r"Agency\.veiw"):
        permissions.can(partner_lead, "veiw", partner_lead.agency)


def test_a_second_rule_for_an_action_is_refused_and_the_first_still_answers(
    agency_rules, partner_lead
):
    with pytest.raises(ImproperlyConfigured, match=r"Agency\.view"):
        permissions.register_rule(Agency, "view", lambda user, agency: True)
    assert not permissions.can(partner_lead, "view", AgencyFactory())


def test_one_rule_answers_its_action_alone(agency_rules, partner_lead, other_agency_author):
    agency = partner_lead.agency
    assert permissions.can(partner_lead, "edit", agency)
    assert permissions.can(other_agency_author, "view", other_agency_author.agency)
    assert not permissions.can(other_agency_author, "edit", other_agency_author.agency)


def test_every_shared_report_action_has_one_rule_that_role_or_membership_satisfies():
    from panels.permissions import MEMBER_ACTIONS
    from reviews.models import Review
    from reviews.permissions import REPORT_ROLE_ACTIONS, SHARED_REPORT_ACTIONS

    answered_by_both = REPORT_ROLE_ACTIONS.keys() & MEMBER_ACTIONS.keys()
    assert answered_by_both == SHARED_REPORT_ACTIONS
    for action in SHARED_REPORT_ACTIONS:
        assert permissions._rules[Review][action].__module__ == "panels.permissions"


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
