"""A referral that does not meet the criteria for notification may still have a reflective
learning session or a practice review instead of being closed: its scope, sent to the
practitioners beforehand, the session, and its learning, which feeds the action plan."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from actions import services as action_services
from actions.models import Source
from lcspr.core.exceptions import WorkflowError
from reviews import selectors
from reviews.clocks import services as clock_services
from reviews.clocks.models import ClockStart, Deadline, DeadlineKind
from reviews.decision.models import Outcome
from reviews.models import Stage
from reviews.other_learning import services
from reviews.other_learning.models import OtherLearningReview
from reviews.referral import services as referral_services
from reviews.retention import services as retention
from reviews.retention.models import RetentionType
from reviews.tasklist import COMPLETED, IN_PROGRESS, NOT_NEEDED, NOT_STARTED, build
from tests.reviews.conftest import DECIDED, to_decided
from tests.reviews.test_tasklist import fresh, names

pytestmark = pytest.mark.django_db

SENT = datetime.date(2026, 3, 10)
HELD = datetime.date(2026, 3, 24)


@pytest.fixture
def not_met(referral, manager):
    referral_services.criteria_record(
        review=referral, by=manager, abuse_or_neglect="no", died_or_seriously_harmed="yes"
    )
    referral.refresh_from_db()
    return referral


@pytest.fixture
def learning_instead(not_met, manager):
    services.learning_review_start(
        review=not_met, by=manager, kind="reflective_session", scope="How agencies shared worries."
    )
    not_met.refresh_from_db()
    return not_met


def _start(review, by, **extra):
    data = {"kind": "practice_review", "scope": "Information sharing."} | extra
    return services.learning_review_start(review=review, by=by, **data)


def _record(review, by, **extra):
    data = {"kind": "reflective_session", "scope": "How agencies shared worries."} | extra
    return services.other_learning_update(review=review, by=by, **data)


def open_clocks(review) -> set[str]:
    return set(Deadline.objects.filter(review=review, met_on=None).values_list("kind", flat=True))


# --- starting it ------------------------------------------------------------------------------


def test_the_manager_holds_a_learning_review_instead_of_closing_the_referral(not_met, manager):
    other = _start(not_met, manager, kind="reflective_session")
    not_met.refresh_from_db()
    assert not_met.stage == Stage.OTHER_LEARNING
    assert (other.kind, other.scope, other.scope_sent_on, other.held_on) == (
        "reflective_session",
        "Information sharing.",
        None,
        None,
    )
    event = not_met.events.latest("pk")
    assert event.summary == (
        "Learning review started although the criteria for notification are not met: "
        "Reflective learning session"
    )
    assert event.actor == manager
    assert other.history.latest().history_user == manager
    assert not_met.history.latest().stage == Stage.OTHER_LEARNING
    assert not_met.history.latest().history_user == manager


@pytest.mark.parametrize(
    "setup, reason",
    [
        ("unchecked", "Check the criteria before starting a learning review instead."),
        ("met", "The criteria are met: notify the National Panel instead."),
        ("closed", "The referral is closed: a learning review can no longer start from it."),
        ("started", "A learning review starts here only from a referral"),
    ],
)
def test_a_learning_review_instead_is_refused_unless_the_criteria_are_not_met(
    referral, manager, setup, reason
):
    answers = {"abuse_or_neglect": "yes" if setup == "met" else "no"}
    if setup != "unchecked":
        referral_services.criteria_record(
            review=referral, by=manager, died_or_seriously_harmed="yes", **answers
        )
    if setup == "closed":
        referral_services.review_close_not_notifiable(
            review=referral, by=manager, reason="Not abuse or neglect."
        )
    if setup == "started":
        _start(referral, manager)
    stage_before = type(referral).objects.get(pk=referral.pk).stage
    with pytest.raises(WorkflowError, match=reason):
        _start(referral, manager)
    referral.refresh_from_db()
    assert referral.stage == stage_before
    assert OtherLearningReview.objects.count() == (1 if setup == "started" else 0)


def test_a_learning_review_instead_is_refused_after_the_notification(in_rapid_review, manager):
    with pytest.raises(WorkflowError, match="the review is at the rapid review stage"):
        _start(in_rapid_review, manager)
    assert not OtherLearningReview.objects.exists()


@pytest.mark.parametrize(
    "data, field",
    [({"kind": "lcspr"}, "kind"), ({"scope": "  "}, "scope")],
)
def test_a_learning_review_instead_needs_a_type_and_a_scope(not_met, manager, data, field):
    with pytest.raises(WorkflowError) as refused:
        _start(not_met, manager, **data)
    assert field in refused.value.message_dict
    not_met.refresh_from_db()
    assert not_met.stage == Stage.REFERRAL


# --- its clocks --------------------------------------------------------------------------------


@pytest.mark.parametrize("rapid_review_start", [ClockStart.NOTIFICATION, ClockStart.AWARENESS])
def test_no_clock_is_left_open_that_no_action_can_close(referral, manager, rapid_review_start):
    """No notification is due once the referral goes to a learning review, and none can be
    recorded any more: the notification's clocks (and a rapid review clock counted from
    awareness) go, and nothing else starts until the learning review closes."""
    clock_services.clock_settings_update(by=manager, rapid_review_start=rapid_review_start)
    referral_services.criteria_record(
        review=referral, by=manager, abuse_or_neglect="no", died_or_seriously_harmed="yes"
    )
    assert {DeadlineKind.NOTIFICATION, DeadlineKind.PARTNERS_INFORMED} <= open_clocks(referral)

    _start(referral, manager)
    referral.refresh_from_db()
    assert open_clocks(referral) == set()
    with pytest.raises(WorkflowError, match="the review is at the other learning review stage"):
        referral_services.notification_record(review=referral, by=manager, sent_on=SENT)

    _record(referral, manager, scope_sent_on=SENT, held_on=HELD, learning="Share sooner.")
    referral_services.review_update_details(
        review=referral, by=manager, la_aware_date=referral.la_aware_date
    )
    assert open_clocks(referral) == set()
    services.other_learning_close(review=referral, by=manager)
    assert not Deadline.objects.filter(review=referral).exists()


def test_a_clock_settings_change_does_not_bring_the_notification_clocks_back(
    learning_instead, manager
):
    clock_services.clock_settings_update(by=manager, notification_days=10)
    assert open_clocks(learning_instead) == set()


# --- the scope sent to the practitioners, the session, closing ------------------------------


def test_the_session_is_recorded_once_the_scope_was_sent_to_the_practitioners(
    learning_instead, manager
):
    with pytest.raises(WorkflowError) as refused:
        _record(learning_instead, manager, held_on=HELD)
    assert "scope_sent_on" in refused.value.message_dict

    with pytest.raises(WorkflowError) as refused:
        _record(learning_instead, manager, scope_sent_on=HELD, held_on=SENT)
    assert refused.value.message_dict["held_on"] == [
        "The session cannot be held before the scope was sent to the practitioners (24 March 2026)"
    ]

    other = _record(learning_instead, manager, scope_sent_on=SENT)
    assert (other.scope_sent_on, other.held_on) == (SENT, None)
    other = _record(learning_instead, manager, scope_sent_on=SENT, held_on=HELD)
    assert other.history.latest().scope_sent_on == SENT
    assert learning_instead.events.latest("pk").summary == "Reflective learning session updated"


def test_a_scope_cannot_be_sent_in_the_future(learning_instead, manager):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(WorkflowError) as refused:
        _record(learning_instead, manager, scope_sent_on=tomorrow)
    assert "scope_sent_on" in refused.value.message_dict


def test_closing_needs_the_scope_sent_the_session_and_the_learning(learning_instead, manager):
    with pytest.raises(
        WorkflowError,
        match=(
            "Record the date the scope was sent to the practitioners, the date it was held and "
            "the learning identified before closing it."
        ),
    ):
        services.other_learning_close(review=learning_instead, by=manager)
    _record(learning_instead, manager, scope_sent_on=SENT, held_on=HELD)
    with pytest.raises(WorkflowError, match="Record the learning identified before closing it."):
        services.other_learning_close(review=learning_instead, by=manager)

    _record(
        learning_instead,
        manager,
        scope_sent_on=SENT,
        held_on=HELD,
        participants="Health visitor, ICB\nSocial worker, Children's Services",
        learning="Share worries at the first strategy discussion.",
    )
    other = services.other_learning_close(review=learning_instead, by=manager)
    learning_instead.refresh_from_db()
    assert learning_instead.stage == Stage.CLOSED
    assert other.closed_on == timezone.localdate()
    assert learning_instead.events.latest("pk").summary == "Reflective learning session closed"


def test_a_learning_review_after_the_decision_also_needs_the_scope_sent(
    awaiting_decision, manager, independent_chair, partner_leads
):
    review = to_decided(
        awaiting_decision, independent_chair, outcome=Outcome.OTHER_LEARNING, leads=partner_leads
    )
    _record(review, manager, held_on=None, learning="Share sooner.")
    with pytest.raises(WorkflowError, match="Record the date the scope was sent"):
        services.other_learning_close(review=review, by=manager)
    _record(review, manager, scope_sent_on=DECIDED, held_on=DECIDED, learning="Share sooner.")
    services.other_learning_close(review=review, by=manager)
    review.refresh_from_db()
    assert review.stage == Stage.CLOSED


# --- its learning feeds the action plan ----------------------------------------------------------


@pytest.mark.parametrize("source", [Source.PARTNERSHIP, Source.DURING_REVIEW])
def test_its_learning_feeds_the_action_plan(learning_instead, manager, local_authority, source):
    action = action_services.action_add(
        review=learning_instead,
        by=manager,
        source=source,
        text="Agencies share worries at the first strategy discussion.",
        lead_agency=local_authority,
        due_date=timezone.localdate() + datetime.timedelta(days=90),
    )
    assert (action.number, action.review_id) == (1, learning_instead.pk)
    sections = dict(build(fresh(manager), selectors.review_page(learning_instead)))
    [plan] = sections["Action plan"]
    assert (plan.name, plan.hint) == ("Action plan", "1 action: 1 not started")


def test_the_action_plan_is_on_the_task_list_from_the_start(learning_instead, manager):
    """As for a learning review after the Chair's decision: the plan is there to add to."""
    sections = dict(build(fresh(manager), selectors.review_page(learning_instead)))
    [plan] = sections["Action plan"]
    assert (plan.status, plan.hint) == (NOT_STARTED, "No actions yet")
    assert plan.url == reverse("actions:review_plan", args=[learning_instead.pk])


def test_the_action_plan_is_on_the_task_list_after_the_decision_too(
    awaiting_decision, manager, independent_chair, partner_leads
):
    review = to_decided(
        awaiting_decision, independent_chair, outcome=Outcome.OTHER_LEARNING, leads=partner_leads
    )
    assert "Action plan" in dict(build(fresh(manager), selectors.review_page(review)))


# --- the task list -------------------------------------------------------------------------------


def rows(user, review, heading) -> dict:
    sections = dict(build(fresh(user), selectors.review_page(review)))
    return {task.name: task for task in sections[heading]}


def test_criteria_not_met_offer_closing_or_a_learning_review_to_the_manager(
    not_met, manager, independent_chair
):
    referral = rows(manager, not_met, "Referral")
    close, learning = referral["Close the referral"], referral["Hold a learning review instead"]
    assert (close.status, learning.status) == (NOT_STARTED, NOT_STARTED)
    assert learning.url == f"/reviews/{not_met.pk}/learning-review/start/"
    assert close.url == f"/reviews/{not_met.pk}/close/"
    assert ("Referral", "Hold a learning review instead") in names(manager, not_met)

    chairs = rows(independent_chair, not_met, "Referral")["Hold a learning review instead"]
    assert (chairs.status, chairs.url) == (NOT_STARTED, "")


def test_criteria_met_offer_no_learning_review_instead(referral, manager):
    referral_services.criteria_record(
        review=referral, by=manager, abuse_or_neglect="yes", died_or_seriously_harmed="yes"
    )
    assert "Hold a learning review instead" not in rows(manager, referral, "Referral")


def test_the_task_list_follows_the_learning_review_held_instead(learning_instead, manager):
    referral = rows(manager, learning_instead, "Referral")
    assert referral["Close the referral"].status == NOT_NEEDED
    assert referral["Close the referral"].url == ""
    learning = referral["Hold a learning review instead"]
    assert learning.status == IN_PROGRESS
    assert learning.url == f"/reviews/{learning_instead.pk}/other-learning/"
    assert learning.hint == "Reflective learning session; send the scope to the practitioners next"

    notification = rows(manager, learning_instead, "Notification")
    assert {t.status for t in notification.values()} == {NOT_NEEDED}
    assert all(t.url == "" and t.clock is None for t in notification.values())
    rapid_review = rows(manager, learning_instead, "Rapid review")
    assert {(t.status, t.hint) for t in rapid_review.values()} == {(NOT_NEEDED, "")}
    decision = rows(manager, learning_instead, "Decision")
    assert [(t.name, t.status) for t in decision.values()] == [
        ("Independent Chair's decision", NOT_NEEDED)
    ]

    _record(learning_instead, manager, scope_sent_on=SENT)
    hint = rows(manager, learning_instead, "Referral")["Hold a learning review instead"].hint
    assert hint == ("Reflective learning session; scope sent to the practitioners on 10 March 2026")
    _record(learning_instead, manager, scope_sent_on=SENT, held_on=HELD, learning="Share.")
    services.other_learning_close(review=learning_instead, by=manager)
    learning_instead.refresh_from_db()
    referral = rows(manager, learning_instead, "Referral")
    learning = referral["Hold a learning review instead"]
    assert (learning.status, learning.url) == (COMPLETED, "")
    assert learning.hint.startswith("Reflective learning session closed on ")
    assert referral["Close the referral"].status == NOT_NEEDED
    assert names(manager, learning_instead) == []  # closed, with nothing in its plan


def test_a_referral_closed_as_not_notifiable_offers_no_learning_review(not_met, manager):
    referral_services.review_close_not_notifiable(
        review=not_met, by=manager, reason="Not abuse or neglect."
    )
    not_met.refresh_from_db()
    referral = rows(manager, not_met, "Referral")
    assert referral["Close the referral"].status == COMPLETED
    learning = referral["Hold a learning review instead"]
    assert (learning.status, learning.url) == (NOT_NEEDED, "")


# --- retention -----------------------------------------------------------------------------------


def test_once_closed_it_is_kept_as_long_as_any_other_learning_review(learning_instead, manager):
    """Not as a referral closed as not notifiable: it holds a learning review's record."""
    _record(learning_instead, manager, scope_sent_on=SENT, held_on=HELD, learning="Share.")
    services.other_learning_close(review=learning_instead, by=manager)
    row = retention.retention_row(learning_instead)
    assert row.retention_type == RetentionType.OTHER_LEARNING
    assert retention.retention_type_for(None) == RetentionType.NOT_NOTIFIABLE
