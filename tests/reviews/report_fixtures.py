"""The people of one LCSPR's report and of another review, for report, publication
and action-plan tests: `from tests.reviews.report_fixtures import *` in a test module."""

import pytest

from lcspr.accounts.models import Role
from panels.models import MemberRole
from panels.services import membership_add
from tests.factories import UserFactory
from tests.reviews.conftest import (
    open_referral,
    to_decided,
    to_rapid_review,
    to_sent,
    to_signed_off,
)

__all__ = ["panel_chair", "panel_member", "author", "elsewhere", "other_review"]


@pytest.fixture
def panel_chair(lcspr_review, manager):
    """The review's panel chair (a sub-group member)."""
    user = UserFactory(full_name="Chris Chairperson", roles=[Role.SUBGROUP_MEMBER])
    membership_add(review=lcspr_review, by=manager, user=user, role=MemberRole.PANEL_CHAIR)
    return user


@pytest.fixture
def panel_member(lcspr_review, manager, school):
    """A panel member for the school (an agency representative)."""
    user = UserFactory(full_name="Penny Panel", agency=school, roles=[Role.AGENCY_REPRESENTATIVE])
    membership_add(review=lcspr_review, by=manager, user=user, role=MemberRole.PANEL_MEMBER)
    return user


@pytest.fixture
def author(lcspr_review, manager, independent_author):
    """The review's independent author."""
    membership_add(review=lcspr_review, by=manager, user=independent_author, role=MemberRole.AUTHOR)
    return independent_author


@pytest.fixture
def other_review(manager, local_authority, partner_leads, independent_chair):
    """Another LCSPR ("Child U")."""
    other = open_referral(manager, local_authority, pseudonym="Child U")
    other = to_rapid_review(other, manager)
    other = to_sent(to_signed_off(other, manager, partner_leads), manager)
    return to_decided(other, independent_chair)


@pytest.fixture
def elsewhere(other_review, manager, police):
    """The author and a panel member (police) of another LCSPR: outsiders to this one."""
    other_author = UserFactory(full_name="Ola Otherauthor", roles=[Role.INDEPENDENT_AUTHOR])
    other_member = UserFactory(
        full_name="Mo Othermember", agency=police, roles=[Role.AGENCY_REPRESENTATIVE]
    )
    membership_add(review=other_review, by=manager, user=other_author, role=MemberRole.AUTHOR)
    membership_add(review=other_review, by=manager, user=other_member, role=MemberRole.PANEL_MEMBER)
    return [other_author, other_member]
