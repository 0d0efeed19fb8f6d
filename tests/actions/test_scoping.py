"""Which actions each person may know exist, and that every list, figure and report follows it:
actions added before the decision stay the statutory partners' until then, except the immediate
safety actions, which the sub-group and the Executive follow from the start; a panel
member's sight of the plan ends with their membership, and "Our actions" pages through an
agency's own actions and those shared with it."""

import datetime

import pytest
from django.urls import reverse

from actions import reports, selectors, services
from actions.models import Action
from actions.permissions import actions_for_user, can_plan
from lcspr.accounts.models import Role, User
from panels.models import Membership
from panels.services import membership_end
from reviews.rapid_review import services as rapid_review_services
from tests.actions.conftest import DUE, add_action
from tests.factories import UserFactory
from tests.reviews.conftest import open_referral, to_rapid_review

pytestmark = pytest.mark.django_db


@pytest.fixture
def before_decision(manager, police):
    """An action tracked from a rapid review still waiting for its decision (review Child R)."""
    review = to_rapid_review(open_referral(manager, police, pseudonym="Child R"), manager)
    return add_action(review, manager, police, text="Police check every address on file.")


def fresh(user):
    """The user as a new request loads them (guardian and membership caches are per object)."""
    return User.objects.get(pk=user.pk)


@pytest.mark.parametrize(
    ("persona", "sees_it"),
    [
        ("manager", True),
        ("independent_chair", True),
        ("partner_lead", True),
        ("subgroup_member", False),
        ("executive_member", False),
    ],
)
def test_an_action_before_the_decision_is_the_statutory_partners_business(
    request, before_decision, school_action, persona, sees_it
):
    user = request.getfixturevalue(persona)
    visible = set(actions_for_user(user))
    assert school_action in visible
    assert (before_decision in visible) is sees_it


@pytest.fixture
def immediate_before_decision(manager, police):
    """An immediate safety action of a rapid review still waiting for its decision, tracked in
    the plan (review Child S)."""
    review = to_rapid_review(open_referral(manager, police, pseudonym="Child S"), manager)
    immediate = rapid_review_services.immediate_action_add(
        review=review,
        by=manager,
        description="Police visit the sibling's home today.",
        lead_agency=police,
        due_date=None,
    )
    return services.action_from_immediate(immediate_action=immediate, by=manager, due_date=DUE)


@pytest.mark.parametrize("persona", ["subgroup_member", "executive_member"])
def test_the_oversight_roles_follow_immediate_safety_actions_before_the_decision(
    client, request, immediate_before_decision, before_decision, persona
):
    user = request.getfixturevalue(persona)
    visible = set(actions_for_user(user))
    assert immediate_before_decision in visible
    assert before_decision not in visible
    client.force_login(user)
    html = client.get(reverse("actions:dashboard")).content.decode()
    assert "Police visit the sibling&#x27;s home today." in html or "Child S" in html
    detail = client.get(reverse("actions:detail", args=[immediate_before_decision.pk]))
    assert detail.status_code == 200
    html = detail.content.decode()
    assert "Police visit the sibling&#x27;s home today." in html
    # The review itself is not theirs yet: Back goes to the action plans, not the review's plan.
    assert f'href="{reverse("actions:dashboard")}" class="govuk-back-link"' in html
    plan = reverse("actions:review_plan", args=[immediate_before_decision.review_id])
    assert plan not in html
    assert client.get(plan).status_code == 404


def test_the_dashboard_the_filters_and_the_executive_report_leave_it_out_for_the_executive(
    client, before_decision, school_action, executive_member, manager
):
    client.force_login(executive_member)
    response = client.get(reverse("actions:dashboard"))
    reviews = dict(response.context["form"].fields["review"].choices)
    assert str(school_action.review_id) in reviews
    assert str(before_decision.review_id) not in reviews
    assert response.context["dash"].totals["total"] == 1
    assert "Child R" not in response.content.decode()
    context = reports.executive_report_context(executive_member, {})
    assert [a.pk for a in context["actions"]] == [school_action.pk]
    # The manager's dashboard counts both.
    assert selectors.dashboard(manager).totals["total"] == 2


def test_a_review_filter_of_a_review_the_user_may_not_see_is_not_applied(
    client, before_decision, school_action, executive_member
):
    client.force_login(executive_member)
    response = client.get(reverse("actions:dashboard"), {"review": before_decision.review_id})
    assert "Select a valid choice" in response.content.decode()
    assert response.context["dash"].totals["total"] == 1


def test_a_panel_members_sight_of_the_plan_ends_with_their_membership(
    client, school_action, police_action, panel_member, manager
):
    # Pia is the school's representative: she keeps the school's action, loses the police's.
    assert set(actions_for_user(panel_member)) == {school_action, police_action}
    assert can_plan(panel_member, "view_plan", school_action.review)
    membership = Membership.objects.get(user=panel_member, review=school_action.review)
    membership_end(membership=membership, by=manager, reason="Changed role.")
    panel_member = fresh(panel_member)
    assert set(actions_for_user(panel_member)) == {school_action}
    assert not can_plan(panel_member, "view_plan", school_action.review)
    client.force_login(panel_member)
    assert client.get(reverse("actions:detail", args=[police_action.pk])).status_code == 404
    plan = reverse("actions:review_plan", args=[school_action.review_id])
    assert client.get(plan).status_code == 404


def test_someone_who_has_left_or_has_no_agency_sees_no_agency_actions(
    school_action, police_action, agency_author, subgroup_member
):
    services.action_share(action=police_action, by=subgroup_member, shared=True)
    agencyless = UserFactory(roles=[Role.AGENCY_REPRESENTATIVE])
    assert not actions_for_user(agencyless).exists()
    agency_author.is_active = False
    agency_author.save()
    assert not actions_for_user(agency_author).exists()


def test_an_owner_sees_their_own_action_of_any_agency_and_only_that(
    lcspr_review, manager, police, school_action
):
    owner = UserFactory(full_name="Oona Owner", roles=[])
    owned = add_action(lcspr_review, manager, police, owner=owner)
    assert list(actions_for_user(owner)) == [owned]


# --- "Our actions" ------------------------------------------------------------------------------


def test_our_actions_offers_updates_only_on_the_agencys_own(
    client, agency_author, school_action, police_action, subgroup_member
):
    services.action_share(action=police_action, by=subgroup_member, shared=True)
    client.force_login(agency_author)
    response = client.get(reverse("actions:agency_list"))
    listed = {a.pk: a.may_update for a in response.context["page"].object_list}
    assert listed == {school_action.pk: True, police_action.pk: False}
    assert response.content.decode().count("Shared for learning") == 1


def test_our_actions_pages_fifty_at_a_time_soonest_due_first_keeping_the_status(
    client, agency_author, lcspr_review, manager, school
):
    Action.objects.bulk_create(
        Action(
            review=lcspr_review,
            number=n + 1,
            source="during_review",
            text=f"Fictional action {n + 1}",
            lead_agency=school,
            due_date=DUE - datetime.timedelta(days=n),
            created_by=manager,
        )
        for n in range(55)
    )
    client.force_login(agency_author)
    first = client.get(reverse("actions:agency_list"), {"status": "not_started"})
    numbers = [a.number for a in first.context["page"].object_list]
    assert numbers == list(range(55, 5, -1))
    html = first.content.decode()
    assert "Page 1 of 2" in html and "?status=not_started&amp;page=2" in html
    second = client.get(reverse("actions:agency_list"), {"status": "not_started", "page": 2})
    assert [a.number for a in second.context["page"].object_list] == [5, 4, 3, 2, 1]


def test_an_unknown_status_shows_every_action_and_an_empty_one_says_so(
    client, agency_author, school_action
):
    client.force_login(agency_author)
    response = client.get(reverse("actions:agency_list"), {"status": "finished"})
    assert [a.pk for a in response.context["page"].object_list] == [school_action.pk]
    assert "Select a valid choice" in response.content.decode()
    response = client.get(reverse("actions:agency_list"), {"status": "closed"})
    assert "No actions with this status." in response.content.decode()


def test_an_agency_with_no_actions_yet_is_told_so(client, agency_author):
    client.force_login(agency_author)
    response = client.get(reverse("actions:agency_list"))
    assert "There are no actions for you yet." in response.content.decode()
