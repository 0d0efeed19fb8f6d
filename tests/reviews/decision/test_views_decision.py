import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from lcspr.access_log.models import AccessLog
from reviews.clocks.models import ClockSettings, DeadlineKind
from reviews.decision.models import Decision, NationalNotice, Outcome
from reviews.models import Stage
from reviews.other_learning import services as other_learning_services
from reviews.other_learning.models import OtherLearningReview
from reviews.rapid_review import services as rapid_review_services
from reviews.referral import services as referral_services
from tests.reviews.conftest import DECIDED, NOTIFIED, to_agreed, to_decided

pytestmark = pytest.mark.django_db


def _date(name, value: datetime.date) -> dict:
    return {f"{name}_0": value.day, f"{name}_1": value.month, f"{name}_2": value.year}


def _decision(outcome=Outcome.LCSPR, decided_on=DECIDED, **extra) -> dict:
    return {
        "outcome": outcome,
        "rationale": "The criteria for a local review are met.",
        **_date("decided_on", decided_on),
        **extra,
    }


def _url(name, review, *args):
    return reverse(f"reviews:{name}", args=[review.pk, *args])


@pytest.fixture
def other_learning_review(awaiting_decision, independent_chair, partner_leads):
    return to_decided(
        awaiting_decision, independent_chair, outcome=Outcome.OTHER_LEARNING, leads=partner_leads
    )


# --- recording the decision ---------------------------------------------------------------------


def test_the_chair_sees_what_they_decide_on(client, independent_chair, awaiting_decision):
    client.force_login(independent_chair)
    response = client.get(_url("decision", awaiting_decision))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Carry out an LCSPR" in body
    assert "The fictional case shows learning for agencies." in body
    assert "Lena Lead" in body and "Ian Lead" in body and "Pat Partner" in body
    assert "20 March 2026" in body  # sent to the National Panel
    assert "No response recorded" in body
    assert AccessLog.objects.filter(user=independent_chair, review_id=awaiting_decision.pk)


def test_the_chair_records_a_decision_after_checking_their_answers(
    client, independent_chair, awaiting_decision
):
    client.force_login(independent_chair)
    url = _url("decision", awaiting_decision)

    response = client.post(url, _decision())
    body = response.content.decode()
    assert response.status_code == 200
    assert "Check your answers before recording the decision" in body
    assert "An LCSPR will take place" in body
    assert "25 March 2026" in body
    assert 'name="confirm" value="yes"' in body
    assert not Decision.objects.exists()

    response = client.post(url, {**_decision(), "confirm": "yes"}, follow=True)
    assert response.redirect_chain[-1][0] == _url("detail", awaiting_decision)
    assert "The decision has been recorded." in response.content.decode()
    decision = Decision.objects.get()
    assert (decision.outcome, decision.decided_on, decision.recorded_by) == (
        Outcome.LCSPR,
        DECIDED,
        independent_chair,
    )
    awaiting_decision.refresh_from_db()
    assert awaiting_decision.stage == Stage.LCSPR


def test_the_unconfirmed_post_records_nothing(client, independent_chair, awaiting_decision):
    client.force_login(independent_chair)
    client.post(_url("decision", awaiting_decision), _decision())
    client.post(_url("decision", awaiting_decision), {**_decision(), "confirm": "no"})
    assert not Decision.objects.exists()
    awaiting_decision.refresh_from_db()
    assert awaiting_decision.stage == Stage.AWAITING_DECISION


def test_the_change_link_returns_to_the_form_with_the_answers_kept(
    client, independent_chair, awaiting_decision
):
    client.force_login(independent_chair)
    url = _url("decision", awaiting_decision)
    check = client.post(url, _decision(outcome=Outcome.NO_FURTHER_ACTION)).content.decode()
    assert f'href="{url}?change=1#id_rationale"' in check

    body = client.get(url + "?change=1").content.decode()
    assert 'value="no_further_action" checked' in body
    assert "The criteria for a local review are met." in body
    assert not Decision.objects.exists()


def test_a_decision_before_the_recommendation_is_refused_with_the_reason(
    client, independent_chair, in_rapid_review
):
    client.force_login(independent_chair)
    url = _url("decision", in_rapid_review)
    page = client.get(url).content.decode()
    assert "The partners have not made a recommendation yet." in page
    assert 'name="outcome"' not in page

    response = client.post(url, {**_decision(), "confirm": "yes"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body
    assert "The partners have not made a recommendation yet." in body
    assert not Decision.objects.exists()


def test_a_decision_needs_every_partner_to_sign_off(
    client, independent_chair, in_rapid_review, manager, partner_lead
):
    rapid_review_services.recommendation_record(
        review=in_rapid_review,
        by=manager,
        recommendation="lcspr",
        rationale="Learning for all agencies.",
    )
    rapid_review_services.partner_sign_off(review=in_rapid_review, by=partner_lead)
    client.force_login(independent_chair)
    body = client.get(_url("decision", in_rapid_review)).content.decode()
    assert "Still to sign off: Northbridge Council Children&#x27;s Services" in body


def test_the_decision_form_names_each_missing_or_wrong_field(
    client, independent_chair, awaiting_decision
):
    client.force_login(independent_chair)
    response = client.post(_url("decision", awaiting_decision), {"rationale": " "})
    body = response.content.decode()
    assert "Select the decision" in body
    assert "Enter reasons for the decision" in body
    assert "Enter date decided" in body

    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    body = client.post(
        _url("decision", awaiting_decision), _decision(decided_on=tomorrow)
    ).content.decode()
    assert "Date decided must be today or in the past" in body
    assert not Decision.objects.exists()


def test_a_date_the_workflow_refuses_is_shown_against_the_field_after_confirming(
    client, independent_chair, awaiting_decision
):
    client.force_login(independent_chair)
    too_early = NOTIFIED - datetime.timedelta(days=1)
    response = client.post(
        _url("decision", awaiting_decision), {**_decision(decided_on=too_early), "confirm": "yes"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_decided_on_0">The decision cannot come before the notification.' in body
    assert not Decision.objects.exists()


def test_once_decided_the_page_shows_the_decision_in_force(client, independent_chair, lcspr_review):
    client.force_login(independent_chair)
    body = client.get(_url("decision", lcspr_review)).content.decode()
    assert "The decision in force" in body
    assert "An LCSPR will take place" in body
    assert _url("decision_change", lcspr_review) in body
    response = client.post(_url("decision", lcspr_review), _decision(Outcome.NO_FURTHER_ACTION))
    assert "A decision is already recorded." in response.content.decode()
    assert Decision.objects.count() == 1


@pytest.mark.parametrize("persona", ["manager", "partner_lead", "la_lead"])
def test_only_the_independent_chair_may_decide(client, request, persona, awaiting_decision):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(_url("decision", awaiting_decision)).status_code == 403
    response = client.post(_url("decision", awaiting_decision), {**_decision(), "confirm": "yes"})
    assert response.status_code == 403
    assert not Decision.objects.exists()


@pytest.mark.parametrize("persona", ["outsider", "agency_author", "subgroup_member"])
def test_the_decision_does_not_exist_for_others(client, request, persona, awaiting_decision):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(_url("decision", awaiting_decision)).status_code == 404
    assert client.get(_url("decision_change", awaiting_decision)).status_code == 404


def test_the_decision_pages_accept_only_get_and_post(client, independent_chair, lcspr_review):
    client.force_login(independent_chair)
    assert client.put(_url("decision", lcspr_review)).status_code == 405
    assert client.delete(_url("decision_change", lcspr_review)).status_code == 405


def test_an_anonymous_visitor_is_sent_to_sign_in(client, awaiting_decision):
    response = client.get(_url("decision", awaiting_decision))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


# --- changing the decision ----------------------------------------------------------------------


def test_the_chair_changes_a_decision_with_a_reason_and_both_stay_visible(
    client, independent_chair, lcspr_review, partner_leads
):
    client.force_login(independent_chair)
    url = _url("decision_change", lcspr_review)
    change = _decision(
        outcome=Outcome.OTHER_LEARNING,
        rationale="A reflective session will capture the learning.",
        decided_on=DECIDED + datetime.timedelta(days=7),
        reason="The National Panel challenged the recommendation.",
    )
    check = client.post(url, change).content.decode()
    assert "Check your answers before recording the decision" in check
    assert "Why the decision has changed" in check
    assert Decision.objects.count() == 1

    assert "The partners recommended: An LCSPR will take place." in check

    response = client.post(url, {**change, "confirm": "yes"}, follow=True)
    assert "takes effect once the three statutory partners agree" in response.content.decode()
    first, second = Decision.objects.order_by("pk")
    assert second.change_reason == "The National Panel challenged the recommendation."
    lcspr_review.refresh_from_db()
    assert lcspr_review.stage == Stage.LCSPR  # an outcome the partners did not recommend

    to_agreed(lcspr_review, partner_leads)
    second.refresh_from_db()
    assert second.supersedes == first
    assert lcspr_review.stage == Stage.OTHER_LEARNING

    body = client.get(_url("decision", lcspr_review)).content.decode()
    assert "The decision in force" in body and "An earlier decision, replaced" in body
    assert "An LCSPR will take place" in body
    assert "No LCSPR, but another learning review" in body
    assert "The National Panel challenged the recommendation." in body


def test_a_change_needs_a_reason(client, independent_chair, lcspr_review):
    client.force_login(independent_chair)
    response = client.post(
        _url("decision_change", lcspr_review),
        {**_decision(Outcome.NO_FURTHER_ACTION), "reason": "", "confirm": "yes"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_reason">Enter why the decision has changed' in body
    assert Decision.objects.count() == 1


def test_there_is_nothing_to_change_before_a_decision(client, independent_chair, awaiting_decision):
    client.force_login(independent_chair)
    body = client.get(_url("decision_change", awaiting_decision)).content.decode()
    assert "There is no decision to change yet." in body
    response = client.post(
        _url("decision_change", awaiting_decision),
        {**_decision(), "reason": "Because.", "confirm": "yes"},
    )
    assert "There is no decision to change yet." in response.content.decode()
    assert not Decision.objects.exists()


def test_a_manager_cannot_change_the_decision(client, manager, lcspr_review):
    client.force_login(manager)
    assert client.get(_url("decision_change", lcspr_review)).status_code == 403


# --- the national notices -----------------------------------------------------------------------


def test_the_manager_records_a_notice_and_sees_its_clock(client, manager, lcspr_review):
    client.force_login(manager)
    url = _url("notice", lcspr_review, "dfe")
    body = client.get(url).content.decode()
    # Decided Wednesday 25 March 2026 + 5 working days = Wednesday 1 April.
    assert "Tell Department for Education an LCSPR will take place" in body
    assert "1 April 2026" in body
    assert "overdue by" in body

    response = client.post(url, {**_date("sent_on", DECIDED), "reference": "DFE-123"})
    assert response.status_code == 302
    notice = NationalNotice.objects.get()
    assert (notice.recipient, notice.sent_on, notice.reference, notice.recorded_by) == (
        "dfe",
        DECIDED,
        "DFE-123",
        manager,
    )
    assert lcspr_review.deadlines.get(kind=DeadlineKind.NOTICE_DFE).met_on == DECIDED
    assert "This notice is recorded." in client.get(url).content.decode()


def test_an_unknown_recipient_is_not_found(client, manager, lcspr_review):
    client.force_login(manager)
    assert client.get(_url("notice", lcspr_review, "home_office")).status_code == 404


def test_a_notice_before_the_decision_is_refused_against_the_date(client, manager, lcspr_review):
    client.force_login(manager)
    url = _url("notice", lcspr_review, "ofsted")
    body = client.post(url, _date("sent_on", DECIDED - datetime.timedelta(days=1))).content.decode()
    assert 'href="#id_sent_on_0">The notice cannot predate the decision.' in body
    body = client.post(url, {"reference": "X"}).content.decode()
    assert "Enter date sent" in body
    assert not NationalNotice.objects.exists()


def test_notices_wait_for_an_lcspr_decision(client, manager, awaiting_decision):
    client.force_login(manager)
    url = _url("notice", awaiting_decision, "national_panel")
    assert "only needed once the Independent Chair" in client.get(url).content.decode()
    body = client.post(url, _date("sent_on", DECIDED)).content.decode()
    assert "These notices are only needed once the decision is an LCSPR." in body
    assert not NationalNotice.objects.exists()


@pytest.mark.parametrize("persona", ["partner_lead", "independent_chair"])
def test_only_the_manager_records_notices(client, request, persona, lcspr_review):
    client.force_login(request.getfixturevalue(persona))
    url = _url("notice", lcspr_review, "dfe")
    assert client.get(url).status_code == 403
    assert client.post(url, _date("sent_on", DECIDED)).status_code == 403
    assert not NationalNotice.objects.exists()


@pytest.mark.parametrize("persona", ["outsider", "agency_author"])
def test_notices_do_not_exist_for_others(client, request, persona, lcspr_review):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(_url("notice", lcspr_review, "dfe")).status_code == 404


def test_the_notice_page_accepts_only_get_and_post(client, manager, lcspr_review):
    client.force_login(manager)
    assert client.put(_url("notice", lcspr_review, "dfe")).status_code == 405


# --- the other learning review ------------------------------------------------------------------


def test_the_manager_sets_up_and_records_the_learning_review(
    client, manager, other_learning_review
):
    client.force_login(manager)
    url = _url("other_learning", other_learning_review)
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "kind": "reflective_session",
            "scope": "How agencies shared concerns.",
            "participants": "Social worker, Children's Services",
        },
    )
    assert response.status_code == 302
    other = OtherLearningReview.objects.get()
    assert (other.kind, other.scope, other.held_on) == (
        "reflective_session",
        "How agencies shared concerns.",
        None,
    )

    body = client.get(url).content.decode()
    assert "How agencies shared concerns." in body  # the form shows what is saved
    client.post(
        url,
        {
            "kind": "reflective_session",
            "scope": "How agencies shared concerns.",
            **_date("scope_sent_on", DECIDED + datetime.timedelta(days=7)),
            **_date("held_on", DECIDED + datetime.timedelta(days=14)),
            "learning": "Share concerns at the first strategy meeting.",
        },
    )
    other.refresh_from_db()
    assert other.learning == "Share concerns at the first strategy meeting."
    assert _url("other_learning_close", other_learning_review) in client.get(url).content.decode()


def test_the_learning_review_form_names_missing_and_wrong_fields(
    client, manager, other_learning_review
):
    client.force_login(manager)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    body = client.post(
        _url("other_learning", other_learning_review), _date("held_on", tomorrow)
    ).content.decode()
    assert "Select type of learning review" in body
    assert "Enter scope or terms of reference" in body
    assert "Date held must be today or in the past" in body
    assert not OtherLearningReview.objects.exists()


def test_a_learning_review_is_only_recorded_after_that_decision(client, manager, lcspr_review):
    client.force_login(manager)
    url = _url("other_learning", lcspr_review)
    assert "You cannot record a learning review now" in client.get(url).content.decode()
    body = client.post(url, {"kind": "practice_review", "scope": "Scope."}).content.decode()
    assert "You cannot record the learning review now" in body
    assert not OtherLearningReview.objects.exists()


def test_the_manager_closes_the_learning_review(client, manager, other_learning_review):
    other_learning_services.other_learning_update(
        review=other_learning_review,
        by=manager,
        kind="practice_review",
        scope="Scope.",
        scope_sent_on=DECIDED,
        held_on=DECIDED,
        learning="Learning.",
    )
    client.force_login(manager)
    url = _url("other_learning_close", other_learning_review)
    assert "Closing the learning review closes the case" in client.get(url).content.decode()
    response = client.post(url)
    assert response.status_code == 302
    other_learning_review.refresh_from_db()
    assert other_learning_review.stage == Stage.CLOSED
    assert OtherLearningReview.objects.get().closed_on == timezone.localdate()


def test_a_learning_review_is_not_closed_before_its_learning_is_recorded(
    client, manager, other_learning_review
):
    other_learning_services.other_learning_update(
        review=other_learning_review, by=manager, kind="practice_review", scope="Scope."
    )
    client.force_login(manager)
    url = _url("other_learning_close", other_learning_review)
    assert "Record the date the scope was sent" in client.get(url).content.decode()
    body = client.post(url).content.decode()
    assert "There is a problem" in body
    assert (
        "Record the date the scope was sent to the practitioners, the date it was held and the "
        "learning identified before closing it."
    ) in body
    other_learning_review.refresh_from_db()
    assert other_learning_review.stage == Stage.OTHER_LEARNING


@pytest.mark.parametrize("name", ["other_learning", "other_learning_close"])
def test_only_the_manager_runs_the_learning_review(
    client, name, partner_lead, independent_chair, outsider, agency_author, other_learning_review
):
    url = _url(name, other_learning_review)
    for user, status in [
        (partner_lead, 403),
        (independent_chair, 403),
        (outsider, 404),
        (agency_author, 404),
    ]:
        client.force_login(user)
        assert client.get(url).status_code == status
        assert client.post(url).status_code == status
    other_learning_review.refresh_from_db()
    assert other_learning_review.stage == Stage.OTHER_LEARNING


@pytest.mark.parametrize("name", ["other_learning", "other_learning_close"])
def test_the_learning_review_pages_accept_only_get_and_post(
    client, name, manager, other_learning_review
):
    client.force_login(manager)
    assert client.patch(_url(name, other_learning_review)).status_code == 405


# --- clock settings -----------------------------------------------------------------------------


def _clocks(**changes) -> dict:
    data = {
        "notification_days": 5,
        "notification_start": "awareness",
        "partners_informed_days": 5,
        "looked_after_death_days": 5,
        "rapid_review_days": 15,
        "rapid_review_start": "notification",
        "national_notice_days": 5,
        "completion_months": 6,
        "pre_publication_days": 7,
        "publication_online_months": 12,
    }
    return {**data, **changes}


def test_the_manager_sees_where_each_default_comes_from(client, manager):
    client.force_login(manager)
    body = client.get(reverse("reviews:clock_settings")).content.decode()
    assert "gov.uk: Report a serious child safeguarding incident" in body
    assert "National Panel guidance 2025" in body
    assert "Working Together to Safeguard Children" in body


def test_changing_the_clocks_recomputes_open_due_dates(
    client, manager, in_rapid_review, referral_closed
):
    client.force_login(manager)
    response = client.post(
        reverse("reviews:clock_settings"), _clocks(rapid_review_days=20), follow=True
    )
    assert "Open due dates moved on 1 review" in response.content.decode()
    assert ClockSettings.load().rapid_review_days == 20
    # Notified Friday 6 March 2026 + 20 working days, skipping Good Friday and Easter Monday.
    assert in_rapid_review.deadlines.get(kind=DeadlineKind.RAPID_REVIEW).due_date == (
        datetime.date(2026, 4, 7)
    )


def test_saving_unchanged_clocks_recomputes_nothing(client, manager, in_rapid_review):
    client.force_login(manager)
    response = client.post(reverse("reviews:clock_settings"), _clocks(), follow=True)
    assert "Nothing changed" in response.content.decode()
    assert not in_rapid_review.events.filter(kind="clocks_recomputed").exists()


def test_the_clock_settings_name_a_bad_value(client, manager):
    client.force_login(manager)
    body = client.post(
        reverse("reviews:clock_settings"), _clocks(rapid_review_days=0, completion_months="six")
    ).content.decode()
    assert (
        "Working days to complete the rapid review must be a whole number between 1 and 60" in body
    )
    assert "Months from the decision to complete an LCSPR must be a whole number" in body
    assert ClockSettings.load().rapid_review_days == 15


@pytest.mark.parametrize(
    "persona", ["independent_chair", "partner_lead", "agency_author", "outsider"]
)
def test_only_the_manager_changes_the_clocks(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("reviews:clock_settings")).status_code == 403
    response = client.post(reverse("reviews:clock_settings"), _clocks(rapid_review_days=20))
    assert response.status_code == 403
    assert ClockSettings.load().rapid_review_days == 15


def test_the_clock_settings_accept_only_get_and_post(client, manager):
    client.force_login(manager)
    assert client.put(reverse("reviews:clock_settings")).status_code == 405


@pytest.fixture
def referral_closed(manager, local_authority):
    from tests.reviews.conftest import open_referral

    review = open_referral(manager, local_authority, pseudonym="Child Z")
    referral_services.criteria_record(
        review=review, by=manager, abuse_or_neglect="no", died_or_seriously_harmed="yes"
    )
    referral_services.review_close_not_notifiable(review=review, by=manager, reason="Accident.")
    return review
