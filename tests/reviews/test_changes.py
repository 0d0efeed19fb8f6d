"""What changed: a review's details and decisions, each change with who, when and every field
from what to what in words; the timeline links each event to the change it made."""

import datetime
import html
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reviews.referral import services as referral_services
from tests.reviews.conftest import AWARE, open_referral

D = datetime.date


def _text(response) -> str:
    body = response.content.decode()
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def _correct(review, by, **changes):
    referral_services.review_update_details(review=review, by=by, **changes)
    review.refresh_from_db()
    return review


def test_the_manager_sees_each_change_to_the_details_in_words(client, manager, referral, police):
    _correct(referral, manager, incident_location="Eastbridge", referring_agency=police)
    _correct(referral, manager, la_aware_date=D(2026, 3, 4))
    client.force_login(manager)
    response = client.get(reverse("reviews:review_changes", args=[referral.pk]))
    assert response.status_code == 200
    text = _text(response)
    assert "What changed in the review's details" in text
    # Dates as dates, records by name, who made it.
    assert f"Date the local authority became aware {AWARE.day} March 2026 4 March 2026" in text
    assert "Where it happened Northbridge Eastbridge" in text
    assert "Referred by Northbridge Council Children's Services Northbridge Constabulary" in text
    assert "By Morgan Manager" in text
    # Newest first: the awareness correction before the location's.
    assert text.index("4 March 2026") < text.index("Eastbridge")
    # The creation lists what was recorded, choices as their labels.
    assert "What happened – Nothing before A child was seriously harmed in the area" in text


def test_a_decision_s_changes_show_its_outcome_and_status_as_labels(
    client, lcspr_review, independent_chair
):
    decision = lcspr_review.decisions.get()
    client.force_login(independent_chair)
    response = client.get(reverse("reviews:decision_changes", args=[lcspr_review.pk, decision.pk]))
    text = _text(response)
    assert "Outcome – Nothing before An LCSPR will take place" in text
    assert "Decided on – Nothing before 25 March 2026" in text
    assert "Status – Nothing before In force" in text
    assert "By Indira Chair" in text


def test_whoever_sees_the_review_sees_its_changes_but_not_restricted_identities(
    client, referral, manager, subgroup_member
):
    _correct(referral, manager, additional_children="Child V, aged 2 (a fictional sibling)")
    referral.stage = "lcspr"  # the sub-group oversees LCSPRs only
    referral.save()
    client.force_login(subgroup_member)
    response = client.get(reverse("reviews:review_changes", args=[referral.pk]))
    assert response.status_code == 200
    text = _text(response)
    assert "Other children involved" in text
    assert "Child V" not in text
    assert "Recorded (restricted)" in text


def test_an_outsider_gets_404_for_a_review_s_changes(
    client, referral, outsider, other_agency_author
):
    for person in (outsider, other_agency_author):
        client.force_login(person)
        assert client.get(reverse("reviews:review_changes", args=[referral.pk])).status_code == 404


def test_a_decision_of_another_review_is_not_found(client, lcspr_review, manager, police):
    other = open_referral(manager, police, pseudonym="Child Q")
    decision = lcspr_review.decisions.get()
    client.force_login(manager)
    url = reverse("reviews:decision_changes", args=[other.pk, decision.pk])
    assert client.get(url).status_code == 404


def test_the_changes_page_takes_no_post(client, referral, manager):
    client.force_login(manager)
    assert client.post(reverse("reviews:review_changes", args=[referral.pk])).status_code == 405


def test_the_timeline_links_events_to_the_changes_they_made(client, lcspr_review, manager):
    _correct(lcspr_review, manager, incident_location="Eastbridge")
    client.force_login(manager)
    body = client.get(reverse("reviews:timeline", args=[lcspr_review.pk])).content.decode()
    row = lcspr_review.history.filter(incident_location="Eastbridge").get()
    details = reverse("reviews:review_changes", args=[lcspr_review.pk])
    assert f'href="{details}#change-{row.history_id}"' in body
    decision = lcspr_review.decisions.get()
    decision_row = decision.history.get(history_type="+")
    url = reverse("reviews:decision_changes", args=[lcspr_review.pk, decision.pk])
    assert f'href="{url}#change-{decision_row.history_id}"' in body
    # The anchor exists on the page it points to.
    changes = client.get(details).content.decode()
    assert f'id="change-{row.history_id}"' in changes


def test_the_timeline_costs_the_same_queries_however_many_events_link(
    client, lcspr_review, manager
):
    client.force_login(manager)
    url = reverse("reviews:timeline", args=[lcspr_review.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for place in ("Eastbridge", "Westbridge", "Southbridge", "Northgate"):
        _correct(lcspr_review, manager, incident_location=place)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many.captured_queries) == len(few.captured_queries)
