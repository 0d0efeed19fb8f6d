"""The home page's "Waiting for others" for those who lead (the manager; a panel chair): who is
late on what, and a one-click reminder that goes out once a day at most, recorded on the
review's timeline."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from chronologies import services as chronology_services
from lcspr.accounts.models import User
from lcspr.notifications.models import InAppNotification
from lcspr.reminders.models import SentReminder
from reviews.models import ReviewEvent
from reviews.queue import waiting_for_others
from reviews.rapid_review import services as rapid_review_services
from reviews.rapid_review.models import AgencySummaryRequest
from tests.actions.conftest import add_action
from tests.factories import UserFactory
from tests.reviews.report_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db


def fresh(user):
    return User.objects.get(pk=user.pk)


@pytest.fixture
def late_summary(in_rapid_review, manager, school, agency_author):
    request = rapid_review_services.agency_summary_request(
        review=in_rapid_review,
        by=manager,
        agency=school,
        due_date=timezone.localdate() + datetime.timedelta(days=7),
    )
    # Its due date has passed since (set directly: the service refuses a date in the past).
    AgencySummaryRequest.objects.filter(pk=request.pk).update(due_date=datetime.date(2026, 3, 9))
    return AgencySummaryRequest.objects.get(pk=request.pk)


def remind_url(kind, pk):
    return reverse("reviews:remind", args=[kind, pk])


def test_the_manager_sees_who_is_late_on_what(client, late_summary, manager, school):
    [item] = waiting_for_others(fresh(manager))
    assert (item.who, item.what) == (str(school), "Agency summary for the rapid review")
    assert item.countdown < 0 and item.countdown_text.startswith("overdue by ")

    client.force_login(manager)
    html = client.get(reverse("core:home")).content.decode()
    assert "Waiting for others" in html
    assert remind_url("summary", late_summary.pk) in html
    assert 'name="form_token"' in html


def test_someone_who_leads_nothing_has_no_waiting_for_others(
    client, late_summary, partner_lead, agency_author
):
    for user in (partner_lead, agency_author):
        assert waiting_for_others(fresh(user)) == []
        client.force_login(user)
        assert "Waiting for others" not in client.get(reverse("core:home")).content.decode()


def test_a_reminder_tells_the_agency_and_goes_on_the_timeline(
    client, late_summary, manager, agency_author, other_agency_author
):
    client.force_login(manager)
    response = client.post(remind_url("summary", late_summary.pk), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("core:home"))
    assert f"Reminder sent to {agency_author}" in response.content.decode()
    notice = InAppNotification.objects.get(recipient=agency_author)
    assert notice.url == reverse("reviews:summary_detail", args=[late_summary.pk])
    assert "overdue" in notice.title
    assert not InAppNotification.objects.filter(recipient=other_agency_author).exists()
    event = ReviewEvent.objects.get(review=late_summary.review, kind="reminder_sent")
    assert str(agency_author) in event.summary and event.actor == manager


def test_a_second_reminder_within_a_day_is_refused_with_the_reason(
    client, late_summary, manager, agency_author
):
    client.force_login(manager)
    client.post(remind_url("summary", late_summary.pk))
    response = client.post(remind_url("summary", late_summary.pk), follow=True)
    html = response.content.decode()
    assert "was reminded about this on" in html and "again a day after" in html
    assert SentReminder.objects.filter(recipient=agency_author).count() == 1

    with time_machine.travel(timezone.now() + datetime.timedelta(hours=25)):
        client.force_login(manager)
        client.post(remind_url("summary", late_summary.pk))
    assert SentReminder.objects.filter(recipient=agency_author).count() == 2


def test_a_summary_received_since_is_not_chased(client, late_summary, manager, agency_author):
    rapid_review_services.agency_summary_submit(
        request=late_summary, by=agency_author, summary="The school saw the child weekly."
    )
    assert waiting_for_others(fresh(manager)) == []
    client.force_login(manager)
    response = client.post(remind_url("summary", late_summary.pk), follow=True)
    assert "no longer overdue" in response.content.decode()
    assert not SentReminder.objects.exists()


def test_the_reminder_is_refused_to_others_and_only_takes_a_post(
    client, late_summary, partner_lead, outsider, manager
):
    client.force_login(partner_lead)  # sees the summary; does not lead it
    assert client.post(remind_url("summary", late_summary.pk)).status_code == 403
    client.force_login(outsider)
    assert client.post(remind_url("summary", late_summary.pk)).status_code == 404
    client.force_login(manager)
    assert client.get(remind_url("summary", late_summary.pk)).status_code == 405
    assert client.post(remind_url("nonsense", late_summary.pk)).status_code == 404


def test_a_panel_chair_chases_a_late_chronology_on_their_review(
    client, lcspr_review, manager, panel_chair, school, agency_author
):
    from reviews.terms import services as tor

    terms = tor.tor_start(review=lcspr_review, by=manager)
    tor.tor_update(
        terms=terms,
        by=manager,
        agencies=[school],
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2026, 3, 2),
        methodology="Systems review.",
    )
    tor.kloes_set(terms=terms, by=manager, texts=["Voice of the child"])
    tor.tor_share(terms=terms, by=manager)
    tor.tor_agree(terms=terms, by=panel_chair)
    [request] = chronology_services.requests_create_from_terms(
        review=lcspr_review, by=manager, due_date=timezone.localdate() + datetime.timedelta(days=9)
    )
    type(request).objects.filter(pk=request.pk).update(due_date=datetime.date(2026, 4, 1))

    [item] = waiting_for_others(fresh(panel_chair))
    assert (item.kind, item.who) == ("chronology", str(school))
    client.force_login(panel_chair)
    client.post(remind_url("chronology", request.pk))
    assert InAppNotification.objects.filter(
        recipient=agency_author, url=reverse("chronologies:request", args=[request.pk])
    ).exists()


def test_the_manager_chases_the_owner_of_an_overdue_action(client, lcspr_review, manager, school):
    owner = UserFactory(full_name="Olive Owner", agency=school)
    action = add_action(
        lcspr_review, manager, school, owner=owner, due_date=datetime.date(2026, 4, 1)
    )
    items = [i for i in waiting_for_others(fresh(manager)) if i.kind == "action"]
    assert [(i.pk, i.who) for i in items] == [(action.pk, str(owner))]
    client.force_login(manager)
    client.post(remind_url("action", action.pk))
    assert SentReminder.objects.get(recipient=owner).key == f"action:{action.pk}"
