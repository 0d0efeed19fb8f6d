"""The partnership's calendar page: closure days beside the year's England and Wales bank
holidays; adding or removing a closure day moves every open clock at once and never a met one.
(The fixtures' case: aware Tuesday 3 March 2026, notified Friday 6 March 2026, so the
notification clock is met and the rapid review's is open, due Friday 27 March 2026.)"""

import datetime
import html
import re

import pytest
from django.urls import reverse

from lcspr.core import closures
from lcspr.core.models import ClosureDay
from reviews.clocks.models import DeadlineKind

D = datetime.date


def _text(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def _date(name, value):
    return {f"{name}_0": value.day, f"{name}_1": value.month, f"{name}_2": value.year}


def _clock(review, kind):
    return review.deadlines.get(kind=kind)


@pytest.fixture
def council_closure(manager):
    return closures.closure_day_add(by=manager, date=D(2026, 12, 29), reason="Council closure")


def test_the_manager_sees_the_year_s_closure_days_beside_its_bank_holidays(
    client, manager, council_closure
):
    client.force_login(manager)
    text = _text(client.get(reverse("reviews:calendar"), {"year": "2026"}))
    assert "Closure days in 2026" in text
    assert "Tuesday 29 December 2026 Council closure" in text
    assert "Bank holidays in England and Wales in 2026" in text
    # From the same source the clocks count by, substitute days included.
    assert "Friday 25 December 2026 Christmas Day" in text
    assert "Monday 28 December 2026 Boxing Day (observed)" in text
    assert "Friday 3 April 2026 Good Friday" in text
    other_year = _text(client.get(reverse("reviews:calendar"), {"year": "2027"}))
    assert "No closure days in 2027." in other_year
    assert "Monday 29 March 2027 Easter Monday" in other_year


@pytest.mark.parametrize("year", ["twenty", "1899", "99999"])
def test_a_year_that_is_not_one_is_not_found(client, manager, year):
    client.force_login(manager)
    assert client.get(reverse("reviews:calendar"), {"year": year}).status_code == 404


@pytest.mark.parametrize("name", ["reviews:calendar", "reviews:closure_day_add"])
def test_only_the_manager_reaches_the_calendar(
    client, manager, independent_chair, partner_lead, outsider, name
):
    url = reverse(name)
    assert client.get(url).status_code == 302
    for person in (independent_chair, partner_lead, outsider):
        client.force_login(person)
        assert client.get(url).status_code == 403
        assert client.post(url, {"reason": "x", **_date("date", D(2026, 3, 16))}).status_code == 403
    assert not ClosureDay.objects.exists()
    client.force_login(manager)
    assert client.get(url).status_code == 200


def test_only_the_manager_removes_a_closure_day(client, independent_chair, council_closure):
    url = reverse("reviews:closure_day_remove", args=[council_closure.pk])
    client.force_login(independent_chair)
    assert client.post(url, {"reason": "Opened after all"}).status_code == 403
    assert ClosureDay.objects.filter(pk=council_closure.pk).exists()


def test_a_closure_day_that_does_not_exist_is_not_found(client, manager):
    client.force_login(manager)
    url = reverse("reviews:closure_day_remove", args=[999999])
    assert client.get(url).status_code == 404


def test_adding_a_closure_day_moves_open_clocks_and_never_a_met_one(
    client, manager, in_rapid_review
):
    notification = _clock(in_rapid_review, DeadlineKind.NOTIFICATION)
    assert notification.met_on is not None
    client.force_login(manager)
    response = client.post(
        reverse("reviews:closure_day_add"),
        {"reason": "Council closure", **_date("date", D(2026, 3, 16))},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("reviews:calendar") + "?year=2026"
    assert [str(m) for m in response.context["messages"]] == [
        "16 March 2026 is now a closure day. Every open due date now follows it; each review "
        "whose due date moved says so on its timeline. Clocks already met keep their dates."
    ]
    assert "Monday 16 March 2026 Council closure" in _text(response)
    # The open clock moved at once...
    assert _clock(in_rapid_review, DeadlineKind.RAPID_REVIEW).due_date == D(2026, 3, 30)
    # ...the met one is history.
    met = _clock(in_rapid_review, DeadlineKind.NOTIFICATION)
    assert (met.due_date, met.met_on) == (notification.due_date, notification.met_on)
    assert in_rapid_review.events.filter(kind="clocks_recomputed").count() == 1
    assert ClosureDay.objects.get().history.get().history_user == manager


def test_removing_a_closure_day_with_a_reason_moves_open_clocks_back(
    client, manager, in_rapid_review
):
    day = closures.closure_day_add(by=manager, date=D(2026, 3, 16), reason="Council closure")
    notification = _clock(in_rapid_review, DeadlineKind.NOTIFICATION)
    client.force_login(manager)
    url = reverse("reviews:closure_day_remove", args=[day.pk])
    assert "Monday 16 March 2026" in _text(client.get(url))
    response = client.post(url, {"reason": "The council opened after all"}, follow=True)
    assert [str(m) for m in response.context["messages"]][0].startswith(
        "16 March 2026 is no longer a closure day."
    )
    assert not ClosureDay.objects.exists()
    assert _clock(in_rapid_review, DeadlineKind.RAPID_REVIEW).due_date == D(2026, 3, 27)
    met = _clock(in_rapid_review, DeadlineKind.NOTIFICATION)
    assert (met.due_date, met.met_on) == (notification.due_date, notification.met_on)
    removed = ClosureDay.history.get(history_type="-")
    assert (removed.history_user, removed.history_change_reason) == (
        manager,
        "The council opened after all",
    )


def test_removing_a_closure_day_needs_a_reason(client, manager, council_closure):
    client.force_login(manager)
    url = reverse("reviews:closure_day_remove", args=[council_closure.pk])
    response = client.post(url, {"reason": ""})
    assert response.context["form"].errors == {
        "reason": ["Enter why the closure day is being removed"]
    }
    assert ClosureDay.objects.filter(pk=council_closure.pk).exists()


@pytest.mark.parametrize(
    "day, reason, field, message",
    [
        (D(2026, 3, 14), "Closed", "date", "14 March 2026 is a weekend day"),
        (D(2026, 12, 28), "Closed", "date", "28 December 2026 is already a bank holiday"),
        (D(2026, 3, 16), "", "reason", "Enter why the partnership is closed that day"),
    ],
)
def test_a_closure_day_that_cannot_be_is_refused_on_its_field(
    client, manager, in_rapid_review, day, reason, field, message
):
    client.force_login(manager)
    response = client.post(
        reverse("reviews:closure_day_add"), {"reason": reason, **_date("date", day)}
    )
    assert response.status_code == 200
    assert message in response.context["form"].errors[field][0]
    assert not ClosureDay.objects.exists()
    assert _clock(in_rapid_review, DeadlineKind.RAPID_REVIEW).due_date == D(2026, 3, 27)
