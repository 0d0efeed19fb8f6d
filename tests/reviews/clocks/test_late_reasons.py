"""Why a step was late: the partnership manager records the reason a clock was met after its due
date, or is still not met past it; a clock met on time or not yet due is refused; history and the
timeline keep the reason; two managers saving at once cannot overwrite each other unseen."""

import datetime
from html import unescape

import pytest
import time_machine
from django.urls import reverse

from lcspr.accounts.models import Role
from lcspr.core.exceptions import WorkflowError
from reviews.clocks import services
from reviews.clocks.models import DeadlineKind
from reviews.models import ReviewEvent
from reviews.referral import services as referral_services
from tests.factories import UserFactory
from tests.helpers import two_editors

pytestmark = pytest.mark.django_db

D = datetime.date
REASON = "The National Panel's online form was unavailable for three days."


@pytest.fixture
def notified_late(referral, manager):
    """Aware Tuesday 3 March 2026, so due by Tuesday 10 March; notified Friday 13 March."""
    referral_services.criteria_record(
        review=referral, by=manager, abuse_or_neglect="yes", died_or_seriously_harmed="yes"
    )
    referral_services.notification_record(
        review=referral, by=manager, sent_on=D(2026, 3, 13), panel_reference="NP-0002"
    )
    referral.refresh_from_db()
    return referral


@pytest.fixture
def colleague(db):
    return UserFactory(full_name="Robin Reviewer", roles=[Role.PARTNERSHIP_MANAGER])


def clock(review, kind):
    return review.deadlines.get(kind=kind)


def record(deadline, by, reason=REASON, **kwargs):
    return services.late_reason_record(deadline=deadline, by=by, late_reason=reason, **kwargs)


def url(review, kind=DeadlineKind.NOTIFICATION):
    return reverse("reviews:late_reason", args=[review.pk, kind])


# --- the service ------------------------------------------------------------------------------


def test_the_reason_a_clock_was_met_late_is_kept_in_history_and_on_the_timeline(
    notified_late, manager
):
    deadline = clock(notified_late, DeadlineKind.NOTIFICATION)
    assert (deadline.due_date, deadline.met_on) == (D(2026, 3, 10), D(2026, 3, 13))

    record(deadline, manager)

    deadline.refresh_from_db()
    assert deadline.late_reason == REASON
    latest = deadline.history.latest()
    assert (latest.history_user, latest.late_reason) == (manager, REASON)
    event = notified_late.events.get(kind="late_reason_recorded")
    assert event.actor == manager
    assert event.summary == (
        "Reason recorded for “Notify the National Panel” (due by 10 March 2026) being late: "
        + REASON
    )


def test_a_reason_can_be_given_for_a_clock_still_not_met_past_its_due_date(
    in_rapid_review, manager
):
    # The partners were never recorded as informed: due by 10 March 2026.
    deadline = clock(in_rapid_review, DeadlineKind.PARTNERS_INFORMED)
    assert deadline.met_on is None

    record(deadline, manager, "  The police lead was on leave.  ")

    deadline.refresh_from_db()
    assert deadline.late_reason == "The police lead was on leave."


def test_changing_the_reason_says_so_on_the_timeline(notified_late, manager):
    deadline = clock(notified_late, DeadlineKind.NOTIFICATION)
    record(deadline, manager)
    record(deadline, manager, "The manager was told of the incident late.")

    summaries = list(
        notified_late.events.filter(kind="late_reason_recorded")
        .order_by("pk")
        .values_list("summary", flat=True)
    )
    assert summaries[1].startswith("Reason changed for “Notify the National Panel”")
    assert deadline.history.count() == 4  # created, met, and the two reasons


def test_a_clock_met_on_time_has_no_reason_to_record(in_rapid_review, manager):
    deadline = clock(in_rapid_review, DeadlineKind.NOTIFICATION)
    with pytest.raises(WorkflowError) as refused:
        record(deadline, manager)

    assert refused.value.messages == [
        "“Notify the National Panel” was met on 6 March 2026, by its due date (10 March 2026): "
        "it was not late, so there is no reason to record."
    ]
    deadline.refresh_from_db()
    assert deadline.late_reason == ""
    assert not in_rapid_review.events.filter(kind="late_reason_recorded").exists()


def test_a_clock_not_yet_due_has_no_reason_to_record(referral, manager):
    deadline = clock(referral, DeadlineKind.NOTIFICATION)
    with (
        time_machine.travel(datetime.datetime(2026, 3, 5, 12, tzinfo=datetime.UTC)),
        pytest.raises(WorkflowError) as refused,
    ):
        record(deadline, manager)

    assert refused.value.messages == [
        "“Notify the National Panel” is due by 10 March 2026, which has not passed: it is not "
        "late, so there is no reason to record."
    ]
    deadline.refresh_from_db()
    assert deadline.late_reason == ""


def test_an_empty_reason_is_refused_on_its_field(notified_late, manager):
    deadline = clock(notified_late, DeadlineKind.NOTIFICATION)
    with pytest.raises(WorkflowError) as refused:
        record(deadline, manager, "   ")

    assert refused.value.message_dict == {"late_reason": ["Enter why this was late"]}


# --- the page ---------------------------------------------------------------------------------


def test_the_manager_says_why_from_the_recorded_dates(client, notified_late, manager):
    client.force_login(manager)
    dates = client.get(reverse("reviews:dates", args=[notified_late.pk])).content.decode()
    assert "Steps taken late or not yet taken" in dates
    assert f'href="{url(notified_late)}"' in dates

    page = client.get(url(notified_late))
    assert page.status_code == 200
    html = unescape(page.content.decode())
    assert "Why was this late?" in html
    assert "13 March 2026" in html
    assert 'name="form_token"' in html

    saved = client.post(url(notified_late), {"late_reason": REASON}, follow=True)
    assert saved.redirect_chain[-1][0].endswith(
        reverse("reviews:dates", args=[notified_late.pk]) + "#late"
    )
    html = unescape(saved.content.decode())
    assert "The reason for the delay to “Notify the National Panel” has been recorded." in html
    assert REASON in html
    assert clock(notified_late, DeadlineKind.NOTIFICATION).late_reason == REASON


def test_the_review_page_leads_the_manager_to_the_late_steps(client, notified_late, manager):
    client.force_login(manager)
    html = client.get(reverse("reviews:detail", args=[notified_late.pk])).content.decode()
    assert f'href="{reverse("reviews:dates", args=[notified_late.pk])}#late"' in html
    assert "Steps taken late and why" in html


def test_an_empty_reason_is_named_beside_its_field(client, notified_late, manager):
    client.force_login(manager)
    page = client.post(url(notified_late), {"late_reason": ""})

    assert page.status_code == 200
    html = page.content.decode()
    assert "Enter why this was late" in html
    assert 'href="#id_late_reason"' in html  # the error summary links to the field
    assert clock(notified_late, DeadlineKind.NOTIFICATION).late_reason == ""


def test_a_clock_met_on_time_shows_why_there_is_nothing_to_record(client, in_rapid_review, manager):
    client.force_login(manager)
    page = client.get(url(in_rapid_review))
    html = unescape(page.content.decode())
    assert page.status_code == 200
    assert "it was not late, so there is no reason to record" in html
    assert "<textarea" not in html

    client.post(url(in_rapid_review), {"late_reason": REASON})
    assert clock(in_rapid_review, DeadlineKind.NOTIFICATION).late_reason == ""


def test_a_step_the_review_has_no_clock_for_has_nothing_to_record(client, referral, manager):
    client.force_login(manager)
    page = client.get(url(referral, DeadlineKind.COMPLETION))
    assert page.status_code == 200
    assert "This review has no clock for this step" in page.content.decode()


def test_a_step_that_does_not_exist_is_not_found(client, referral, manager):
    client.force_login(manager)
    assert client.get(url(referral, "no-such-step")).status_code == 404


def test_it_refuses_a_statutory_partner_lead(client, notified_late, partner_lead):
    client.force_login(partner_lead)
    assert client.get(url(notified_late)).status_code == 403
    assert client.post(url(notified_late), {"late_reason": REASON}).status_code == 403
    assert clock(notified_late, DeadlineKind.NOTIFICATION).late_reason == ""


def test_it_hides_the_review_from_an_outsider(client, notified_late, outsider):
    client.force_login(outsider)
    assert client.get(url(notified_late)).status_code == 404


def test_it_refuses_the_wrong_method(client, notified_late, manager):
    client.force_login(manager)
    assert client.delete(url(notified_late)).status_code == 405


def test_a_reason_saved_over_a_newer_one_is_refused(client, notified_late, manager, colleague):
    page = url(notified_late)
    first, second = two_editors(page, manager, colleague)
    first.form["late_reason"] = REASON
    assert first.save(page).status_code == 302
    events = ReviewEvent.objects.filter(review=notified_late).count()

    second.form["late_reason"] = "A different reason."
    html = unescape(second.save(page).content.decode())
    assert "Morgan Manager changed this at " in html
    assert "Your changes have not been saved." in html
    assert clock(notified_late, DeadlineKind.NOTIFICATION).late_reason == REASON
    assert ReviewEvent.objects.filter(review=notified_late).count() == events
