"""The lead agency's records and the sub-group's decisions on the paths the other tests leave:
progress that does not move the status, evidence of impact and how it was assured, ratings
changed after discussion, requests for evidence, an action handed over and reopened, and
sharing undone. Every refusal leaves the action as it was."""

import pytest

from actions import services
from actions.models import Assurance, Rag, Status
from lcspr.core.exceptions import WorkflowError
from reviews.models import ReportStatus, Review, ReviewEvent, Stage
from tests.actions.conftest import make_ready_to_close

pytestmark = pytest.mark.django_db


def summaries(review, kind):
    return list(
        ReviewEvent.objects.filter(review=review, kind=kind)
        .order_by("pk")
        .values_list("summary", flat=True)
    )


def progress(action, by, status, text="Training booked."):
    return services.progress_update_add(action=action, by=by, text=text, status=status)


# --- progress and evidence ----------------------------------------------------------------------


def test_progress_without_a_new_status_is_recorded_without_one(school_action, agency_author):
    progress(school_action, agency_author, Status.IN_PROGRESS)
    progress(school_action, agency_author, Status.IN_PROGRESS, text="Half the teams trained.")
    assert summaries(school_action.review, "action_progress") == [
        "Progress on action 1: now in progress",
        "Progress on action 1",
    ]
    assert [u.text for u in school_action.updates.all()] == [
        "Half the teams trained.",
        "Training booked.",
    ]


def test_progress_without_words_is_refused(school_action, agency_author):
    with pytest.raises(WorkflowError) as refused:
        progress(school_action, agency_author, Status.IN_PROGRESS, text="  ")
    assert refused.value.message_dict == {"text": ["Enter the progress made"]}
    school_action.refresh_from_db()
    assert (school_action.status, school_action.last_update_at) == (Status.NOT_STARTED, None)


def test_a_complete_action_cannot_go_back_to_in_progress(school_action, agency_author):
    services.completion_evidence_record(
        action=school_action, by=agency_author, completion_evidence="Training delivered."
    )
    with pytest.raises(WorkflowError) as refused:
        progress(school_action, agency_author, Status.IN_PROGRESS)
    assert refused.value.message_dict == {
        "status": ["The action is already complete: the status can only move forward"]
    }
    # Progress goes on being recorded on a complete action, while it waits for its impact.
    progress(school_action, agency_author, Status.COMPLETE, text="Audit planned for June.")
    assert school_action.updates.count() == 1


def test_completion_without_evidence_is_refused(school_action, agency_author):
    with pytest.raises(WorkflowError) as refused:
        services.completion_evidence_record(
            action=school_action, by=agency_author, completion_evidence=" "
        )
    assert refused.value.message_dict == {
        "completion_evidence": ["Enter the evidence of completion"]
    }
    school_action.refresh_from_db()
    assert school_action.status == Status.NOT_STARTED


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"impact_evidence": ""}, "impact_evidence", "Enter what changed in practice"),
        ({"assurance_method": "hunch"}, "assurance_method", "Select how the impact was assured"),
        (
            {"assurance_method": Assurance.OTHER, "assurance_detail": " "},
            "assurance_detail",
            "Describe how the impact was assured",
        ),
    ],
)
def test_evidence_of_impact_needs_what_changed_and_how_it_was_assured(
    school_action, agency_author, fields, field, message
):
    values = {"impact_evidence": "Every referral followed up.", "assurance_method": "audit"}
    with pytest.raises(WorkflowError) as refused:
        services.impact_evidence_record(
            action=school_action, by=agency_author, **{**values, **fields}
        )
    assert refused.value.message_dict == {field: [message]}
    school_action.refresh_from_db()
    assert (school_action.impact_evidence, school_action.assurance_method) == ("", "")


def test_evidence_of_impact_assured_another_way_keeps_how(school_action, agency_author):
    services.impact_evidence_record(
        action=school_action,
        by=agency_author,
        impact_evidence="Referrals doubled.",
        assurance_method=Assurance.OTHER,
        assurance_detail="  Reviewed by the designated nurse.  ",
    )
    school_action.refresh_from_db()
    assert school_action.assurance_detail == "Reviewed by the designated nurse."
    assert summaries(school_action.review, "action_impact") == [
        "Evidence of impact recorded for action 1 (other)"
    ]


# --- ratings and requests -----------------------------------------------------------------------


def test_a_rating_can_change_after_discussion_and_green_needs_no_reason(
    school_action, subgroup_member
):
    services.action_rate(action=school_action, by=subgroup_member, rag=Rag.RED, note="No staff.")
    services.action_rate(action=school_action, by=subgroup_member, rag=Rag.GREEN)
    school_action.refresh_from_db()
    assert (school_action.rag, school_action.rag_note) == (Rag.GREEN, "")
    assert summaries(school_action.review, "action_rated") == [
        "Action 1 rated red: Will not deliver",
        "Action 1 rated green: On track",
    ]


def test_a_rating_outside_red_amber_and_green_is_refused(school_action, subgroup_member):
    with pytest.raises(WorkflowError) as refused:
        services.action_rate(action=school_action, by=subgroup_member, rag="blue")
    assert refused.value.message_dict == {"rag": ["Select red, amber or green"]}


def test_a_closed_action_is_not_rated(school_action, agency_author, subgroup_member):
    make_ready_to_close(school_action, agency_author)
    services.action_close(action=school_action, by=subgroup_member)
    with pytest.raises(WorkflowError, match="You cannot rate the action: action 1 is closed"):
        services.action_rate(action=school_action, by=subgroup_member, rag=Rag.GREEN)


def test_the_sub_group_asks_the_lead_agency_for_evidence_of_impact(
    school_action, subgroup_member, agency_author
):
    with pytest.raises(WorkflowError, match="Only the LCSPR sub-group"):
        services.impact_evidence_request(action=school_action, by=agency_author, note="Me?")
    with pytest.raises(WorkflowError) as refused:
        services.impact_evidence_request(action=school_action, by=subgroup_member, note="")
    assert refused.value.message_dict == {
        "note": ["Enter what evidence of impact the sub-group needs"]
    }
    services.impact_evidence_request(
        action=school_action, by=subgroup_member, note="An audit of cases since the training."
    )
    school_action.refresh_from_db()
    assert school_action.impact_requested_by == subgroup_member
    assert school_action.impact_requested_at is not None
    assert school_action.impact_request_note == "An audit of cases since the training."
    assert summaries(school_action.review, "action_impact_requested") == [
        "Evidence of impact asked for on action 1 from Riverside Primary School"
    ]


# --- handed over, reopened ----------------------------------------------------------------------


def test_an_action_handed_over_and_reopened_is_in_progress_with_the_hand_over_undone(
    school_action, subgroup_member, agency_author
):
    with pytest.raises(WorkflowError) as refused:
        services.action_hand_over(action=school_action, by=subgroup_member, handed_to=" ")
    assert refused.value.message_dict == {"handed_to": ["Enter the plan it is handed to"]}
    services.action_hand_over(
        action=school_action, by=subgroup_member, handed_to="The county's neglect strategy"
    )
    school_action.refresh_from_db()
    assert school_action.status == Status.HANDED_OVER
    assert (school_action.closed_by, school_action.handed_to) == (
        subgroup_member,
        "The county's neglect strategy",
    )
    with pytest.raises(WorkflowError, match="action 1 is handed to another plan"):
        progress(school_action, agency_author, Status.IN_PROGRESS)

    with pytest.raises(WorkflowError) as refused:
        services.action_reopen(action=school_action, by=subgroup_member, reason="")
    assert refused.value.message_dict == {"reason": ["Enter why the action is reopened"]}
    services.action_reopen(
        action=school_action, by=subgroup_member, reason="The strategy was withdrawn."
    )
    school_action.refresh_from_db()
    assert school_action.status == Status.IN_PROGRESS
    assert (school_action.handed_to, school_action.closed_at, school_action.closed_by) == (
        "",
        None,
        None,
    )
    [reopened] = ReviewEvent.objects.filter(review=school_action.review, kind="action_reopened")
    assert reopened.data["reason"] == "The strategy was withdrawn."
    progress(school_action, agency_author, Status.COMPLETE, text="Done after all.")


def test_a_reopened_action_must_be_closed_on_evidence_again(
    school_action, agency_author, subgroup_member
):
    make_ready_to_close(school_action, agency_author)
    services.action_close(action=school_action, by=subgroup_member, note="Audit seen.")
    services.action_reopen(action=school_action, by=subgroup_member, reason="A new audit failed.")
    school_action.refresh_from_db()
    assert school_action.closure_note == ""
    assert services.closure_blocker(school_action) == (
        "Action 1 cannot be closed: it is in progress, not complete."
    )


def test_only_the_sub_group_hands_over_or_reopens(school_action, agency_author, subgroup_member):
    with pytest.raises(WorkflowError, match="Only the LCSPR sub-group"):
        services.action_hand_over(action=school_action, by=agency_author, handed_to="Our plan")
    services.action_hand_over(action=school_action, by=subgroup_member, handed_to="A plan")
    with pytest.raises(WorkflowError, match="Only the LCSPR sub-group"):
        services.action_reopen(action=school_action, by=agency_author, reason="We disagree.")
    school_action.refresh_from_db()
    assert school_action.status == Status.HANDED_OVER


def test_the_closure_rule_names_a_handed_over_action_and_a_closed_review(
    school_action, subgroup_member
):
    services.action_hand_over(action=school_action, by=subgroup_member, handed_to="A plan")
    school_action.refresh_from_db()
    assert services.closure_blocker(school_action) == (
        "Action 1 is already handed to another plan."
    )
    Review.objects.filter(pk=school_action.review_id).update(stage=Stage.CLOSED)
    school_action.review.refresh_from_db()
    assert services.closure_blocker(school_action) == (
        "The review is closed: its action plan can no longer change."
    )


def test_handing_over_the_last_open_action_of_a_published_review_closes_it(
    school_action, subgroup_member
):
    Review.objects.filter(pk=school_action.review_id).update(report_status=ReportStatus.PUBLISHED)
    services.action_hand_over(
        action=school_action, by=subgroup_member, handed_to="The school's own plan"
    )
    review = Review.objects.get(pk=school_action.review_id)
    assert review.stage == Stage.CLOSED
    assert summaries(review, "action_handed_over") == ["Action 1 handed to The school's own plan"]


# --- sharing ------------------------------------------------------------------------------------


def test_sharing_is_the_sub_groups_and_can_be_undone(school_action, subgroup_member, agency_author):
    with pytest.raises(WorkflowError, match="Only the LCSPR sub-group"):
        services.action_share(action=school_action, by=agency_author, shared=True)
    services.action_share(action=school_action, by=subgroup_member, shared=True)
    services.action_share(action=school_action, by=subgroup_member, shared=False)
    services.action_share(action=school_action, by=subgroup_member, shared=False)
    school_action.refresh_from_db()
    assert school_action.shared_with_agencies is False
    assert summaries(school_action.review, "action_unshared") == [
        "Action 1 no longer shared with every agency"
    ]
