import pytest
from django.core.management import call_command
from django.utils import timezone

from reviews import demo
from reviews.clocks.models import DeadlineKind
from reviews.decision.models import NationalNotice, Outcome
from reviews.decision.services import outstanding_notices
from reviews.models import Review, Stage
from reviews.rapid_review.models import AgencySummaryRequest
from reviews.referral.selectors import other_reviews

pytestmark = pytest.mark.django_db


def _by_pseudonym():
    return {r.pseudonym: r for r in Review.objects.all()}


def test_the_demo_has_a_fictional_review_at_each_stage(capsys):
    call_command("seed_demo")
    reviews = _by_pseudonym()

    referral = reviews["Child A"]
    assert referral.stage == Stage.REFERRAL and not referral.criteria_checked
    assert reviews["Child B"].stage == Stage.CLOSED and not reviews["Child B"].criteria_met
    # The new referral's household was in the closed one: the demo shows a match.
    found = other_reviews(referral, visible=Review.objects.all(), details=True)
    assert [other.review for other in found] == [reviews["Child B"]]
    assert found[0].matches[0].explained == (
        "Same surname and address, similar first name (Hayley/Haley)"
    )

    rapid = reviews["Child C"]
    assert rapid.stage == Stage.RAPID_REVIEW
    summaries = {s.agency.name: s for s in rapid.agency_summaries.all()}
    assert summaries["Riverside Primary School"].received_on is not None
    assert summaries["Riverside Primary School"].submitted_by.email.startswith("school.rep@")
    assert summaries["Northbridge Hospitals NHS Trust"].received_on is None
    assert rapid.rapid_review.meetings.exists() and rapid.rapid_review.immediate_actions.exists()

    waiting = reviews["Child D"]
    assert waiting.stage == Stage.AWAITING_DECISION
    assert waiting.rapid_review.sign_offs.count() == 3 and waiting.rapid_review.sent_to_panel_on

    lcspr = reviews["Child E"]
    assert lcspr.stage == Stage.LCSPR
    assert NationalNotice.objects.filter(review=lcspr).count() == 1
    assert len(outstanding_notices(lcspr)) == 2

    closed = reviews["Child F"]
    assert closed.stage == Stage.CLOSED
    assert closed.decisions.get().outcome == Outcome.NO_FURTHER_ACTION

    other = reviews["Child G"]
    assert other.stage == Stage.OTHER_LEARNING and other.other_learning.closed_on is None

    assert "Demo reviews: 7 fictional cases" in capsys.readouterr().out


def test_the_demo_clocks_show_items_due_soon_and_overdue():
    call_command("seed_demo")
    reviews = _by_pseudonym()
    today = timezone.localdate()
    notification = reviews["Child A"].deadlines.get(kind=DeadlineKind.NOTIFICATION)
    assert notification.due_date >= today and notification.met_on is None
    rapid = reviews["Child C"].deadlines.get(kind=DeadlineKind.RAPID_REVIEW)
    assert rapid.due_date < today and rapid.met_on is None
    assert AgencySummaryRequest.objects.filter(received_on__isnull=True, due_date__gte=today)


def test_the_demo_dates_are_never_in_the_future():
    call_command("seed_demo")
    today = timezone.localdate()
    for review in Review.objects.all():
        assert review.incident_date <= review.la_aware_date <= today
        for decision in review.decisions.all():
            assert decision.decided_on <= today


def test_running_the_demo_twice_changes_nothing():
    call_command("seed_demo")
    count = Review.objects.count()
    call_command("seed_demo")
    # Seven cases from referral to decision, and the commissioned one from panels/demo.py.
    assert Review.objects.count() == count == 8


def test_the_reviews_demo_skips_cases_it_already_made():
    call_command("seed_demo")
    said = []
    demo.seed(said.append)
    assert said == ["Demo reviews are already loaded."]
    assert Review.objects.count() == 8
