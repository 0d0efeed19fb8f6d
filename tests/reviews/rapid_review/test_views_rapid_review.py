"""The rapid review's pages: findings, meetings, immediate actions, summary requests, the
recommendation, the partners' sign-off, sending to the National Panel, the Panel's response and
the PDF record."""

import datetime
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone

from lcspr.access_log.models import AccessLog
from reviews.models import Stage
from reviews.rapid_review import services as rapid_review_services
from reviews.rapid_review.models import PanelResponse, Recommendation
from reviews.referral import services as referral_services
from tests.reviews.conftest import NOTIFIED, SENT

pytestmark = pytest.mark.django_db

CRITERIA_LEGEND = "Criteria for a local review (SI 2018/789 regulation 11)"
MANAGER_PAGES = [
    "rapid_review",
    "meeting_add",
    "immediate_action_add",
    "summary_request_add",
    "recommendation",
    "send",
    "panel_response",
]
ALL_PAGES = [*MANAGER_PAGES, "sign_off", "rapid_review_pdf"]


def url(name, review):
    return reverse(f"reviews:{name}", args=[review.pk])


def date_fields(name, value: datetime.date) -> dict:
    return {f"{name}_0": value.day, f"{name}_1": value.month, f"{name}_2": value.year}


def signed_in(client, user):
    client.force_login(user)
    return client


def errors_of(response) -> str:
    """The text of the error summary."""
    html = response.content.decode()
    assert "govuk-error-summary" in html, "the page shows no error summary"
    return html


# --- who may reach which page -------------------------------------------------------------------


@pytest.mark.parametrize("name", ALL_PAGES)
def test_every_page_is_hidden_from_an_outsider_and_an_agency_representative(
    client, in_rapid_review, outsider, agency_author, name
):
    for user in (outsider, agency_author):
        assert signed_in(client, user).get(url(name, in_rapid_review)).status_code == 404


@pytest.mark.parametrize("name", MANAGER_PAGES)
def test_a_statutory_partner_lead_may_not_take_the_managers_steps(
    client, in_rapid_review, partner_lead, name
):
    client = signed_in(client, partner_lead)
    assert client.get(url(name, in_rapid_review)).status_code == 403
    assert client.post(url(name, in_rapid_review), {}).status_code == 403


@pytest.mark.parametrize("name", ALL_PAGES)
def test_every_page_refuses_the_wrong_method(client, in_rapid_review, manager, partner_lead, name):
    user = partner_lead if name == "sign_off" else manager
    assert signed_in(client, user).put(url(name, in_rapid_review)).status_code == 405


def test_the_pdf_cannot_be_posted_to(client, in_rapid_review, manager):
    response = signed_in(client, manager).post(url("rapid_review_pdf", in_rapid_review))
    assert response.status_code == 405


def test_a_signed_out_visitor_is_sent_to_sign_in(client, in_rapid_review):
    response = client.get(url("rapid_review", in_rapid_review))
    assert response.status_code == 302
    assert "/account/sign-in/" in response["Location"]


# --- findings -----------------------------------------------------------------------------------


def test_the_criteria_are_one_group_of_checkboxes(client, in_rapid_review, manager):
    response = signed_in(client, manager).get(url("rapid_review", in_rapid_review))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count(CRITERIA_LEGEND) == 1
    assert html.count('name="criteria" type="checkbox"') == 4
    assert AccessLog.objects.filter(review_id=in_rapid_review.pk).exists()


def test_the_manager_records_the_findings_and_the_criteria(client, in_rapid_review, manager):
    response = signed_in(client, manager).post(
        url("rapid_review", in_rapid_review),
        {
            "facts": "A fictional infant was seen at hospital.",
            "emerging_learning": "Information was not shared.",
            "equality_context": "English is the family's second language.",
            "criteria": ["crit_learning_potential", "crit_serious_concern"],
            "may_need_national_review": "on",
            "national_review_reasons": "Similar cases elsewhere.",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == url("detail", in_rapid_review)
    rapid_review = in_rapid_review.rapid_review
    rapid_review.refresh_from_db()
    assert rapid_review.facts == "A fictional infant was seen at hospital."
    assert rapid_review.crit_learning_potential and rapid_review.crit_serious_concern
    assert not rapid_review.crit_recurrent_themes and not rapid_review.crit_national_panel_view
    assert rapid_review.may_need_national_review
    assert in_rapid_review.events.filter(kind="rapid_review_updated").exists()

    page = client.get(url("rapid_review", in_rapid_review)).content.decode()
    assert 'value="crit_learning_potential" checked' in page


def test_a_national_review_needs_reasons(client, in_rapid_review, manager):
    response = signed_in(client, manager).post(
        url("rapid_review", in_rapid_review),
        {"facts": "Facts.", "may_need_national_review": "on", "national_review_reasons": ""},
    )
    assert response.status_code == 200
    assert "Enter why a national review may be needed" in errors_of(response)
    in_rapid_review.rapid_review.refresh_from_db()
    assert in_rapid_review.rapid_review.facts == ""


def test_the_findings_are_read_only_once_the_rapid_review_is_sent(
    client, awaiting_decision, manager
):
    client = signed_in(client, manager)
    page = client.get(url("rapid_review", awaiting_decision)).content.decode()
    assert "govuk-inset-text" in page
    assert "it can no longer change" in page
    assert "Save the findings" not in page

    response = client.post(url("rapid_review", awaiting_decision), {"facts": "Too late."})
    assert "You cannot change the rapid review now" in errors_of(response)
    awaiting_decision.rapid_review.refresh_from_db()
    assert awaiting_decision.rapid_review.facts == ""


def test_a_referral_has_no_rapid_review_yet(client, referral, manager):
    page = signed_in(client, manager).get(url("rapid_review", referral)).content.decode()
    assert "starts once the serious incident notification is recorded" in page


# --- meetings, immediate actions, summary requests -----------------------------------------------


def test_the_manager_records_a_meeting(client, in_rapid_review, manager):
    response = signed_in(client, manager).post(
        url("meeting_add", in_rapid_review),
        {**date_fields("held_on", NOTIFIED), "attendees": "Police: DI\nSchool: DSL", "notes": ""},
    )
    assert response.status_code == 302
    assert response["Location"] == url("detail", in_rapid_review)
    meeting = in_rapid_review.rapid_review.meetings.get()
    assert meeting.held_on == NOTIFIED
    page = client.get(url("rapid_review", in_rapid_review)).content.decode()
    assert "School: DSL" in page


def test_a_meeting_needs_its_date(client, in_rapid_review, manager):
    response = signed_in(client, manager).post(
        url("meeting_add", in_rapid_review), {"attendees": "Police: DI"}
    )
    assert "Enter date of the meeting" in errors_of(response)
    assert not in_rapid_review.rapid_review.meetings.exists()


def test_the_manager_adds_an_immediate_action(client, in_rapid_review, manager, school):
    response = signed_in(client, manager).post(
        url("immediate_action_add", in_rapid_review),
        {"description": "Check the sibling is safe.", "lead_agency": school.pk},
    )
    assert response.status_code == 302
    action = in_rapid_review.rapid_review.immediate_actions.get()
    assert action.lead_agency == school
    assert action.due_date is None


def test_an_immediate_action_needs_what_must_be_done(client, in_rapid_review, manager, school):
    response = signed_in(client, manager).post(
        url("immediate_action_add", in_rapid_review), {"lead_agency": school.pk}
    )
    assert "Enter what must be done" in errors_of(response)
    assert not in_rapid_review.rapid_review.immediate_actions.exists()


def test_the_manager_asks_an_agency_for_its_summary(
    client, in_rapid_review, manager, school, police
):
    client = signed_in(client, manager)
    due = timezone.localdate() + datetime.timedelta(days=7)
    response = client.post(
        url("summary_request_add", in_rapid_review),
        {"agency": school.pk, **date_fields("due_date", due)},
    )
    assert response.status_code == 302
    # The next step is on the task list, so that is where the manager lands.
    assert response["Location"] == url("detail", in_rapid_review)
    assert in_rapid_review.agency_summaries.get().agency == school

    # An agency already asked is no longer offered.
    page = client.get(url("summary_request_add", in_rapid_review)).content.decode()
    assert f'value="{school.pk}"' not in page
    assert f'value="{police.pk}"' in page


def test_a_summary_cannot_be_due_in_the_past(client, in_rapid_review, manager, school):
    response = signed_in(client, manager).post(
        url("summary_request_add", in_rapid_review),
        {"agency": school.pk, **date_fields("due_date", NOTIFIED)},
    )
    html = errors_of(response)
    assert "The due date must be today or in the future." in html
    assert 'href="#id_due_date_0"' in html
    assert not in_rapid_review.agency_summaries.exists()


@pytest.mark.parametrize("name", ["meeting_add", "immediate_action_add", "summary_request_add"])
def test_the_add_pages_go_back_to_the_task_list_they_are_linked_from(
    client, in_rapid_review, manager, name
):
    page = signed_in(client, manager).get(url(name, in_rapid_review)).content.decode()
    assert f'<a href="{url("detail", in_rapid_review)}" class="govuk-back-link">' in page
    tasks = client.get(url("detail", in_rapid_review)).content.decode()
    assert f'href="{url(name, in_rapid_review)}"' in tasks


def test_the_rapid_review_page_offers_sending_only_once_every_partner_signed_off(
    client, in_rapid_review, manager, partner_leads
):
    client = signed_in(client, manager)
    rapid_review_services.recommendation_record(
        review=in_rapid_review, by=manager, recommendation=Recommendation.LCSPR, rationale="Why."
    )
    page = client.get(url("rapid_review", in_rapid_review)).content.decode()
    assert f'href="{url("send", in_rapid_review)}"' not in page
    assert "needs the recommendation signed off by every statutory partner" in page
    for lead in partner_leads:
        rapid_review_services.partner_sign_off(review=in_rapid_review, by=lead)
    page = client.get(url("rapid_review", in_rapid_review)).content.decode()
    assert f'href="{url("send", in_rapid_review)}"' in page


def test_nothing_can_be_added_once_the_rapid_review_is_sent(client, awaiting_decision, manager):
    client = signed_in(client, manager)
    for name in ("meeting_add", "immediate_action_add", "summary_request_add", "recommendation"):
        page = client.get(url(name, awaiting_decision)).content.decode()
        assert "it can no longer change" in page
        assert '<form method="post" novalidate' not in page


# --- recommendation and sign-off -----------------------------------------------------------------


def test_the_manager_records_the_recommendation(client, in_rapid_review, manager):
    response = signed_in(client, manager).post(
        url("recommendation", in_rapid_review),
        {"recommendation": Recommendation.LCSPR, "rationale": "Learning for every agency."},
    )
    assert response.status_code == 302
    in_rapid_review.rapid_review.refresh_from_db()
    assert in_rapid_review.rapid_review.recommendation == Recommendation.LCSPR


def test_a_recommendation_needs_a_choice_and_reasons(client, in_rapid_review, manager):
    response = signed_in(client, manager).post(url("recommendation", in_rapid_review), {})
    html = errors_of(response)
    assert "Select the partners&#x27; recommendation" in html
    assert "Enter reasons for the recommendation" in html
    in_rapid_review.rapid_review.refresh_from_db()
    assert in_rapid_review.rapid_review.recommendation == ""


def test_changing_a_signed_off_recommendation_warns_and_withdraws_the_sign_offs(
    client, signed_off, manager
):
    client = signed_in(client, manager)
    page = client.get(url("recommendation", signed_off)).content.decode()
    assert "govuk-warning-text" in page
    assert "3 partners have already signed off" in page

    client.post(
        url("recommendation", signed_off),
        {"recommendation": Recommendation.NO_FURTHER_REVIEW, "rationale": "On reflection."},
    )
    assert not signed_off.rapid_review.sign_offs.exists()


def test_the_manager_may_see_the_review_but_not_sign_off(client, in_rapid_review, manager):
    client = signed_in(client, manager)
    assert client.get(url("sign_off", in_rapid_review)).status_code == 403
    assert client.post(url("sign_off", in_rapid_review)).status_code == 403


def test_a_partner_lead_checks_the_answers_then_signs_off(
    client, in_rapid_review, manager, partner_lead, police
):
    rapid_review_services.rapid_review_update(
        review=in_rapid_review, by=manager, crit_recurrent_themes=True
    )
    rapid_review_services.recommendation_record(
        review=in_rapid_review,
        by=manager,
        recommendation=Recommendation.LCSPR,
        rationale="Learning about neglect.",
    )
    client = signed_in(client, partner_lead)
    page = client.get(url("sign_off", in_rapid_review)).content.decode()
    assert "Carry out an LCSPR" in page
    assert "Learning about neglect." in page
    assert (
        "Highlights recurrent themes in the safeguarding and promotion of the welfare of children"
        in page
    )
    assert "Not signed off yet" in page
    assert f"Sign off for {police}" in page

    response = client.post(url("sign_off", in_rapid_review))
    assert response.status_code == 302
    sign_off = in_rapid_review.rapid_review.sign_offs.get()
    assert (sign_off.agency, sign_off.signed_by) == (police, partner_lead)

    page = client.get(url("sign_off", in_rapid_review)).content.decode()
    assert f"You signed off this recommendation for {police}" in page
    assert f"Sign off for {police}" not in page
    assert f"Signed off by {partner_lead}" in page


def test_there_is_nothing_to_sign_off_before_the_recommendation(
    client, in_rapid_review, partner_lead
):
    client = signed_in(client, partner_lead)
    page = client.get(url("sign_off", in_rapid_review)).content.decode()
    assert "There is no recommendation to sign off yet" in page
    response = client.post(url("sign_off", in_rapid_review))
    assert "There is no recommendation to sign off yet." in errors_of(response)
    assert not in_rapid_review.rapid_review.sign_offs.exists()


# --- sending and the Panel's response ------------------------------------------------------------


def test_sending_lists_the_missing_sign_offs(
    client, in_rapid_review, manager, partner_lead, local_authority, icb
):
    rapid_review_services.recommendation_record(
        review=in_rapid_review,
        by=manager,
        recommendation=Recommendation.LCSPR,
        rationale="Reasons.",
    )
    rapid_review_services.partner_sign_off(review=in_rapid_review, by=partner_lead)
    client = signed_in(client, manager)
    page = client.get(url("send", in_rapid_review)).content.decode()
    assert "The rapid review is not ready to send." in page
    assert f"sign-off by {local_authority}" in page.replace("&#x27;", "'")
    assert f"sign-off by {icb}" in page
    assert "sign-off by Northbridge Constabulary" not in page

    response = client.post(url("send", in_rapid_review), date_fields("sent_on", SENT))
    assert "needs signing off by every statutory partner" in errors_of(response)
    in_rapid_review.refresh_from_db()
    assert in_rapid_review.stage == Stage.RAPID_REVIEW


def test_the_manager_records_the_rapid_review_as_sent(client, signed_off, manager):
    response = signed_in(client, manager).post(
        url("send", signed_off), date_fields("sent_on", SENT)
    )
    assert response.status_code == 302
    signed_off.refresh_from_db()
    assert signed_off.stage == Stage.AWAITING_DECISION
    assert signed_off.rapid_review.sent_to_panel_on == SENT


def test_the_sent_date_cannot_be_before_the_notification(client, signed_off, manager):
    response = signed_in(client, manager).post(
        url("send", signed_off), date_fields("sent_on", NOTIFIED - datetime.timedelta(days=1))
    )
    html = errors_of(response)
    assert "It cannot be sent before the notification was." in html
    assert 'href="#id_sent_on_0"' in html
    signed_off.refresh_from_db()
    assert signed_off.stage == Stage.RAPID_REVIEW


def test_the_panel_response_waits_for_the_rapid_review_to_be_sent(client, signed_off, manager):
    page = signed_in(client, manager).get(url("panel_response", signed_off)).content.decode()
    assert "Record that the rapid review was sent" in page


def test_the_manager_records_the_panels_response(client, awaiting_decision, manager):
    response = signed_in(client, manager).post(
        url("panel_response", awaiting_decision),
        {"response": PanelResponse.AGREES, **date_fields("response_on", SENT), "notes": "Agreed."},
    )
    assert response.status_code == 302
    rapid_review = awaiting_decision.rapid_review
    rapid_review.refresh_from_db()
    assert (rapid_review.panel_response, rapid_review.panel_response_on) == (
        PanelResponse.AGREES,
        SENT,
    )


def test_the_panels_response_cannot_predate_the_sending(client, awaiting_decision, manager):
    response = signed_in(client, manager).post(
        url("panel_response", awaiting_decision),
        {"response": PanelResponse.AGREES, **date_fields("response_on", NOTIFIED)},
    )
    assert "The response cannot come before the rapid review was sent." in errors_of(response)
    awaiting_decision.rapid_review.refresh_from_db()
    assert awaiting_decision.rapid_review.panel_response == ""


# --- the whole journey -----------------------------------------------------------------------------


def test_a_rapid_review_from_findings_to_the_panels_response(
    client, in_rapid_review, manager, partner_leads, school, agency_author
):
    review = in_rapid_review
    manager_client = signed_in(client, manager)
    manager_client.post(
        url("rapid_review", review),
        {
            "facts": "Facts.",
            "emerging_learning": "Learning.",
            "criteria": ["crit_recurrent_themes"],
        },
    )
    manager_client.post(
        url("meeting_add", review),
        {
            **date_fields("held_on", SENT),
            "attendees": "LA: head of service",
        },
    )
    manager_client.post(
        url("immediate_action_add", review),
        {
            "description": "Safety plan for the sibling.",
            "lead_agency": school.pk,
        },
    )
    due = timezone.localdate() + datetime.timedelta(days=5)
    manager_client.post(
        url("summary_request_add", review),
        {
            "agency": school.pk,
            **date_fields("due_date", due),
        },
    )
    summary_request = review.agency_summaries.get()

    client.force_login(agency_author)
    client.post(
        reverse("reviews:summary_detail", args=[summary_request.pk]),
        {"summary": "The school saw the child daily."},
    )

    client.force_login(manager)
    client.post(
        url("recommendation", review),
        {
            "recommendation": Recommendation.LCSPR,
            "rationale": "Learning for all.",
        },
    )
    for lead in partner_leads:
        client.force_login(lead)
        assert client.post(url("sign_off", review)).status_code == 302

    client.force_login(manager)
    assert client.post(url("send", review), date_fields("sent_on", SENT)).status_code == 302
    assert (
        client.post(
            url("panel_response", review),
            {
                "response": PanelResponse.AGREES,
                **date_fields("response_on", SENT),
            },
        ).status_code
        == 302
    )

    review.refresh_from_db()
    rapid_review = review.rapid_review
    assert review.stage == Stage.AWAITING_DECISION
    assert rapid_review.facts == "Facts." and rapid_review.crit_recurrent_themes
    assert rapid_review.meetings.count() == 1 and rapid_review.immediate_actions.count() == 1
    assert review.agency_summaries.get().received_on == timezone.localdate()
    assert rapid_review.sign_offs.count() == 3
    assert rapid_review.panel_response == PanelResponse.AGREES
    page = client.get(url("rapid_review", review)).content.decode()
    assert "it can no longer change" in page


# --- the PDF record ---------------------------------------------------------------------------------


def pdf_text(response, tmp_path) -> str:
    path = tmp_path / "rapid-review.pdf"
    path.write_bytes(response.content)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_the_rapid_review_pdf_holds_the_record_without_childrens_names(
    client, awaiting_decision, manager, partner_lead, school, tmp_path
):
    review = awaiting_decision
    referral_services.child_add(review=review, by=manager, name="Jordan Fictionalname", sex="male")
    rapid_review_services.panel_response_record(
        review=review,
        by=manager,
        response=PanelResponse.AGREES,
        response_on=SENT,
        notes="The Panel agreed.",
    )
    client = signed_in(client, partner_lead)
    response = client.get(url("rapid_review_pdf", review))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="{review.reference}-rapid-review.pdf"' in response["Content-Disposition"]
    text = pdf_text(response, tmp_path)
    for expected in (
        f"Rapid review {review.reference}",
        "Child T",
        "NP-0001",
        "Carry out an LCSPR",
        "The fictional case shows learning for agencies.",
        "Northbridge Constabulary",
        "20 March 2026",
        "Agrees with the recommendation",
    ):
        assert expected in text, expected
    assert "Jordan" not in text and "Fictionalname" not in text
    assert AccessLog.objects.filter(
        review_id=review.pk, what="Downloaded the rapid review PDF", user=partner_lead
    ).exists()


def test_the_pdf_includes_the_agency_summaries_received(
    client, in_rapid_review, manager, school, tmp_path
):
    due = timezone.localdate() + datetime.timedelta(days=3)
    summary_request = rapid_review_services.agency_summary_request(
        review=in_rapid_review, by=manager, agency=school, due_date=due
    )
    rapid_review_services.agency_summary_submit(
        request=summary_request, by=manager, summary="The school saw bruising on a Monday."
    )
    rapid_review_services.immediate_action_add(
        review=in_rapid_review,
        by=manager,
        description="Refer the sibling to early help.",
        lead_agency=school,
    )
    response = signed_in(client, manager).get(url("rapid_review_pdf", in_rapid_review))
    text = pdf_text(response, tmp_path)
    assert "Riverside Primary School" in text
    assert "The school saw bruising on a Monday." in text
    assert "Refer the sibling to early help." in text
