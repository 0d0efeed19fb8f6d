import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from lcspr.access_log.models import AccessLog
from lcspr.accounts.models import Role
from lcspr.core.working_days import calendar, describe_countdown
from panels import services
from panels.models import MemberRole, Membership
from reviews.clocks.models import DeadlineKind
from tests.factories import UserFactory
from tests.helpers import assert_constant_queries
from tests.reviews.conftest import (
    open_referral,
    to_decided,
    to_rapid_review,
    to_sent,
    to_signed_off,
)

pytestmark = pytest.mark.django_db

COMMISSIONED = datetime.date(2026, 4, 1)
DELIVERY = datetime.date(2026, 9, 18)


def _url(name, review, *args):
    return reverse(f"panels:{name}", args=[review.pk, *args])


def _date(name, value: datetime.date) -> dict:
    return {f"{name}_0": value.day, f"{name}_1": value.month, f"{name}_2": value.year}


def _add(review, manager, user, role, **kwargs):
    return services.membership_add(review=review, by=manager, user=user, role=role, **kwargs)


@pytest.fixture
def chair_user(db):
    return UserFactory(
        full_name="Cara Chair", job_title="Head of Safeguarding", roles=[Role.SUBGROUP_MEMBER]
    )


@pytest.fixture
def member_user(school):
    return UserFactory(
        full_name="Penny Panel",
        job_title="Designated Safeguarding Lead",
        agency=school,
        roles=[Role.AGENCY_REPRESENTATIVE],
    )


@pytest.fixture
def panel_chair(lcspr_review, manager, chair_user):
    _add(lcspr_review, manager, chair_user, MemberRole.PANEL_CHAIR)
    return chair_user


@pytest.fixture
def panel_member(lcspr_review, manager, member_user):
    _add(lcspr_review, manager, member_user, MemberRole.PANEL_MEMBER)
    return member_user


@pytest.fixture
def appointed_author(lcspr_review, manager, independent_author):
    return services.author_appoint(
        review=lcspr_review,
        by=manager,
        user=independent_author,
        commissioned_on=COMMISSIONED,
        contract_reference="BSCP-2026-07",
        expected_delivery=DELIVERY,
    )


@pytest.fixture
def other_review_member(manager, local_authority, police, partner_leads, independent_chair):
    """A panel member of another review, who must not learn the first one exists."""
    other = open_referral(manager, local_authority, pseudonym="Child U")
    to_rapid_review(other, manager)
    to_signed_off(other, manager, partner_leads)
    to_decided(to_sent(other, manager), independent_chair)
    user = UserFactory(full_name="Rory Otherpanel", agency=police)
    _add(other, manager, user, MemberRole.PANEL_MEMBER)
    return user


# --- the panel page ------------------------------------------------------------------------------


def test_the_manager_sees_the_whole_panel_and_team(
    client, manager, lcspr_review, panel_chair, panel_member, appointed_author, school
):
    staff = UserFactory(full_name="Bea Business", roles=[Role.PARTNERSHIP_MANAGER])
    _add(lcspr_review, manager, staff, MemberRole.BUSINESS_UNIT)
    client.force_login(manager)
    response = client.get(_url("panel", lcspr_review))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Cara Chair" in body and "Head of Safeguarding" in body
    assert "Penny Panel" in body and str(school) in body
    assert "Ivy Author" in body
    assert "1 April 2026" in body and "BSCP-2026-07" in body and "18 September 2026" in body
    assert "Bea Business" in body
    assert _url("member_add", lcspr_review) in body
    assert _url("author_edit", lcspr_review, appointed_author.pk) in body
    assert AccessLog.objects.filter(user=manager, review_id=lcspr_review.pk).exists()


def test_the_panel_page_shows_the_completion_deadline_with_its_countdown(
    client, manager, lcspr_review
):
    due = lcspr_review.deadlines.get(kind=DeadlineKind.COMPLETION).due_date
    client.force_login(manager)
    body = client.get(_url("panel", lcspr_review)).content.decode()
    assert f"{due.day} {due:%B %Y}" in body
    countdown = calendar().count_between(timezone.localdate(), due)
    assert describe_countdown(countdown) in body


def test_past_members_show_who_removed_them_and_why(client, manager, lcspr_review, panel_member):
    membership = Membership.objects.get(user=panel_member)
    services.membership_end(membership=membership, by=manager, reason="Changed jobs")
    client.force_login(manager)
    body = client.get(_url("panel", lcspr_review)).content.decode()
    past = body.split("Past members", 1)[1]
    assert "Penny Panel" in past and "Panel member" in past
    assert "Morgan Manager" in past and "Changed jobs" in past
    assert "No panel members yet." in body


def test_a_panel_member_sees_the_panel_but_no_links_to_change_it(
    client, lcspr_review, panel_member, panel_chair
):
    client.force_login(panel_member)
    response = client.get(_url("panel", lcspr_review))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Cara Chair" in body
    assert _url("member_add", lcspr_review) not in body
    assert "/remove/" not in body


def test_a_sub_group_member_sees_the_panel_of_any_lcspr(client, subgroup_member, lcspr_review):
    client.force_login(subgroup_member)
    assert client.get(_url("panel", lcspr_review)).status_code == 200


def test_the_panel_page_runs_a_constant_number_of_queries(client, manager, lcspr_review, school):
    client.force_login(manager)

    def grow():
        for n in range(8):
            user = UserFactory(agency=school)
            membership = _add(lcspr_review, manager, user, MemberRole.PANEL_MEMBER)
            if n % 2:
                services.membership_end(membership=membership, by=manager, reason="Left")
        author = UserFactory(roles=[Role.INDEPENDENT_AUTHOR])
        services.author_appoint(
            review=lcspr_review,
            by=manager,
            user=author,
            commissioned_on=COMMISSIONED,
            expected_delivery=None,
        )

    assert_constant_queries(client, _url("panel", lcspr_review), grow)


def test_the_panel_page_refuses_a_post(client, manager, lcspr_review):
    client.force_login(manager)
    assert client.post(_url("panel", lcspr_review)).status_code == 405


@pytest.mark.parametrize("persona", ["outsider", "agency_author", "other_review_member"])
def test_the_panel_page_does_not_exist_for_people_outside_the_review(
    client, request, lcspr_review, persona
):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(_url("panel", lcspr_review)).status_code == 404


def test_a_partner_lead_sees_the_review_but_not_its_panel_page(client, partner_lead, lcspr_review):
    client.force_login(partner_lead)
    assert client.get(_url("panel", lcspr_review)).status_code == 403


# --- adding a person -------------------------------------------------------------------------


def test_the_person_list_says_who_each_person_is(client, manager, lcspr_review, member_user):
    client.force_login(manager)
    body = client.get(_url("member_add", lcspr_review)).content.decode()
    assert "Penny Panel – Designated Safeguarding Lead, Riverside Primary School" in body


def test_the_manager_adds_a_panel_member_who_represents_their_own_agency_by_default(
    client, manager, lcspr_review, member_user, school
):
    client.force_login(manager)
    response = client.post(
        _url("member_add", lcspr_review),
        {"user": member_user.pk, "role": MemberRole.PANEL_MEMBER, "agency": ""},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == _url("panel", lcspr_review)
    body = response.content.decode()
    assert "Penny Panel has been added as panel member." in body
    membership = Membership.objects.get(review=lcspr_review, user=member_user)
    assert membership.agency == school and membership.added_by == manager

    client.force_login(member_user)
    assert client.get(reverse("reviews:detail", args=[lcspr_review.pk])).status_code == 200


def test_a_panel_member_may_represent_another_agency(
    client, manager, lcspr_review, member_user, police
):
    client.force_login(manager)
    client.post(
        _url("member_add", lcspr_review),
        {"user": member_user.pk, "role": MemberRole.PANEL_MEMBER, "agency": police.pk},
    )
    assert Membership.objects.get(user=member_user).agency == police


def test_the_manager_appoints_an_independent_author_with_the_appointment_details(
    client, manager, lcspr_review, independent_author
):
    client.force_login(manager)
    response = client.post(
        _url("member_add", lcspr_review),
        {
            "user": independent_author.pk,
            "role": MemberRole.AUTHOR,
            **_date("commissioned_on", COMMISSIONED),
            "contract_reference": "BSCP-2026-07",
            **_date("expected_delivery", DELIVERY),
        },
    )
    assert response.status_code == 302
    author = Membership.objects.get(user=independent_author)
    assert (author.role, author.commissioned_on, author.contract_reference) == (
        MemberRole.AUTHOR,
        COMMISSIONED,
        "BSCP-2026-07",
    )
    assert author.expected_delivery == DELIVERY
    assert author.history.first().history_user == manager
    kinds = set(lcspr_review.events.values_list("kind", flat=True))
    assert {"member_added", "author_appointment"} <= kinds


def test_an_author_needs_the_date_commissioned_and_nothing_is_stored_without_it(
    client, manager, lcspr_review, independent_author
):
    client.force_login(manager)
    response = client.post(
        _url("member_add", lcspr_review),
        {"user": independent_author.pk, "role": MemberRole.AUTHOR},
    )
    assert response.status_code == 200
    assert "Enter the date the author was commissioned" in response.content.decode()
    assert not Membership.objects.exists()


def test_a_chair_who_is_not_on_the_sub_group_is_refused_against_the_person(
    client, manager, lcspr_review, member_user
):
    client.force_login(manager)
    response = client.post(
        _url("member_add", lcspr_review),
        {"user": member_user.pk, "role": MemberRole.PANEL_CHAIR},
    )
    form = response.context["form"]
    assert "member of the LCSPR sub-group" in " ".join(form.errors["user"])
    assert 'href="#id_user"' in response.content.decode()
    assert not Membership.objects.exists()


def test_a_panel_member_without_an_agency_is_refused_against_the_agency(
    client, manager, lcspr_review, outsider
):
    client.force_login(manager)
    response = client.post(
        _url("member_add", lcspr_review),
        {"user": outsider.pk, "role": MemberRole.PANEL_MEMBER},
    )
    assert "Choose the agency" in " ".join(response.context["form"].errors["agency"])
    assert not Membership.objects.exists()


def test_nothing_is_chosen_and_each_field_says_so(client, manager, lcspr_review):
    client.force_login(manager)
    body = client.post(_url("member_add", lcspr_review), {}).content.decode()
    assert "Select the person to add" in body and "Select their role on the review" in body
    assert not Membership.objects.exists()


def test_nobody_joins_a_closed_review(client, manager, referral, member_user):
    from reviews.referral import services as review_services

    review_services.criteria_record(
        review=referral, by=manager, abuse_or_neglect="no", died_or_seriously_harmed="no"
    )
    review_services.review_close_not_notifiable(
        review=referral, by=manager, reason="Criteria not met"
    )
    client.force_login(manager)
    assert "nobody new can join it" in client.get(_url("member_add", referral)).content.decode()
    response = client.post(
        _url("member_add", referral),
        {"user": member_user.pk, "role": MemberRole.PANEL_MEMBER},
    )
    assert "nobody new can join it" in response.content.decode()
    assert not Membership.objects.exists()


def test_adding_refuses_a_delete(client, manager, lcspr_review):
    client.force_login(manager)
    assert client.delete(_url("member_add", lcspr_review)).status_code == 405


@pytest.mark.parametrize("persona", ["outsider", "agency_author", "other_review_member"])
def test_adding_does_not_exist_for_people_outside_the_review(
    client, request, lcspr_review, persona
):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(_url("member_add", lcspr_review)).status_code == 404


@pytest.mark.parametrize("persona", ["panel_chair", "panel_member", "subgroup_member"])
def test_only_the_business_unit_adds_people(client, request, lcspr_review, persona, member_user):
    client.force_login(request.getfixturevalue(persona))
    response = client.post(
        _url("member_add", lcspr_review),
        {"user": member_user.pk, "role": MemberRole.PANEL_MEMBER},
    )
    assert response.status_code == 403


# --- removing a person -----------------------------------------------------------------------


def test_removing_a_panel_member_immediately_ends_their_access(
    client, manager, lcspr_review, panel_member
):
    detail = reverse("reviews:detail", args=[lcspr_review.pk])
    client.force_login(panel_member)
    assert client.get(detail).status_code == 200

    membership = Membership.objects.get(user=panel_member)
    client.force_login(manager)
    confirm = client.get(_url("member_remove", lcspr_review, membership.pk)).content.decode()
    assert "Remove Penny Panel as panel member?" in confirm
    response = client.post(
        _url("member_remove", lcspr_review, membership.pk), {"reason": "Changed jobs"}, follow=True
    )
    assert "Penny Panel is no longer panel member. Their access to the review has ended." in (
        response.content.decode()
    )
    membership.refresh_from_db()
    assert membership.ended_by == manager and membership.end_reason == "Changed jobs"

    client.force_login(panel_member)
    assert client.get(detail).status_code == 404
    assert client.get(_url("panel", lcspr_review)).status_code == 404


def test_someone_with_another_role_on_the_review_keeps_access(
    client, manager, lcspr_review, chair_user
):
    chair_user.agency = lcspr_review.referring_agency
    chair_user.save()
    chair = _add(lcspr_review, manager, chair_user, MemberRole.PANEL_CHAIR)
    _add(lcspr_review, manager, chair_user, MemberRole.PANEL_MEMBER)
    client.force_login(manager)
    response = client.post(_url("member_remove", lcspr_review, chair.pk), {}, follow=True)
    assert "They keep their access to the review as panel member." in response.content.decode()


def test_a_reason_over_300_characters_is_refused_and_nothing_changes(
    client, manager, lcspr_review, panel_member
):
    membership = Membership.objects.get(user=panel_member)
    client.force_login(manager)
    response = client.post(
        _url("member_remove", lcspr_review, membership.pk), {"reason": "x" * 301}
    )
    assert "The reason must be 300 characters or fewer" in response.content.decode()
    membership.refresh_from_db()
    assert membership.is_active


def test_removing_someone_who_has_left_says_so(client, manager, lcspr_review, panel_member):
    membership = Membership.objects.get(user=panel_member)
    services.membership_end(membership=membership, by=manager)
    client.force_login(manager)
    url = _url("member_remove", lcspr_review, membership.pk)
    assert "left the review on" in client.get(url).content.decode()
    response = client.post(url, {})
    assert "This person has already left the review." in response.content.decode()


def test_a_membership_of_another_review_is_not_found(
    client, manager, lcspr_review, local_authority, member_user, partner_leads, independent_chair
):
    other = open_referral(manager, local_authority, pseudonym="Child U")
    to_rapid_review(other, manager)
    to_signed_off(other, manager, partner_leads)
    to_decided(to_sent(other, manager), independent_chair)
    membership = _add(other, manager, member_user, MemberRole.PANEL_MEMBER)
    client.force_login(manager)
    assert client.get(_url("member_remove", lcspr_review, membership.pk)).status_code == 404


def test_removing_refuses_a_put(client, manager, lcspr_review, panel_member):
    membership = Membership.objects.get(user=panel_member)
    client.force_login(manager)
    assert client.put(_url("member_remove", lcspr_review, membership.pk)).status_code == 405


@pytest.mark.parametrize("persona", ["outsider", "agency_author", "other_review_member"])
def test_removing_does_not_exist_for_people_outside_the_review(
    client, request, lcspr_review, panel_member, persona
):
    membership = Membership.objects.get(user=panel_member)
    client.force_login(request.getfixturevalue(persona))
    assert client.get(_url("member_remove", lcspr_review, membership.pk)).status_code == 404


def test_the_panel_chair_cannot_remove_a_member(client, lcspr_review, panel_chair, panel_member):
    membership = Membership.objects.get(user=panel_member)
    client.force_login(panel_chair)
    response = client.post(_url("member_remove", lcspr_review, membership.pk), {})
    assert response.status_code == 403
    membership.refresh_from_db()
    assert membership.is_active


# --- the author's appointment ------------------------------------------------------------------


def test_the_manager_changes_the_authors_appointment(
    client, manager, lcspr_review, appointed_author
):
    url = _url("author_edit", lcspr_review, appointed_author.pk)
    client.force_login(manager)
    page = client.get(url).content.decode()
    assert 'value="BSCP-2026-07"' in page
    later = datetime.date(2026, 10, 30)
    response = client.post(
        url,
        {
            **_date("commissioned_on", COMMISSIONED),
            "contract_reference": "BSCP-2026-07a",
            **_date("expected_delivery", later),
        },
        follow=True,
    )
    assert "Ivy Author&#x27;s appointment details have been saved." in response.content.decode()
    appointed_author.refresh_from_db()
    assert (appointed_author.contract_reference, appointed_author.expected_delivery) == (
        "BSCP-2026-07a",
        later,
    )
    assert lcspr_review.events.filter(
        kind="author_appointment", summary__contains="changed"
    ).exists()


def test_a_delivery_date_before_the_commission_is_refused_against_its_field(
    client, manager, lcspr_review, appointed_author
):
    client.force_login(manager)
    response = client.post(
        _url("author_edit", lcspr_review, appointed_author.pk),
        {
            **_date("commissioned_on", COMMISSIONED),
            **_date("expected_delivery", datetime.date(2026, 3, 1)),
        },
    )
    errors = response.context["form"].errors["expected_delivery"]
    assert "on or after the date commissioned" in " ".join(errors)
    appointed_author.refresh_from_db()
    assert appointed_author.expected_delivery == DELIVERY


def test_only_an_author_has_an_appointment(client, manager, lcspr_review, panel_member):
    membership = Membership.objects.get(user=panel_member)
    client.force_login(manager)
    assert client.get(_url("author_edit", lcspr_review, membership.pk)).status_code == 404


def test_the_appointment_refuses_a_delete(client, manager, lcspr_review, appointed_author):
    client.force_login(manager)
    url = _url("author_edit", lcspr_review, appointed_author.pk)
    assert client.delete(url).status_code == 405


@pytest.mark.parametrize("persona", ["outsider", "agency_author", "other_review_member"])
def test_the_appointment_does_not_exist_for_people_outside_the_review(
    client, request, lcspr_review, appointed_author, persona
):
    client.force_login(request.getfixturevalue(persona))
    url = _url("author_edit", lcspr_review, appointed_author.pk)
    assert client.get(url).status_code == 404


def test_the_author_cannot_change_their_own_appointment(
    client, lcspr_review, appointed_author, independent_author
):
    client.force_login(independent_author)
    url = _url("author_edit", lcspr_review, appointed_author.pk)
    assert client.get(url).status_code == 403


def test_a_panel_member_finds_their_review_on_the_home_page(client, lcspr_review, panel_member):
    client.force_login(panel_member)
    body = client.get("/").content.decode()
    assert "Reviews you work on" in body
    assert f"/reviews/{lcspr_review.pk}/" in body
    assert lcspr_review.reference in body
