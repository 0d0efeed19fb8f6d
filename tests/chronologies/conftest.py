"""Chronology fixtures: an LCSPR with agreed Terms of Reference and requests to two agencies."""

import datetime

import pytest
from django.utils import timezone

from chronologies import services as chronology_services
from lcspr.accounts.models import Role
from reviews.terms import services as tor
from tests.factories import UserFactory
from tests.reviews.conftest import *  # noqa: F403 - the review fixtures chronologies build on


@pytest.fixture
def agreed_review(lcspr_review, manager, subgroup_member, school, police):
    from panels.services import membership_add

    membership_add(review=lcspr_review, by=manager, user=subgroup_member, role="panel_chair")
    terms = tor.tor_start(review=lcspr_review, by=manager)
    tor.tor_update(
        terms=terms,
        by=manager,
        agencies=[school, police],
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2026, 3, 2),
        methodology="Systems review.",
    )
    tor.kloes_set(terms=terms, by=manager, texts=["Voice of the child", "Escalation"])
    tor.tor_share(terms=terms, by=manager)
    tor.tor_agree(terms=terms, by=subgroup_member)
    return lcspr_review


@pytest.fixture
def chronology_requests(agreed_review, manager):
    due = timezone.localdate() + datetime.timedelta(days=28)
    return {
        r.agency.name: r
        for r in chronology_services.requests_create_from_terms(
            review=agreed_review, by=manager, due_date=due
        )
    }


@pytest.fixture
def school_request(chronology_requests, school):
    return chronology_requests[school.name]


@pytest.fixture
def police_request(chronology_requests, police):
    return chronology_requests[police.name]


@pytest.fixture
def school_author(school_request, agency_author):
    """The school representative, named as the school chronology's author."""
    chronology_services.authors_set(
        request=school_request, by=agency_author, authors=[agency_author]
    )
    return agency_author


@pytest.fixture
def panel_member(agreed_review, manager, school):
    from panels.services import membership_add

    user = UserFactory(full_name="Pia Panel", agency=school, roles=[Role.AGENCY_REPRESENTATIVE])
    membership_add(review=agreed_review, by=manager, user=user, role="panel_member")
    return user
