"""The action-plan pages: the review's plan, adding actions, turning recommendations and
immediate actions into actions, closing the review, "Our actions", one action's page and each
step on it, and the evidence download. For each: the allowed persona, the wrong method, an
outsider (404) and a user who sees it but may not act (403)."""

import datetime

import pytest
from django.urls import reverse

from actions import services
from actions.models import Action, DueDateChange, EvidenceFile, Rag, Status
from lcspr.access_log.models import AccessLog
from reviews.models import ReportStatus, Review, Stage
from reviews.rapid_review.models import ImmediateAction
from tests.actions.conftest import PDF, add_action, make_ready_to_close, upload
from tests.factories import AgencyFactory, UserFactory
from tests.helpers import assert_constant_queries

pytestmark = pytest.mark.django_db


def signed_in(client, user):
    client.force_login(user)
    return client


def date_fields(name, value: datetime.date) -> dict:
    return {f"{name}_0": value.day, f"{name}_1": value.month, f"{name}_2": value.year}


def page(response) -> str:
    return response.content.decode()


def plan_url(review, name="review_plan"):
    return reverse(f"actions:{name}", args=[review.pk])


def action_url(action, name="detail"):
    return reverse(f"actions:{name}", args=[action.pk])


# --- the review's plan --------------------------------------------------------------------------


def test_the_plan_groups_actions_by_recommendation_with_their_rag_meaning(
    client, manager, school_action, police_action, subgroup_member
):
    services.action_rate(action=police_action, by=subgroup_member, rag=Rag.RED, note="No staff.")
    html = page(signed_in(client, manager).get(plan_url(school_action.review)))
    assert "Recommendation 1" in html and "Recommendation 2" in html
    assert "Red: will not deliver" in html
    assert "2 actions: 2 not started" in html
    assert "Turn the recommendations into actions" in html
    assert AccessLog.objects.filter(what="Viewed the action plan").exists()


def test_panel_members_and_the_oversight_roles_read_the_plan(
    client, school_action, panel_member, subgroup_member, executive_member
):
    for person in (panel_member, subgroup_member, executive_member):
        response = signed_in(client, person).get(plan_url(school_action.review))
        assert response.status_code == 200
    # Reading is all they do: no link to add actions.
    assert "Add an action" not in page(response)


def test_the_plan_is_not_found_for_an_outsider_or_another_reviews_panel(
    client, school_action, outsider, elsewhere, agency_author
):
    # The school's representative is not on this review's panel: its plan does not exist for
    # them (their agency's actions are on "Our actions").
    for person in (outsider, *elsewhere, agency_author):
        assert signed_in(client, person).get(plan_url(school_action.review)).status_code == 404


def test_the_plan_page_only_reads(client, manager, lcspr_review):
    assert signed_in(client, manager).post(plan_url(lcspr_review)).status_code == 405


def test_the_plan_runs_a_constant_number_of_queries(
    client, manager, lcspr_review, recommendations, school, police
):
    add_action(lcspr_review, manager, school, recommendation=recommendations[0])

    def grow():
        for n in range(12):
            add_action(
                lcspr_review,
                manager,
                police if n % 2 else school,
                recommendation=recommendations[n % 2] if n % 3 else None,
                owner=manager,
            )

    assert_constant_queries(signed_in(client, manager), plan_url(lcspr_review), grow)


# --- adding actions -----------------------------------------------------------------------------


def test_the_manager_adds_an_action(client, manager, lcspr_review, recommendations, school):
    response = signed_in(client, manager).post(
        plan_url(lcspr_review, "action_add"),
        {
            "source": "recommendation",
            "recommendation": recommendations[1].pk,
            "text": "Share attendance concerns with health visitors every week.",
            "lead_agency": school.pk,
            "owner": manager.pk,
            **date_fields("due_date", datetime.date(2027, 4, 30)),
        },
    )
    action = Action.objects.get()
    assert response.status_code == 302 and response.url == action_url(action)
    assert (action.recommendation, action.lead_agency, action.owner) == (
        recommendations[1],
        school,
        manager,
    )


def test_adding_an_action_shows_what_is_missing(client, subgroup_member, lcspr_review, school):
    response = signed_in(client, subgroup_member).post(
        plan_url(lcspr_review, "action_add"),
        {"source": "during_review", "text": "", "lead_agency": school.pk},
    )
    html = page(response)
    assert response.status_code == 200 and "govuk-error-summary" in html
    assert "Enter action" in html and "Enter due date" in html
    assert not Action.objects.exists()


def test_an_action_answering_no_recommendation_is_refused_on_the_field(
    client, manager, lcspr_review, recommendations, school
):
    response = signed_in(client, manager).post(
        plan_url(lcspr_review, "action_add"),
        {
            "source": "recommendation",
            "text": "An audit.",
            "lead_agency": school.pk,
            **date_fields("due_date", datetime.date(2027, 4, 30)),
        },
    )
    assert 'href="#id_recommendation"' in page(response)
    assert "Select the recommendation it answers" in page(response)


@pytest.mark.parametrize("name", ["action_add", "from_recommendations"])
def test_only_the_sub_group_and_the_manager_add_actions(
    client, name, lcspr_review, recommendations, executive_member, panel_member, outsider
):
    url = plan_url(lcspr_review, name)
    for person in (executive_member, panel_member):
        assert signed_in(client, person).get(url).status_code == 403
    assert signed_in(client, outsider).get(url).status_code == 404
    assert signed_in(client, executive_member).put(url).status_code == 405


def test_recommendations_become_actions_in_one_step(
    client, subgroup_member, lcspr_review, recommendations, school, police
):
    due = date_fields("due_date", datetime.date(2027, 5, 31))
    data = {
        "rows-TOTAL_FORMS": 3,
        "rows-INITIAL_FORMS": 0,
        "rows-0-recommendation": recommendations[0].pk,
        "rows-0-text": "Audit the follow-up of missed appointments.",
        "rows-0-lead_agency": police.pk,
        **{f"rows-0-{k}": v for k, v in due.items()},
        "rows-1-recommendation": recommendations[0].pk,
        "rows-1-text": "Train health visitors on escalation.",
        "rows-1-lead_agency": school.pk,
        **{f"rows-1-{k}": v for k, v in due.items()},
        "rows-2-recommendation": recommendations[1].pk,  # left without an action: skipped
    }
    client = signed_in(client, subgroup_member)
    page_html = page(client.get(plan_url(lcspr_review, "from_recommendations")))
    assert "Agencies should follow up every missed health appointment" in page_html
    response = client.post(plan_url(lcspr_review, "from_recommendations"), data)
    assert response.status_code == 302
    assert list(Action.objects.values_list("recommendation__number", flat=True)) == [1, 1]


def test_an_incomplete_row_stops_every_action(
    client, manager, lcspr_review, recommendations, school
):
    data = {
        "rows-TOTAL_FORMS": 2,
        "rows-INITIAL_FORMS": 0,
        "rows-0-recommendation": recommendations[0].pk,
        "rows-0-text": "Audit the follow-up of missed appointments.",
        "rows-0-lead_agency": school.pk,
        **date_fields("rows-0-due_date", datetime.date(2027, 5, 31)),
        "rows-1-recommendation": recommendations[1].pk,
        "rows-1-text": "Share attendance data.",
    }
    response = signed_in(client, manager).post(plan_url(lcspr_review, "from_recommendations"), data)
    html = page(response)
    assert "Action 2: Select the lead agency" in html
    assert "Action 2: Enter the due date" in html
    assert not Action.objects.exists()


@pytest.fixture
def immediate(lcspr_review, local_authority):
    """An immediate action the rapid review recorded (before the decision)."""
    return ImmediateAction.objects.create(
        rapid_review=lcspr_review.rapid_review,
        description="Check every sibling in the household has a current safety plan.",
        lead_agency=local_authority,
        due_date=datetime.date(2026, 12, 18),
    )


def test_an_immediate_action_is_tracked_from_the_plan(client, manager, immediate):
    review = immediate.rapid_review.review
    client = signed_in(client, manager)
    assert "track it" in page(client.get(plan_url(review)))
    url = reverse("actions:from_immediate", args=[review.pk, immediate.pk])
    response = client.post(url, date_fields("due_date", datetime.date(2026, 12, 18)))
    action = Action.objects.get()
    assert response.url == action_url(action)
    assert action.immediate_action == immediate and action.source == "immediate"
    assert "track it" not in page(client.get(plan_url(review)))


def test_tracking_an_immediate_action_is_the_sub_groups(
    client, immediate, executive_member, outsider, other_review, manager
):
    review = immediate.rapid_review.review
    url = reverse("actions:from_immediate", args=[review.pk, immediate.pk])
    assert signed_in(client, executive_member).get(url).status_code == 403
    assert signed_in(client, outsider).get(url).status_code == 404
    assert signed_in(client, manager).delete(url).status_code == 405
    # An immediate action of another review is not found through this one.
    wrong = reverse("actions:from_immediate", args=[other_review.pk, immediate.pk])
    assert signed_in(client, manager).get(wrong).status_code == 404


# --- closing the review -------------------------------------------------------------------------


def test_the_manager_closes_a_review_whose_plan_is_complete(
    client, manager, lcspr_review, school_action, agency_author, subgroup_member, executive_member
):
    client = signed_in(client, manager)
    response = client.post(plan_url(lcspr_review, "review_close"), follow=True)
    assert "The review cannot close yet" in page(response)
    make_ready_to_close(school_action, agency_author)
    services.action_close(action=school_action, by=manager)  # the report is not yet published
    Review.objects.filter(pk=lcspr_review.pk).update(report_status=ReportStatus.PUBLISHED)
    assert "Close the review" in page(client.get(plan_url(lcspr_review)))
    response = client.post(plan_url(lcspr_review, "review_close"), follow=True)
    assert "is closed: its action plan is complete" in page(response)
    lcspr_review.refresh_from_db()
    assert lcspr_review.stage == Stage.CLOSED
    # The sub-group and the Executive still read a closed review's plan.
    for person in (subgroup_member, executive_member):
        assert signed_in(client, person).get(plan_url(lcspr_review)).status_code == 200


def test_closing_the_review_is_a_post_by_the_sub_group_or_manager(
    client, lcspr_review, manager, executive_member, outsider
):
    url = plan_url(lcspr_review, "review_close")
    assert signed_in(client, manager).get(url).status_code == 405
    assert signed_in(client, executive_member).post(url).status_code == 403
    assert signed_in(client, outsider).post(url).status_code == 404


# --- our agency's actions -----------------------------------------------------------------------


def test_an_agency_sees_its_own_actions_and_those_shared_with_it(
    client, agency_author, school_action, police_action, subgroup_member
):
    client = signed_in(client, agency_author)
    html = page(client.get(reverse("actions:agency_list")))
    assert "Our actions" in html
    assert action_url(school_action) in html and action_url(police_action) not in html
    services.action_share(action=police_action, by=subgroup_member, shared=True)
    html = page(client.get(reverse("actions:agency_list")))
    assert action_url(police_action) in html and "Shared for learning" in html


def test_our_actions_filter_by_status(client, agency_author, school_action, lcspr_review, manager):
    second = add_action(lcspr_review, manager, agency_author.agency)
    services.progress_update_add(
        action=second, by=agency_author, text="Started.", status=Status.IN_PROGRESS
    )
    html = page(
        signed_in(client, agency_author).get(
            reverse("actions:agency_list"), {"status": "in_progress"}
        )
    )
    assert action_url(second) in html and action_url(school_action) not in html


def test_an_owner_outside_the_agency_finds_their_actions_there(
    client, lcspr_review, manager, police
):
    owner = UserFactory(full_name="Olu Owner", roles=[])
    action = add_action(lcspr_review, manager, police, owner=owner)
    html = page(signed_in(client, owner).get(reverse("actions:agency_list")))
    assert action_url(action) in html and "Our actions" in html


def test_our_actions_is_for_agencies_and_owners_only(client, manager, outsider, executive_member):
    for person in (outsider, executive_member, manager):
        assert signed_in(client, person).get(reverse("actions:agency_list")).status_code == 403


def test_our_actions_only_reads(client, agency_author):
    assert signed_in(client, agency_author).post(reverse("actions:agency_list")).status_code == 405


def test_our_actions_runs_a_constant_number_of_queries(
    client, agency_author, lcspr_review, other_review, manager, school, subgroup_member, police
):
    add_action(lcspr_review, manager, school)

    def grow():
        for review in (lcspr_review, other_review):
            for _ in range(5):
                add_action(review, manager, school, owner=agency_author)
                shared = add_action(review, manager, police)
                services.action_share(action=shared, by=subgroup_member, shared=True)

    assert_constant_queries(signed_in(client, agency_author), reverse("actions:agency_list"), grow)


# --- one action ---------------------------------------------------------------------------------


def test_the_action_page_shows_rag_meaning_updates_evidence_and_due_date_history(
    client, school_action, agency_author, subgroup_member
):
    services.action_rate(action=school_action, by=subgroup_member, rag=Rag.AMBER, note="Slow.")
    services.progress_update_add(
        action=school_action,
        by=agency_author,
        text="Half of the staff trained.",
        status=Status.IN_PROGRESS,
        files=[upload()],
    )
    services.action_due_date_change(
        action=school_action,
        by=subgroup_member,
        new_date=datetime.date(2027, 9, 30),
        reason="Training moved to September.",
    )
    html = page(signed_in(client, agency_author).get(action_url(school_action)))
    assert "Amber: will partly deliver" in html
    assert "Half of the staff trained." in html and "audit-results.pdf" in html
    assert "Training moved to September." in html and "31 March 2027" in html
    assert "Update progress" in html and "Rate the action" not in html
    assert AccessLog.objects.filter(what="Viewed an action").exists()


def test_the_action_page_only_reads(client, school_action, agency_author):
    assert signed_in(client, agency_author).post(action_url(school_action)).status_code == 405


def test_the_action_page_is_not_found_for_an_outsider(client, school_action, outsider):
    assert signed_in(client, outsider).get(action_url(school_action)).status_code == 404


# --- steps on an action: (url name, who may, who sees but may not, a valid POST) --------------

FUTURE = datetime.date(2027, 9, 30)
STEPS = [
    (
        "progress",
        "agency_author",
        "executive_member",
        {"text": "Trained.", "status": "in_progress"},
    ),
    ("completion", "agency_author", "subgroup_member", {"completion_evidence": "All trained."}),
    (
        "impact",
        "agency_author",
        "executive_member",
        {"impact_evidence": "Every referral followed up.", "assurance_method": "audit"},
    ),
    (
        "edit",
        "subgroup_member",
        "agency_author",
        {"text": "A clearer action.", "lead_agency": "school"},
    ),
    (
        "due_date",
        "subgroup_member",
        "agency_author",
        {**date_fields("new_date", FUTURE), "reason": "Moved to the autumn."},
    ),
    ("rate", "subgroup_member", "agency_author", {"rag": "green"}),
    ("request_impact", "subgroup_member", "agency_author", {"note": "An audit of cases."}),
    ("hand_over", "subgroup_member", "agency_author", {"handed_to": "The school's own plan."}),
]


@pytest.mark.parametrize(("name", "allowed", "refused", "data"), STEPS)
def test_each_step_on_an_action(request, client, school_action, name, allowed, refused, data):
    allowed, refused = request.getfixturevalue(allowed), request.getfixturevalue(refused)
    if data.get("lead_agency") == "school":
        data = {**data, "lead_agency": school_action.lead_agency_id}
    url = action_url(school_action, name)
    assert signed_in(client, refused).get(url).status_code == 403
    assert signed_in(client, refused).post(url, data).status_code == 403
    outsider = UserFactory(full_name="Otto Outside", roles=[])
    assert signed_in(client, outsider).get(url).status_code == 404
    client = signed_in(client, allowed)
    assert client.put(url).status_code == 405
    assert client.get(url).status_code == 200
    response = client.post(url, data)
    assert response.status_code == 302 and response.url == action_url(school_action)
    assert school_action.review.events.filter(data__action=school_action.number).count() >= 2


@pytest.mark.parametrize(("name", "allowed", "refused", "data"), STEPS)
def test_each_step_says_what_is_missing(
    request, client, school_action, name, allowed, refused, data
):
    client = signed_in(client, request.getfixturevalue(allowed))
    response = client.post(action_url(school_action, name), {})
    assert response.status_code == 200
    assert "govuk-error-summary" in page(response)


def test_a_progress_update_with_an_evidence_file(client, school_action, agency_author, media):
    response = signed_in(client, agency_author).post(
        action_url(school_action, "progress"),
        {"text": "Audit done; results attached.", "status": "in_progress", "files": [upload()]},
    )
    assert response.status_code == 302
    evidence = EvidenceFile.objects.get()
    assert (evidence.file_name, evidence.uploaded_by) == ("audit-results.pdf", agency_author)
    assert evidence.update.text == "Audit done; results attached."


def test_a_refused_evidence_file_is_named_on_the_form(client, school_action, agency_author, media):
    response = signed_in(client, agency_author).post(
        action_url(school_action, "progress"),
        {"text": "Results.", "status": "in_progress", "files": [upload("run.pdf", b"MZ\x90")]},
    )
    html = page(response)
    assert "The evidence file must be a PDF, Word (DOCX), Excel (XLSX), CSV, PNG or JPEG" in html
    assert 'href="#id_files"' in html
    assert not school_action.updates.exists()
    assert not [p for p in media.rglob("*") if p.is_file()]


def test_a_due_date_move_keeps_the_history(client, school_action, subgroup_member):
    signed_in(client, subgroup_member).post(
        action_url(school_action, "due_date"),
        {**date_fields("new_date", FUTURE), "reason": "Moved to the autumn."},
    )
    change = DueDateChange.objects.get()
    assert (change.old_date, change.new_date) == (datetime.date(2027, 3, 31), FUTURE)


def test_a_finished_action_offers_no_steps(client, school_action, subgroup_member):
    services.action_hand_over(action=school_action, by=subgroup_member, handed_to="Another plan")
    html = page(signed_in(client, subgroup_member).get(action_url(school_action, "rate")))
    assert "is handed to another plan" in html and "Save the rating" not in html
    response = signed_in(client, subgroup_member).post(
        action_url(school_action, "rate"), {"rag": "green"}
    )
    assert "handed to another plan" in page(response)


# --- closing, reopening, sharing ----------------------------------------------------------------


def test_closure_needs_evidence_of_impact(client, school_action, subgroup_member):
    client = signed_in(client, subgroup_member)
    html = page(client.get(action_url(school_action, "close")))
    assert "cannot be closed: it is not started, not complete" in html
    assert "Close the action" not in html
    response = client.post(action_url(school_action, "close"), {"note": ""})
    assert "cannot be closed" in page(response)
    school_action.refresh_from_db()
    assert school_action.status == Status.NOT_STARTED


def test_the_sub_group_checks_the_evidence_and_closes(
    client, school_action, agency_author, subgroup_member
):
    make_ready_to_close(school_action, agency_author)
    client = signed_in(client, subgroup_member)
    html = page(client.get(action_url(school_action, "close")))
    assert "An audit of 20 fictional cases" in html and "Audit" in html
    response = client.post(action_url(school_action, "close"), {"note": "Seen at the meeting."})
    assert response.url == action_url(school_action)
    school_action.refresh_from_db()
    assert school_action.status == Status.CLOSED
    assert "Reopen the action" in page(client.get(action_url(school_action)))


def test_closing_is_the_sub_groups(
    client, school_action, agency_author, executive_member, outsider, subgroup_member
):
    make_ready_to_close(school_action, agency_author)
    url = action_url(school_action, "close")
    for person in (agency_author, executive_member):
        assert signed_in(client, person).post(url, {"note": ""}).status_code == 403
    assert signed_in(client, outsider).get(url).status_code == 404
    assert signed_in(client, subgroup_member).put(url).status_code == 405


def test_reopening(client, school_action, agency_author, subgroup_member, outsider):
    make_ready_to_close(school_action, agency_author)
    services.action_close(action=school_action, by=subgroup_member)
    url = action_url(school_action, "reopen")
    assert signed_in(client, agency_author).get(url).status_code == 403
    assert signed_in(client, outsider).get(url).status_code == 404
    assert signed_in(client, subgroup_member).put(url).status_code == 405
    response = signed_in(client, subgroup_member).post(url, {"reason": "A new audit failed."})
    assert response.status_code == 302
    school_action.refresh_from_db()
    assert school_action.status == Status.IN_PROGRESS


def test_sharing_and_unsharing(client, police_action, subgroup_member, agency_author, outsider):
    url = action_url(police_action, "share")
    assert signed_in(client, subgroup_member).get(url).status_code == 405
    assert signed_in(client, outsider).post(url, {"shared": "yes"}).status_code == 404
    response = signed_in(client, subgroup_member).post(url, {"shared": "yes"})
    assert response.status_code == 302
    police_action.refresh_from_db()
    assert police_action.shared_with_agencies
    # Now the school's representative sees it, but may not share it.
    assert signed_in(client, agency_author).post(url, {"shared": "no"}).status_code == 403
    signed_in(client, subgroup_member).post(url, {"shared": "no"})
    police_action.refresh_from_db()
    assert not police_action.shared_with_agencies


# --- evidence files -----------------------------------------------------------------------------


@pytest.fixture
def evidence(school_action, agency_author):
    services.progress_update_add(
        action=school_action,
        by=agency_author,
        text="Audit attached.",
        status=Status.IN_PROGRESS,
        files=[upload()],
    )
    return EvidenceFile.objects.get()


def evidence_url(evidence):
    return reverse("actions:evidence", args=[evidence.pk])


def test_evidence_is_downloaded_as_an_attachment_and_logged(client, evidence, agency_author):
    response = signed_in(client, agency_author).get(evidence_url(evidence))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store"
    assert AccessLog.objects.filter(what__startswith="Downloaded evidence").count() == 1


def test_evidence_of_an_unshared_action_is_not_found_for_another_agency(
    client, evidence, other_agency_author, outsider
):
    for person in (other_agency_author, outsider):
        assert signed_in(client, person).get(evidence_url(evidence)).status_code == 404


def test_evidence_download_only_reads(client, evidence, agency_author):
    assert signed_in(client, agency_author).post(evidence_url(evidence)).status_code == 405


def test_a_changed_evidence_file_is_not_served(client, evidence, agency_author):
    with evidence.file.open("wb") as stored:
        stored.write(b"%PDF-1.7 something else")
    response = signed_in(client, agency_author).get(evidence_url(evidence))
    assert response.status_code == 409
    assert "is not the file that was uploaded" in page(response)
    assert not AccessLog.objects.filter(what__startswith="Downloaded evidence").exists()


# --- the review page and the navigation ---------------------------------------------------------


def test_the_review_page_shows_the_action_plan_section(
    client, manager, school_action, police_action
):
    html = page(
        signed_in(client, manager).get(reverse("reviews:detail", args=[school_action.review_id]))
    )
    assert "Action plan" in html
    assert "2 actions: 2 not started" in html
    assert "2 of 2 recommendations have actions" in html
    assert plan_url(school_action.review) in html


def test_the_navigation_offers_our_actions_to_agency_representatives(
    client, agency_author, manager
):
    html = page(signed_in(client, agency_author).get("/"))
    assert reverse("actions:agency_list") in html
    html = page(signed_in(client, manager).get("/"))
    assert reverse("actions:agency_list") not in html


def test_another_agency_can_be_given_the_lead(client, school_action, subgroup_member):
    probation = AgencyFactory(name="Wendale Probation Delivery Unit")
    signed_in(client, subgroup_member).post(
        action_url(school_action, "edit"),
        {"text": school_action.text, "lead_agency": probation.pk},
    )
    school_action.refresh_from_db()
    assert school_action.lead_agency == probation
