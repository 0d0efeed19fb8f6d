"""Every role reaches its reviews from the header navigation, and the list shows each person
the reviews they may see."""

import pytest
from django.urls import reverse

from lcspr.core.permissions import grant
from tests.reviews.conftest import open_referral

pytestmark = pytest.mark.django_db

NAV_LINK = f'<a class="govuk-service-navigation__link" href="{reverse("reviews:list")}">Reviews</a>'


def _signed_in(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def other_referral(manager, local_authority):
    return open_referral(manager, local_authority, pseudonym="Child Q")


@pytest.mark.parametrize(
    "persona", ["independent_chair", "subgroup_member", "executive_member", "independent_author"]
)
def test_every_review_role_has_reviews_in_the_navigation(client, request, persona, lcspr_review):
    user = request.getfixturevalue(persona)
    if persona == "independent_author":
        grant(user, "view_case", lcspr_review)
    home = _signed_in(client, user).get(reverse("core:home")).content.decode()
    assert NAV_LINK in home
    response = client.get(reverse("reviews:list"))
    assert response.status_code == 200
    assert lcspr_review.reference in response.content.decode()


@pytest.mark.parametrize("persona", ["subgroup_member", "executive_member"])
def test_the_oversight_roles_list_the_lcsprs_but_not_referrals(
    client, request, persona, lcspr_review, other_referral
):
    html = _signed_in(client, request.getfixturevalue(persona)).get(reverse("reviews:list"))
    html = html.content.decode()
    assert lcspr_review.reference in html
    assert other_referral.reference not in html
    assert "Record a referral" not in html


def test_an_author_lists_only_the_review_they_write(
    client, independent_author, lcspr_review, other_referral
):
    grant(independent_author, "view_case", lcspr_review)
    html = _signed_in(client, independent_author).get(reverse("reviews:list")).content.decode()
    assert lcspr_review.reference in html
    assert other_referral.reference not in html


def test_a_panel_member_without_a_review_role_lists_their_review(
    client, agency_author, lcspr_review, other_referral
):
    grant(agency_author, "view_case", lcspr_review)
    home = _signed_in(client, agency_author).get(reverse("core:home")).content.decode()
    assert NAV_LINK in home
    html = client.get(reverse("reviews:list")).content.decode()
    assert lcspr_review.reference in html
    assert other_referral.reference not in html


@pytest.mark.parametrize("persona", ["outsider", "agency_author"])
def test_people_who_see_no_review_have_no_reviews_link(client, request, persona, referral):
    home = _signed_in(client, request.getfixturevalue(persona)).get(reverse("core:home"))
    assert NAV_LINK not in home.content.decode()
    assert client.get(reverse("reviews:list")).status_code == 403
