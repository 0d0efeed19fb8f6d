"""Who may know a chronology exists and what they may do with it: an agency's representatives
their own agency's across reviews, the panel every agency's of its review only (until they
leave it), the manager everything; and the navigation that follows."""

import datetime

import pytest
from django.urls import reverse

from chronologies.models import ChronologyRequest
from chronologies.permissions import (
    can_request,
    can_review_chronology,
    may_list_requests,
    requests_for_user,
)
from lcspr.accounts.models import Role, User
from panels.models import Membership
from panels.services import membership_add, membership_end
from tests.factories import UserFactory
from tests.reviews.conftest import open_referral

pytestmark = pytest.mark.django_db


@pytest.fixture
def elsewhere(manager, local_authority, school, police):
    """The school's and the police's chronologies of another review (made directly)."""
    review = open_referral(manager, local_authority, pseudonym="Child U")
    return {
        agency.name: ChronologyRequest.objects.create(
            review=review,
            agency=agency,
            due_date=datetime.date(2027, 1, 29),
            period_start=datetime.date(2025, 1, 1),
            period_end=datetime.date(2025, 12, 31),
            requested_by=manager,
        )
        for agency in (school, police)
    }


def visible(user):
    return set(requests_for_user(user))


def fresh(user):
    """The user as a new request loads them (membership roles are remembered per request)."""
    return User.objects.get(pk=user.pk)


def test_the_manager_knows_every_chronology(manager, chronology_requests, elsewhere):
    assert visible(manager) == {*chronology_requests.values(), *elsewhere.values()}


def test_a_representative_knows_their_agencys_chronologies_of_every_review(
    agency_author, school_request, elsewhere
):
    assert visible(agency_author) == {school_request, elsewhere["Riverside Primary School"]}


def test_a_panel_member_knows_every_agency_of_their_review_and_their_own_elsewhere(
    panel_member, school_request, police_request, elsewhere
):
    # Pia is the school's representative and a panel member of this review only.
    assert visible(panel_member) == {
        school_request,
        police_request,
        elsewhere["Riverside Primary School"],
    }


def test_leaving_the_panel_ends_sight_of_the_other_agencies(
    panel_member, school_request, police_request, manager
):
    membership = Membership.objects.get(user=panel_member, review=school_request.review)
    membership_end(membership=membership, by=manager, reason="Moved to another school.")
    assert visible(fresh(panel_member)) == {school_request}


@pytest.mark.parametrize(
    ("role", "held"),
    [("author", Role.INDEPENDENT_AUTHOR), ("panel_member", Role.EXECUTIVE_MEMBER)],
)
def test_the_author_and_panel_members_know_the_reviews_chronologies_and_no_other(
    agreed_review, chronology_requests, elsewhere, manager, icb, role, held
):
    user = UserFactory(roles=[held])
    assert visible(user) == set()
    agency = icb if role == "panel_member" else None
    membership_add(review=agreed_review, by=manager, user=user, role=role, agency=agency)
    assert visible(user) == set(chronology_requests.values())


def test_a_representative_without_an_agency_or_an_inactive_user_knows_none(
    chronology_requests, agency_author
):
    no_agency = UserFactory(roles=[Role.AGENCY_REPRESENTATIVE])
    assert visible(no_agency) == set()
    agency_author.is_active = False
    agency_author.save()
    assert visible(agency_author) == set()


def test_other_roles_of_the_agency_do_not_make_a_representative(school, school_request):
    lead = UserFactory(agency=school, roles=[Role.STATUTORY_PARTNER_LEAD, Role.SUBGROUP_MEMBER])
    assert visible(lead) == set()


# --- what each may do ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "view_draft", "edit", "decide"),
    [
        ("other_agency_author", True, True, False),  # the police's representative
        ("manager", True, False, True),
        ("subgroup_member", False, False, True),  # the review's panel chair
        ("panel_member", False, False, False),  # the school's representative on the panel
    ],
)
def test_what_each_persona_may_do_with_the_polices_chronology(
    request, police_request, persona, view_draft, edit, decide
):
    user = request.getfixturevalue(persona)
    assert police_request in requests_for_user(user)
    assert can_request(user, "view_draft", police_request) is view_draft
    assert can_request(user, "edit", police_request) is edit
    assert can_request(user, "decide", police_request) is decide
    assert can_request(user, "delete", police_request) is False


def test_a_panel_member_representing_an_agency_drafts_only_their_agencys(
    panel_member, school_request, police_request
):
    assert can_request(panel_member, "edit", school_request)
    assert not can_request(panel_member, "edit", police_request)
    assert not can_request(panel_member, "view_draft", police_request)


@pytest.mark.parametrize(
    ("persona", "view_merged", "request_chronologies"),
    [
        ("manager", True, True),
        ("subgroup_member", True, False),
        ("panel_member", True, False),
        ("agency_author", False, False),
        ("partner_lead", False, False),
    ],
)
def test_what_each_persona_may_do_with_the_reviews_chronologies(
    request, agreed_review, persona, view_merged, request_chronologies
):
    user = request.getfixturevalue(persona)
    assert can_review_chronology(user, "view_merged", agreed_review) is view_merged
    assert can_review_chronology(user, "comment_entries", agreed_review) is view_merged
    assert can_review_chronology(user, "request_chronologies", agreed_review) is (
        request_chronologies
    )
    # An action this policy does not answer is never granted by it.
    assert can_review_chronology(user, "decide", agreed_review) is False


# --- the navigation -----------------------------------------------------------------------------


def test_only_agency_representatives_have_the_chronologies_page_in_the_navigation(
    client, agency_author, manager, panel_member, subgroup_member
):
    link = f'href="{reverse("chronologies:my_requests")}">Chronologies</a>'
    for user, shown in (
        (agency_author, True),
        (panel_member, True),
        (manager, False),
        (subgroup_member, False),
    ):
        assert may_list_requests(user) is shown
        client.force_login(user)
        assert (link in client.get("/").content.decode()) is shown, user


def test_the_list_puts_the_agencys_own_chronologies_first(
    client, panel_member, school_request, police_request, elsewhere
):
    # The school's request elsewhere is due a month after the police's of this review, yet
    # comes before it: Pia represents the school.
    client.force_login(panel_member)
    html = client.get(reverse("chronologies:my_requests")).content.decode()
    order = [
        html.index(reverse("chronologies:request", args=[r.pk]))
        for r in (school_request, elsewhere["Riverside Primary School"], police_request)
    ]
    assert order == sorted(order)
    assert reverse("chronologies:request", args=[elsewhere["Northbridge Constabulary"].pk]) not in (
        html
    )


def test_someone_without_an_agency_sees_every_chronology_they_may_by_due_date(
    client, manager, chronology_requests, elsewhere
):
    client.force_login(manager)
    html = client.get(reverse("chronologies:my_requests")).content.decode()

    def positions(requests):
        return [html.index(reverse("chronologies:request", args=[r.pk])) for r in requests]

    # This review's are due in four weeks, the other review's at the end of January.
    assert max(positions(chronology_requests.values())) < min(positions(elsewhere.values()))


def test_someone_with_nothing_to_see_is_told_so(client, outsider, chronology_requests):
    client.force_login(outsider)
    response = client.get(reverse("chronologies:my_requests"))
    assert response.status_code == 200
    assert "You have no chronology requests." in response.content.decode()
