"""Publication: the clocks across bank holidays, and the services' rules."""

import datetime

import pytest

from lcspr.core.exceptions import WorkflowError
from lcspr.core.models import ClosureDay
from lcspr.core.working_days import WorkingCalendar
from reviews.clocks import deadlines
from reviews.clocks.models import ClockSettings, DeadlineKind
from reviews.models import ReportStatus
from reviews.publication import selectors as publication_selectors
from reviews.publication import services as publication_services
from reviews.publication.models import Proceeding, Publication, PublicationDeferral
from tests.reviews.publication_fixtures import *  # noqa: F403
from tests.reviews.publication_fixtures import TODAY, at
from tests.reviews.report_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db

D = datetime.date
WEB = "https://www.example.org.uk/reviews/child-t"


def _clocks(**changes) -> ClockSettings:
    """The default clock rules (not saved), with any changes."""
    return ClockSettings(**changes)


# --- the clocks, worked out by hand from the England and Wales bank holidays --------------------


@pytest.mark.parametrize(
    ("planned_on", "latest_send", "why"),
    [
        (D(2026, 6, 10), D(2026, 6, 1), "no bank holiday: seven weekdays back"),
        (D(2026, 4, 14), D(2026, 4, 1), "Easter 2026: Good Friday 3 and Easter Monday 6 April"),
        (D(2027, 4, 2), D(2027, 3, 22), "Easter 2027: Good Friday 26 and Easter Monday 29 March"),
        (D(2026, 6, 2), D(2026, 5, 21), "the late May bank holiday, Monday 25 May 2026"),
        (
            D(2027, 1, 4),
            D(2026, 12, 21),
            "Christmas 25, Boxing Day observed Monday 28 December, New Year's Day 2027",
        ),
        (
            D(2028, 1, 4),
            D(2027, 12, 21),
            "Christmas 2027 on a weekend: 27, 28 December and 3 January observed",
        ),
    ],
)
def test_the_latest_send_date_skips_weekends_and_bank_holidays(planned_on, latest_send, why):
    assert deadlines.latest_send_date(planned_on, _clocks(), WorkingCalendar()) == latest_send, why


@pytest.mark.parametrize(
    ("sent_on", "earliest"),
    [
        (D(2026, 4, 2), D(2026, 4, 15)),  # over Good Friday and Easter Monday
        (D(2026, 12, 23), D(2027, 1, 6)),  # over Christmas, Boxing Day and New Year's Day
        (D(2026, 5, 22), D(2026, 6, 3)),  # over the late May bank holiday
        (D(2026, 6, 5), D(2026, 6, 16)),  # a Friday: the weekend only
    ],
)
def test_the_earliest_publication_date_is_seven_working_days_after_sending(sent_on, earliest):
    assert deadlines.earliest_publication_date(sent_on, _clocks(), WorkingCalendar()) == earliest


@pytest.mark.parametrize(
    ("published_on", "may_come_down"),
    [
        (D(2026, 4, 15), D(2027, 4, 15)),  # a working day a year on
        (D(2026, 8, 28), D(2027, 8, 31)),  # Saturday, then the summer bank holiday: Tuesday
        (D(2026, 3, 26), D(2027, 3, 30)),  # Good Friday and Easter Monday 2027
        (D(2027, 1, 4), D(2028, 1, 4)),
    ],
)
def test_a_report_may_come_down_twelve_months_after_publication(published_on, may_come_down):
    cal = WorkingCalendar()
    assert deadlines.months_later(published_on, 12, cal) == may_come_down


def test_the_partnership_sets_the_working_days_before_publication():
    # Ten working days before Tuesday 14 April 2026, over Easter: Friday 27 March.
    cal = WorkingCalendar()
    clocks = _clocks(pre_publication_days=10)
    assert deadlines.latest_send_date(D(2026, 4, 14), clocks, cal) == D(2026, 3, 27)


def test_a_closure_day_moves_the_latest_send_date():
    # Closed on Monday 1 June 2026: seven working days before Wednesday 10 June is Friday 29 May.
    cal = WorkingCalendar([D(2026, 6, 1)])
    assert deadlines.latest_send_date(D(2026, 6, 10), _clocks(), cal) == D(2026, 5, 29)


def test_publication_dates_count_down_to_the_latest_send_date(today, lcspr_review, manager):
    publication = publication_services.publication_plan(
        review=lcspr_review, by=manager, planned_on=D(2027, 1, 4)
    )
    dates = publication_selectors.publication_dates(publication)
    assert dates.latest_send == D(2026, 12, 21)
    assert dates.send_countdown == 5  # 15, 16, 17, 18 and 21 December
    assert dates.earliest_publication == D(2026, 12, 23)  # if sent to both today
    assert dates.may_come_down is None


def test_the_pre_publication_obligation_is_held_until_both_sendings_are_recorded(
    publication_ready, manager
):
    review = publication_ready
    publication_services.publication_plan(review=review, by=manager, planned_on=D(2027, 1, 4))
    clock = review.deadlines.get(kind=DeadlineKind.PRE_PUBLICATION)
    assert (clock.counted_from, clock.due_date, clock.met_on) == (
        D(2027, 1, 4),
        D(2026, 12, 21),
        None,
    )

    publication_services.publication_sent_record(
        review=review, by=manager, recipient="national_panel", sent_on=TODAY
    )
    clock.refresh_from_db()
    assert clock.met_on is None  # the DfE has not had it yet

    publication_services.publication_sent_record(
        review=review, by=manager, recipient="dfe", sent_on=TODAY
    )
    clock.refresh_from_db()
    assert clock.met_on is None  # nor Ofsted

    publication_services.publication_sent_record(
        review=review, by=manager, recipient="ofsted", sent_on=TODAY
    )
    clock.refresh_from_db()
    assert clock.met_on == TODAY


def test_a_closure_day_added_later_moves_the_stored_clock(publication_ready, manager):
    publication_services.publication_plan(
        review=publication_ready, by=manager, planned_on=D(2027, 1, 4)
    )
    ClosureDay.objects.create(date=D(2026, 12, 21), reason="Partnership closure")
    deadlines.refresh(publication_ready, by=manager)
    clock = publication_ready.deadlines.get(kind=DeadlineKind.PRE_PUBLICATION)
    assert clock.due_date == D(2026, 12, 18)


# --- the plan -----------------------------------------------------------------------------------


def test_the_first_planned_date_needs_no_reason(today, lcspr_review, manager):
    publication = publication_services.publication_plan(
        review=lcspr_review, by=manager, planned_on=D(2027, 1, 4)
    )
    assert publication.planned_on == D(2027, 1, 4)
    assert not PublicationDeferral.objects.exists()
    event = lcspr_review.events.get(kind="publication_planned")
    assert event.summary == "Publication planned for 4 January 2027"
    assert publication.history.first().history_user == manager


def test_a_changed_date_needs_a_reason_and_is_kept_as_a_deferral(today, lcspr_review, manager):
    publication_services.publication_plan(review=lcspr_review, by=manager, planned_on=D(2027, 1, 4))
    with pytest.raises(WorkflowError) as refused:
        publication_services.publication_plan(
            review=lcspr_review, by=manager, planned_on=D(2027, 3, 1)
        )
    assert refused.value.message_dict == {
        "reason": ["Enter why the planned publication date has changed"]
    }

    publication_services.publication_plan(
        review=lcspr_review, by=manager, planned_on=D(2027, 3, 1), reason="The trial moved."
    )
    deferral = PublicationDeferral.objects.get()
    assert (deferral.from_date, deferral.to_date, deferral.reason, deferral.recorded_by) == (
        D(2027, 1, 4),
        D(2027, 3, 1),
        "The trial moved.",
        manager,
    )
    assert lcspr_review.events.filter(kind="publication_deferred").exists()
    clock = lcspr_review.deadlines.get(kind=DeadlineKind.PRE_PUBLICATION)
    assert clock.due_date == D(2027, 2, 18)  # seven working days before Monday 1 March 2027


def test_a_date_too_soon_for_the_sending_is_refused_with_the_earliest_date(
    today, lcspr_review, manager
):
    # Today is Monday 14 December: sent today, the earliest publication is Wednesday 23rd.
    with pytest.raises(WorkflowError) as refused:
        publication_services.publication_plan(
            review=lcspr_review, by=manager, planned_on=D(2026, 12, 18)
        )
    assert "the earliest date you can plan is 23 December 2026" in refused.value.messages[0]
    assert not Publication.objects.filter(planned_on__isnull=False).exists()


def test_a_date_in_the_past_or_unchanged_is_refused(today, lcspr_review, manager):
    with pytest.raises(WorkflowError, match="today or later"):
        publication_services.publication_plan(
            review=lcspr_review, by=manager, planned_on=D(2026, 12, 1)
        )
    publication_services.publication_plan(review=lcspr_review, by=manager, planned_on=D(2027, 1, 4))
    with pytest.raises(WorkflowError, match="already planned for 4 January 2027"):
        publication_services.publication_plan(
            review=lcspr_review, by=manager, planned_on=D(2027, 1, 4), reason="No change"
        )


def test_publication_is_only_for_an_lcspr(today, awaiting_decision, manager):
    with pytest.raises(WorkflowError, match="only recorded for an LCSPR"):
        publication_services.publication_plan(
            review=awaiting_decision, by=manager, planned_on=D(2027, 1, 4)
        )
    assert not Publication.objects.exists()


# --- sending to the National Panel and the DfE --------------------------------------------------


def test_the_report_is_sent_only_once_signed_off(today, lcspr_review, manager):
    with pytest.raises(WorkflowError, match="has not been signed off"):
        publication_services.publication_sent_record(
            review=lcspr_review, by=manager, recipient="dfe", sent_on=TODAY
        )
    assert not Publication.objects.exists()  # the refusal stores nothing


def test_a_sending_date_in_the_future_or_before_sign_off_is_refused(
    signed_off_report, lcspr_review, manager
):
    with pytest.raises(WorkflowError) as refused:
        publication_services.publication_sent_record(
            review=lcspr_review, by=manager, recipient="dfe", sent_on=D(2026, 12, 15)
        )
    assert refused.value.message_dict == {"sent_on": ["The date must be today or in the past."]}
    with pytest.raises(WorkflowError, match="signed off on 14 December 2026"):
        publication_services.publication_sent_record(
            review=lcspr_review, by=manager, recipient="dfe", sent_on=D(2026, 12, 11)
        )
    assert not Publication.objects.exists()  # nothing stored


def test_a_sending_date_can_be_corrected_before_publication(
    signed_off_report, lcspr_review, manager, today
):
    today.move_to(at(D(2026, 12, 16)))
    publication_services.publication_sent_record(
        review=lcspr_review, by=manager, recipient="dfe", sent_on=D(2026, 12, 16)
    )
    publication_services.publication_sent_record(
        review=lcspr_review, by=manager, recipient="dfe", sent_on=TODAY
    )
    assert Publication.objects.get().sent_to_dfe_on == TODAY
    summaries = list(
        lcspr_review.events.filter(kind="publication_sent")
        .order_by("pk")
        .values_list("summary", flat=True)
    )
    assert summaries == [
        "Final report sent to the DfE on 16 December 2026",
        "Date the final report was sent to the DfE corrected from 16 December 2026 to 14 December 2026",
    ]


def test_once_sent_a_plan_before_the_earliest_publication_date_is_refused(
    publication_ready, manager, today
):
    review = publication_ready
    today.move_to(at(D(2026, 12, 23)))
    for recipient in publication_selectors.RECIPIENTS:
        publication_services.publication_sent_record(
            review=review, by=manager, recipient=recipient, sent_on=D(2026, 12, 23)
        )
    with pytest.raises(WorkflowError) as refused:
        publication_services.publication_plan(review=review, by=manager, planned_on=D(2027, 1, 5))
    assert refused.value.message_dict == {
        "planned_on": [
            "The final report was sent on 23 December 2026, so the earliest publication date is "
            "6 January 2027"
        ]
    }


# --- the family, proceedings and what is published ----------------------------------------------


def test_the_family_record_needs_an_offer_date_or_a_reason(today, lcspr_review, manager):
    with pytest.raises(WorkflowError) as refused:
        publication_services.publication_family_record(
            review=lcspr_review, by=manager, offered_on=None, response=" "
        )
    assert refused.value.message_dict == {
        "response": ["Enter why the family were not offered the final draft"]
    }
    publication_services.publication_family_record(
        review=lcspr_review,
        by=manager,
        offered_on=None,
        response="The family asked not to be contacted again.",
    )
    publication = Publication.objects.get()
    assert publication.family_offered_on is None
    event = lcspr_review.events.get(kind="publication_family")
    assert "not to be contacted" not in event.summary  # the response stays off the timeline


def test_a_criminal_trial_blocks_full_publication_until_it_concludes(publication_ready, manager):
    review = publication_ready
    trial = publication_services.proceeding_add(
        review=review,
        by=manager,
        kind=Proceeding.Kind.CRIMINAL,
        status=Proceeding.Status.ONGOING,
        expected_date=D(2027, 2, 1),
        description="Crown Court trial",
    )
    publication_services.proceeding_add(
        review=review,
        by=manager,
        kind=Proceeding.Kind.FAMILY_COURT,
        status=Proceeding.Status.ONGOING,
    )
    blockers = publication_selectors.publication_blockers(review)
    assert (
        "Criminal proceedings have not concluded: wait for them, or publish information about "
        "the improvements only."
    ) in blockers
    assert not any("family court" in b.lower() for b in blockers)

    with pytest.raises(WorkflowError) as refused:
        publication_services.proceeding_update(
            proceeding=trial, by=manager, status=Proceeding.Status.CONCLUDED
        )
    assert refused.value.message_dict == {
        "concluded_on": ["Enter the date the proceedings concluded"]
    }
    publication_services.proceeding_update(
        proceeding=trial, by=manager, status=Proceeding.Status.CONCLUDED, concluded_on=TODAY
    )
    assert not any("Criminal" in b for b in publication_selectors.publication_blockers(review))
    assert review.events.filter(
        kind="proceeding_updated",
        summary="Parallel proceeding updated: Criminal proceedings (under way → concluded)",
    ).exists()


def test_improvements_only_needs_a_reason_and_lifts_the_proceedings_block(
    publication_ready, manager
):
    review = publication_ready
    publication_services.proceeding_add(
        review=review, by=manager, kind=Proceeding.Kind.CORONER, status=Proceeding.Status.EXPECTED
    )
    assert "The coroner's inquest has not concluded" in " ".join(
        publication_selectors.publication_blockers(review)
    )
    with pytest.raises(WorkflowError) as refused:
        publication_services.publication_improvements_only_set(
            review=review, by=manager, improvements_only=True
        )
    assert refused.value.message_dict == {
        "reason": ["Enter why the full report will not be published"]
    }

    publication_services.publication_improvements_only_set(
        review=review, by=manager, improvements_only=True, reason="The inquest is a year away."
    )
    blockers = publication_selectors.publication_blockers(review)
    assert not any("inquest" in b for b in blockers)
    # The report still goes to the National Panel and the DfE first.
    assert "Record the date the final report was sent to the National Panel." in blockers
    assert "Record the date the final report was sent to the DfE." in blockers


def test_a_concluded_proceeding_needs_its_date_and_nothing_is_stored_without_it(
    today, lcspr_review, manager
):
    with pytest.raises(WorkflowError):
        publication_services.proceeding_add(
            review=lcspr_review,
            by=manager,
            kind=Proceeding.Kind.CRIMINAL,
            status=Proceeding.Status.CONCLUDED,
        )
    assert not Proceeding.objects.exists()
    assert not lcspr_review.events.filter(kind="proceeding_added").exists()


# --- what stops publication, and publishing ---------------------------------------------------


def test_the_blockers_say_what_is_missing(today, lcspr_review, manager):
    assert publication_selectors.publication_blockers(lcspr_review) == [
        "The Independent Chair has not signed off the final report for the partnership.",
        "Record the date the final report was sent to the National Panel.",
        "Record the date the final report was sent to the DfE.",
        "Record the date the final report was sent to Ofsted.",
        "Record whether the family were offered the final draft before publication.",
    ]


def test_the_anonymisation_check_before_publication_is_required(signed_off_report, lcspr_review):
    blockers = publication_selectors.publication_blockers(lcspr_review)
    assert any("Run the anonymisation check before publication" in b for b in blockers)


def _send_and_plan(review, manager, today):
    for recipient in publication_selectors.RECIPIENTS:
        publication_services.publication_sent_record(
            review=review, by=manager, recipient=recipient, sent_on=TODAY
        )
    publication_services.publication_plan(review=review, by=manager, planned_on=D(2027, 1, 4))
    today.move_to(at(D(2027, 1, 4)))


def test_publishing_too_soon_after_sending_is_refused_with_the_date(
    publication_ready, manager, today
):
    for recipient in publication_selectors.RECIPIENTS:
        publication_services.publication_sent_record(
            review=publication_ready, by=manager, recipient=recipient, sent_on=TODAY
        )
    today.move_to(at(D(2026, 12, 22)))
    with pytest.raises(WorkflowError) as refused:
        publication_services.report_publish(
            review=publication_ready, by=manager, published_on=D(2026, 12, 22), web_address=WEB
        )
    assert refused.value.messages == [
        "The final report was sent on 14 December 2026, so it cannot be published before "
        "23 December 2026 (7 working days later)."
    ]
    assert not Publication.objects.get().is_published


def test_the_manager_records_the_publication(publication_ready, manager, today):
    review = publication_ready
    _send_and_plan(review, manager, today)
    publication = publication_services.report_publish(
        review=review, by=manager, published_on=D(2027, 1, 4), web_address=WEB
    )
    review.refresh_from_db()
    assert review.report_status == ReportStatus.PUBLISHED
    assert (publication.published_on, publication.web_address) == (D(2027, 1, 4), WEB)
    takedown = review.deadlines.get(kind=DeadlineKind.TAKEDOWN)
    assert (takedown.due_date, takedown.met_on) == (D(2028, 1, 4), None)
    assert (
        review.events.get(kind="report_published").summary
        == "Final report published on 4 January 2027"
    )
    assert publication_selectors.publication_dates(publication).may_come_down == D(2028, 1, 4)

    with pytest.raises(WorkflowError, match="published on 4 January 2027"):
        publication_services.publication_plan(
            review=review, by=manager, planned_on=D(2027, 2, 1), reason="Late"
        )
    with pytest.raises(WorkflowError, match="published on 4 January 2027"):
        publication_services.report_publish(
            review=review, by=manager, published_on=D(2027, 1, 4), web_address=WEB
        )


def test_an_improvements_only_publication_is_marked_as_such(publication_ready, manager, today):
    review = publication_ready
    publication_services.publication_improvements_only_set(
        review=review,
        by=manager,
        improvements_only=True,
        reason="Publishing would identify the child.",
    )
    _send_and_plan(review, manager, today)
    publication_services.report_publish(
        review=review, by=manager, published_on=D(2027, 1, 4), web_address=WEB
    )
    review.refresh_from_db()
    assert review.report_status == ReportStatus.IMPROVEMENTS_PUBLISHED


def test_the_report_stays_online_for_twelve_months(publication_ready, manager, today):
    review = publication_ready
    _send_and_plan(review, manager, today)
    publication_services.report_publish(
        review=review, by=manager, published_on=D(2027, 1, 4), web_address=WEB
    )
    today.move_to(at(D(2027, 6, 1)))
    with pytest.raises(WorkflowError) as refused:
        publication_services.publication_removed_record(
            review=review, by=manager, removed_on=D(2027, 6, 1)
        )
    assert refused.value.message_dict == {
        "removed_on": [
            "A published report stays online for at least 12 months: this one may come down "
            "from 4 January 2028"
        ]
    }
    today.move_to(at(D(2028, 1, 10)))
    publication_services.publication_removed_record(
        review=review, by=manager, removed_on=D(2028, 1, 10)
    )
    assert review.deadlines.get(kind=DeadlineKind.TAKEDOWN).met_on == D(2028, 1, 10)
    assert Publication.objects.get().history.first().history_user == manager


# --- the pre-publication clock: Ofsted too, and judged against the day of publication ---------


def test_publication_waits_for_the_report_to_reach_ofsted(publication_ready, manager, today):
    for recipient in ("national_panel", "dfe"):
        publication_services.publication_sent_record(
            review=publication_ready, by=manager, recipient=recipient, sent_on=TODAY
        )
    blockers = publication_selectors.publication_blockers(publication_ready, D(2027, 1, 4))
    assert "Record the date the final report was sent to Ofsted." in blockers


def test_a_planned_date_moved_later_does_not_excuse_a_late_sending(
    publication_ready, manager, today
):
    """Planned for 4 January, moved to 1 February, sent on 14 December and published on
    4 January after all: judged against 4 January, when it was published."""
    review = publication_ready
    _send_and_plan(review, manager, today)
    publication_services.publication_plan(
        review=review, by=manager, planned_on=D(2027, 2, 1), reason="The family asked for time"
    )
    publication_services.report_publish(
        review=review, by=manager, published_on=D(2027, 1, 4), web_address=WEB
    )
    clock = review.deadlines.get(kind=DeadlineKind.PRE_PUBLICATION)
    assert (clock.counted_from, clock.due_date, clock.met_on) == (
        D(2027, 1, 4),
        D(2026, 12, 21),
        TODAY,
    )


def test_a_report_published_before_ofsted_was_recorded_keeps_its_met_clock(
    publication_ready, manager, today
):
    """A publication recorded before the service knew of Ofsted: the two sendings it was
    published on meet its clock, and later refreshes do not reopen it."""
    review = publication_ready
    _send_and_plan(review, manager, today)
    publication = Publication.objects.get(review=review)
    publication.published_on, publication.sent_to_ofsted_on = D(2027, 1, 4), None
    publication.web_address = WEB
    publication.save()
    deadlines.refresh(review, by=manager, recompute_met=deadlines.ALL_KINDS)
    clock = review.deadlines.get(kind=DeadlineKind.PRE_PUBLICATION)
    assert clock.met_on == TODAY
