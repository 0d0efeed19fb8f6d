"""The reporting API as a partnership's reporting tool uses it: a token the manager issued, the
same access as the person in the pages, paged and filtered answers, every call in the access
log, nothing about people's names."""

import datetime

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from actions.models import Status
from lcspr.access_log.models import AccessLog
from lcspr.api import services as api_services
from lcspr.api.models import ApiToken
from tests.actions.conftest import add_action

pytestmark = pytest.mark.django_db


def _token(user, manager) -> str:
    return api_services.token_issue(user=user, name="Reporting", by=manager)[1]


def _get(client, url, raw=None, **params):
    headers = {"Authorization": f"Bearer {raw}"} if raw else {}
    return client.get(url, params, headers=headers)


REVIEWS = "/api/v1/reviews/"
ACTIONS = "/api/v1/actions/"


def test_a_token_reads_the_reviews_its_person_may_see_with_clocks_and_decisions(
    client, manager, lcspr_review
):
    raw = _token(manager, manager)
    response = _get(client, REVIEWS, raw)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    body = response.json()
    assert body["count"] == 1
    review = body["results"][0]
    assert review["reference"] == lcspr_review.reference
    assert review["stage_label"] == lcspr_review.get_stage_display()
    assert {c["kind"] for c in review["clocks"]} >= {"notification", "rapid_review"}
    notification = next(c for c in review["clocks"] if c["kind"] == "notification")
    assert notification["state"] == "met on time"
    assert review["decisions"][0]["outcome_label"] == "An LCSPR will take place"


def test_no_name_a_review_records_is_in_the_api(client, manager, lcspr_review):
    from reviews.models import Child

    Child.objects.create(review=lcspr_review, name="Jordan Fictionalname", sex="male")
    raw = _token(manager, manager)
    for url in (REVIEWS, f"{REVIEWS}{lcspr_review.reference}/", "/api/v1/decisions/"):
        content = _get(client, url, raw).content.decode()
        assert "Fictionalname" not in content
        assert "Morgan Manager" not in content  # who recorded things is not reporting data


@pytest.mark.parametrize("persona", ["outsider", "agency_author"])
def test_a_person_who_may_not_see_a_review_gets_nothing_of_it(
    client, manager, lcspr_review, persona, request
):
    raw = _token(request.getfixturevalue(persona), manager)
    assert _get(client, REVIEWS, raw).json()["count"] == 0
    assert _get(client, f"{REVIEWS}{lcspr_review.reference}/", raw).status_code == 404
    assert _get(client, "/api/v1/clocks/", raw).json()["count"] == 0
    assert _get(client, "/api/v1/decisions/", raw).json()["count"] == 0


def test_an_agency_representative_sees_their_agencys_actions_only(
    client, manager, agency_author, school_action, police_action
):
    raw = _token(agency_author, manager)
    references = [a["reference"] for a in _get(client, ACTIONS, raw).json()["results"]]
    assert references == [school_action.reference]
    assert _get(client, f"{ACTIONS}{police_action.pk}/", raw).status_code == 404


def test_overdue_follows_the_dashboards_definition(
    client, manager, lcspr_review, school, police, recommendations
):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    late = add_action(lcspr_review, manager, school, due_date=yesterday, text="Late action.")
    add_action(lcspr_review, manager, police, due_date=yesterday + datetime.timedelta(days=30))
    raw = _token(manager, manager)
    overdue = _get(client, ACTIONS, raw, overdue="true").json()["results"]
    assert [a["reference"] for a in overdue] == [late.reference]
    assert overdue[0]["overdue"] is True
    assert overdue[0]["reference"] == f"{lcspr_review.reference}/A{late.number}"


def test_a_filter_with_a_wrong_value_names_the_parameter(client, manager, lcspr_review):
    raw = _token(manager, manager)
    response = _get(client, ACTIONS, raw, status="finished", due_from="31/04/2026")
    assert response.status_code == 400
    assert "status" in response.json()
    response = _get(client, ACTIONS, raw, due_from="31/04/2026")
    assert response.json() == {"due_from": ["'31/04/2026' is not a date: write it as 2026-04-30."]}
    ok = _get(client, ACTIONS, raw, status=Status.NOT_STARTED)
    assert ok.status_code == 200


def test_without_a_valid_token_nothing_is_answered(client, manager, lcspr_review):
    assert _get(client, REVIEWS).status_code == 401
    assert _get(client, REVIEWS).headers["WWW-Authenticate"] == "Bearer"
    assert _get(client, REVIEWS, "lcspr_not-a-real-token").status_code == 401
    # A signed-in browser session is not a token: the API stays token-only.
    client.force_login(manager)
    assert client.get(REVIEWS).status_code == 401


def test_a_revoked_token_stops_at_once(client, manager, lcspr_review):
    token, raw = api_services.token_issue(user=manager, name="Power BI", by=manager)
    assert _get(client, REVIEWS, raw).status_code == 200
    api_services.token_revoke(token=token, by=manager)
    assert _get(client, REVIEWS, raw).status_code == 401


def test_a_leavers_token_stops_with_their_account(client, manager, subgroup_member, lcspr_review):
    raw = _token(subgroup_member, manager)
    assert _get(client, REVIEWS, raw).status_code == 200
    subgroup_member.is_active = False
    subgroup_member.save()
    assert _get(client, REVIEWS, raw).status_code == 401


def test_every_call_is_in_the_access_log(client, manager, lcspr_review):
    raw = _token(manager, manager)
    _get(client, REVIEWS, raw)
    _get(client, f"{REVIEWS}NOT-A-REVIEW/", raw)
    rows = list(
        AccessLog.objects.filter(user=manager).order_by("pk").values_list("what", flat=True)
    )
    assert rows == ["API: reviews (200)", "API: reviews NOT-A-REVIEW (404)"]


def test_lists_come_in_pages(client, manager, lcspr_review, school, recommendations):
    for _ in range(3):
        add_action(lcspr_review, manager, school)
    raw = _token(manager, manager)
    page = _get(client, ACTIONS, raw, page=99)
    assert page.status_code == 404
    first = _get(client, ACTIONS, raw).json()
    assert first["count"] == 3 and first["next"] is None


def test_past_the_rate_limit_the_answer_says_when_to_come_back(client, manager, lcspr_review):
    raw = _token(manager, manager)
    with override_settings(API_RATE_LIMIT="2/hour"):
        assert _get(client, REVIEWS, raw).status_code == 200
        assert _get(client, REVIEWS, raw).status_code == 200
        refused = _get(client, REVIEWS, raw)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0


def test_the_description_is_openapi_3_and_public(client):
    response = client.get("/api/v1/schema/", headers={"Accept": "application/json"})
    assert response.status_code == 200
    assert b"openapi: 3" in response.content or b'"openapi": "3' in response.content


# --- The manager's token pages -----------------------------------------------------------------


def test_the_manager_issues_a_token_shown_once(client, manager, subgroup_member):
    client.force_login(manager)
    assert client.get(reverse("api:token_issue")).status_code == 200
    response = client.post(
        reverse("api:token_issue"), {"user": subgroup_member.pk, "name": "Executive dashboard"}
    )
    assert response.status_code == 200
    raw = response.context["raw"]
    assert raw.startswith("lcspr_") and raw in response.content.decode()
    token = ApiToken.objects.get()
    assert token.user == subgroup_member and raw not in token.token_hash
    listing = client.get(reverse("api:tokens")).content.decode()
    assert "Executive dashboard" in listing and raw not in listing
    assert _get(client, REVIEWS, raw).status_code == 200


def test_issuing_without_a_name_says_what_is_missing(client, manager, subgroup_member):
    client.force_login(manager)
    response = client.post(reverse("api:token_issue"), {"user": subgroup_member.pk, "name": ""})
    assert "Enter what the token is for" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_the_manager_revokes_a_token(client, manager, subgroup_member):
    token, raw = api_services.token_issue(user=subgroup_member, name="Old sheet", by=manager)
    client.force_login(manager)
    url = reverse("api:token_revoke", args=[token.pk])
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    token.refresh_from_db()
    assert token.revoked_by == manager
    again = client.post(url)
    assert "This token has already been revoked." in again.content.decode()


@pytest.mark.parametrize("page", ["api:tokens", "api:token_issue"])
@pytest.mark.parametrize("persona", ["subgroup_member", "outsider", "partner_lead"])
def test_only_the_manager_reaches_the_token_pages(client, page, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse(page)).status_code == 403


def test_a_token_that_does_not_exist_is_not_found(client, manager):
    client.force_login(manager)
    assert client.get(reverse("api:token_revoke", args=[999999])).status_code == 404


def test_everyone_signed_in_reads_the_documentation(client, agency_author):
    client.force_login(agency_author)
    page = client.get(reverse("api:documentation")).content.decode()
    assert "GET /api/v1/actions/" in page
    assert "overdue" in page
