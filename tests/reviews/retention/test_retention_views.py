"""The retention pages: the partnership's retention periods, a review's legal hold (set and
lift), the banner and links on the review page, and the record of removals."""

from html import unescape

import pytest
from django.urls import reverse

from lcspr.accounts.models import Role
from reviews.models import ReviewEvent
from reviews.retention import services as retention
from reviews.retention.models import LegalHold, RetentionRemoval, RetentionSettings
from tests.factories import UserFactory
from tests.helpers import two_editors
from tests.reviews.retention.test_retention import close_not_notifiable


def signed_in(client, user):
    client.force_login(user)
    return client


def hold_url(review, name="legal_hold"):
    return reverse(f"reviews:{name}", args=[review.pk])


SETTINGS_URL = reverse("reviews:retention_settings")
REMOVALS_URL = reverse("reviews:retention_removals")
VALID = {
    "not_notifiable_years": "6",
    "rapid_review_years": "15",
    "other_learning_years": "25",
    "lcspr_years": "75",
    "national_years": "75",
}


# --- the legal hold page -----------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["manager", "independent_chair"])
def test_the_manager_and_the_chair_see_the_legal_hold_page(client, referral, persona, request):
    user = request.getfixturevalue(persona)
    html = signed_in(client, user).get(hold_url(referral)).content.decode()
    assert "Set a legal hold" in html
    assert "Starts when the review is closed" in html


def test_a_hold_is_set_with_a_reason(client, independent_chair, referral):
    response = signed_in(client, independent_chair).post(
        hold_url(referral), {"reason": "The police expect a criminal trial."}
    )
    assert response.status_code == 302
    hold = LegalHold.objects.get(review=referral)
    assert (hold.set_by, hold.reason) == (independent_chair, "The police expect a criminal trial.")
    assert ReviewEvent.objects.filter(review=referral, kind="legal_hold_set").exists()
    html = client.get(response.url).content.decode()
    assert "Legal hold set" in html
    assert "Lift the legal hold" in html


def test_a_hold_without_a_reason_names_the_field_and_stores_nothing(client, manager, referral):
    html = signed_in(client, manager).post(hold_url(referral), {"reason": " "}).content.decode()
    assert "There is a problem" in html
    assert "Enter why the review is on legal hold" in html
    assert not LegalHold.objects.exists()


def test_a_hold_is_lifted_with_a_reason(client, manager, referral):
    retention.legal_hold_set(review=referral, by=manager, reason="A civil claim.")
    signed_in(client, manager)
    html = client.post(hold_url(referral, "legal_hold_lift"), {"reason": ""}).content.decode()
    assert "Enter why the legal hold is lifted" in html
    assert retention.hold_in_force(referral)
    response = client.post(hold_url(referral, "legal_hold_lift"), {"reason": "Claim withdrawn."})
    assert response.status_code == 302
    assert retention.hold_in_force(referral) is None
    html = client.get(response.url).content.decode()
    assert "Claim withdrawn." in html
    assert "Set a legal hold" in html


def test_setting_a_second_hold_is_refused_with_a_reason(client, manager, referral):
    retention.legal_hold_set(review=referral, by=manager, reason="A civil claim.")
    response = signed_in(client, manager).post(hold_url(referral), {"reason": "Another."})
    assert "already on legal hold" in client.get(response.url).content.decode()
    assert LegalHold.objects.count() == 1


def test_a_partner_lead_sees_the_review_but_may_not_hold_it(client, partner_lead, referral):
    signed_in(client, partner_lead)
    assert client.get(hold_url(referral)).status_code == 403
    assert client.post(hold_url(referral), {"reason": "A claim."}).status_code == 403
    assert client.post(hold_url(referral, "legal_hold_lift"), {"reason": "x"}).status_code == 403
    assert not LegalHold.objects.exists()


def test_an_outsider_does_not_find_the_legal_hold_page(client, outsider, agency_author, referral):
    for person in (outsider, agency_author):
        signed_in(client, person)
        assert client.get(hold_url(referral)).status_code == 404
        assert (
            client.post(hold_url(referral, "legal_hold_lift"), {"reason": "x"}).status_code == 404
        )


def test_the_legal_hold_pages_refuse_other_methods(client, manager, referral):
    signed_in(client, manager)
    assert client.put(hold_url(referral)).status_code == 405
    assert client.get(hold_url(referral, "legal_hold_lift")).status_code == 405


def test_the_review_page_shows_the_hold_and_the_managers_links(
    client, manager, partner_lead, referral
):
    retention.legal_hold_set(review=referral, by=manager, reason="The coroner asked us to keep it.")
    html = signed_in(client, manager).get(reverse("reviews:detail", args=[referral.pk])).content
    html = html.decode()
    assert "This review is on legal hold" in html
    assert "The coroner asked us to keep it." in html
    assert f"{reverse('access_log:list')}?review={referral.reference}" in html
    assert hold_url(referral) in html
    html = signed_in(client, partner_lead).get(reverse("reviews:detail", args=[referral.pk]))
    html = html.content.decode()
    assert "This review is on legal hold" in html
    assert "Who has looked at this review" not in html
    assert hold_url(referral) not in html


def test_a_closed_review_shows_its_retention_dates(client, manager, local_authority):
    closed = close_not_notifiable(manager, local_authority)
    html = signed_in(client, manager).get(hold_url(closed)).content.decode()
    assert "Referral closed: the criteria for notification not met" in html
    assert "7 years: kept until" in html


# --- the retention settings --------------------------------------------------------------------


def test_the_manager_sees_the_defaults_explained(client, manager):
    html = signed_in(client, manager).get(SETTINGS_URL).content.decode()
    assert "Retention periods" in html
    assert "these periods are the partnership's to set" in html
    assert 'value="75"' in html


def test_the_manager_changes_a_period(client, manager):
    response = signed_in(client, manager).post(SETTINGS_URL, VALID)
    assert response.status_code == 302
    assert RetentionSettings.load().not_notifiable_years == 6
    assert RetentionSettings.history.filter(history_user=manager).exists()
    assert "Retention periods saved" in client.get(SETTINGS_URL).content.decode()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0", "Years to keep lcsprs must be 1 or more"),
        ("101", "Years to keep lcsprs must be 100 or fewer"),
        ("many", "Years to keep lcsprs must be a whole number"),
        ("", "Enter how many years to keep lcsprs"),
    ],
)
def test_a_bad_period_names_the_field_and_changes_nothing(client, manager, value, message):
    html = signed_in(client, manager).post(SETTINGS_URL, {**VALID, "lcspr_years": value})
    html = html.content.decode()
    assert "There is a problem" in html
    assert message in html
    assert RetentionSettings.load().not_notifiable_years == 7


def test_only_the_manager_sets_the_periods(client, independent_chair, partner_lead, outsider):
    for person in (independent_chair, partner_lead, outsider):
        signed_in(client, person)
        assert client.get(SETTINGS_URL).status_code == 403
        assert client.post(SETTINGS_URL, VALID).status_code == 403
    assert RetentionSettings.load().not_notifiable_years == 7


def test_signed_out_people_are_sent_to_sign_in(client):
    for url in (SETTINGS_URL, REMOVALS_URL):
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("accounts:login") in response.url


def test_the_settings_page_refuses_other_methods(client, manager):
    assert signed_in(client, manager).put(SETTINGS_URL).status_code == 405
    assert client.post(REMOVALS_URL).status_code == 405


# --- the removals page -------------------------------------------------------------------------


def test_the_removals_page_lists_what_is_due_held_and_removed(
    client, manager, independent_chair, local_authority
):
    held = close_not_notifiable(manager, local_authority, pseudonym="Child H")
    retention.legal_hold_set(review=held, by=independent_chair, reason="A claim.")
    RetentionRemoval.objects.create(
        reference="CSPR-2019-004",
        retention_type="not_notifiable",
        closed_on="2019-05-01",
        retention_years=7,
        removed_by=manager,
        rows_removed=31,
        history_rows_removed=57,
        files_removed=3,
    )
    html = signed_in(client, manager).get(REMOVALS_URL).content.decode()
    assert "No review is due for removal" in html
    assert held.reference in html
    assert "CSPR-2019-004" in html
    assert "31 records, 57 history records, 3 files" in html


def test_only_the_manager_sees_the_removals(client, independent_chair, outsider):
    for person in (independent_chair, outsider):
        assert signed_in(client, person).get(REMOVALS_URL).status_code == 403


def test_retention_periods_saved_over_newer_ones_are_refused(manager):
    colleague = UserFactory(full_name="Robin Reviewer", roles=[Role.PARTNERSHIP_MANAGER])
    first, second = two_editors(SETTINGS_URL, manager, colleague)
    kept = RetentionSettings.load().national_years
    first.form["lcspr_years"] = "80"
    assert first.save(SETTINGS_URL).status_code == 302

    second.form["national_years"] = "90"
    page = second.save(SETTINGS_URL)
    assert page.status_code == 200
    html = unescape(page.content.decode())
    assert "Morgan Manager changed this at " in html
    assert "to 80." in html
    assert "Your changes have not been saved." in html
    periods = RetentionSettings.load()
    assert (periods.lcspr_years, periods.national_years) == (80, kept)
