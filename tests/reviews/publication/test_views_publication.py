"""The publication pages: who may see and change what, each step's form, and "check your
answers" before the publication is recorded."""

import datetime

import pytest
from django.urls import reverse

from lcspr.access_log.models import AccessLog
from reviews.clocks.models import ClockSettings, DeadlineKind
from reviews.models import ReportStatus
from reviews.publication import selectors as publication_selectors
from reviews.publication import services as publication_services
from reviews.publication.models import Proceeding, Publication, PublicationDeferral
from tests.helpers import assert_constant_queries
from tests.reviews.publication_fixtures import *  # noqa: F403
from tests.reviews.publication_fixtures import TODAY, at
from tests.reviews.report_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db

D = datetime.date
WEB = "https://www.example.org.uk/reviews/child-t"


def _date(name, value: datetime.date) -> dict:
    return {f"{name}_0": value.day, f"{name}_1": value.month, f"{name}_2": value.year}


def _url(name, review, *args):
    return reverse(f"reviews:{name}", args=[review.pk, *args])


@pytest.fixture
def trial(today, lcspr_review, manager):
    return publication_services.proceeding_add(
        review=lcspr_review,
        by=manager,
        kind=Proceeding.Kind.CRIMINAL,
        status=Proceeding.Status.ONGOING,
        description="Crown Court trial",
        expected_date=D(2027, 2, 1),
    )


def _change_pages(review, trial) -> dict[str, dict]:
    """Every page that changes the publication record, with a valid POST for it."""
    return {
        _url("publication_plan", review): _date("planned_on", D(2027, 1, 4)),
        _url("publication_sent", review, "national_panel"): _date("sent_on", TODAY),
        _url("publication_sent", review, "dfe"): _date("sent_on", TODAY),
        _url("publication_sent", review, "ofsted"): _date("sent_on", TODAY),
        _url("publication_family", review): {"response": "They declined to read it."},
        _url("publication_improvements", review): {"published": "full"},
        _url("publication_proceeding_add", review): {"kind": "coroner", "status": "expected"},
        _url("publication_proceeding_edit", review, trial.pk): {
            "kind": "criminal",
            "status": "ongoing",
        },
        _url("publication_publish", review): {
            **_date("published_on", TODAY),
            "web_address": WEB,
            "confirm": "yes",
        },
        _url("publication_removed", review): _date("removed_on", TODAY),
    }


# --- who may do what ----------------------------------------------------------------------------


def test_the_manager_may_open_every_page(client, manager, lcspr_review, trial):
    client.force_login(manager)
    assert client.get(_url("publication", lcspr_review)).status_code == 200
    for url in _change_pages(lcspr_review, trial):
        assert client.get(url).status_code == 200, url


def test_the_independent_chair_reads_the_page_but_changes_nothing(
    client, independent_chair, lcspr_review, trial
):
    client.force_login(independent_chair)
    body = client.get(_url("publication", lcspr_review)).content.decode()
    assert "Crown Court trial" in body
    assert "Add proceedings" not in body
    assert _url("publication_plan", lcspr_review) not in body
    for url, data in _change_pages(lcspr_review, trial).items():
        assert client.get(url).status_code == 403, url
        assert client.post(url, data).status_code == 403, url
    assert Proceeding.objects.count() == 1
    assert Publication.objects.filter(planned_on__isnull=False).count() == 0


@pytest.mark.parametrize("persona", ["panel_member", "panel_chair", "author", "subgroup_member"])
def test_people_who_see_the_review_but_not_its_publication_get_403(
    client, request, persona, lcspr_review, trial
):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(_url("publication", lcspr_review)).status_code == 403
    for url, data in _change_pages(lcspr_review, trial).items():
        assert client.get(url).status_code == 403, url
        assert client.post(url, data).status_code == 403, url
    assert Proceeding.objects.count() == 1


@pytest.mark.parametrize("persona", ["outsider", "other_agency_author", "elsewhere"])
def test_people_outside_the_review_get_404(client, request, persona, lcspr_review, trial):
    user = request.getfixturevalue(persona)
    client.force_login(user[0] if isinstance(user, list) else user)  # elsewhere: the author
    assert client.get(_url("publication", lcspr_review)).status_code == 404
    for url, data in _change_pages(lcspr_review, trial).items():
        assert client.get(url).status_code == 404, url
        assert client.post(url, data).status_code == 404, url
    assert Proceeding.objects.count() == 1


def test_the_pages_refuse_other_methods(client, manager, lcspr_review, trial):
    client.force_login(manager)
    assert client.post(_url("publication", lcspr_review)).status_code == 405
    for url in _change_pages(lcspr_review, trial):
        assert client.put(url).status_code == 405, url
        assert client.delete(url).status_code == 405, url


def test_an_unknown_recipient_or_another_reviews_proceeding_is_not_found(
    client, manager, lcspr_review, other_review, today
):
    other = publication_services.proceeding_add(
        review=other_review, by=manager, kind="criminal", status="ongoing"
    )
    client.force_login(manager)
    assert client.get(_url("publication_sent", lcspr_review, "the_press")).status_code == 404
    url = _url("publication_proceeding_edit", lcspr_review, other.pk)
    assert client.get(url).status_code == 404


# --- the publication page -----------------------------------------------------------------------


def test_the_page_shows_the_plan_its_clock_and_what_stops_publication(
    client, manager, signed_off_report, lcspr_review, trial
):
    publication_services.publication_plan(review=lcspr_review, by=manager, planned_on=D(2027, 1, 4))
    client.force_login(manager)
    body = client.get(_url("publication", lcspr_review)).content.decode()
    assert "4 January 2027" in body
    assert "21 December 2026" in body  # send the final report by
    assert "due in 5 working days" in body
    assert "What stops publication" in body
    assert "Record the date the final report was sent to the National Panel." in body
    assert "Criminal proceedings have not concluded" in body
    assert "Run the anonymisation check before publication" in body
    assert "also when only information about the improvements is published" in body
    assert reverse("panels:family", args=[lcspr_review.pk]) in body
    assert AccessLog.objects.filter(user=manager, review_id=lcspr_review.pk).exists()


def test_the_page_lists_in_a_constant_number_of_queries(client, manager, lcspr_review, today):
    publication_services.publication_plan(review=lcspr_review, by=manager, planned_on=D(2027, 1, 4))
    publication_services.proceeding_add(
        review=lcspr_review, by=manager, kind="criminal", status="ongoing"
    )
    client.force_login(manager)

    def grow():
        for n in range(5):
            publication_services.proceeding_add(
                review=lcspr_review, by=manager, kind="family_court", status="expected"
            )
            publication_services.publication_plan(
                review=lcspr_review,
                by=manager,
                planned_on=D(2027, 2, 1 + n),
                reason=f"Hearing moved ({n}).",
            )

    assert_constant_queries(client, _url("publication", lcspr_review), grow)
    assert PublicationDeferral.objects.count() == 5


# --- each step ----------------------------------------------------------------------------------


def test_the_manager_plans_then_changes_the_date_with_a_reason(
    client, manager, lcspr_review, today
):
    client.force_login(manager)
    url = _url("publication_plan", lcspr_review)
    assert "Why the date has changed" not in client.get(url).content.decode()
    response = client.post(url, _date("planned_on", D(2027, 1, 4)), follow=True)
    assert response.redirect_chain[-1][0] == _url("publication", lcspr_review)
    assert "The planned publication date has been saved." in response.content.decode()

    body = client.post(url, _date("planned_on", D(2027, 2, 1))).content.decode()
    assert "There is a problem" in body
    assert "Enter why the planned publication date has changed" in body
    client.post(url, {**_date("planned_on", D(2027, 2, 1)), "reason": "The trial moved."})
    assert Publication.objects.get().planned_on == D(2027, 2, 1)
    page = client.get(_url("publication", lcspr_review)).content.decode()
    assert "The trial moved." in page


def test_a_plan_too_soon_shows_the_earliest_date_against_the_field(
    client, manager, lcspr_review, today
):
    client.force_login(manager)
    body = client.post(
        _url("publication_plan", lcspr_review), _date("planned_on", D(2026, 12, 18))
    ).content.decode()
    assert "the earliest date you can plan is 23 December 2026" in body
    assert 'href="#id_planned_on_0"' in body
    assert not Publication.objects.exists()


def test_sending_waits_for_the_sign_off(client, manager, lcspr_review, today):
    client.force_login(manager)
    url = _url("publication_sent", lcspr_review, "dfe")
    assert "once the Independent Chair has signed it off" in client.get(url).content.decode()
    body = client.post(url, _date("sent_on", TODAY)).content.decode()
    assert "has not been signed off by the Independent Chair yet" in body
    assert not Publication.objects.exists()


def test_the_manager_records_the_sending(client, manager, signed_off_report, lcspr_review):
    client.force_login(manager)
    response = client.post(
        _url("publication_sent", lcspr_review, "national_panel"),
        _date("sent_on", TODAY),
        follow=True,
    )
    assert "The date the report was sent to the National Panel is recorded." in (
        response.content.decode()
    )
    assert Publication.objects.get().sent_to_panel_on == TODAY
    body = client.post(
        _url("publication_sent", lcspr_review, "dfe"), _date("sent_on", D(2026, 12, 15))
    ).content.decode()
    assert "Date sent must be today or in the past" in body


def test_the_family_record_needs_a_date_or_a_reason(client, manager, lcspr_review, today):
    client.force_login(manager)
    url = _url("publication_family", lcspr_review)
    body = client.post(url, {"response": ""}).content.decode()
    assert "Enter why the family were not offered the final draft" in body
    client.post(url, {**_date("offered_on", TODAY), "response": "They want it published."})
    publication = Publication.objects.get()
    assert (publication.family_offered_on, publication.family_response) == (
        TODAY,
        "They want it published.",
    )
    assert "They want it published." in client.get(url).content.decode()  # kept for a change


def test_the_manager_chooses_improvements_only_with_a_reason(client, manager, lcspr_review, today):
    client.force_login(manager)
    url = _url("publication_improvements", lcspr_review)
    page = client.get(url).content.decode()
    assert "The final report still goes to the National Panel, the DfE and Ofsted" in page
    body = client.post(url, {"published": "improvements"}).content.decode()
    assert "Enter why the full report will not be published" in body
    client.post(url, {"published": "improvements", "reason": "It would identify the child."})
    assert Publication.objects.get().improvements_only
    assert "Information about the improvements only" in (
        client.get(_url("publication", lcspr_review)).content.decode()
    )


def test_the_manager_adds_and_concludes_proceedings(client, manager, lcspr_review, today):
    client.force_login(manager)
    response = client.post(
        _url("publication_proceeding_add", lcspr_review),
        {"kind": "coroner", "status": "ongoing", **_date("expected_date", D(2027, 3, 1))},
        follow=True,
    )
    assert "The proceedings have been recorded." in response.content.decode()
    inquest = Proceeding.objects.get()
    url = _url("publication_proceeding_edit", lcspr_review, inquest.pk)
    assert 'value="coroner" checked' in client.get(url).content.decode()
    body = client.post(url, {"kind": "coroner", "status": "concluded"}).content.decode()
    assert "Enter the date the proceedings concluded" in body
    client.post(url, {"kind": "coroner", "status": "concluded", **_date("concluded_on", TODAY)})
    inquest.refresh_from_db()
    assert (inquest.status, inquest.concluded_on) == (Proceeding.Status.CONCLUDED, TODAY)


# --- publishing ---------------------------------------------------------------------------------


def test_the_publish_page_lists_what_stops_publication_instead_of_the_form(
    client, manager, lcspr_review, today
):
    client.force_login(manager)
    body = client.get(_url("publication_publish", lcspr_review)).content.decode()
    assert "The report cannot be published yet." in body
    assert "has not signed off the final report" in body
    assert 'name="web_address"' not in body


@pytest.fixture
def ready_to_publish(publication_ready, manager, today):
    """Sent to both on Monday 14 December, planned for Monday 4 January, which is today."""
    review = publication_ready
    for recipient in publication_selectors.RECIPIENTS:
        publication_services.publication_sent_record(
            review=review, by=manager, recipient=recipient, sent_on=TODAY
        )
    publication_services.publication_plan(review=review, by=manager, planned_on=D(2027, 1, 4))
    today.move_to(at(D(2027, 1, 4)))
    return review


def test_the_manager_checks_their_answers_then_records_the_publication(
    client, manager, ready_to_publish
):
    review = ready_to_publish
    client.force_login(manager)
    page = client.get(_url("publication", review)).content.decode()
    assert "Nothing stops publication on 4 January 2027." in page
    url = _url("publication_publish", review)
    answers = {**_date("published_on", D(2027, 1, 4)), "web_address": WEB}

    check = client.post(url, answers).content.decode()
    assert "Check your answers before recording the publication" in check
    assert "4 January 2027" in check and WEB in check
    assert f'href="{url}?change=1#id_web_address"' in check
    assert not Publication.objects.get().is_published
    assert WEB in client.get(url + "?change=1").content.decode()  # the answers are kept

    response = client.post(url, {**answers, "confirm": "yes"}, follow=True)
    assert response.redirect_chain[-1][0] == _url("publication", review)
    body = response.content.decode()
    assert "The publication has been recorded." in body
    assert "4 January 2028" in body  # may come down from
    review.refresh_from_db()
    assert review.report_status == ReportStatus.PUBLISHED
    assert review.deadlines.get(kind=DeadlineKind.TAKEDOWN).due_date == D(2028, 1, 4)
    assert "can no longer change" in client.get(_url("publication_plan", review)).content.decode()


def test_publishing_before_the_earliest_date_is_refused_at_the_top(
    client, manager, publication_ready, today
):
    review = publication_ready
    for recipient in publication_selectors.RECIPIENTS:
        publication_services.publication_sent_record(
            review=review, by=manager, recipient=recipient, sent_on=TODAY
        )
    today.move_to(at(D(2026, 12, 22)))
    client.force_login(manager)
    body = client.post(
        _url("publication_publish", review),
        {**_date("published_on", D(2026, 12, 22)), "web_address": WEB, "confirm": "yes"},
    ).content.decode()
    assert "There is a problem" in body
    assert "cannot be published before 23 December 2026" in body
    assert not Publication.objects.get().is_published


def test_a_bad_web_address_is_named(client, manager, ready_to_publish):
    client.force_login(manager)
    body = client.post(
        _url("publication_publish", ready_to_publish),
        {**_date("published_on", D(2027, 1, 4)), "web_address": "not a web address"},
    ).content.decode()
    assert "Enter a web address in the correct format" in body


def test_the_manager_records_when_the_report_came_down(client, manager, ready_to_publish, today):
    review = ready_to_publish
    publication_services.report_publish(
        review=review, by=manager, published_on=D(2027, 1, 4), web_address=WEB
    )
    client.force_login(manager)
    url = _url("publication_removed", review)
    assert "may come down from 4 January 2028" in client.get(url).content.decode()
    body = client.post(url, _date("removed_on", D(2027, 1, 4))).content.decode()
    assert "stays online for at least 12 months" in body
    today.move_to(at(D(2028, 1, 5)))
    client.force_login(manager)  # a year on, the session has expired
    response = client.post(url, _date("removed_on", D(2028, 1, 5)), follow=True)
    assert "The date the report came down is recorded." in response.content.decode()
    assert Publication.objects.get().removed_on == D(2028, 1, 5)


# --- the partnership's clock settings -----------------------------------------------------------


def test_changing_the_publication_clocks_recomputes_the_open_clock(
    client, manager, lcspr_review, today
):
    publication_services.publication_plan(review=lcspr_review, by=manager, planned_on=D(2027, 1, 4))
    client.force_login(manager)
    page = client.get(reverse("reviews:clock_settings")).content.decode()
    assert "Working days before publication to send the final report" in page
    assert "Months a published report stays on the website" in page
    data = {
        "notification_days": 5,
        "notification_start": "awareness",
        "partners_informed_days": 5,
        "looked_after_death_days": 5,
        "rapid_review_days": 15,
        "rapid_review_start": "notification",
        "national_notice_days": 5,
        "completion_months": 6,
        "pre_publication_days": 10,
        "publication_online_months": 24,
    }
    client.post(reverse("reviews:clock_settings"), data)
    clocks = ClockSettings.load()
    assert (clocks.pre_publication_days, clocks.publication_online_months) == (10, 24)
    # Ten working days before Monday 4 January 2027, over Christmas: Wednesday 16 December.
    clock = lcspr_review.deadlines.get(kind=DeadlineKind.PRE_PUBLICATION)
    assert clock.due_date == D(2026, 12, 16)
