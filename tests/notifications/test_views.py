"""The notification centre and the reminder preferences: a user sees and marks only their own
notifications, the header shows how many are unread, and each user chooses immediate e-mails or
a daily digest."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from lcspr.accounts.models import ReminderDelivery
from lcspr.notifications.models import InAppNotification
from tests.factories import UserFactory
from tests.helpers import assert_constant_queries

pytestmark = pytest.mark.django_db

LIST = reverse("notifications:list")
READ_ALL = reverse("notifications:read_all")
PREFERENCES = reverse("accounts:notification_preferences")


def notify(user, title="Send the agency summary", read=False, minutes_ago=0):
    return InAppNotification.objects.create(
        recipient=user,
        title=title,
        body="CSPR-2026-004 (Child T). Due 11 March 2026: due in 5 working days.",
        url="/reviews/7/",
        created_at=timezone.now() - datetime.timedelta(minutes=minutes_ago),
        read_at=timezone.now() if read else None,
    )


def read_url(notification):
    return reverse("notifications:read", args=[notification.pk])


@pytest.fixture
def person(db):
    return UserFactory(full_name="Olivia Owner")


@pytest.fixture
def signed_in(client, person):
    client.force_login(person)
    return client


# --- the list -----------------------------------------------------------------------------------


def test_a_user_sees_their_notifications_unread_first_and_newest_first(signed_in, person):
    notify(person, "Old and read", read=True, minutes_ago=1)
    notify(person, "Older unread", minutes_ago=30)
    notify(person, "Newest unread", minutes_ago=5)
    notify(UserFactory(), "Someone else's")

    response = signed_in.get(LIST)

    assert response.status_code == 200
    body = response.content.decode()
    assert body.index("Newest unread") < body.index("Older unread") < body.index("Old and read")
    assert "Someone else&#x27;s" not in body and "Someone else's" not in body
    assert body.count("</span> as read</button>") == 2
    assert "Mark all as read" in body
    assert 'href="/reviews/7/"' in body


def test_the_header_shows_the_unread_count_on_every_page(signed_in, person):
    notify(person)
    notify(person)
    notify(person, read=True)

    body = signed_in.get(reverse("core:home")).content.decode()

    assert 'govuk-tag--red">2<span class="govuk-visually-hidden"> unread</span>' in body


def test_the_header_shows_no_count_when_all_are_read(signed_in, person):
    notify(person, read=True)

    body = signed_in.get(reverse("core:home")).content.decode()

    assert "Notifications</a>" in body
    assert " unread</span>" not in body


def test_with_no_notifications_the_page_says_so(signed_in):
    body = signed_in.get(LIST).content.decode()

    assert "You have no notifications." in body
    assert "Mark all as read" not in body


def test_the_list_is_paginated(signed_in, person):
    for n in range(30):
        notify(person, f"Item {n:02}", minutes_ago=n)

    first = signed_in.get(LIST).content.decode()
    second = signed_in.get(LIST + "?page=2").content.decode()

    assert "Item 00" in first and "Item 24" in first and "Item 25" not in first
    assert "Item 25" in second and "Item 29" in second
    assert "Page 2 of 2" in first


def test_the_list_runs_the_same_queries_however_many_notifications(signed_in, person):
    for _ in range(3):
        notify(person)

    def grow():
        for n in range(40):
            notify(person, read=bool(n % 2))

    assert_constant_queries(signed_in, LIST, grow)


def test_an_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(LIST)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_list_refuses_a_post(signed_in):
    assert signed_in.post(LIST).status_code == 405


# --- marking read -------------------------------------------------------------------------------


def test_a_user_marks_one_notification_read(signed_in, person):
    notification = notify(person)
    other = notify(person, "Still unread")

    response = signed_in.post(read_url(notification), follow=True)

    assert response.redirect_chain == [(LIST, 302)]
    notification.refresh_from_db()
    other.refresh_from_db()
    assert notification.read_at is not None and other.read_at is None
    assert "“Send the agency summary” marked as read." in response.content.decode()


def test_marking_read_returns_to_the_same_page(signed_in, person):
    notification = notify(person)

    response = signed_in.post(read_url(notification), {"page": "2"})

    assert response["Location"] == f"{LIST}?page=2"


def test_marking_someone_elses_notification_is_not_found(signed_in):
    theirs = notify(UserFactory(full_name="Oscar Outsider"))

    response = signed_in.post(read_url(theirs))

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_marking_read_refuses_a_get(signed_in, person):
    assert signed_in.get(read_url(notify(person))).status_code == 405


def test_an_anonymous_visitor_cannot_mark_read(client, person):
    notification = notify(person)

    response = client.post(read_url(notification))

    assert response.status_code == 302
    notification.refresh_from_db()
    assert notification.read_at is None


def test_a_user_marks_all_their_notifications_read(signed_in, person):
    mine = [notify(person), notify(person)]
    theirs = notify(UserFactory())

    response = signed_in.post(READ_ALL, follow=True)

    assert "2 notifications marked as read." in response.content.decode()
    assert all(n.read_at for n in InAppNotification.objects.filter(pk__in=[m.pk for m in mine]))
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert " unread</span>" not in response.content.decode()


def test_marking_all_read_with_nothing_unread_says_so(signed_in):
    response = signed_in.post(READ_ALL, follow=True)

    assert "You had no unread notifications." in response.content.decode()


def test_marking_all_read_refuses_a_get(signed_in):
    assert signed_in.get(READ_ALL).status_code == 405


# --- preferences --------------------------------------------------------------------------------


def test_a_user_sees_how_they_get_reminders(signed_in):
    response = signed_in.get(PREFERENCES)

    assert response.status_code == 200
    body = response.content.decode()
    assert "How do you want to get reminders by e-mail?" in body
    assert 'value="immediate" checked' in body


def test_a_user_chooses_a_daily_digest(signed_in, person):
    response = signed_in.post(PREFERENCES, {"reminder_delivery": "digest"}, follow=True)

    assert response.redirect_chain == [(PREFERENCES, 302)]
    assert "How you get reminders by e-mail has been saved." in response.content.decode()
    person.refresh_from_db()
    assert person.reminder_delivery == ReminderDelivery.DIGEST
    assert person.history.latest().history_user == person


def test_an_unknown_choice_is_refused_with_a_message(signed_in, person):
    response = signed_in.post(PREFERENCES, {"reminder_delivery": "carrier-pigeon"})

    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body
    assert "Select how you want to get reminders by e-mail" in body
    person.refresh_from_db()
    assert person.reminder_delivery == ReminderDelivery.IMMEDIATE


def test_an_empty_choice_names_the_question(signed_in):
    body = signed_in.post(PREFERENCES, {}).content.decode()

    assert "Select how you want to get reminders by e-mail" in body


def test_preferences_need_a_signed_in_user(client):
    response = client.get(PREFERENCES)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_preferences_refuse_other_methods(signed_in):
    assert signed_in.put(PREFERENCES).status_code == 405
