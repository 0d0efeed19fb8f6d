"""The benchmark's chronologies (chronologies/scale.py) hold together as the services would
have made them: one request per agency in scope, entries inside the period and numbered from one,
a version kept for each submission, authors from the agency, history for every row, and the
two measured reviews holding exactly the entries asked for."""

import pytest
from django.db.models import Count, Max, Min

from chronologies import selectors
from chronologies.models import ChronologyRequest, Entry, RequestStatus, Submission
from lcspr.accounts.models import Role
from lcspr.core.management.commands.seed_scale import seed
from lcspr.core.scale import ScalePlan

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    return seed(
        ScalePlan(
            reviews=8,
            chronology_entries=400,
            actions=30,
            users=24,
            agencies=8,
            big_chronology=120,
            pdf_chronology=60,
            notifications=0,
            log=lambda _line: None,
        )
    )


def test_each_lcspr_asks_each_agency_in_its_scope_once(plan):
    made = plan.made
    asked = {(r.review_id, r.agency_id) for r in ChronologyRequest.objects.all()}
    expected = {(review.pk, a.pk) for review in made["lcsprs"] for a in made["in_scope"][review.pk]}
    assert asked == expected
    assert ChronologyRequest.objects.count() == len(expected)


def test_entries_fall_in_their_periods_and_are_numbered_from_one(plan):
    for request in ChronologyRequest.objects.annotate(
        n=Count("entries"),
        first=Min("entries__sequence"),
        last=Max("entries__sequence"),
        earliest=Min("entries__date"),
        latest=Max("entries__date"),
    ).filter(n__gt=0):
        assert (request.first, request.last) == (1, request.n)
        assert request.period_start <= request.earliest <= request.latest <= request.period_end


def test_the_entries_asked_for_are_made_and_the_measured_reviews_hold_theirs(plan):
    made = plan.made
    assert Entry.objects.count() == plan.chronology_entries
    for review, expected in ((made["big_review"], 120), (made["pdf_review"], 60)):
        assert set(review.chronologies.values_list("status", flat=True)) == {RequestStatus.ACCEPTED}
        assert len(selectors.merged_entries(review).entries) == expected
    assert not Entry.objects.filter(request__status=RequestStatus.DRAFT).exists()


def test_every_submitted_chronology_has_its_version_and_drafts_none(plan):
    for request in ChronologyRequest.objects.prefetch_related("submissions"):
        versions = list(request.submissions.all())
        if request.status == RequestStatus.DRAFT:
            assert versions == [] and request.submitted_at is None
            continue
        [version] = versions
        assert version.version == 1
        assert version.entry_count == request.entries.count()
        assert version.submitted_at == request.submitted_at
        accepted = request.status == RequestStatus.ACCEPTED
        assert (version.outcome == "accepted") is accepted
        assert (request.accepted_at is not None) is accepted
        assert request.submitted_at <= (request.accepted_at or request.submitted_at)


def test_the_authors_are_representatives_of_the_agency(plan):
    for request in ChronologyRequest.objects.prefetch_related("authors__role_assignments"):
        for author in request.authors.all():
            assert author.agency_id == request.agency_id
            assert author.has_role(Role.AGENCY_REPRESENTATIVE)


def test_every_row_has_its_history_as_if_a_service_wrote_it(plan):
    assert ChronologyRequest.history.filter(history_type="+").count() == (
        ChronologyRequest.objects.count()
    )
    assert Entry.history.filter(history_type="+").count() == Entry.objects.count()
    assert Submission.history.filter(history_type="+").count() == Submission.objects.count()


def test_the_reviewer_comments_are_on_the_big_reviews_accepted_entries(plan):
    big = plan.made["big_review"]
    commented = Entry.objects.filter(reviewer_comments__isnull=False).distinct()
    assert commented.exists()
    assert set(commented.values_list("request__review_id", flat=True)) == {big.pk}
    assert set(commented.values_list("request__status", flat=True)) == {RequestStatus.ACCEPTED}
