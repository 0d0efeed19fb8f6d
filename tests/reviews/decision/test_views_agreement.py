"""The page where a statutory partner lead agrees (or not) to a decision that differs from the
partners' recommendation, the decision page's warning, and the task list's rows."""

import pytest
from django.urls import reverse

from lcspr.access_log.models import AccessLog
from lcspr.accounts.models import User
from reviews import selectors
from reviews.decision import services as decision_services
from reviews.decision.models import DecisionStatus, Outcome, PartnerAgreement
from reviews.models import Stage
from reviews.tasklist import IN_PROGRESS, NOT_STARTED, build, steps_for
from tests.reviews.conftest import to_decided

pytestmark = pytest.mark.django_db


def _url(review):
    return reverse("reviews:decision_agreement", args=[review.pk])


@pytest.fixture
def awaiting_partners(awaiting_decision, independent_chair):
    """The Chair decided no further action on a signed-off LCSPR recommendation."""
    return to_decided(awaiting_decision, independent_chair, Outcome.NO_FURTHER_ACTION)


def _names(user, review) -> list[tuple[str, str]]:
    page = selectors.review_page(review)
    return [(e.heading, e.task.name) for e in steps_for(User.objects.get(pk=user.pk), page)]


def _decision_rows(user, review) -> dict:
    sections = dict(build(User.objects.get(pk=user.pk), selectors.review_page(review)))
    return {task.name: task for task in sections["Decision"]}


# --- the decision page --------------------------------------------------------------------------


def test_the_decision_page_shows_the_recommendation_beside_the_chairs_outcome(
    client, independent_chair, awaiting_decision
):
    client.force_login(independent_chair)
    body = client.get(reverse("reviews:decision", args=[awaiting_decision.pk])).content.decode()
    assert (
        "The partners recommended: An LCSPR will take place. A different outcome needs the "
        "agreement of all three statutory partners before it takes effect." in body
    )


def test_the_check_page_warns_only_when_the_outcome_differs(
    client, independent_chair, awaiting_decision
):
    client.force_login(independent_chair)
    url = reverse("reviews:decision", args=[awaiting_decision.pk])
    answers = {
        "rationale": "Reasons.",
        "decided_on_0": "25",
        "decided_on_1": "3",
        "decided_on_2": "2026",
    }
    same = client.post(url, {**answers, "outcome": Outcome.LCSPR}).content.decode()
    assert "until they agree, it is recorded as awaiting their agreement" not in same
    differs = client.post(url, {**answers, "outcome": Outcome.NO_FURTHER_ACTION}).content.decode()
    assert "until they agree, it is recorded as awaiting their agreement" in differs


def test_while_the_partners_are_asked_the_chair_sees_their_answers_and_no_form(
    client, independent_chair, awaiting_partners, partner_lead
):
    client.force_login(partner_lead)
    client.post(_url(awaiting_partners), {"agrees": "yes"})
    client.force_login(independent_chair)
    body = client.get(reverse("reviews:decision", args=[awaiting_partners.pk])).content.decode()
    assert "A decision awaiting the statutory partners' agreement" in body
    assert "Not yet answered" in body and "Agrees" in body
    assert 'name="outcome"' not in body
    change = client.get(reverse("reviews:decision_change", args=[awaiting_partners.pk]))
    assert "awaiting the agreement of the three statutory partners" in change.content.decode()


# --- the agreement page -------------------------------------------------------------------------


def test_a_lead_sees_the_decision_and_agrees_for_their_agency(
    client, partner_lead, awaiting_partners
):
    client.force_login(partner_lead)
    page = client.get(_url(awaiting_partners))
    body = page.content.decode()
    assert page.status_code == 200
    assert "An LCSPR will take place" in body  # the recommendation
    assert "No further action" in body  # the Chair's decision
    assert AccessLog.objects.filter(user=partner_lead, review_id=awaiting_partners.pk)

    response = client.post(_url(awaiting_partners), {"agrees": "yes"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("reviews:detail", args=[awaiting_partners.pk])
    assert f"Your answer for {partner_lead.agency} has been recorded." in response.content.decode()
    answer = PartnerAgreement.objects.get()
    assert (answer.agency, answer.agrees, answer.recorded_by) == (
        partner_lead.agency,
        True,
        partner_lead,
    )
    body = client.get(_url(awaiting_partners)).content.decode()
    assert f"You answered for {partner_lead.agency}" in body
    assert 'name="agrees"' not in body


def test_the_third_agreement_puts_the_decision_in_force(client, partner_leads, awaiting_partners):
    for lead in partner_leads:
        client.force_login(lead)
        assert client.post(_url(awaiting_partners), {"agrees": "yes"}).status_code == 302
    awaiting_partners.refresh_from_db()
    assert awaiting_partners.stage == Stage.CLOSED
    assert awaiting_partners.decisions.get().status == DecisionStatus.IN_FORCE


def test_a_disagreement_without_reasons_names_the_field(client, partner_lead, awaiting_partners):
    client.force_login(partner_lead)
    response = client.post(_url(awaiting_partners), {"agrees": "no", "reasons": " "})
    body = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_reasons">Enter why your agency does not agree' in body
    assert not PartnerAgreement.objects.exists()


def test_no_answer_names_the_field(client, partner_lead, awaiting_partners):
    client.force_login(partner_lead)
    body = client.post(_url(awaiting_partners), {}).content.decode()
    assert "Select whether your agency agrees to the decision" in body
    assert 'href="#id_agrees' in body


def test_a_disagreement_is_escalated_and_the_review_stays(
    client, partner_lead, awaiting_partners, independent_chair
):
    client.force_login(partner_lead)
    client.post(_url(awaiting_partners), {"agrees": "no", "reasons": "The criteria are met."})
    awaiting_partners.refresh_from_db()
    assert awaiting_partners.stage == Stage.AWAITING_DECISION
    assert awaiting_partners.decisions.get().status == DecisionStatus.NOT_AGREED
    body = client.get(_url(awaiting_partners)).content.decode()
    assert "There is no decision awaiting the partners' agreement." in body

    client.force_login(independent_chair)
    body = client.get(reverse("reviews:decision", args=[awaiting_partners.pk])).content.decode()
    assert "A decision the statutory partners did not agree to" in body
    assert "Did not agree: The criteria are met." in body
    assert 'name="outcome"' in body  # the Chair may record a new decision
    chair_row = _decision_rows(independent_chair, awaiting_partners)["Independent Chair's decision"]
    assert chair_row.url == reverse("reviews:decision", args=[awaiting_partners.pk])
    assert chair_row.hint.startswith("The statutory partners did not agree to No further action")


@pytest.mark.parametrize("persona", ["manager", "independent_chair"])
def test_only_a_statutory_partner_lead_may_answer(client, request, persona, awaiting_partners):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(_url(awaiting_partners)).status_code == 403
    assert client.post(_url(awaiting_partners), {"agrees": "yes"}).status_code == 403
    assert not PartnerAgreement.objects.exists()


@pytest.mark.parametrize("persona", ["outsider", "agency_author", "subgroup_member"])
def test_the_agreement_page_does_not_exist_for_others(client, request, persona, awaiting_partners):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(_url(awaiting_partners)).status_code == 404


def test_the_agreement_page_accepts_only_get_and_post(client, partner_lead, awaiting_partners):
    client.force_login(partner_lead)
    assert client.put(_url(awaiting_partners)).status_code == 405


# --- the task list ------------------------------------------------------------------------------


def test_the_task_list_lists_each_partners_answer_while_pending(
    awaiting_partners, partner_leads, independent_chair
):
    partner_lead, la_lead, _icb_lead = partner_leads
    rows = _decision_rows(la_lead, awaiting_partners)
    agreement = rows["Partners' agreement to the decision"]
    assert agreement.status == NOT_STARTED
    assert agreement.url == _url(awaiting_partners)
    assert {text for text, _ in agreement.lines} == {
        f"{lead.agency}: not yet answered" for lead in partner_leads
    }
    chair_row = _decision_rows(independent_chair, awaiting_partners)["Independent Chair's decision"]
    assert chair_row.status == IN_PROGRESS
    assert chair_row.hint == "No further action, awaiting the statutory partners' agreement"
    assert chair_row.url == ""

    decision_services.decision_agreement_record(
        review=awaiting_partners, by=partner_lead, agrees=True
    )
    rows = _decision_rows(la_lead, awaiting_partners)
    agreement = rows["Partners' agreement to the decision"]
    assert agreement.status == IN_PROGRESS
    assert f"{partner_lead.agency}: agreed by {partner_lead}" in " ".join(
        text for text, _ in agreement.lines
    )


def test_the_agreement_step_is_each_leads_until_they_answer(
    awaiting_partners, partner_lead, la_lead, independent_chair, manager
):
    step = ("Decision", "Partners' agreement to the decision")
    assert _names(partner_lead, awaiting_partners) == [step]
    assert _names(la_lead, awaiting_partners) == [step]
    assert step not in _names(manager, awaiting_partners)
    assert _names(independent_chair, awaiting_partners) == []

    decision_services.decision_agreement_record(
        review=awaiting_partners, by=partner_lead, agrees=True
    )
    assert _names(partner_lead, awaiting_partners) == []
    assert _names(la_lead, awaiting_partners) == [step]
