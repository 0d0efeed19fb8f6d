"""The review page runs a fixed number of queries at every stage, however much the review holds
(children, agency summaries, decisions, panel members, chronologies, actions) and whichever apps
extend its task list: each section loads what it reads in bulk (docs/adr/0006)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from chronologies import services as chronology_services
from chronologies.models import ChronologyRequest
from lcspr.accounts.models import Role, User
from panels.models import MemberRole
from panels.services import membership_add
from reviews import selectors
from reviews.rapid_review import services as rapid_review_services
from reviews.referral import services as referral_services
from reviews.tasklist import build
from reviews.terms import services as tor
from tests.actions.conftest import add_action
from tests.factories import AgencyFactory, UserFactory
from tests.helpers import query_count
from tests.reviews.conftest import (
    open_referral,
    to_decided,
    to_rapid_review,
    to_sent,
    to_signed_off,
)

pytestmark = pytest.mark.django_db

# The ceiling for the page's own reading: the selector, every section and the permission facts.
# Issue 21 asks for 15; the adults a review is about (one prefetch, since issue 22) made it 16 for
# the sub-group and the author at the LCSPR stage (docs/performance.md).
MAX_QUERIES = 16
# What every signed-in page of a review runs besides: the session (read, and saved), the user and
# their roles, the navigation's counts (one more for some roles), the legal-hold banner and the
# access log.
PER_REQUEST = 12
D = datetime.date


def _children(review, manager, n):
    for i in range(n):
        referral_services.child_add(
            review=review, by=manager, name=f"Fictional Child {i}", sex="female"
        )


def _summaries(review, manager, agencies):
    due = timezone.localdate() + datetime.timedelta(days=10)
    for agency in agencies:
        rapid_review_services.agency_summary_request(
            review=review, by=manager, agency=agency, due_date=due
        )


def _rich_lcspr(review, manager, subgroup_member, independent_author, agencies):
    """An LCSPR with a panel, agreed Terms of Reference, a chronology per agency, a draft, and
    an action per agency."""
    membership_add(review=review, by=manager, user=subgroup_member, role=MemberRole.PANEL_CHAIR)
    membership_add(review=review, by=manager, user=independent_author, role=MemberRole.AUTHOR)
    terms = tor.tor_start(review=review, by=manager)
    tor.tor_update(
        terms=terms,
        by=manager,
        agencies=agencies,
        period_start=D(2025, 1, 1),
        period_end=D(2026, 3, 2),
        methodology="Systems review.",
    )
    tor.kloes_set(terms=terms, by=manager, texts=["Voice of the child"])
    tor.tor_share(terms=terms, by=manager)
    tor.tor_agree(terms=terms, by=subgroup_member)
    chronology_services.requests_create_from_terms(
        review=review, by=manager, due_date=timezone.localdate() + datetime.timedelta(days=28)
    )
    for agency in agencies:
        add_action(review, manager, agency)


def _more(review, manager, stage):
    """Grow the review: more of every kind of row its page lists at `stage`."""
    agencies = [AgencyFactory(name=f"Fictional Grown Agency {stage} {i}") for i in range(4)]
    _children(review, manager, 2)
    if stage == "rapid_review":
        _summaries(review, manager, agencies)
    if stage == "lcspr":
        for i, agency in enumerate(agencies):
            member = UserFactory(agency=agency, roles=[Role.AGENCY_REPRESENTATIVE])
            membership_add(review=review, by=manager, user=member, role=MemberRole.PANEL_MEMBER)
            ChronologyRequest.objects.create(
                review=review,
                agency=agency,
                due_date=D(2027, 1, 29),
                period_start=D(2025, 1, 1),
                period_end=D(2026, 3, 2),
                requested_by=manager,
            )
            add_action(review, manager, agency, text=f"Fictional grown action {i}.")


@pytest.fixture
def stages(
    manager,
    local_authority,
    school,
    police,
    partner_leads,
    independent_chair,
    subgroup_member,
    independent_author,
):
    """A review at each stage, with a little of everything its page lists."""
    referral = open_referral(manager, local_authority, pseudonym="Child R")
    _children(referral, manager, 1)
    rapid = to_rapid_review(open_referral(manager, local_authority, pseudonym="Child S"), manager)
    _children(rapid, manager, 1)
    _summaries(rapid, manager, [school])
    awaiting = to_sent(
        to_signed_off(
            to_rapid_review(open_referral(manager, local_authority, pseudonym="Child A"), manager),
            manager,
            partner_leads,
        ),
        manager,
    )
    lcspr = to_decided(
        to_sent(
            to_signed_off(
                to_rapid_review(
                    open_referral(manager, local_authority, pseudonym="Child L"), manager
                ),
                manager,
                partner_leads,
            ),
            manager,
        ),
        independent_chair,
    )
    _rich_lcspr(lcspr, manager, subgroup_member, independent_author, [school, police])
    return {
        "referral": referral,
        "rapid_review": rapid,
        "awaiting_decision": awaiting,
        "lcspr": lcspr,
    }


def _page_queries(user, review) -> int:
    """The queries of the page's own reading: the selector, the task list, the person's
    permission facts (a fresh user: nothing loaded yet but the session's user and roles)."""
    user = User.objects.get(pk=user.pk)
    user.roles  # noqa: B018 - loaded with the session's user on every page
    with CaptureQueriesContext(connection) as captured:
        build(user, selectors.review_page(review))
    return len(captured)


# Who sees a review at each stage: the statutory roles throughout, the sub-group (here the panel
# chair) and the author once it is an LCSPR.
SEEN_BY = [
    ("referral", "manager"),
    ("referral", "independent_chair"),
    ("rapid_review", "manager"),
    ("rapid_review", "partner_lead"),
    ("awaiting_decision", "manager"),
    ("awaiting_decision", "independent_chair"),
    ("lcspr", "manager"),
    ("lcspr", "independent_chair"),
    ("lcspr", "subgroup_member"),
    ("lcspr", "independent_author"),
]


@pytest.mark.parametrize(("stage", "persona"), SEEN_BY)
def test_the_review_page_runs_a_fixed_number_of_queries_at_every_stage(
    client, stages, stage, persona, manager, request
):
    user = request.getfixturevalue(persona)
    review = stages[stage]
    url = reverse("reviews:detail", args=[review.pk])
    client.force_login(user)
    query_count(client, url)
    small, small_page = query_count(client, url), _page_queries(user, review)
    _more(review, manager, stage)
    query_count(client, url)
    large, large_page = query_count(client, url), _page_queries(user, review)
    print(
        f"\n{stage} as {persona}: page {small_page} then {large_page} queries; "
        f"whole GET {small} then {large}"
    )
    assert (small, small_page) == (large, large_page), "a query per row somewhere"
    assert large_page <= MAX_QUERIES
    assert large <= MAX_QUERIES + PER_REQUEST


def test_the_queue_and_the_page_agree(stages, manager):
    """One source of truth: the pages loaded together give each review the task list its own
    page gives it."""
    reviews = list(stages.values())
    together = selectors.review_pages(reviews)
    for review, page in zip(reviews, together, strict=True):
        assert build(manager, page) == build(manager, selectors.review_page(review))
