"""Each person's "Waiting for you": every step that is theirs to take now across their reviews,
from the task list's own rules, with the due date in working days, overdue first; pages only to
read never appear; a new step tells the person in the notification centre and by e-mail."""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from actions.models import Status
from lcspr.accounts.models import ReminderDelivery, Role, User
from lcspr.core.models import OutboundEmail
from lcspr.notifications.models import InAppNotification
from reviews import selectors
from reviews.queue import queue_reviews, waiting_for_you
from reviews.rapid_review import services as rapid_review_services
from reviews.rapid_review.models import Recommendation
from reviews.tasklist import steps_for
from reviews.terms import services as tor
from tests.actions.conftest import add_action
from tests.factories import UserFactory
from tests.reviews.conftest import (
    open_referral,
    to_decided,
    to_rapid_review,
    to_sent,
    to_signed_off,
)
from tests.reviews.report.test_reports_services import upload
from tests.reviews.report_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db


def fresh(user):
    """The user as a new request sees them (no cached roles)."""
    return User.objects.get(pk=user.pk)


def whats(user) -> list[str]:
    return [item.what for item in waiting_for_you(fresh(user))]


def recommend(review, manager):
    rapid_review_services.recommendation_record(
        review=review,
        by=manager,
        recommendation=Recommendation.LCSPR,
        rationale="The fictional case shows learning for agencies.",
    )


# --- one person at a time -----------------------------------------------------------------------


def test_a_partner_lead_sees_the_sign_off_waiting_until_they_give_it(
    in_rapid_review, manager, partner_lead
):
    assert whats(partner_lead) == []
    recommend(in_rapid_review, manager)
    [item] = waiting_for_you(fresh(partner_lead))
    assert (item.reference, item.pseudonym) == (in_rapid_review.reference, "Child T")
    assert item.what == "Partner sign-offs"
    assert item.url == reverse("reviews:sign_off", args=[in_rapid_review.pk])

    rapid_review_services.partner_sign_off(review=in_rapid_review, by=partner_lead)
    assert whats(partner_lead) == []


def test_the_independent_chair_sees_each_decision_waiting_for_her(
    awaiting_decision, manager, independent_chair, local_authority
):
    # A second review, still in its rapid review: nothing there is the Chair's yet.
    to_rapid_review(open_referral(manager, local_authority, pseudonym="Child V"), manager)
    [item] = waiting_for_you(fresh(independent_chair))
    assert item.what == "Independent Chair's decision"
    assert item.url == reverse("reviews:decision", args=[awaiting_decision.pk])


def test_an_agency_representative_sees_the_summary_their_agency_owes(
    in_rapid_review, manager, agency_author, other_agency_author, school
):
    due = timezone.localdate() + datetime.timedelta(days=14)
    request = rapid_review_services.agency_summary_request(
        review=in_rapid_review, by=manager, agency=school, due_date=due
    )
    [item] = waiting_for_you(fresh(agency_author))
    assert item.url == reverse("reviews:summary_detail", args=[request.pk])
    assert item.due_date == due and item.countdown > 0
    assert item.countdown_text.startswith("due in ")
    assert whats(other_agency_author) == []

    rapid_review_services.agency_summary_submit(
        request=request, by=agency_author, summary="The school saw the child weekly."
    )
    assert whats(agency_author) == []


def test_the_managers_obligations_come_overdue_first_then_by_due_date(in_rapid_review, manager):
    items = waiting_for_you(fresh(manager))
    assert "Findings" in [i.what for i in items]
    overdue = [i.is_overdue for i in items]
    assert overdue[0] is True, "the fixture's clocks started in March: something is overdue"
    assert overdue == sorted(overdue, reverse=True), "an overdue item follows one that is not"
    dated = [i.due_date for i in items if i.is_overdue]
    assert dated == sorted(dated)
    assert items[0].countdown_text.startswith("overdue by ")


def test_a_panel_chair_sees_the_draft_to_approve_and_the_terms_to_agree(
    lcspr_review, manager, panel_chair, author
):
    terms = tor.tor_start(review=lcspr_review, by=manager)
    tor.tor_update(
        terms=terms,
        by=manager,
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2026, 3, 2),
        methodology="Systems review.",
    )
    assert "Agree the Terms of Reference" not in whats(panel_chair), "a draft is the author's"
    assert "Agree the Terms of Reference" in whats(author)
    tor.tor_share(terms=terms, by=manager)
    assert "Agree the Terms of Reference" in whats(panel_chair)
    assert "Agree the Terms of Reference" not in whats(author)

    assert "Panel chair's approval" not in whats(panel_chair)
    upload(lcspr_review, author)
    items = {i.what: i for i in waiting_for_you(fresh(panel_chair))}
    assert items["Panel chair's approval"].url == reverse(
        "reviews:report_approve", args=[lcspr_review.pk]
    )


def test_the_author_sees_the_draft_report_to_write(lcspr_review, author, panel_member):
    assert "Draft report" in whats(author)
    # The panel member may open the same row, to read: it is not their work.
    page = selectors.review_page(lcspr_review)
    assert "Draft report" in [e.task.name for e in steps_for(fresh(panel_member), page)]
    assert whats(panel_member) == []


def test_an_action_owner_sees_an_update_on_each_overdue_action_of_theirs(
    lcspr_review, manager, school
):
    owner = UserFactory(full_name="Olive Owner", agency=school, roles=[Role.AGENCY_REPRESENTATIVE])
    late = add_action(
        lcspr_review, manager, school, owner=owner, due_date=datetime.date(2026, 4, 1)
    )
    add_action(lcspr_review, manager, school, owner=owner, due_date=datetime.date(2099, 1, 1))
    [item] = waiting_for_you(fresh(owner))
    assert item.what == f"Update {late.name}"
    assert item.url == reverse("actions:progress", args=[late.pk])
    assert item.is_overdue and item.countdown_text.startswith("overdue by ")

    late.status = Status.COMPLETE
    late.save()
    assert whats(owner) == []


def test_nobody_else_and_no_closed_review_has_anything_waiting(
    awaiting_decision, outsider, subgroup_member, executive_member
):
    for user in (outsider, subgroup_member, executive_member):
        assert whats(user) == []


# --- one source of truth ------------------------------------------------------------------------


def test_for_every_demo_person_the_queue_is_the_task_lists_steps_to_do(settings):
    """For each demo login and each of their reviews, what waits for them is exactly the rows
    the task list links for them that are work to do and not done."""
    call_command("seed_demo")
    checked = 0
    for user in User.objects.filter(is_active=True).order_by("pk"):
        user = fresh(user)
        expected = set()
        for review in queue_reviews(user):
            for enabled in steps_for(user, selectors.review_page(review)):
                if enabled.task.to_do and enabled.task.status in ("Not yet started", "In progress"):
                    expected.add((review.reference, enabled.task.name, enabled.task.url))
        steps = {(i.reference, i.what, i.url) for i in waiting_for_you(user) if i.section}
        assert steps == expected, user.email
        checked += bool(expected)
    assert checked >= 4, "the demo should give several people something to do"


def test_the_demo_people_each_have_their_first_job_waiting():
    call_command("seed_demo")
    by_role = {
        role: User.objects.filter(role_assignments__role=role).first()
        for role in (Role.PARTNERSHIP_MANAGER, Role.INDEPENDENT_CHAIR)
    }
    assert whats(by_role[Role.INDEPENDENT_CHAIR]), "the demo has a review awaiting a decision"
    assert whats(by_role[Role.PARTNERSHIP_MANAGER])
    reviews_waiting = {i.pseudonym for i in waiting_for_you(fresh(by_role[Role.INDEPENDENT_CHAIR]))}
    assert "Child D" in reviews_waiting


# --- the home page ------------------------------------------------------------------------------


def test_the_home_page_leads_with_what_waits_for_the_user(
    client, awaiting_decision, independent_chair
):
    client.force_login(independent_chair)
    html = client.get(reverse("core:home")).content.decode()
    assert html.index('id="waiting-for-you"') < html.index(">Signed in as</dt>")
    assert "Independent Chair&#x27;s decision" in html or "Independent Chair's decision" in html
    assert reverse("reviews:decision", args=[awaiting_decision.pk]) in html
    assert f"{awaiting_decision.reference} (Child T)" in html
    assert "Nothing is waiting for you." not in html


def test_the_home_page_says_when_nothing_waits(client, outsider):
    client.force_login(outsider)
    html = client.get(reverse("core:home")).content.decode()
    assert "Waiting for you" in html and "Nothing is waiting for you." in html


def test_a_deadline_on_the_home_page_shows_its_working_day_count(client, in_rapid_review, manager):
    client.force_login(manager)
    html = client.get(reverse("core:home")).content.decode()
    assert "overdue by " in html and "working days" in html


# --- telling people a step waits ----------------------------------------------------------------


def test_a_recommendation_tells_each_partner_lead_it_needs_their_sign_off(
    in_rapid_review, manager, partner_leads, django_capture_on_commit_callbacks
):
    digest_lead = partner_leads[1]
    digest_lead.reminder_delivery = ReminderDelivery.DIGEST
    digest_lead.save()
    with django_capture_on_commit_callbacks(execute=True):
        recommend(in_rapid_review, manager)
    url = reverse("reviews:sign_off", args=[in_rapid_review.pk])
    for lead in partner_leads:
        notice = InAppNotification.objects.get(recipient=lead)
        assert notice.title == "A rapid review's recommendation needs your sign-off"
        assert notice.url == url and in_rapid_review.reference in notice.body
    emails = OutboundEmail.objects.filter(kind="step_waiting")
    assert {e.recipient_id for e in emails} == {partner_leads[0].pk, partner_leads[2].pk}
    assert all(url in e.body_text and "Child T" in e.subject for e in emails)


def test_sending_the_rapid_review_tells_the_chair_a_decision_waits(
    signed_off, manager, independent_chair, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        rapid_review_services.rapid_review_send(
            review=signed_off, by=manager, sent_on=datetime.date(2026, 3, 20)
        )
    notice = InAppNotification.objects.get(recipient=independent_chair)
    assert notice.url == reverse("reviews:decision", args=[signed_off.pk])
    assert OutboundEmail.objects.filter(kind="step_waiting", recipient=independent_chair).exists()


def test_asking_for_a_summary_tells_the_agencys_representatives(
    in_rapid_review,
    manager,
    agency_author,
    other_agency_author,
    school,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        request = rapid_review_services.agency_summary_request(
            review=in_rapid_review,
            by=manager,
            agency=school,
            due_date=timezone.localdate() + datetime.timedelta(days=7),
        )
    notice = InAppNotification.objects.get(recipient=agency_author)
    assert notice.url == reverse("reviews:summary_detail", args=[request.pk])
    assert not InAppNotification.objects.filter(recipient=other_agency_author).exists()


def test_a_shared_draft_tells_the_panel_chair_it_awaits_approval(
    lcspr_review, author, panel_chair, panel_member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        upload(lcspr_review, author)
    notice = InAppNotification.objects.get(recipient=panel_chair)
    assert notice.url == reverse("reviews:report_approve", args=[lcspr_review.pk])
    assert not InAppNotification.objects.filter(recipient=panel_member).exists()


def test_nobody_is_told_when_the_change_is_refused(
    referral, manager, partner_leads, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Exception):  # noqa: B017
        recommend(referral, manager)  # a referral has no rapid review yet
    assert not InAppNotification.objects.exists()


# --- queries ------------------------------------------------------------------------------------

# The queue loads the pages of all a person's reviews together, and their permission facts once:
# the same number of queries for 4 reviews, one at each stage, as for 8. (Fewer stages may cost
# fewer: a section loads nothing for a page whose stage has not begun.)


def _mixed(manager, agency, leads, chair, start, n):
    """`n` reviews, in turn a referral, a rapid review, one awaiting the decision and an LCSPR."""
    for i in range(start, start + n):
        review = open_referral(manager, agency, pseudonym=f"Child Q{i}")
        if i % 4 == 0:
            continue
        review = to_rapid_review(review, manager)
        if i % 4 == 1:
            continue
        review = to_sent(to_signed_off(review, manager, leads), manager)
        if i % 4 == 3:
            to_decided(review, chair)


def _queue_queries(user) -> tuple[int, int]:
    user = fresh(user)
    with CaptureQueriesContext(connection) as captured:
        items = waiting_for_you(user)
    return len(captured), len(items)


@pytest.mark.parametrize("persona", ["manager", "independent_chair"])
def test_the_queue_runs_the_same_queries_for_4_reviews_or_8(
    request, persona, manager, local_authority, partner_leads, independent_chair
):
    user = request.getfixturevalue(persona)
    _mixed(manager, local_authority, partner_leads, independent_chair, 0, 4)
    small, small_items = _queue_queries(user)
    _mixed(manager, local_authority, partner_leads, independent_chair, 4, 4)
    large, large_items = _queue_queries(user)
    print(f"\nQueue for the {persona}: 4 reviews {small} queries, 8 reviews {large}")
    assert large_items > small_items, "more reviews, more steps waiting"
    assert small == large, f"4 reviews: {small} queries; 8 reviews: {large}"


def test_the_home_page_runs_the_same_queries_for_4_reviews_or_8(
    client, manager, local_authority, partner_leads, independent_chair
):
    from tests.helpers import query_count

    client.force_login(manager)
    _mixed(manager, local_authority, partner_leads, independent_chair, 0, 4)
    query_count(client, reverse("core:home"))
    small = query_count(client, reverse("core:home"))
    _mixed(manager, local_authority, partner_leads, independent_chair, 4, 4)
    query_count(client, reverse("core:home"))
    large = query_count(client, reverse("core:home"))
    print(f"\nHome page queries for the manager: 4 open reviews {small}, 8 open reviews {large}")
    assert small == large, f"4 open reviews: {small} queries; 8 open reviews: {large}"


# --- a long queue, a page at a time ---------------------------------------------------------------


def _rows(html: str, heading_id: str) -> list[str]:
    """The review cells of the table under the heading `heading_id`."""
    import re

    table = html.split(f'aria-labelledby="{heading_id}"', 1)[1].split("</table>", 1)[0]
    return re.findall(r'<td class="govuk-table__cell">([^<]*\(Child [^<]*\))</td>', table)


def test_a_long_queue_is_shown_a_page_at_a_time_with_its_count_and_links_between_pages(
    client, monkeypatch, manager, local_authority, partner_leads, independent_chair
):
    from reviews.templatetags import reviews as tags

    _mixed(manager, local_authority, partner_leads, independent_chair, 0, 4)
    items = waiting_for_you(fresh(manager))
    assert len(items) >= 3
    monkeypatch.setattr(tags, "QUEUE_PAGE_SIZE", 2)
    client.force_login(manager)

    first = client.get(reverse("core:home"), {"others_page": "1"}).content.decode()
    assert _rows(first, "waiting-for-you") == [f"{i.reference} ({i.pseudonym})" for i in items[:2]]
    assert f"{len(items)} things waiting" in first and "1 to 2 shown" in first
    assert 'href="?others_page=1&amp;waiting_page=2#waiting-for-you" rel="next"' in first
    assert 'aria-label="Pages of what is waiting for you"' in first

    second = client.get(reverse("core:home"), {"waiting_page": "2"}).content.decode()
    assert _rows(second, "waiting-for-you") == [
        f"{i.reference} ({i.pseudonym})" for i in items[2:4]
    ]
    assert 'href="?waiting_page=1#waiting-for-you" rel="prev"' in second

    # A page that is not a number, or past the end, shows the first or the last page.
    assert _rows(
        client.get(reverse("core:home"), {"waiting_page": "x"}).content.decode(), "waiting-for-you"
    ) == _rows(first, "waiting-for-you")
    last = -(-len(items) // 2)
    tail = client.get(reverse("core:home"), {"waiting_page": "999"}).content.decode()
    assert (
        f"Page {last - 1} of {last}" in tail
        and 'rel="next"'
        not in tail.split('aria-labelledby="waiting-for-you"', 1)[1].split("</nav>", 1)[0]
    )


def test_a_short_queue_has_no_page_links(client, awaiting_decision, independent_chair):
    client.force_login(independent_chair)
    html = client.get(reverse("core:home")).content.decode()
    assert "Pages of what is waiting for you" not in html and "things waiting" not in html
