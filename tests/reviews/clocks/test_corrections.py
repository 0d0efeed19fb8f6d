"""Correcting a recorded date: the manager gives the right date and the reason; the dates stay
in a possible order; the clocks that count from the date, or were met by it, follow; history
and the timeline keep what changed and why."""

import datetime

import pytest
from django.urls import reverse

from lcspr.core.exceptions import WorkflowError
from reviews.clocks import corrections
from reviews.clocks.models import DeadlineKind
from reviews.referral.models import Notification
from tests.reviews.conftest import NOTIFIED, SENT

D = datetime.date


def correct(review, by, key, value, reason="Typed from the wrong e-mail"):
    return corrections.date_correct(review=review, by=by, key=key, value=value, reason=reason)


def clock(review, kind):
    return review.deadlines.get(kind=kind)


def test_the_notification_date_is_corrected_with_its_reason_in_history_and_timeline(
    in_rapid_review, manager
):
    correct(in_rapid_review, manager, "notification", D(2026, 3, 5))
    notification = Notification.objects.get(review=in_rapid_review)
    assert notification.sent_on == D(2026, 3, 5)
    latest = notification.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (
        manager,
        "Typed from the wrong e-mail",
    )
    event = in_rapid_review.events.get(kind="date_corrected")
    assert event.summary == (
        "The date the National Panel was notified corrected from 6 March 2026 to 5 March 2026: "
        "Typed from the wrong e-mail"
    )
    # The notification clock was met by it: its met date follows, its due date is history.
    met = clock(in_rapid_review, DeadlineKind.NOTIFICATION)
    assert (met.due_date, met.met_on) == (D(2026, 3, 10), D(2026, 3, 5))
    # The rapid review clock counts from it: 15 working days from Thursday 5 March.
    rapid = clock(in_rapid_review, DeadlineKind.RAPID_REVIEW)
    assert (rapid.counted_from, rapid.due_date) == (D(2026, 3, 5), D(2026, 3, 26))


def test_correcting_the_decision_date_recounts_the_clocks_that_start_from_it(lcspr_review, manager):
    assert clock(lcspr_review, DeadlineKind.NOTICE_DFE).due_date == D(2026, 4, 1)
    correct(lcspr_review, manager, "decision", D(2026, 3, 24))
    lcspr_review.refresh_from_db()
    assert lcspr_review.decisions.get().decided_on == D(2026, 3, 24)
    # 5 working days from Tuesday 24 March 2026.
    assert clock(lcspr_review, DeadlineKind.NOTICE_DFE).due_date == D(2026, 3, 31)
    assert clock(lcspr_review, DeadlineKind.COMPLETION).counted_from == D(2026, 3, 24)


@pytest.mark.parametrize(
    "key, value, message",
    [
        (
            "awareness",
            D(2026, 3, 9),
            "The date the local authority became aware cannot be after the date the National "
            "Panel was notified (6 March 2026).",
        ),
        (
            "notification",
            D(2026, 3, 23),
            "The date the National Panel was notified cannot be after the date the rapid review "
            "was sent to the National Panel (20 March 2026).",
        ),
        (
            "rapid_review_sent",
            D(2026, 3, 26),
            "The date the rapid review was sent to the National Panel cannot be after the date "
            "of the Independent Chair's decision (25 March 2026).",
        ),
        (
            "decision",
            D(2026, 3, 19),
            "The date of the Independent Chair's decision cannot be before the date the rapid "
            "review was sent to the National Panel (20 March 2026).",
        ),
        (
            "incident",
            D(2026, 3, 4),
            "The date of the incident cannot be after the date the local authority became aware "
            "(3 March 2026).",
        ),
    ],
)
def test_a_correction_out_of_order_is_refused_naming_the_conflicting_date(
    lcspr_review, manager, key, value, message
):
    before = {d.key: v for d, v in corrections.recorded_dates(lcspr_review)}
    with pytest.raises(WorkflowError) as refused:
        correct(lcspr_review, manager, key, value)
    assert refused.value.message_dict["value"] == [message]
    assert {d.key: v for d, v in corrections.recorded_dates(lcspr_review)} == before
    assert not lcspr_review.events.filter(kind="date_corrected").exists()


def test_a_correction_needs_a_reason_a_new_date_and_no_future(in_rapid_review, manager):
    with pytest.raises(WorkflowError, match="Enter why the date is being corrected"):
        correct(in_rapid_review, manager, "notification", D(2026, 3, 5), reason="  ")
    with pytest.raises(WorkflowError, match="is already 6 March 2026"):
        correct(in_rapid_review, manager, "notification", NOTIFIED)
    with pytest.raises(WorkflowError, match="cannot be in the future"):
        correct(in_rapid_review, manager, "incident", D(2099, 1, 1))


def test_a_date_not_yet_recorded_cannot_be_corrected(in_rapid_review, manager):
    with pytest.raises(WorkflowError, match="has not been recorded yet"):
        correct(in_rapid_review, manager, "rapid_review_sent", SENT)


def test_the_manager_corrects_a_date_in_the_browser_pages(client, manager, lcspr_review):
    client.force_login(manager)
    page = client.get(reverse("reviews:dates", args=[lcspr_review.pk])).content.decode()
    assert "The date the rapid review was sent to the National Panel" in page
    assert "25 March 2026" in page
    url = reverse("reviews:date_correct", args=[lcspr_review.pk, "decision"])
    refused = client.post(
        url, {"value_0": "19", "value_1": "3", "value_2": "2026", "reason": "Minutes say so"}
    )
    assert refused.status_code == 200
    assert "cannot be before the date the rapid review was sent" in refused.content.decode()
    done = client.post(
        url,
        {"value_0": "24", "value_1": "3", "value_2": "2026", "reason": "The minutes say 24th"},
        follow=True,
    )
    assert "The date of the Independent Chair&#x27;s decision has been corrected." in (
        done.content.decode()
    )
    assert lcspr_review.decisions.get().decided_on == D(2026, 3, 24)


def test_only_the_manager_corrects_dates_and_outsiders_never_learn_the_review_exists(
    client, lcspr_review, independent_chair, outsider
):
    for name, args in (("dates", []), ("date_correct", ["decision"])):
        url = reverse(f"reviews:{name}", args=[lcspr_review.pk, *args])
        client.force_login(independent_chair)
        assert client.get(url).status_code == 403
        client.force_login(outsider)
        assert client.get(url).status_code == 404


def test_an_unknown_date_is_not_found(client, manager, lcspr_review):
    client.force_login(manager)
    url = reverse("reviews:date_correct", args=[lcspr_review.pk, "birthday"])
    assert client.get(url).status_code == 404
