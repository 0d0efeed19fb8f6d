"""Adding and correcting actions, moving due dates, and the review's closure rule, on the paths
the other tests leave: each refusal names what is wrong and leaves the plan as it was; each
correction says on the timeline what changed."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from actions import services
from actions.models import Action, DueDateChange, Source, Status
from lcspr.core.exceptions import WorkflowError
from reviews.models import ReportStatus, Review, ReviewEvent, Stage
from reviews.rapid_review.models import ImmediateAction
from tests.actions.conftest import DUE, add_action, make_ready_to_close
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def add(review, by, **fields):
    values = {
        "source": Source.DURING_REVIEW,
        "text": "Audit twenty fictional case files by March.",
        "due_date": DUE,
        **fields,
    }
    return services.action_add(review=review, by=by, **values)


def summaries(review, kind):
    return list(
        ReviewEvent.objects.filter(review=review, kind=kind)
        .order_by("pk")
        .values_list("summary", flat=True)
    )


def set_stage(review, stage, **fields):
    Review.objects.filter(pk=review.pk).update(stage=stage, **fields)
    review.refresh_from_db()


# --- adding -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"source": "rumour"}, "source", "Select where the action comes from"),
        ({"lead_agency": None}, "lead_agency", "Select the lead agency"),
        ({"due_date": None}, "due_date", "Enter the due date"),
        ({"text": ""}, "text", "Enter the action"),
    ],
)
def test_it_refuses_an_action_with_something_missing_on_its_field(
    lcspr_review, manager, school, fields, field, message
):
    with pytest.raises(WorkflowError) as refused:
        add(lcspr_review, manager, **{"lead_agency": school, **fields})
    assert refused.value.message_dict == {field: [message]}
    assert not Action.objects.exists()
    assert summaries(lcspr_review, "action_added") == []


def test_it_refuses_an_owner_who_can_no_longer_sign_in(lcspr_review, manager, school):
    left = UserFactory(full_name="Lee Left", agency=school, is_active=False)
    with pytest.raises(WorkflowError) as refused:
        add(lcspr_review, manager, lead_agency=school, owner=left)
    assert refused.value.message_dict == {
        "owner": ["Lee Left can no longer sign in: choose someone else"]
    }
    assert not Action.objects.exists()


def test_it_refuses_to_add_to_a_closed_review(lcspr_review, manager, school):
    set_stage(lcspr_review, Stage.CLOSED)
    with pytest.raises(WorkflowError, match="The review is closed: its action plan can no longer"):
        add(lcspr_review, manager, lead_agency=school)
    assert not Action.objects.exists()


def test_nothing_is_added_to_a_referral_not_yet_notified(referral, manager, school):
    with pytest.raises(WorkflowError, match="the review is at the referral stage"):
        add(referral, manager, lead_agency=school)
    assert not Action.objects.exists()


def test_an_action_from_the_review_itself_needs_no_recommendation_and_may_be_overdue(
    lcspr_review, manager, school
):
    # Plans kept elsewhere are transcribed: a due date already past is allowed.
    with time_machine.travel(datetime.datetime(2027, 5, 3, 9, tzinfo=datetime.UTC)):
        action = add(lcspr_review, manager, lead_agency=school, due_date=datetime.date(2027, 1, 4))
    assert (action.source, action.recommendation, action.due_date) == (
        Source.DURING_REVIEW,
        None,
        datetime.date(2027, 1, 4),
    )
    assert summaries(lcspr_review, "action_added") == [
        "Action 1 added for Riverside Primary School, due 4 January 2027"
    ]


def test_an_immediate_action_is_tracked_only_in_its_own_review(
    lcspr_review, other_review, manager, local_authority
):
    immediate = ImmediateAction.objects.create(
        rapid_review=other_review.rapid_review,
        description="Check every sibling has a current safety plan.",
        lead_agency=local_authority,
        due_date=datetime.date(2026, 12, 18),
    )
    with pytest.raises(WorkflowError, match="belongs to another review"):
        add(
            lcspr_review,
            manager,
            source=Source.IMMEDIATE,
            lead_agency=local_authority,
            immediate_action=immediate,
        )
    with pytest.raises(WorkflowError, match="Choose the immediate action of the rapid review"):
        add(lcspr_review, manager, source=Source.IMMEDIATE, lead_agency=local_authority)
    assert not Action.objects.exists()


def test_a_row_of_recommendations_that_fails_is_named_by_its_number(
    lcspr_review, manager, school, recommendations
):
    rows = [
        {"recommendation": recommendations[0], "text": "A", "lead_agency": school, "due_date": DUE},
        {"recommendation": recommendations[1], "text": "B", "lead_agency": school},
    ]
    with pytest.raises(WorkflowError, match="Action 2: Enter the due date"):
        services.actions_from_recommendations(review=lcspr_review, by=manager, rows=rows)
    with pytest.raises(WorkflowError, match="Write at least one action."):
        services.actions_from_recommendations(review=lcspr_review, by=manager, rows=[])
    assert not Action.objects.exists()


# --- correcting ---------------------------------------------------------------------------------


def test_a_correction_says_what_changed_and_keeps_the_earlier_wording(
    school_action, subgroup_member, police, agency_author
):
    services.action_edit(
        action=school_action,
        by=subgroup_member,
        text="Audit thirty fictional case files by March.",
        lead_agency=police,
        owner=agency_author,
        themes=[],
    )
    school_action.refresh_from_db()
    assert (school_action.lead_agency, school_action.owner) == (police, agency_author)
    assert summaries(school_action.review, "action_edited") == [
        "Action 1 changed: action, lead agency, owner"
    ]
    texts = list(school_action.history.order_by("history_date").values_list("text", flat=True))
    assert texts[0] != texts[-1] == "Audit thirty fictional case files by March."


def test_a_correction_that_changes_nothing_records_nothing(school_action, subgroup_member):
    before = school_action.history.count()
    services.action_edit(
        action=school_action,
        by=subgroup_member,
        text=school_action.text,
        lead_agency=school_action.lead_agency,
        owner=None,
        themes=list(school_action.themes.all()),
    )
    assert school_action.history.count() == before
    assert summaries(school_action.review, "action_edited") == []


def test_changing_only_the_themes_is_a_change(school_action, subgroup_member, dash_themes):
    services.action_edit(
        action=school_action,
        by=subgroup_member,
        text=school_action.text,
        lead_agency=school_action.lead_agency,
        owner=None,
        themes=dash_themes[:2],
    )
    assert set(school_action.themes.all()) == set(dash_themes[:2])
    assert summaries(school_action.review, "action_edited") == ["Action 1 changed: themes"]


def test_an_owner_who_has_left_may_stay_but_not_be_newly_chosen(
    lcspr_review, manager, school, subgroup_member
):
    owner = UserFactory(full_name="Olive Owner", agency=school)
    action = add(lcspr_review, manager, lead_agency=school, owner=owner)
    owner.is_active = False
    owner.save()
    # Rewording the action keeps its owner, who has left.
    services.action_edit(
        action=action,
        by=subgroup_member,
        text="A clearer action.",
        lead_agency=school,
        owner=owner,
        themes=[],
    )
    other = add(lcspr_review, manager, lead_agency=school)
    with pytest.raises(WorkflowError) as refused:
        services.action_edit(
            action=other,
            by=subgroup_member,
            text=other.text,
            lead_agency=school,
            owner=owner,
            themes=[],
        )
    assert refused.value.message_dict == {
        "owner": ["Olive Owner can no longer sign in: choose someone else"]
    }
    other.refresh_from_db()
    assert other.owner is None


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [({"text": "  "}, "text", "Enter the action"), ({"lead_agency": None}, "lead_agency", None)],
)
def test_a_correction_with_something_missing_is_refused_on_its_field(
    school_action, subgroup_member, fields, field, message
):
    values = {"text": "Reworded.", "lead_agency": school_action.lead_agency, "owner": None}
    with pytest.raises(WorkflowError) as refused:
        services.action_edit(
            action=school_action, by=subgroup_member, themes=[], **{**values, **fields}
        )
    assert field in refused.value.message_dict
    school_action.refresh_from_db()
    assert school_action.text != "Reworded."


@pytest.mark.parametrize("finish", ["close", "hand_over"])
def test_a_finished_action_cannot_be_corrected_or_moved(
    school_action, agency_author, subgroup_member, finish
):
    if finish == "close":
        make_ready_to_close(school_action, agency_author)
        services.action_close(action=school_action, by=subgroup_member)
        state = "closed"
    else:
        services.action_hand_over(action=school_action, by=subgroup_member, handed_to="A plan")
        state = "handed to another plan"
    message = f"action 1 is {state}. The sub-group can reopen it if more is needed."
    with pytest.raises(WorkflowError, match=message):
        services.action_edit(
            action=school_action,
            by=subgroup_member,
            text="Reworded.",
            lead_agency=school_action.lead_agency,
            owner=None,
            themes=[],
        )
    with pytest.raises(WorkflowError, match=message):
        services.action_due_date_change(
            action=school_action,
            by=subgroup_member,
            new_date=datetime.date(2027, 9, 30),
            reason="Later.",
        )
    assert not DueDateChange.objects.exists()


# --- due dates ----------------------------------------------------------------------------------


def test_a_due_date_moved_twice_keeps_both_moves_in_order(school_action, subgroup_member):
    for new, reason in (
        (datetime.date(2027, 6, 30), "Training moved to summer."),
        (datetime.date(2027, 9, 30), "The trainer left."),
    ):
        services.action_due_date_change(
            action=school_action, by=subgroup_member, new_date=new, reason=reason
        )
    moves = list(school_action.due_date_changes.values_list("old_date", "new_date", "reason"))
    assert moves == [
        (DUE, datetime.date(2027, 6, 30), "Training moved to summer."),
        (datetime.date(2027, 6, 30), datetime.date(2027, 9, 30), "The trainer left."),
    ]
    assert summaries(school_action.review, "action_due_date") == [
        "Action 1 due date moved from 31 March 2027 to 30 June 2027",
        "Action 1 due date moved from 30 June 2027 to 30 September 2027",
    ]


def test_a_due_date_may_move_to_today_but_not_to_nothing(school_action, subgroup_member):
    with pytest.raises(WorkflowError) as refused:
        services.action_due_date_change(
            action=school_action, by=subgroup_member, new_date=None, reason="Unknown."
        )
    assert refused.value.message_dict == {"new_date": ["Enter the new due date"]}
    today = timezone.localdate()
    services.action_due_date_change(
        action=school_action, by=subgroup_member, new_date=today, reason="Due now."
    )
    school_action.refresh_from_db()
    assert school_action.due_date == today


# --- the review's closure -----------------------------------------------------------------------


def test_the_closure_rule_says_how_many_actions_are_still_open(
    lcspr_review, school_action, police_action, agency_author, subgroup_member
):
    Review.objects.filter(pk=lcspr_review.pk).update(report_status=ReportStatus.PUBLISHED)
    lcspr_review.refresh_from_db()
    assert services.plan_close_blocker(lcspr_review) == (
        "2 actions are still open: each must be closed or handed to another plan."
    )
    make_ready_to_close(school_action, agency_author)
    services.action_close(action=school_action, by=subgroup_member)
    assert services.plan_close_blocker(lcspr_review) == (
        "1 action is still open: each must be closed or handed to another plan."
    )
    assert not services.review_close_if_done(review=lcspr_review, by=subgroup_member)
    services.action_hand_over(action=police_action, by=subgroup_member, handed_to="A plan")
    lcspr_review.refresh_from_db()
    assert lcspr_review.stage == Stage.CLOSED
    assert services.plan_close_blocker(lcspr_review) == (
        "Only an LCSPR that is still open closes when its action plan is complete."
    )
    assert not services.review_close_if_done(review=lcspr_review, by=subgroup_member)
    assert summaries(lcspr_review, "review_closed") != []


def test_a_review_whose_improvements_are_published_closes_with_its_plan(
    lcspr_review, school_action, agency_author, subgroup_member
):
    Review.objects.filter(pk=lcspr_review.pk).update(
        report_status=ReportStatus.IMPROVEMENTS_PUBLISHED
    )
    make_ready_to_close(school_action, agency_author)
    services.action_close(action=school_action, by=subgroup_member)
    lcspr_review.refresh_from_db()
    assert lcspr_review.stage == Stage.CLOSED
    assert "every action of its plan is closed or handed over" in lcspr_review.closed_reason
    assert Action.objects.get(pk=school_action.pk).status == Status.CLOSED


def test_every_change_is_refused_once_the_review_is_closed(
    school_action, police_action, agency_author, subgroup_member, manager, school
):
    set_stage(school_action.review, Stage.CLOSED)
    closed = "The review is closed: its action plan can no longer change."
    attempts = [
        lambda: services.progress_update_add(
            action=school_action, by=agency_author, text="More.", status=Status.IN_PROGRESS
        ),
        lambda: services.completion_evidence_record(
            action=school_action, by=agency_author, completion_evidence="Done."
        ),
        lambda: services.action_rate(action=school_action, by=subgroup_member, rag="green"),
        lambda: services.impact_evidence_request(
            action=school_action, by=subgroup_member, note="An audit."
        ),
        lambda: services.action_hand_over(
            action=school_action, by=subgroup_member, handed_to="A plan"
        ),
        lambda: services.action_due_date_change(
            action=school_action,
            by=subgroup_member,
            new_date=datetime.date(2027, 9, 30),
            reason="Later.",
        ),
        lambda: add_action(school_action.review, manager, school),
    ]
    for attempt in attempts:
        with pytest.raises(WorkflowError, match=closed):
            attempt()
    school_action.refresh_from_db()
    assert (school_action.status, school_action.rag) == (Status.NOT_STARTED, "")
    assert Action.objects.count() == 2
