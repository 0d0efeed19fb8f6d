import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from lcspr.access_log.models import AccessLog
from lcspr.core import form_tokens
from lcspr.core.exceptions import WorkflowError
from lcspr.core.permissions import grant
from reviews.clocks.models import DeadlineKind
from reviews.decision import services as decision_services
from reviews.decision.models import Outcome
from reviews.models import Child, Review, ReviewEvent, Stage, Trigger
from reviews.rapid_review import services as rapid_review_services
from reviews.referral import services as referral_services
from tests.helpers import assert_constant_queries, query_count
from tests.reviews.conftest import AWARE, INCIDENT, NOTIFIED, open_referral, to_agreed

D = datetime.date

pytestmark = pytest.mark.django_db

# Early March 2026: the fixtures' referral (LA aware Tuesday 3 March) is then not yet overdue.
BEFORE_DEADLINE = datetime.datetime(2026, 3, 5, 12, 0, tzinfo=datetime.UTC)


def _date(name, value):
    return {f"{name}_0": value.day, f"{name}_1": value.month, f"{name}_2": value.year}


def _signed_in(client, user):
    client.force_login(user)
    return client


def _messages(response):
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def child(referral, manager):
    return referral_services.child_add(
        review=referral,
        by=manager,
        name="Jamie Fictional",
        sex="male",
        date_of_birth=datetime.date(2024, 1, 5),
    )


def _review_pages(review, child):
    return {
        "detail": reverse("reviews:detail", args=[review.pk]),
        "timeline": reverse("reviews:timeline", args=[review.pk]),
        "edit": reverse("reviews:edit", args=[review.pk]),
        "child_add": reverse("reviews:child_add", args=[review.pk]),
        "child_remove": reverse("reviews:child_remove", args=[review.pk, child.pk]),
        "criteria": reverse("reviews:criteria", args=[review.pk]),
        "close": reverse("reviews:close", args=[review.pk]),
        "notification": reverse("reviews:notification", args=[review.pk]),
        "partners_informed": reverse("reviews:partners_informed", args=[review.pk]),
    }


VIEW_PAGES = ["detail", "timeline"]
MANAGE_PAGES = [
    "edit",
    "child_add",
    "child_remove",
    "criteria",
    "close",
    "notification",
    "partners_informed",
]


# --- who reaches which page --------------------------------------------------------------------


@pytest.mark.parametrize("page", VIEW_PAGES + MANAGE_PAGES)
@pytest.mark.parametrize("persona", ["outsider", "agency_author", "subgroup_member"])
def test_a_review_does_not_exist_for_people_outside_it(
    client, request, referral, child, page, persona
):
    _signed_in(client, request.getfixturevalue(persona))
    assert client.get(_review_pages(referral, child)[page]).status_code == 404


@pytest.mark.parametrize("page", MANAGE_PAGES)
@pytest.mark.parametrize("persona", ["partner_lead", "independent_chair"])
def test_only_the_manager_may_take_the_referral_steps(
    client, request, referral, child, page, persona
):
    _signed_in(client, request.getfixturevalue(persona))
    assert client.get(_review_pages(referral, child)[page]).status_code == 403
    assert client.post(_review_pages(referral, child)[page]).status_code == 403


@pytest.mark.parametrize("page", VIEW_PAGES)
@pytest.mark.parametrize("persona", ["manager", "partner_lead", "independent_chair"])
def test_the_partnership_roles_see_the_review_and_its_timeline(
    client, request, referral, child, page, persona
):
    _signed_in(client, request.getfixturevalue(persona))
    assert client.get(_review_pages(referral, child)[page]).status_code == 200


@pytest.mark.parametrize("page", VIEW_PAGES + MANAGE_PAGES)
def test_a_wrong_method_is_refused(client, manager, referral, child, page):
    _signed_in(client, manager)
    url = _review_pages(referral, child)[page]
    assert client.put(url).status_code == 405
    if page in VIEW_PAGES:
        assert client.post(url).status_code == 405


@pytest.mark.parametrize("page", VIEW_PAGES + MANAGE_PAGES)
def test_signed_out_people_are_sent_to_sign_in(client, referral, child, page):
    response = client.get(_review_pages(referral, child)[page])
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


# --- the reviews list --------------------------------------------------------------------------


def test_the_list_shows_each_review_with_its_next_deadline_and_countdown(client, manager, referral):
    _signed_in(client, manager)
    with time_machine.travel(BEFORE_DEADLINE, tick=False):
        response = client.get(reverse("reviews:list"))
    html = response.content.decode()
    assert referral.reference in html
    assert "Child T" in html
    assert "Referral" in html
    # Aware Tuesday 3 March + 5 working days = Tuesday 10 March: 3 working days after 5 March.
    assert "Notify the National Panel" in html
    assert "10 March 2026" in html
    assert "due in 3 working days" in html
    assert "Northbridge Council Children&#x27;s Services" in html
    assert "Record a referral" in html


def test_the_list_says_how_late_an_overdue_step_is(client, manager, referral):
    _signed_in(client, manager)
    with time_machine.travel(
        datetime.datetime(2026, 3, 12, 12, 0, tzinfo=datetime.UTC), tick=False
    ):
        html = client.get(reverse("reviews:list")).content.decode()
    assert "overdue by 2 working days" in html


def test_the_list_filters_by_stage_and_keeps_the_filter_in_the_address(
    client, manager, in_rapid_review, local_authority
):
    waiting = open_referral(manager, local_authority, pseudonym="Child W")
    _signed_in(client, manager)
    response = client.get(reverse("reviews:list"), {"stage": Stage.RAPID_REVIEW})
    html = response.content.decode()
    assert in_rapid_review.reference in html
    assert waiting.reference not in html
    assert '<option value="rapid_review" selected>' in html
    assert "Clear filters" in html


def test_the_list_filters_to_overdue_reviews(client, manager, referral, local_authority):
    late = referral_services.review_open(
        by=manager,
        pseudonym="Child L",
        incident_date=datetime.date(2026, 2, 2),
        la_aware_date=datetime.date(2026, 2, 2),
        trigger=Trigger.DEATH,
        referring_agency=local_authority,
        what_is_known="Fictional.",
    )
    _signed_in(client, manager)
    with time_machine.travel(BEFORE_DEADLINE, tick=False):
        html = client.get(reverse("reviews:list"), {"overdue": "on"}).content.decode()
    assert late.reference in html
    assert referral.reference not in html
    assert 'name="overdue" type="checkbox" value="on" checked' in html


def test_the_list_says_when_nothing_matches(client, manager, referral):
    _signed_in(client, manager)
    html = client.get(reverse("reviews:list"), {"stage": Stage.LCSPR}).content.decode()
    assert "No reviews match these filters." in html


def test_the_list_says_when_there_are_no_reviews(client, manager):
    _signed_in(client, manager)
    assert "There are no reviews yet." in client.get(reverse("reviews:list")).content.decode()


def test_a_partner_lead_sees_the_list_but_cannot_record_a_referral(client, partner_lead, referral):
    _signed_in(client, partner_lead)
    html = client.get(reverse("reviews:list")).content.decode()
    assert referral.reference in html
    assert "Record a referral" not in html


@pytest.mark.parametrize("persona", ["outsider", "agency_author"])
def test_the_list_is_refused_to_people_who_see_no_review(client, request, persona):
    _signed_in(client, request.getfixturevalue(persona))
    assert client.get(reverse("reviews:list")).status_code == 403


def test_the_list_refuses_a_post(client, manager):
    _signed_in(client, manager)
    assert client.post(reverse("reviews:list")).status_code == 405


def test_the_list_runs_the_same_queries_for_2_or_20_reviews(client, manager, local_authority):
    for n in range(2):
        open_referral(manager, local_authority, pseudonym=f"Child {n}")
    _signed_in(client, manager)

    def grow():
        for n in range(2, 20):
            open_referral(manager, local_authority, pseudonym=f"Child {n}")

    assert_constant_queries(client, reverse("reviews:list"), grow)
    assert Review.objects.count() == 20


# --- a new referral ----------------------------------------------------------------------------


def _referral_data(agency, **overrides):
    return {
        "pseudonym": "Child R",
        **_date("incident_date", INCIDENT),
        "incident_location": "Northbridge",
        **_date("la_aware_date", AWARE),
        "trigger": Trigger.SERIOUS_HARM,
        "referring_agency": agency.pk,
        "what_is_known": "A fictional toddler was found with injuries.",
        "additional_children": "",
        **overrides,
    }


def test_the_manager_records_a_referral_and_sees_its_reference(client, manager, police):
    _signed_in(client, manager)
    response = client.post(reverse("reviews:new"), _referral_data(police), follow=True)
    review = Review.objects.get()
    assert response.redirect_chain[-1][0] == reverse("reviews:detail", args=[review.pk])
    assert _messages(response) == [f"Referral recorded as {review.reference}"]
    assert review.pseudonym == "Child R"
    assert review.referring_agency == police
    assert review.deadlines.get(kind=DeadlineKind.NOTIFICATION).due_date == datetime.date(
        2026, 3, 10
    )


def test_a_referral_sent_twice_is_recorded_once(client, manager, police):
    _signed_in(client, manager)
    data = {**_referral_data(police), "form_token": form_tokens.new_token()}
    first = client.post(reverse("reviews:new"), data)
    again = client.post(reverse("reviews:new"), data, follow=True)
    review = Review.objects.get()
    assert first["Location"] == reverse("reviews:detail", args=[review.pk])
    assert again.redirect_chain == [(first["Location"], 302)]
    assert "This was already saved. It has not been saved twice." in _messages(again)


def test_an_incomplete_referral_names_each_missing_field_and_stores_nothing(client, manager):
    _signed_in(client, manager)
    response = client.post(reverse("reviews:new"), {})
    html = response.content.decode()
    for message in [
        "Enter pseudonym",
        "Enter date of the incident",
        "Enter date the local authority became aware",
        "Select what happened",
        "Select referring agency",
        "Enter what is known so far",
    ]:
        assert message in html
    assert "There is a problem" in html
    assert not Review.objects.exists()


def test_awareness_before_the_incident_is_refused_on_its_field(client, manager, police):
    _signed_in(client, manager)
    data = _referral_data(police, **_date("la_aware_date", datetime.date(2026, 3, 1)))
    response = client.post(reverse("reviews:new"), data)
    assert response.context["form"].errors["la_aware_date"] == [
        "The local authority cannot have become aware before the incident."
    ]
    assert not Review.objects.exists()


def test_a_referral_cannot_name_an_agency_that_has_closed(client, manager, police):
    police.is_active = False
    police.save()
    _signed_in(client, manager)
    response = client.post(reverse("reviews:new"), _referral_data(police))
    assert "referring_agency" in response.context["form"].errors
    assert not Review.objects.exists()


@pytest.mark.parametrize(
    "persona", ["partner_lead", "independent_chair", "agency_author", "outsider"]
)
def test_only_the_manager_records_a_referral(client, request, persona, police):
    _signed_in(client, request.getfixturevalue(persona))
    assert client.get(reverse("reviews:new")).status_code == 403
    assert client.post(reverse("reviews:new"), _referral_data(police)).status_code == 403
    assert not Review.objects.exists()


def test_the_referral_form_refuses_a_put(client, manager):
    _signed_in(client, manager)
    assert client.put(reverse("reviews:new")).status_code == 405


# --- the review page ---------------------------------------------------------------------------


def test_the_review_page_lists_every_step_in_four_groups(client, manager, referral):
    _signed_in(client, manager)
    html = client.get(reverse("reviews:detail", args=[referral.pk])).content.decode()
    assert html.count('class="govuk-task-list"') == 4
    for heading in ["1. Referral", "2. Notification", "3. Rapid review", "4. Decision"]:
        assert heading in html
    for step in [
        "Case details",
        "Children",
        "Criteria check",
        "Notify the National Panel",
        "Inform the safeguarding partners",
        "Findings",
        "Meetings",
        "Immediate safety actions",
        "Agency summaries",
        "Recommendation",
        "Partner sign-offs",
        "Send to the National Panel",
        "National Panel&#x27;s response",
        "Independent Chair&#x27;s decision",
    ]:
        assert step in html, step
    assert "Cannot start yet" in html
    assert "Not yet started" in html
    assert "Completed" in html
    assert reverse("reviews:criteria", args=[referral.pk]) in html
    assert reverse("reviews:timeline", args=[referral.pk]) in html


def test_the_review_page_shows_the_case_and_logs_the_visit(client, manager, referral):
    _signed_in(client, manager)
    html = client.get(reverse("reviews:detail", args=[referral.pk])).content.decode()
    assert "2 March 2026" in html
    assert "3 March 2026" in html
    assert "A child was seriously harmed in the area" in html
    assert "A fictional infant was admitted to hospital" in html
    log = AccessLog.objects.get()
    assert (log.user, log.review_id) == (manager, referral.pk)


def test_a_partner_lead_sees_the_steps_without_the_managers_links(
    client, partner_lead, referral, child
):
    _signed_in(client, partner_lead)
    html = client.get(reverse("reviews:detail", args=[referral.pk])).content.decode()
    assert "Criteria check" in html
    assert reverse("reviews:criteria", args=[referral.pk]) not in html
    assert reverse("reviews:edit", args=[referral.pk]) not in html
    assert reverse("reviews:child_remove", args=[referral.pk, child.pk]) not in html
    # Statutory partner leads need the children's identities.
    assert "Jamie Fictional" in html


def test_a_user_granted_only_the_case_sees_restricted_identities(
    client, referral, child, subgroup_member
):
    grant(subgroup_member, "view_case", referral)
    _signed_in(client, subgroup_member)
    html = client.get(reverse("reviews:detail", args=[referral.pk])).content.decode()
    assert "Child 1 (identity restricted)" in html
    assert "Jamie Fictional" not in html
    assert "Back to reviews" in html


def test_the_notification_clock_skips_christmas_bank_holidays(client, manager, local_authority):
    with time_machine.travel(
        datetime.datetime(2026, 12, 22, 12, 0, tzinfo=datetime.UTC), tick=False
    ):
        review = referral_services.review_open(
            by=manager,
            pseudonym="Child X",
            incident_date=datetime.date(2026, 12, 21),
            la_aware_date=datetime.date(2026, 12, 21),
            trigger=Trigger.SERIOUS_HARM,
            referring_agency=local_authority,
            what_is_known="Fictional.",
        )
        _signed_in(client, manager)
        html = client.get(reverse("reviews:detail", args=[review.pk])).content.decode()
        # Monday 21 December + 5 working days, skipping Christmas Day and the Boxing Day
        # substitute (Monday 28th) = Wednesday 30 December; 4 working days after the 22nd.
        assert "Due by 30 December 2026" in html
        assert "due in 4 working days" in html
        notification_page = client.get(reverse("reviews:notification", args=[review.pk]))
        assert "Due by 30 December 2026 (due in 4 working days)" in (
            notification_page.content.decode()
        )


def test_criteria_not_met_explains_what_happens_next(client, manager, referral):
    referral_services.criteria_record(
        review=referral, by=manager, abuse_or_neglect="no", died_or_seriously_harmed="yes"
    )
    _signed_in(client, manager)
    html = client.get(reverse("reviews:detail", args=[referral.pk])).content.decode()
    assert (
        "The criteria for notifying the National Panel are not met: abuse or neglect is not "
        "known or suspected. The partnership may still hold a learning review instead (a "
        "reflective learning session or a practice review), or close the referral."
    ) in html
    assert reverse("reviews:close", args=[referral.pk]) in html
    assert reverse("reviews:learning_review_start", args=[referral.pk]) in html


def test_in_rapid_review_the_lead_may_sign_off_once_there_is_a_recommendation(
    client, manager, partner_lead, in_rapid_review
):
    _signed_in(client, partner_lead)
    sign_off_url = reverse("reviews:sign_off", args=[in_rapid_review.pk])
    assert (
        sign_off_url
        not in client.get(reverse("reviews:detail", args=[in_rapid_review.pk])).content.decode()
    )
    rapid_review_services.recommendation_record(
        review=in_rapid_review, by=manager, recommendation="lcspr", rationale="Learning."
    )
    html = client.get(reverse("reviews:detail", args=[in_rapid_review.pk])).content.decode()
    assert sign_off_url in html
    assert "Northbridge Constabulary: not yet signed off" in html


def test_the_rapid_review_steps_link_for_the_manager(client, manager, in_rapid_review, school):
    rapid_review_services.agency_summary_request(
        review=in_rapid_review,
        by=manager,
        agency=school,
        due_date=timezone.localdate() + datetime.timedelta(days=7),
    )
    _signed_in(client, manager)
    html = client.get(reverse("reviews:detail", args=[in_rapid_review.pk])).content.decode()
    for name in [
        "rapid_review",
        "meeting_add",
        "immediate_action_add",
        "summary_request_add",
        "recommendation",
        "rapid_review_pdf",
    ]:
        assert reverse(f"reviews:{name}", args=[in_rapid_review.pk]) in html, name
    assert reverse("reviews:send", args=[in_rapid_review.pk]) not in html
    assert "Riverside Primary School: due by" in html
    assert "Sent on 6 March 2026; the Panel&#x27;s reference is NP-0001" in html


def test_the_chair_is_offered_the_decision_once_the_rapid_review_is_signed_off(
    client, manager, independent_chair, awaiting_decision
):
    decision_url = reverse("reviews:decision", args=[awaiting_decision.pk])
    _signed_in(client, manager)
    assert (
        decision_url
        not in client.get(reverse("reviews:detail", args=[awaiting_decision.pk])).content.decode()
    )
    _signed_in(client, independent_chair)
    html = client.get(reverse("reviews:detail", args=[awaiting_decision.pk])).content.decode()
    assert decision_url in html


def test_an_lcspr_decision_lists_the_three_notices_with_their_clocks(client, manager, lcspr_review):
    _signed_in(client, manager)
    html = client.get(reverse("reviews:detail", args=[lcspr_review.pk])).content.decode()
    for recipient in ["dfe", "ofsted", "national_panel"]:
        assert reverse("reviews:notice", args=[lcspr_review.pk, recipient]) in html
    assert "Tell the DfE an LCSPR will take place" in html
    # Decided Wednesday 25 March 2026 + 5 working days = Wednesday 1 April.
    assert "Due by 1 April 2026" in html


def test_a_changed_decision_keeps_the_old_one_marked_superseded(
    client, manager, independent_chair, lcspr_review, partner_leads
):
    decision_services.decision_change(
        review=lcspr_review,
        by=independent_chair,
        outcome=Outcome.OTHER_LEARNING,
        rationale="A practice review suits.",
        decided_on=datetime.date(2026, 3, 27),
        reason="New information.",
    )
    to_agreed(lcspr_review, partner_leads)
    _signed_in(client, manager)
    html = client.get(reverse("reviews:detail", args=[lcspr_review.pk])).content.decode()
    assert "An LCSPR will take place" in html
    assert "Superseded on 27 March 2026 because New information." in html
    assert reverse("reviews:other_learning", args=[lcspr_review.pk]) in html


# --- the timeline ------------------------------------------------------------------------------


def test_the_timeline_lists_events_newest_first_with_who_did_them(client, manager, in_rapid_review):
    _signed_in(client, manager)
    html = client.get(reverse("reviews:timeline", args=[in_rapid_review.pk])).content.decode()
    assert html.index("Serious incident notified") < html.index("Referral recorded")
    assert "Morgan Manager" in html
    assert AccessLog.objects.filter(review_id=in_rapid_review.pk).exists()


def test_the_timeline_shows_50_events_a_page_in_constant_queries(client, manager, referral):
    _signed_in(client, manager)
    url = reverse("reviews:timeline", args=[referral.pk])

    def grow():
        ReviewEvent.objects.bulk_create(
            ReviewEvent(review=referral, actor=manager, kind="note", summary=f"Event {n}")
            for n in range(60)
        )

    assert_constant_queries(client, url, grow)
    first = client.get(url).content.decode()
    assert first.count('<tr class="govuk-table__row">') == 51  # the header row and 50 events
    assert 'class="govuk-pagination"' in first
    second = client.get(url, {"page": 2}).content.decode()
    assert "Referral recorded" in second
    assert query_count(client, url + "?page=2") == query_count(client, url)


# --- correcting the referral -------------------------------------------------------------------


def test_the_manager_corrects_a_date_and_the_clock_moves(client, manager, referral):
    _signed_in(client, manager)
    data = _referral_data(
        referral.referring_agency,
        pseudonym="Child T",
        what_is_known=referral.what_is_known,
        **_date("la_aware_date", datetime.date(2026, 3, 4)),
    )
    response = client.post(reverse("reviews:edit", args=[referral.pk]), data, follow=True)
    assert _messages(response) == ["Referral details updated"]
    referral.refresh_from_db()
    assert referral.la_aware_date == datetime.date(2026, 3, 4)
    assert referral.deadlines.get(kind=DeadlineKind.NOTIFICATION).due_date == datetime.date(
        2026, 3, 11
    )
    assert referral.events.filter(kind="details_corrected").exists()


def test_the_edit_form_starts_with_the_current_details(client, manager, referral):
    _signed_in(client, manager)
    html = client.get(reverse("reviews:edit", args=[referral.pk])).content.decode()
    assert 'value="Child T"' in html
    assert 'name="la_aware_date_0" type="text" inputmode="numeric" value="3"' in html


def test_a_blank_pseudonym_is_refused_and_nothing_changes(client, manager, referral):
    _signed_in(client, manager)
    data = _referral_data(referral.referring_agency, pseudonym="")
    response = client.post(reverse("reviews:edit", args=[referral.pk]), data)
    assert response.context["form"].errors["pseudonym"] == ["Enter pseudonym"]
    referral.refresh_from_db()
    assert referral.pseudonym == "Child T"


def test_a_future_incident_date_is_refused_on_its_field(client, manager, referral):
    _signed_in(client, manager)
    future = timezone.localdate() + datetime.timedelta(days=3)
    data = _referral_data(
        referral.referring_agency,
        **_date("incident_date", future),
        **_date("la_aware_date", future),
    )
    response = client.post(reverse("reviews:edit", args=[referral.pk]), data)
    assert (
        "The date must be today or in the past." in response.context["form"].errors["incident_date"]
    )
    referral.refresh_from_db()
    assert referral.incident_date == INCIDENT


def test_a_closed_review_cannot_be_corrected(client, manager, referral):
    referral_services.criteria_record(
        review=referral, by=manager, abuse_or_neglect="no", died_or_seriously_harmed="no"
    )
    referral_services.review_close_not_notifiable(review=referral, by=manager, reason="Accident.")
    _signed_in(client, manager)
    html = client.get(reverse("reviews:edit", args=[referral.pk])).content.decode()
    assert "The review is closed: its details can no longer change." in html
    assert "Save changes" not in html


# --- children ----------------------------------------------------------------------------------


def test_the_manager_adds_a_child(client, manager, referral):
    _signed_in(client, manager)
    data = {
        "name": "Robin Fictional",
        "sex": "female",
        **_date("date_of_birth", datetime.date(2025, 6, 1)),
        "ethnicity": "White British",
        "disability": "",
        "looked_after": "on",
    }
    response = client.post(reverse("reviews:child_add", args=[referral.pk]), data, follow=True)
    assert _messages(response) == ["Child added"]
    child = referral.children.get()
    assert (child.name, child.sex, child.looked_after) == ("Robin Fictional", "female", True)
    assert "Robin Fictional" in response.content.decode()


def test_a_child_without_a_name_or_sex_is_refused(client, manager, referral):
    _signed_in(client, manager)
    response = client.post(reverse("reviews:child_add", args=[referral.pk]), {})
    errors = response.context["form"].errors
    assert errors["name"] == ["Enter full name"]
    assert errors["sex"] == ["Select sex"]
    assert not Child.objects.exists()


def test_a_fifth_child_is_refused_with_the_reason(client, manager, referral):
    for n in range(4):
        referral_services.child_add(review=referral, by=manager, name=f"Child {n}", sex="female")
    _signed_in(client, manager)
    assert (
        "Four children are already recorded"
        in client.get(reverse("reviews:child_add", args=[referral.pk])).content.decode()
    )
    response = client.post(
        reverse("reviews:child_add", args=[referral.pk]), {"name": "Fifth", "sex": "male"}
    )
    assert "A notification names up to four children" in response.content.decode()
    assert referral.children.count() == 4


def test_removing_a_child_asks_first_then_removes(client, manager, referral, child):
    _signed_in(client, manager)
    url = reverse("reviews:child_remove", args=[referral.pk, child.pk])
    assert "Remove Jamie Fictional from the case?" in client.get(url).content.decode()
    assert referral.children.exists()
    response = client.post(url, follow=True)
    assert _messages(response) == ["Child removed"]
    assert not referral.children.exists()


def test_a_child_cannot_be_removed_once_notified(client, manager, referral, child):
    to_notified = referral_services.criteria_record(
        review=referral, by=manager, abuse_or_neglect="yes", died_or_seriously_harmed="yes"
    )
    referral_services.notification_record(review=to_notified, by=manager, sent_on=NOTIFIED)
    _signed_in(client, manager)
    url = reverse("reviews:child_remove", args=[referral.pk, child.pk])
    assert (
        "Children can only be removed while the case is a referral."
        in client.get(url).content.decode()
    )
    response = client.post(url)
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert referral.children.exists()


def test_a_child_of_another_review_is_not_found(client, manager, referral, child, local_authority):
    other = open_referral(manager, local_authority, pseudonym="Child O")
    _signed_in(client, manager)
    url = reverse("reviews:child_remove", args=[other.pk, child.pk])
    assert client.get(url).status_code == 404


# --- criteria and closing ----------------------------------------------------------------------


def test_criteria_met_leads_on_to_the_notification(client, manager, referral):
    _signed_in(client, manager)
    response = client.post(
        reverse("reviews:criteria", args=[referral.pk]),
        {"abuse_or_neglect": "yes", "died_or_seriously_harmed": "yes", "note": "Clear."},
        follow=True,
    )
    assert _messages(response) == [
        "Criteria check saved: the criteria are met. Notify the National Panel next."
    ]
    referral.refresh_from_db()
    assert referral.criteria_met
    assert reverse("reviews:notification", args=[referral.pk]) in response.content.decode()


def test_criteria_not_met_show_the_explanation_and_the_way_to_close(client, manager, referral):
    _signed_in(client, manager)
    response = client.post(
        reverse("reviews:criteria", args=[referral.pk]),
        {"abuse_or_neglect": "yes", "died_or_seriously_harmed": "no"},
        follow=True,
    )
    html = response.content.decode()
    assert "not met: the child has not died or been seriously harmed" in html
    assert reverse("reviews:close", args=[referral.pk]) in html
    assert reverse("reviews:notification", args=[referral.pk]) not in html


def test_unanswered_criteria_questions_are_named(client, manager, referral):
    _signed_in(client, manager)
    response = client.post(reverse("reviews:criteria", args=[referral.pk]), {})
    errors = response.context["form"].errors
    assert errors["abuse_or_neglect"] == ["Select whether abuse or neglect is known or suspected"]
    assert errors["died_or_seriously_harmed"] == [
        "Select whether the child has died or been seriously harmed"
    ]
    referral.refresh_from_db()
    assert not referral.criteria_checked


def test_the_criteria_cannot_change_after_the_notification(client, manager, in_rapid_review):
    _signed_in(client, manager)
    url = reverse("reviews:criteria", args=[in_rapid_review.pk])
    assert "can only change while the case is a referral" in client.get(url).content.decode()
    response = client.post(url, {"abuse_or_neglect": "no", "died_or_seriously_harmed": "no"})
    assert "You cannot change the criteria check now" in response.content.decode()
    in_rapid_review.refresh_from_db()
    assert in_rapid_review.criteria_met


def test_the_manager_closes_a_referral_that_is_not_notifiable(client, manager, referral):
    referral_services.criteria_record(
        review=referral, by=manager, abuse_or_neglect="no", died_or_seriously_harmed="yes"
    )
    _signed_in(client, manager)
    response = client.post(
        reverse("reviews:close", args=[referral.pk]),
        {"reason": "An accident, no concerns of neglect."},
        follow=True,
    )
    assert _messages(response) == [f"Referral {referral.reference} closed"]
    referral.refresh_from_db()
    assert referral.stage == Stage.CLOSED
    assert "This referral was closed: An accident, no concerns of neglect." in (
        response.content.decode()
    )


def test_closing_needs_a_reason(client, manager, referral):
    referral_services.criteria_record(
        review=referral, by=manager, abuse_or_neglect="no", died_or_seriously_harmed="yes"
    )
    _signed_in(client, manager)
    response = client.post(reverse("reviews:close", args=[referral.pk]), {"reason": " "})
    assert response.context["form"].errors["reason"] == ["Enter why the referral is closed"]
    referral.refresh_from_db()
    assert referral.stage == Stage.REFERRAL


def test_a_referral_that_meets_the_criteria_cannot_be_closed(client, manager, referral):
    referral_services.criteria_record(
        review=referral, by=manager, abuse_or_neglect="yes", died_or_seriously_harmed="yes"
    )
    _signed_in(client, manager)
    url = reverse("reviews:close", args=[referral.pk])
    assert "must be notified to the National Panel" in client.get(url).content.decode()
    response = client.post(url, {"reason": "Trying anyway."})
    assert "must be notified to the National Panel" in response.content.decode()
    referral.refresh_from_db()
    assert referral.stage == Stage.REFERRAL


# --- notification and partners informed --------------------------------------------------------


def _criteria_met(review, manager):
    referral_services.criteria_record(
        review=review, by=manager, abuse_or_neglect="yes", died_or_seriously_harmed="yes"
    )


def test_the_manager_records_the_notification_and_the_rapid_review_starts(
    client, manager, referral
):
    _criteria_met(referral, manager)
    _signed_in(client, manager)
    url = reverse("reviews:notification", args=[referral.pk])
    html = client.get(url).content.decode()
    assert "Due by 10 March 2026 (overdue by" in html
    assert "Date the DfE was notified" not in html
    response = client.post(
        url, {**_date("sent_on", NOTIFIED), "panel_reference": "NP-77"}, follow=True
    )
    assert _messages(response) == ["Notification recorded: the rapid review has started"]
    referral.refresh_from_db()
    assert referral.stage == Stage.RAPID_REVIEW
    assert referral.notification.panel_reference == "NP-77"


def test_a_looked_after_childs_death_is_notified_to_the_dfe_and_ofsted_on_its_own(
    client, manager, local_authority
):
    """Whatever the cause of death: with the criteria not met (no suspected abuse or
    neglect) the National Panel is not notified, but the DfE and Ofsted still are."""
    review = open_referral(manager, local_authority, trigger=Trigger.LOOKED_AFTER_DEATH)
    referral_services.criteria_record(
        review=review, by=manager, abuse_or_neglect="no", died_or_seriously_harmed="yes"
    )
    clock = review.deadlines.get(kind=DeadlineKind.LOOKED_AFTER_DEATH)
    # 5 working days from awareness on Tuesday 3 March 2026.
    assert (clock.counted_from, clock.due_date, clock.met_on) == (AWARE, D(2026, 3, 10), None)
    _signed_in(client, manager)
    page = client.get(reverse("reviews:detail", args=[review.pk])).content.decode()
    assert reverse("reviews:looked_after_death", args=[review.pk]) in page
    url = reverse("reviews:looked_after_death", args=[review.pk])
    response = client.post(url, {})
    errors = response.context["form"].errors
    assert errors["dfe_notified_on"] == ["Enter the date the DfE was notified"]
    assert errors["ofsted_notified_on"] == ["Enter the date Ofsted was notified"]
    response = client.post(
        url,
        {**_date("dfe_notified_on", NOTIFIED), **_date("ofsted_notified_on", D(2026, 3, 9))},
        follow=True,
    )
    assert _messages(response) == ["The notice to the DfE and Ofsted has been recorded."]
    clock.refresh_from_db()
    assert clock.met_on == D(2026, 3, 9)
    assert review.events.filter(kind="looked_after_death_notified").exists()
    review.refresh_from_db()
    assert review.stage == Stage.REFERRAL  # nothing else moved


def test_the_death_notice_survives_the_referral_being_closed(manager, local_authority):
    review = open_referral(manager, local_authority, trigger=Trigger.LOOKED_AFTER_DEATH)
    referral_services.criteria_record(
        review=review, by=manager, abuse_or_neglect="no", died_or_seriously_harmed="yes"
    )
    referral_services.review_close_not_notifiable(
        review=review, by=manager, reason="No abuse or neglect suspected."
    )
    # The clock is still open and the service still records the notice: nothing strands it.
    assert review.deadlines.get(kind=DeadlineKind.LOOKED_AFTER_DEATH).is_open
    referral_services.looked_after_death_notice_record(
        review=review, by=manager, dfe_notified_on=NOTIFIED, ofsted_notified_on=NOTIFIED
    )
    assert review.deadlines.get(kind=DeadlineKind.LOOKED_AFTER_DEATH).met_on == NOTIFIED


def test_the_death_notice_is_only_for_a_looked_after_childs_death(
    client, manager, independent_chair, outsider, referral
):
    with pytest.raises(WorkflowError, match="Only the death of a looked-after child"):
        referral_services.looked_after_death_notice_record(
            review=referral, by=manager, dfe_notified_on=NOTIFIED, ofsted_notified_on=NOTIFIED
        )
    assert not referral.deadlines.filter(kind=DeadlineKind.LOOKED_AFTER_DEATH).exists()
    url = reverse("reviews:looked_after_death", args=[referral.pk])
    _signed_in(client, independent_chair)
    assert client.get(url).status_code == 403
    _signed_in(client, outsider)
    assert client.get(url).status_code == 404


def test_a_death_notice_before_the_death_is_refused_and_a_second_one_corrects(
    manager, local_authority
):
    review = open_referral(manager, local_authority, trigger=Trigger.LOOKED_AFTER_DEATH)
    with pytest.raises(WorkflowError) as refused:
        referral_services.looked_after_death_notice_record(
            review=review, by=manager, dfe_notified_on=D(2026, 3, 1), ofsted_notified_on=NOTIFIED
        )
    assert refused.value.message_dict == {
        "dfe_notified_on": ["It cannot be before the death (2 March 2026)."]
    }
    referral_services.looked_after_death_notice_record(
        review=review, by=manager, dfe_notified_on=NOTIFIED, ofsted_notified_on=NOTIFIED
    )
    referral_services.looked_after_death_notice_record(
        review=review, by=manager, dfe_notified_on=AWARE, ofsted_notified_on=NOTIFIED
    )
    event = review.events.filter(kind="looked_after_death_notified").latest("pk")
    assert "DfE 6 March 2026 to 3 March 2026" in event.summary


def test_a_notification_before_awareness_is_refused_on_its_field(client, manager, referral):
    _criteria_met(referral, manager)
    _signed_in(client, manager)
    response = client.post(
        reverse("reviews:notification", args=[referral.pk]), _date("sent_on", INCIDENT)
    )
    assert response.context["form"].errors["sent_on"] == [
        "The notification cannot be sent before the local authority was aware."
    ]
    referral.refresh_from_db()
    assert referral.stage == Stage.REFERRAL


def test_the_notification_waits_for_the_criteria(client, manager, referral):
    _signed_in(client, manager)
    url = reverse("reviews:notification", args=[referral.pk])
    assert "Record that the criteria are met" in client.get(url).content.decode()
    response = client.post(url, _date("sent_on", NOTIFIED))
    assert "Record that the criteria are met" in response.content.decode()
    referral.refresh_from_db()
    assert referral.stage == Stage.REFERRAL


def test_the_manager_records_when_the_partners_were_informed(client, manager, referral):
    _signed_in(client, manager)
    url = reverse("reviews:partners_informed", args=[referral.pk])
    assert "Due by 10 March 2026" in client.get(url).content.decode()
    response = client.post(url, _date("informed_on", datetime.date(2026, 3, 5)), follow=True)
    assert _messages(response) == ["Date the safeguarding partners were informed saved"]
    referral.refresh_from_db()
    assert referral.partners_informed_on == datetime.date(2026, 3, 5)
    assert referral.deadlines.get(kind=DeadlineKind.PARTNERS_INFORMED).met_on == (
        datetime.date(2026, 3, 5)
    )


def test_partners_informed_needs_a_real_past_date(client, manager, referral):
    _signed_in(client, manager)
    url = reverse("reviews:partners_informed", args=[referral.pk])
    response = client.post(
        url, {"informed_on_0": "31", "informed_on_1": "2", "informed_on_2": "2026"}
    )
    assert response.context["form"].errors["informed_on"] == [
        "Date the safeguarding partners were informed must be a real date"
    ]
    future = timezone.localdate() + datetime.timedelta(days=2)
    response = client.post(url, _date("informed_on", future))
    assert response.context["form"].errors["informed_on"] == [
        "The date must be today or in the past."
    ]
    referral.refresh_from_db()
    assert referral.partners_informed_on is None


# --- the home page -----------------------------------------------------------------------------


def test_the_home_page_counts_open_and_overdue_reviews_for_the_manager(client, manager, referral):
    _signed_in(client, manager)
    with time_machine.travel(
        datetime.datetime(2026, 3, 12, 12, 0, tzinfo=datetime.UTC), tick=False
    ):
        html = client.get(reverse("core:home")).content.decode()
    assert "1 open review" in html
    assert "1 with an overdue step" in html
    assert reverse("reviews:list") + "?overdue=on" in html


def test_the_home_page_sends_an_agency_representative_to_agency_summaries(client, agency_author):
    _signed_in(client, agency_author)
    html = client.get(reverse("core:home")).content.decode()
    assert reverse("reviews:summary_list") in html
    assert f'href="{reverse("reviews:list")}"' not in html


def test_the_list_shows_fifty_reviews_a_page_keeping_the_filters(client, manager, local_authority):
    for n in range(52):
        open_referral(manager, local_authority, pseudonym=f"Child P{n}")
    _signed_in(client, manager)
    first = client.get(reverse("reviews:list"), {"stage": Stage.REFERRAL}).content.decode()
    assert "52 reviews matching the filters" in first
    assert "Showing 1 to 50" in first
    assert first.count('<th scope="row"') == 50
    assert "stage=referral&amp;page=2" in first
    second = client.get(reverse("reviews:list"), {"stage": Stage.REFERRAL, "page": 2})
    html = second.content.decode()
    assert "Showing 51 to 52" in html
    assert html.count('<th scope="row"') == 2


def test_the_home_page_counts_open_and_overdue_reviews_in_the_database(
    client, manager, referral, local_authority
):
    referral_services.review_open(
        by=manager,
        pseudonym="Child L",
        incident_date=datetime.date(2026, 2, 2),
        la_aware_date=datetime.date(2026, 2, 2),
        trigger=Trigger.DEATH,
        referring_agency=local_authority,
        what_is_known="Fictional.",
    )
    _signed_in(client, manager)
    with time_machine.travel(BEFORE_DEADLINE, tick=False):
        html = client.get(reverse("core:home")).content.decode()
    assert "2 open reviews" in html
    assert "1 with an overdue step" in html


# --- one pseudonym, one open review -------------------------------------------------------------


@pytest.mark.parametrize("typed", ["Child T", "child t", " CHILD  T ", "ChildT"])
def test_a_second_open_review_cannot_take_the_same_pseudonym(
    client, manager, referral, police, typed
):
    _signed_in(client, manager)
    response = client.post(reverse("reviews:new"), _referral_data(police, pseudonym=typed))
    assert response.status_code == 200
    (error,) = response.context["form"].errors["pseudonym"]
    assert f"{referral.reference} already uses the pseudonym" in error
    assert Review.objects.count() == 1


def test_a_pseudonym_cannot_be_changed_to_that_of_another_open_review(
    client, manager, referral, police
):
    other = open_referral(manager, police, pseudonym="Child V")
    with pytest.raises(WorkflowError) as refused:
        referral_services.review_update_details(review=other, by=manager, pseudonym="child t")
    assert "already uses the pseudonym" in refused.value.message_dict["pseudonym"][0]
    other.refresh_from_db()
    assert other.pseudonym == "Child V"


def test_a_closed_review_frees_its_pseudonym(manager, referral, police):
    Review.objects.filter(pk=referral.pk).update(stage=Stage.CLOSED)
    again = open_referral(manager, police, pseudonym="Child T")
    assert again.pseudonym == "Child T"
