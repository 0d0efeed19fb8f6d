"""The action-plan services: adding actions from each source, the status rules, the due-date
change history, evidence files, THE CLOSURE RULE and the review's closure once its plan is done.
"""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from actions import services
from actions.models import Action, DueDateChange, EvidenceFile, Rag, Source, Status
from lcspr.core.exceptions import WorkflowError
from lcspr.core.uploads import MAX_EVIDENCE_BYTES, check_evidence
from reviews import workflow as workflow_workflow
from reviews.learning.models import LearningTheme
from reviews.models import ReportStatus, Review, ReviewEvent, Stage
from reviews.permissions import can_review, reviews_for_user
from reviews.rapid_review import services as rapid_review_services
from reviews.referral import services as referral_services
from tests.actions.conftest import (
    DUE,
    PDF,
    PNG,
    add_action,
    make_ready_to_close,
    office_file,
    upload,
)
from tests.reviews.conftest import (
    open_referral,
    to_decided,
    to_rapid_review,
    to_sent,
    to_signed_off,
)

pytestmark = pytest.mark.django_db


def events(review, kind):
    return list(ReviewEvent.objects.filter(review=review, kind=kind))


def publish(review):
    """The report's publication is another app's journey: only its result matters."""
    Review.objects.filter(pk=review.pk).update(report_status=ReportStatus.PUBLISHED)
    review.refresh_from_db()


# --- adding actions -----------------------------------------------------------------------------


def test_actions_are_numbered_per_review_with_history_and_a_timeline_event(
    lcspr_review, manager, school, police, recommendations
):
    first = add_action(lcspr_review, manager, school, recommendation=recommendations[0])
    second = add_action(lcspr_review, manager, police)
    assert (first.number, second.number) == (1, 2)
    assert first.reference == f"{lcspr_review.reference}/A1"
    assert first.history.first().history_user == manager
    assert first.status == Status.NOT_STARTED and first.rag == ""
    assert "Action 1 (recommendation 1) added for Riverside Primary School" in [
        e.summary.split(",")[0] for e in events(lcspr_review, "action_added")
    ]


def test_an_action_answering_a_recommendation_needs_one_of_this_reviews_report(
    lcspr_review, other_review, manager, school, recommendations
):
    with pytest.raises(WorkflowError) as error:
        services.action_add(
            review=lcspr_review,
            by=manager,
            source=Source.RECOMMENDATION,
            text="Audit the follow-up of missed appointments.",
            lead_agency=school,
            due_date=DUE,
        )
    assert error.value.message_dict == {"recommendation": ["Select the recommendation it answers"]}
    with pytest.raises(WorkflowError) as error:
        add_action(other_review, manager, school, recommendation=recommendations[0])
    assert "belongs to another review" in str(error.value)
    assert not Action.objects.exists()


def test_recommendations_and_partnership_actions_wait_for_an_lcspr(
    in_rapid_review, manager, school
):
    with pytest.raises(WorkflowError) as error:
        services.action_add(
            review=in_rapid_review,
            by=manager,
            source=Source.PARTNERSHIP,
            text="A partnership-wide audit.",
            lead_agency=school,
            due_date=DUE,
        )
    assert "the review is at the rapid review stage" in str(error.value)
    # Obvious improvements are acted on at once, from the rapid review on.
    action = add_action(in_rapid_review, manager, school)
    assert action.source == Source.DURING_REVIEW


def test_an_empty_action_is_refused_naming_the_field(lcspr_review, manager, school):
    with pytest.raises(WorkflowError) as error:
        add_action(lcspr_review, manager, school, text="   ")
    assert error.value.message_dict == {"text": ["Enter the action"]}


def test_themes_default_to_the_reviews_primary_learning_themes(lcspr_review, manager, school):
    from reviews.learning.services import learning_summary_update

    neglect, voice = LearningTheme.objects.order_by("position")[:2]
    learning_summary_update(
        review=lcspr_review,
        by=manager,
        primary_themes=[neglect, voice],
        other_themes=[],
        background="A fictional case.",
        why_it_matters="",
        findings="",
        reflective_questions="",
        further_reading="",
    )
    action = add_action(lcspr_review, manager, school)
    assert set(action.themes.all()) == {neglect, voice}


def test_recommendations_become_actions_all_or_none(
    lcspr_review, manager, school, police, recommendations
):
    rows = [
        {
            "recommendation": recommendations[0],
            "text": "Audit appointments.",
            "lead_agency": police,
            "due_date": DUE,
        },
        {
            "recommendation": recommendations[0],
            "text": "Train health visitors.",
            "lead_agency": school,
            "due_date": DUE,
        },
        {"recommendation": recommendations[1], "text": "", "lead_agency": school, "due_date": DUE},
    ]
    with pytest.raises(WorkflowError) as error:
        services.actions_from_recommendations(review=lcspr_review, by=manager, rows=rows)
    assert str(error.value.messages[0]) == "Action 3: Enter the action"
    assert not Action.objects.exists()
    rows[2]["text"] = "Share attendance concerns weekly."
    actions = services.actions_from_recommendations(review=lcspr_review, by=manager, rows=rows)
    assert [(a.number, a.recommendation.number) for a in actions] == [(1, 1), (2, 1), (3, 2)]


def test_an_immediate_action_of_the_rapid_review_becomes_a_tracked_action_once(
    in_rapid_review, manager, local_authority
):
    immediate = rapid_review_services.immediate_action_add(
        review=in_rapid_review,
        by=manager,
        description="Check every sibling has a current safety plan.",
        lead_agency=local_authority,
        due_date=datetime.date(2026, 12, 18),
    )
    action = services.action_from_immediate(immediate_action=immediate, by=manager)
    assert action.source == Source.IMMEDIATE
    assert (action.text, action.lead_agency, action.due_date) == (
        immediate.description,
        local_authority,
        immediate.due_date,
    )
    with pytest.raises(WorkflowError, match="already tracked"):
        services.action_from_immediate(immediate_action=immediate, by=manager)


def test_an_immediate_action_without_a_due_date_needs_one(
    in_rapid_review, manager, local_authority
):
    immediate = rapid_review_services.immediate_action_add(
        review=in_rapid_review,
        by=manager,
        description="Visit the home.",
        lead_agency=local_authority,
    )
    with pytest.raises(WorkflowError) as error:
        services.action_from_immediate(immediate_action=immediate, by=manager)
    assert "due_date" in error.value.message_dict


# --- status rules -------------------------------------------------------------------------------


def test_progress_moves_the_status_forward_and_records_when(school_action, agency_author):
    update = services.progress_update_add(
        action=school_action, by=agency_author, text="Training booked.", status=Status.IN_PROGRESS
    )
    school_action.refresh_from_db()
    assert school_action.status == Status.IN_PROGRESS
    assert school_action.last_update_at == update.recorded_at
    assert update.history.first().history_user == agency_author
    with pytest.raises(WorkflowError) as error:
        services.progress_update_add(
            action=school_action, by=agency_author, text="Oops.", status=Status.NOT_STARTED
        )
    assert "can only move forward" in error.value.message_dict["status"][0]


def test_progress_can_never_close_an_action(school_action, agency_author):
    with pytest.raises(WorkflowError) as error:
        services.progress_update_add(
            action=school_action, by=agency_author, text="All done.", status=Status.CLOSED
        )
    assert "only the sub-group closes" in error.value.message_dict["status"][0]
    school_action.refresh_from_db()
    assert school_action.status == Status.NOT_STARTED
    assert not school_action.updates.exists()


def test_evidence_files_are_checked_by_content_and_kept_with_their_sha256(
    school_action, agency_author
):
    docx = upload("briefing.docx", office_file("word/document.xml"))
    services.progress_update_add(
        action=school_action,
        by=agency_author,
        text="Briefing sent; audit results attached.",
        status=Status.IN_PROGRESS,
        files=[docx, upload("chart.png", PNG), upload("results.csv", b"team,done\nA,yes\n")],
    )
    names = sorted(EvidenceFile.objects.values_list("file_name", flat=True))
    assert names == ["briefing.docx", "chart.png", "results.csv"]
    assert all(len(f.sha256) == 64 for f in EvidenceFile.objects.all())
    with pytest.raises(WorkflowError) as error:
        services.progress_update_add(
            action=school_action,
            by=agency_author,
            text="A renamed program.",
            status=Status.IN_PROGRESS,
            files=[upload("audit.pdf", b"MZ\x90\x00\x03")],
        )
    assert error.value.message_dict["files"] == [
        "The evidence file must be a PDF, Word (DOCX), Excel (XLSX), CSV, PNG or JPEG file"
    ]
    assert school_action.updates.count() == 1  # nothing of the refused update is kept


def test_a_file_whose_name_disagrees_with_its_content_is_refused(school_action, agency_author):
    with pytest.raises(WorkflowError) as error:
        services.progress_update_add(
            action=school_action,
            by=agency_author,
            text="Results.",
            status=Status.IN_PROGRESS,
            files=[upload("results.xlsx", office_file("word/document.xml"))],
        )
    assert "is not what its name says" in error.value.message_dict["files"][0]


def test_completion_evidence_makes_the_action_complete(school_action, agency_author):
    services.completion_evidence_record(
        action=school_action, by=agency_author, completion_evidence="Policy rewritten."
    )
    school_action.refresh_from_db()
    assert school_action.status == Status.COMPLETE


# --- due dates ----------------------------------------------------------------------------------


def test_a_moved_due_date_keeps_the_old_date_and_the_reason(school_action, subgroup_member):
    old = school_action.due_date
    new = datetime.date(2027, 6, 30)
    services.action_due_date_change(
        action=school_action, by=subgroup_member, new_date=new, reason="Training moved to summer."
    )
    school_action.refresh_from_db()
    change = DueDateChange.objects.get()
    assert (change.old_date, change.new_date, change.reason, change.changed_by) == (
        old,
        new,
        "Training moved to summer.",
        subgroup_member,
    )
    assert school_action.due_date == new
    assert events(school_action.review, "action_due_date")[0].data["reason"] == (
        "Training moved to summer."
    )


@pytest.mark.parametrize(
    ("new_date", "reason", "field"),
    [
        (datetime.date(2027, 6, 30), " ", "reason"),
        (DUE, "Same date.", "new_date"),
        (datetime.date(2020, 1, 1), "In the past.", "new_date"),
    ],
)
def test_a_due_date_change_needs_a_reason_and_a_new_future_date(
    school_action, subgroup_member, new_date, reason, field
):
    with pytest.raises(WorkflowError) as error:
        services.action_due_date_change(
            action=school_action, by=subgroup_member, new_date=new_date, reason=reason
        )
    assert field in error.value.message_dict
    assert not DueDateChange.objects.exists()


# --- monitoring and THE CLOSURE RULE ------------------------------------------------------------


def test_red_and_amber_ratings_need_the_reason(school_action, subgroup_member):
    with pytest.raises(WorkflowError) as error:
        services.action_rate(action=school_action, by=subgroup_member, rag=Rag.RED, note="")
    assert "note" in error.value.message_dict
    services.action_rate(action=school_action, by=subgroup_member, rag=Rag.AMBER, note="Staffing.")
    school_action.refresh_from_db()
    assert (school_action.rag, school_action.rag_meaning) == (Rag.AMBER, "Will partly deliver")


def test_an_agency_cannot_rate_its_own_action(school_action, agency_author):
    with pytest.raises(WorkflowError, match="Only the LCSPR sub-group"):
        services.action_rate(action=school_action, by=agency_author, rag=Rag.GREEN)


def test_an_action_that_is_not_complete_cannot_be_closed(school_action, subgroup_member):
    with pytest.raises(WorkflowError, match="not started, not complete"):
        services.action_close(action=school_action, by=subgroup_member, note="")


def test_a_complete_action_without_evidence_of_impact_cannot_be_closed(
    school_action, agency_author, subgroup_member
):
    services.completion_evidence_record(
        action=school_action, by=agency_author, completion_evidence="Training delivered."
    )
    with pytest.raises(WorkflowError, match="without evidence of impact"):
        services.action_close(action=school_action, by=subgroup_member)
    school_action.refresh_from_db()
    assert school_action.status == Status.COMPLETE


def test_only_the_sub_group_or_the_manager_can_close(
    school_action, agency_author, executive_member
):
    make_ready_to_close(school_action, agency_author)
    for person in (agency_author, executive_member):
        with pytest.raises(WorkflowError, match="Only the LCSPR sub-group"):
            services.action_close(action=school_action, by=person)


def test_the_sub_group_closes_an_action_on_evidence_of_impact(
    school_action, agency_author, subgroup_member
):
    services.impact_evidence_request(
        action=school_action, by=subgroup_member, note="Show what changed in practice."
    )
    make_ready_to_close(school_action, agency_author)
    services.action_close(action=school_action, by=subgroup_member, note="Audit seen.")
    school_action.refresh_from_db()
    assert school_action.status == Status.CLOSED
    assert school_action.closed_by == subgroup_member
    assert events(school_action.review, "action_closed")
    with pytest.raises(WorkflowError, match="is closed"):
        services.progress_update_add(
            action=school_action, by=agency_author, text="More.", status=Status.COMPLETE
        )


def test_a_reopened_action_is_in_progress_again(school_action, agency_author, subgroup_member):
    make_ready_to_close(school_action, agency_author)
    services.action_close(action=school_action, by=subgroup_member)
    services.action_reopen(action=school_action, by=subgroup_member, reason="A new audit failed.")
    school_action.refresh_from_db()
    assert (school_action.status, school_action.closed_at) == (Status.IN_PROGRESS, None)
    with pytest.raises(WorkflowError, match="nothing to reopen"):
        services.action_reopen(action=school_action, by=subgroup_member, reason="Again.")


def test_sharing_is_recorded_once(school_action, subgroup_member):
    services.action_share(action=school_action, by=subgroup_member, shared=True)
    services.action_share(action=school_action, by=subgroup_member, shared=True)
    assert len(events(school_action.review, "action_shared")) == 1


# --- the review's closure -----------------------------------------------------------------------


def test_the_review_closes_when_every_action_is_done_and_the_report_is_published(
    lcspr_review, school_action, police_action, agency_author, subgroup_member
):
    publish(lcspr_review)
    make_ready_to_close(school_action, agency_author)
    services.action_close(action=school_action, by=subgroup_member)
    lcspr_review.refresh_from_db()
    assert lcspr_review.stage == Stage.LCSPR
    services.action_hand_over(
        action=police_action, by=subgroup_member, handed_to="The police force's own learning plan"
    )
    lcspr_review.refresh_from_db()
    assert lcspr_review.stage == Stage.CLOSED
    assert events(lcspr_review, "review_closed")
    assert lcspr_review.history.first().history_user == subgroup_member
    # Closed, it no longer changes.
    with pytest.raises(WorkflowError, match="The review is closed"):
        services.action_reopen(action=police_action, by=subgroup_member, reason="More to do.")


def test_the_review_stays_open_until_its_report_is_published(
    lcspr_review, school_action, agency_author, subgroup_member
):
    make_ready_to_close(school_action, agency_author)
    services.action_close(action=school_action, by=subgroup_member)
    lcspr_review.refresh_from_db()
    assert lcspr_review.stage == Stage.LCSPR
    assert "has not been published" in services.plan_close_blocker(lcspr_review)
    publish(lcspr_review)
    assert services.review_close_if_done(review=lcspr_review, by=subgroup_member)


def test_a_review_without_actions_does_not_close(lcspr_review, manager):
    publish(lcspr_review)
    assert not services.review_close_if_done(review=lcspr_review, by=manager)
    assert services.plan_close_blocker(lcspr_review) == "The review has no actions yet."


def test_the_oversight_roles_still_see_a_closed_review_with_a_report(
    lcspr_review, school_action, agency_author, subgroup_member, executive_member, manager, police
):
    publish(lcspr_review)
    make_ready_to_close(school_action, agency_author)
    services.action_close(action=school_action, by=subgroup_member)
    lcspr_review.refresh_from_db()
    assert lcspr_review.stage == Stage.CLOSED
    for person in (subgroup_member, executive_member):
        assert list(reviews_for_user(person)) == [lcspr_review]
        assert can_review(person, "view", lcspr_review)
    # A referral closed without a report stays out of their sight.
    referral = open_referral(manager, police, pseudonym="Child W")
    referral_services.criteria_record(
        review=referral, by=manager, abuse_or_neglect="no", died_or_seriously_harmed="yes"
    )
    referral_services.review_close_not_notifiable(
        review=referral, by=manager, reason="Not notifiable."
    )
    referral.refresh_from_db()
    assert referral.stage == Stage.CLOSED
    assert not can_review(subgroup_member, "view", referral)
    assert referral not in reviews_for_user(executive_member)


def test_the_completed_review_service_refuses_a_review_that_is_not_an_lcspr(referral, manager):
    with pytest.raises(WorkflowError, match="can only be done at the LCSPR stage"):
        workflow_workflow.review_close_completed(review=referral, by=manager, reason="Done.")


@time_machine.travel(datetime.datetime(2027, 5, 3, 9, tzinfo=datetime.UTC))
def test_an_action_past_its_due_date_is_still_updated(school_action, agency_author):
    update = services.progress_update_add(
        action=school_action, by=agency_author, text="Late but moving.", status=Status.IN_PROGRESS
    )
    assert update.recorded_at.date() == datetime.date(2027, 5, 3)


def test_another_lcspr_has_its_own_numbering(
    other_review, lcspr_review, manager, school, partner_leads, local_authority, independent_chair
):
    add_action(lcspr_review, manager, school)
    third = open_referral(manager, local_authority, pseudonym="Child V")
    third = to_decided(
        to_sent(to_signed_off(to_rapid_review(third, manager), manager, partner_leads), manager),
        independent_chair,
    )
    assert add_action(other_review, manager, school).number == 1
    assert add_action(third, manager, school).number == 1


# --- evidence file checks (lcspr.core.uploads.check_evidence) -----------------------------------

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 40


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("audit.pdf", b"%PDF-1.7\n%%EOF\n"),
        ("briefing.docx", office_file("word/document.xml")),
        ("results.xlsx", office_file("xl/workbook.xml")),
        ("survey.csv", "question,answer\ncaf\u00e9,oui\n".encode("utf-8-sig")),
        ("poster.png", PNG),
        ("poster.jpg", JPEG),
        ("poster.JPEG", JPEG),
    ],
)
def test_evidence_of_each_accepted_kind_passes(name, content):
    assert check_evidence(upload(name, content), label="evidence file").name == name


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.pdf", b"", "The evidence file is empty"),
        ("tool.exe", b"MZ\x90\x00", "must be a PDF, Word (DOCX), Excel (XLSX), CSV, PNG or JPEG"),
        ("data.csv", b"a,b\x00c", "must be a PDF, Word (DOCX)"),
        ("data.csv", "caf\u00e9".encode("latin-1"), "must be a PDF, Word (DOCX)"),
        ("zipped.docx", office_file("other/part.xml"), "must be a PDF, Word (DOCX)"),
        ("chart.png", JPEG, "is not what its name says"),
        ("notes.pdf", b"just text", "is not what its name says"),
    ],
)
def test_evidence_that_is_not_what_we_accept_is_refused(name, content, message):
    with pytest.raises(ValidationError) as error:
        check_evidence(upload(name, content), label="evidence file")
    assert message in error.value.messages[0]


def test_evidence_over_the_size_limit_is_refused():
    with pytest.raises(ValidationError, match="must be smaller than 1 MB"):
        check_evidence(
            upload("big.pdf", PDF + b"0" * 1024 * 1024),
            label="evidence file",
            max_bytes=1024 * 1024,
        )
    assert MAX_EVIDENCE_BYTES == 20 * 1024 * 1024
