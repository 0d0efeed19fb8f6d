"""No open clock that nothing can close: for every review the demo, the test fixtures and
seed_scale produce, at every stage they reach, each open clock has a step that can still meet
it or remove it."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from lcspr.core.management.commands.seed_scale import seed
from lcspr.core.scale import ScalePlan
from reviews.clocks.models import DeadlineKind
from reviews.clocks.reachability import CLOSERS, stranded_clocks
from reviews.decision.models import Outcome
from reviews.models import Review, Stage, Trigger
from reviews.referral import services as referral_services
from tests.reviews.conftest import (
    NOTIFIED,
    open_referral,
    to_agreed,
    to_decided,
    to_rapid_review,
    to_sent,
    to_signed_off,
)

pytestmark = pytest.mark.django_db


def _stranded(reviews) -> dict[str, list[str]]:
    return {str(r): found for r in reviews if (found := stranded_clocks(r))}


def test_every_kind_of_clock_names_the_step_that_closes_it():
    assert set(CLOSERS) == set(DeadlineKind.values)


def test_no_clock_of_the_demo_partnership_is_stranded():
    call_command("seed_demo", stdout=io.StringIO())
    reviews = list(Review.objects.all())
    assert len(reviews) > 5
    assert _stranded(reviews) == {}


def test_no_clock_is_stranded_at_any_stage_the_fixtures_reach(
    manager, local_authority, partner_leads
):
    def fresh(name):
        return open_referral(manager, local_authority, pseudonym=name)

    reviews = [
        fresh("Child A"),
        to_rapid_review(fresh("Child B"), manager),
        to_signed_off(to_rapid_review(fresh("Child C"), manager), manager, partner_leads),
        to_sent(
            to_signed_off(to_rapid_review(fresh("Child E"), manager), manager, partner_leads),
            manager,
        ),
    ]
    death = open_referral(
        manager, local_authority, pseudonym="Child D", trigger=Trigger.LOOKED_AFTER_DEATH
    )
    referral_services.criteria_record(
        review=death, by=manager, abuse_or_neglect="no", died_or_seriously_harmed="yes"
    )
    referral_services.review_close_not_notifiable(review=death, by=manager, reason="No abuse.")
    reviews.append(death)
    for review in reviews:
        review.refresh_from_db()
    assert {r.stage for r in reviews} == {
        Stage.REFERRAL,
        Stage.RAPID_REVIEW,
        Stage.AWAITING_DECISION,
        Stage.CLOSED,
    }
    assert _stranded(reviews) == {}


@pytest.mark.parametrize("outcome", list(Outcome))
def test_no_clock_is_stranded_after_any_decision(
    awaiting_decision, independent_chair, partner_leads, outcome
):
    """Whether the outcome takes effect at once (the partners' recommendation) or once the
    partners agree, and while it waits for them."""
    review = to_decided(awaiting_decision, independent_chair, outcome=outcome)
    assert stranded_clocks(review) == []
    if review.decisions.get().outcome != Outcome.LCSPR:
        review = to_agreed(review, partner_leads)
        assert stranded_clocks(review) == []


def test_a_review_closed_before_the_partners_were_informed_can_still_record_it(
    awaiting_decision, independent_chair, manager, partner_leads
):
    """No further action (agreed by the partners) closes the review; the partners' clock stays
    open, and recording the date still closes it."""
    review = to_decided(
        awaiting_decision,
        independent_chair,
        outcome=Outcome.NO_FURTHER_ACTION,
        leads=partner_leads,
    )
    assert review.stage == Stage.CLOSED
    assert review.deadlines.get(kind=DeadlineKind.PARTNERS_INFORMED).is_open
    referral_services.partners_informed_record(review=review, by=manager, informed_on=NOTIFIED)
    assert review.deadlines.get(kind=DeadlineKind.PARTNERS_INFORMED).met_on == NOTIFIED


def test_no_clock_of_seed_scale_is_stranded():
    plan = seed(
        ScalePlan(
            reviews=30,
            chronology_entries=40,
            actions=40,
            users=24,
            agencies=8,
            notifications=0,
            log=lambda _line: None,
        )
    )
    reviews = list(Review.objects.all())
    assert len(reviews) >= plan.reviews
    assert _stranded(reviews) == {}


def test_the_death_notice_is_reminded_after_the_referral_closes(manager, local_authority):
    from reviews.reminders import deadline_items

    death = open_referral(
        manager, local_authority, pseudonym="Child D", trigger=Trigger.LOOKED_AFTER_DEATH
    )
    referral_services.criteria_record(
        review=death, by=manager, abuse_or_neglect="no", died_or_seriously_harmed="yes"
    )
    referral_services.review_close_not_notifiable(review=death, by=manager, reason="No abuse.")
    due = death.deadlines.get(kind=DeadlineKind.LOOKED_AFTER_DEATH).due_date
    titles = [item.title for item in deadline_items(due)]
    assert "Notify the DfE and Ofsted of a looked-after child's death" in titles


def test_the_partners_page_takes_the_date_on_a_review_closed_before_it_was_recorded(
    client, awaiting_decision, independent_chair, manager, partner_leads
):
    """The step the reachability rule counts on is there in the pages too, not only in the
    service; once recorded on a closed review, the date no longer changes."""
    review = to_decided(
        awaiting_decision,
        independent_chair,
        outcome=Outcome.NO_FURTHER_ACTION,
        leads=partner_leads,
    )
    client.force_login(manager)
    url = reverse("reviews:partners_informed", args=[review.pk])
    form = {"informed_on_0": "6", "informed_on_1": "3", "informed_on_2": "2026"}
    response = client.post(url, form, follow=True)
    assert "Date the safeguarding partners were informed saved" in response.content.decode()
    assert review.deadlines.get(kind=DeadlineKind.PARTNERS_INFORMED).met_on == NOTIFIED
    page = client.get(url).content.decode()
    assert "The review is closed and the date is recorded: it no longer changes." in page
