"""A met clock is history; an open clock follows the rules and the calendar the moment they
change; no decision can strand the rapid review's clock. Driven through the services with real
dates (the fixtures' case: aware Tuesday 3 March 2026, notified Friday 6 March 2026)."""

import datetime

import pytest
from django.urls import reverse

from lcspr.core import closures
from lcspr.core.exceptions import WorkflowError
from lcspr.core.models import ClosureDay
from reviews.clocks import services as clock_services
from reviews.clocks.models import DeadlineKind
from reviews.decision import services as decision_services
from reviews.decision.models import Outcome
from reviews.referral import services as referral_services
from tests.reviews.conftest import DECIDED, SENT, open_referral, to_sent

D = datetime.date


def due(review, kind):
    return review.deadlines.get(kind=kind)


# --- the decision needs the rapid review sent ------------------------------------------------


def test_the_chair_cannot_decide_before_the_rapid_review_is_sent(signed_off, independent_chair):
    with pytest.raises(WorkflowError, match="Record the date the rapid review was sent"):
        decision_services.decision_record(
            review=signed_off,
            by=independent_chair,
            outcome=Outcome.LCSPR,
            rationale="The criteria are met.",
            decided_on=DECIDED,
        )
    assert not signed_off.decisions.exists()
    # The clock is still open and can still be met: the send is still allowed.
    assert due(signed_off, DeadlineKind.RAPID_REVIEW).is_open


def test_the_decision_page_says_what_is_missing(client, signed_off, independent_chair):
    client.force_login(independent_chair)
    body = client.get(reverse("reviews:decision", args=[signed_off.pk])).content.decode()
    assert (
        "Record the date the rapid review was sent to the National Panel before the decision."
        in body
    )


def test_a_decision_cannot_predate_the_sending(signed_off, manager, independent_chair):
    review = to_sent(signed_off, manager)
    with pytest.raises(WorkflowError) as refused:
        decision_services.decision_record(
            review=review,
            by=independent_chair,
            outcome=Outcome.LCSPR,
            rationale="The criteria are met.",
            decided_on=SENT - datetime.timedelta(days=1),
        )
    assert "before the rapid review was sent to the National Panel (20 March 2026)" in str(
        refused.value.message_dict["decided_on"]
    )


def test_after_the_decision_no_clock_of_the_rapid_review_is_left_open(lcspr_review):
    rapid = due(lcspr_review, DeadlineKind.RAPID_REVIEW)
    assert rapid.met_on == SENT


# --- clock settings: open clocks move, met clocks do not --------------------------------------


def test_a_settings_change_never_rewrites_a_met_clock(in_rapid_review, manager):
    notification = due(in_rapid_review, DeadlineKind.NOTIFICATION)
    assert (notification.due_date, notification.met_on) == (D(2026, 3, 10), D(2026, 3, 6))
    moved = clock_services.clock_settings_update(by=manager, notification_days=1)
    notification.refresh_from_db()
    # Met on time against 5 working days; it stays met on time, not "late" against 1.
    assert notification.due_date == D(2026, 3, 10)
    assert notification.met_on == D(2026, 3, 6)
    assert moved == 0


def test_a_settings_change_moves_open_clocks_and_says_so_on_the_timeline(in_rapid_review, manager):
    moved = clock_services.clock_settings_update(by=manager, rapid_review_days=20)
    assert moved == 1
    # Notified Friday 6 March 2026 + 20 working days, skipping Good Friday and Easter Monday.
    assert due(in_rapid_review, DeadlineKind.RAPID_REVIEW).due_date == D(2026, 4, 7)
    event = in_rapid_review.events.get(kind="clocks_recomputed")
    assert event.summary == (
        "Due dates recomputed (the clock settings changed): Send the rapid review to the "
        "National Panel: 27 March 2026 to 7 April 2026"
    )


def test_the_settings_page_counts_the_reviews_whose_dates_moved(
    client, manager, in_rapid_review, local_authority
):
    referral = open_referral(manager, local_authority, pseudonym="Child U")
    client.force_login(manager)
    data = {
        "notification_days": 5,
        "notification_start": "awareness",
        "partners_informed_days": 5,
        "looked_after_death_days": 5,
        "rapid_review_days": 20,
        "rapid_review_start": "notification",
        "national_notice_days": 5,
        "tor_agreement_days": 20,
        "checkpoint_interval_months": 1,
        "completion_months": 6,
        "pre_publication_days": 7,
        "publication_online_months": 12,
    }
    body = client.post(reverse("reviews:clock_settings"), data, follow=True).content.decode()
    assert "Open due dates moved on 1 review" in body
    assert not referral.events.filter(kind="clocks_recomputed").exists()


# --- the partnership's calendar -----------------------------------------------------------------


def test_a_closure_day_moves_every_open_clock_at_once(in_rapid_review, manager):
    assert due(in_rapid_review, DeadlineKind.RAPID_REVIEW).due_date == D(2026, 3, 27)
    closures.closure_day_add(by=manager, date=D(2026, 3, 16), reason="Council closure")
    assert due(in_rapid_review, DeadlineKind.RAPID_REVIEW).due_date == D(2026, 3, 30)
    # The notification was met before the closure day existed: history, untouched.
    assert due(in_rapid_review, DeadlineKind.NOTIFICATION).due_date == D(2026, 3, 10)
    event = in_rapid_review.events.get(kind="clocks_recomputed")
    assert "(closure day 16 March 2026 added)" in event.summary
    assert "27 March 2026 to 30 March 2026" in event.summary

    closures.closure_day_remove(by=manager, day=ClosureDay.objects.get(date=D(2026, 3, 16)))
    assert due(in_rapid_review, DeadlineKind.RAPID_REVIEW).due_date == D(2026, 3, 27)
    assert in_rapid_review.events.filter(kind="clocks_recomputed").count() == 2


def test_a_closure_day_after_every_open_clock_moves_nothing(in_rapid_review, manager):
    closures.closure_day_add(by=manager, date=D(2026, 12, 29), reason="Council closure")
    assert not in_rapid_review.events.filter(kind="clocks_recomputed").exists()


@pytest.mark.parametrize(
    "day, reason, field, message",
    [
        (D(2026, 3, 14), "Closed", "date", "14 March 2026 is a weekend day"),
        (D(2026, 12, 25), "Closed", "date", "25 December 2026 is already a bank holiday"),
        (D(2026, 3, 16), "  ", "reason", "Enter why the partnership is closed that day"),
    ],
)
def test_a_closure_day_that_cannot_be_is_refused_and_nothing_moves(
    in_rapid_review, manager, day, reason, field, message
):
    with pytest.raises(WorkflowError) as refused:
        closures.closure_day_add(by=manager, date=day, reason=reason)
    assert message in refused.value.message_dict[field][0]
    assert not ClosureDay.objects.exists()
    assert due(in_rapid_review, DeadlineKind.RAPID_REVIEW).due_date == D(2026, 3, 27)


def test_the_same_closure_day_twice_is_refused(manager, in_rapid_review):
    closures.closure_day_add(by=manager, date=D(2026, 3, 16), reason="Council closure")
    with pytest.raises(WorkflowError, match="already a bank holiday or a closure day"):
        closures.closure_day_add(by=manager, date=D(2026, 3, 16), reason="Again")
    assert ClosureDay.objects.count() == 1


# --- corrections of the dates a clock counts from ---------------------------------------------


def test_awareness_cannot_be_corrected_to_after_the_notification(in_rapid_review, manager):
    with pytest.raises(WorkflowError) as refused:
        referral_services.review_update_details(
            review=in_rapid_review, by=manager, la_aware_date=D(2026, 3, 9)
        )
    assert (
        "on or before the day the National Panel was notified (6 March 2026)"
        in (refused.value.message_dict["la_aware_date"][0])
    )
    in_rapid_review.refresh_from_db()
    assert in_rapid_review.la_aware_date == D(2026, 3, 3)


def test_correcting_awareness_recomputes_the_met_clock_that_counts_from_it(
    in_rapid_review, manager
):
    referral_services.review_update_details(
        review=in_rapid_review, by=manager, la_aware_date=D(2026, 3, 2)
    )
    notification = due(in_rapid_review, DeadlineKind.NOTIFICATION)
    # A correction changes what the clock always should have been: 5 working days from Monday.
    assert (notification.counted_from, notification.due_date) == (D(2026, 3, 2), D(2026, 3, 9))
    assert notification.met_on == D(2026, 3, 6)


def test_the_admin_form_for_closure_days_applies_the_same_rule(in_rapid_review, manager):
    from lcspr.core.admin import ClosureDayAdminForm

    weekend = ClosureDayAdminForm({"date": "2026-03-14", "reason": "Closed"})
    assert not weekend.is_valid()
    assert weekend.errors["date"] == [
        "14 March 2026 is a weekend day, which never counts as a working day"
    ]
    assert ClosureDayAdminForm({"date": "2026-03-16", "reason": "Council closure"}).is_valid()
    assert not ClosureDay.objects.exists()
