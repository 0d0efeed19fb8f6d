"""The reviews/ clocks as reminder items: the statutory and national deadlines for the
partnership managers, and the agency summaries for each agency's representatives."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lcspr.accounts.models import Role
from lcspr.reminders.clocks import providers
from reviews.clocks.models import DeadlineKind
from reviews.decision import services as decision_services
from reviews.decision.models import NoticeRecipient
from reviews.models import Stage
from reviews.publication import selectors as publication_selectors
from reviews.publication import services as publication_services
from reviews.rapid_review import services as rapid_review_services
from reviews.rapid_review.models import AgencySummaryRequest
from reviews.referral import services as referral_services
from reviews.reminders import deadline_items, summary_request_items
from tests.factories import AgencyFactory, UserFactory
from tests.reviews.conftest import DECIDED, open_referral
from tests.reviews.publication_fixtures import *  # noqa: F403
from tests.reviews.publication_fixtures import TODAY, at
from tests.reviews.report_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db

D = datetime.date
SCAN_DAY = D(2026, 4, 1)  # the day the national notices fall due (5 working days after 25 March)


def _by_title(items):
    return {item.title: item for item in items}


def _queries(provider, today):
    with CaptureQueriesContext(connection) as captured:
        items = list(provider(today))
    return len(captured), items


def test_the_providers_are_registered_under_their_names():
    assert providers()["statutory_deadlines"] is deadline_items
    assert providers()["agency_summaries"] is summary_request_items


# --- the statutory deadlines --------------------------------------------------------------------


def test_a_new_referral_reminds_the_managers_to_notify_and_inform_the_partners(referral, manager):
    items = _by_title(deadline_items(D(2026, 3, 4)))

    assert set(items) == {"Notify the National Panel", "Inform the safeguarding partners"}
    notify = items["Notify the National Panel"]
    # Five working days after the local authority became aware on Tuesday 3 March.
    assert notify.due_date == D(2026, 3, 10)
    assert notify.responsible == (manager.pk,)
    assert notify.url == f"/reviews/{referral.pk}/notification/"
    assert notify.review_label == f"{referral.reference} (Child T)"
    assert notify.review_id == referral.pk
    assert notify.kind == "Statutory deadline"
    assert notify.escalates is True
    assert notify.extra["daily"] is False
    assert items["Inform the safeguarding partners"].url == (
        f"/reviews/{referral.pk}/partners-informed/"
    )
    assert {item.key for item in items.values()} == {
        f"deadline:{d.pk}" for d in referral.deadlines.all()
    }


def test_every_active_partnership_manager_is_responsible(referral, manager):
    second = UserFactory(full_name="Mina Manager", roles=[Role.PARTNERSHIP_MANAGER])
    UserFactory(full_name="Left Manager", roles=[Role.PARTNERSHIP_MANAGER], is_active=False)
    UserFactory(full_name="Not A Manager", roles=[Role.SUBGROUP_MEMBER])

    for item in deadline_items(D(2026, 3, 4)):
        assert item.responsible == (manager.pk, second.pk)


def test_a_recorded_step_is_no_longer_reminded(in_rapid_review, manager):
    # The notification was recorded on 6 March: the rapid review clock starts from it.
    items = _by_title(deadline_items(D(2026, 3, 9)))
    assert "Notify the National Panel" not in items
    rapid = items["Send the rapid review to the National Panel"]
    assert rapid.due_date == D(2026, 3, 27)  # 15 working days after Friday 6 March
    assert rapid.url == f"/reviews/{in_rapid_review.pk}/send/"

    referral_services.partners_informed_record(
        review=in_rapid_review, by=manager, informed_on=D(2026, 3, 9)
    )
    assert "Inform the safeguarding partners" not in _by_title(deadline_items(D(2026, 3, 10)))


def test_the_national_notices_after_an_lcspr_decision_are_reminded_daily(lcspr_review, manager):
    items = _by_title(deadline_items(SCAN_DAY))
    notices = {
        "Tell the DfE an LCSPR will take place": "dfe",
        "Tell Ofsted an LCSPR will take place": "ofsted",
        "Tell the National Panel an LCSPR will take place": "national_panel",
    }
    for title, recipient in notices.items():
        item = items[title]
        assert item.due_date == SCAN_DAY
        assert item.url == f"/reviews/{lcspr_review.pk}/notices/{recipient}/"
        assert item.responsible == (manager.pk,)
        assert item.extra["daily"] is True
        assert item.escalates is True
    # The commissioning clocks are the panels provider's, not this one's.
    assert "Agree the Terms of Reference" not in items
    assert "Complete the LCSPR" not in items

    decision_services.national_notice_record(
        review=lcspr_review, by=manager, recipient=NoticeRecipient.DFE, sent_on=DECIDED
    )
    left = _by_title(deadline_items(SCAN_DAY))
    assert "Tell the DfE an LCSPR will take place" not in left
    assert "Tell Ofsted an LCSPR will take place" in left


def test_a_closed_review_reminds_nobody_of_its_open_clocks(lcspr_review):
    assert deadline_items(SCAN_DAY)
    lcspr_review.stage = Stage.CLOSED
    lcspr_review.save()
    assert deadline_items(SCAN_DAY) == []


def test_the_pre_publication_sending_is_reminded_daily_until_both_are_recorded(
    publication_ready, manager
):
    review = publication_ready
    publication_services.publication_plan(review=review, by=manager, planned_on=D(2027, 1, 4))

    item = _by_title(deadline_items(TODAY))[
        "Send the final report to the National Panel, the DfE and Ofsted"
    ]
    assert item.due_date == D(2026, 12, 21)  # 7 working days before 4 January, over Christmas
    assert item.url == f"/reviews/{review.pk}/publication/"
    assert item.extra["daily"] is True
    assert item.escalates is True

    for recipient in publication_selectors.RECIPIENTS:
        publication_services.publication_sent_record(
            review=review, by=manager, recipient=recipient, sent_on=TODAY
        )
    titles = _by_title(deadline_items(TODAY))
    assert "Send the final report to the National Panel, the DfE and Ofsted" not in titles


def test_the_takedown_date_reminds_but_never_escalates_even_once_closed(
    publication_ready, manager, today
):
    review = publication_ready
    for recipient in publication_selectors.RECIPIENTS:
        publication_services.publication_sent_record(
            review=review, by=manager, recipient=recipient, sent_on=TODAY
        )
    publication_services.publication_plan(review=review, by=manager, planned_on=D(2027, 1, 4))
    today.move_to(at(D(2027, 1, 4)))
    publication_services.report_publish(
        review=review, by=manager, published_on=D(2027, 1, 4), web_address="https://example.org/t"
    )
    review.stage = Stage.CLOSED
    review.save()

    items = deadline_items(D(2027, 12, 20))
    assert [item.title for item in items] == ["Review whether the published report can come down"]
    takedown = items[0]
    assert takedown.due_date == D(2028, 1, 4)  # twelve months after publication
    assert takedown.escalates is False
    assert takedown.extra["daily"] is False
    assert takedown.url == f"/reviews/{review.pk}/publication/"

    today.move_to(at(D(2028, 1, 10)))
    publication_services.publication_removed_record(
        review=review, by=manager, removed_on=D(2028, 1, 10)
    )
    assert deadline_items(D(2028, 1, 10)) == []


def test_the_deadlines_take_the_same_queries_for_one_review_or_many(
    referral, manager, local_authority
):
    small, items = _queries(deadline_items, D(2026, 3, 4))
    assert len(items) == 2
    for n in range(5):
        open_referral(manager, local_authority, pseudonym=f"Child {n}")
    UserFactory(roles=[Role.PARTNERSHIP_MANAGER])
    large, items = _queries(deadline_items, D(2026, 3, 4))
    assert len(items) == 12
    assert small == large == 2


# --- the agency summaries -----------------------------------------------------------------------


@pytest.fixture
def march(db):
    """Monday 9 March 2026, while the fixtures' rapid review is under way."""
    with time_machine.travel(at(D(2026, 3, 9)), tick=False) as traveller:
        yield traveller


def _request(review, manager, agency):
    return rapid_review_services.agency_summary_request(
        review=review, by=manager, agency=agency, due_date=D(2026, 3, 13)
    )


def test_an_agency_summary_is_due_from_the_agencys_representatives(
    march, in_rapid_review, manager, school, agency_author, other_agency_author
):
    second = UserFactory(full_name="Sol School", agency=school, roles=[Role.AGENCY_REPRESENTATIVE])
    UserFactory(full_name="Tess Teacher", agency=school, roles=[])  # not a representative
    request = _request(in_rapid_review, manager, school)

    [item] = summary_request_items(D(2026, 3, 9))
    assert item.key == f"summary-request:{request.pk}"
    assert item.title == "Send the Riverside Primary School summary for the rapid review"
    assert item.due_date == D(2026, 3, 13)
    assert item.responsible == (agency_author.pk, second.pk)
    assert item.url == f"/reviews/agency-summaries/{request.pk}/"
    assert item.review_label == f"{in_rapid_review.reference} (Child T)"
    assert item.kind == "Agency summary"
    assert item.escalates is True


def test_a_received_summary_is_no_longer_due(
    march, in_rapid_review, manager, school, agency_author
):
    request = _request(in_rapid_review, manager, school)
    rapid_review_services.agency_summary_submit(
        request=request, by=agency_author, summary="What we knew."
    )
    assert summary_request_items(D(2026, 3, 9)) == []


def test_a_summary_is_no_longer_due_once_the_rapid_review_is_over(
    march, in_rapid_review, manager, school, agency_author
):
    _request(in_rapid_review, manager, school)
    in_rapid_review.stage = Stage.AWAITING_DECISION
    in_rapid_review.save()
    assert summary_request_items(D(2026, 3, 9)) == []


def test_an_agency_without_representatives_leaves_it_to_the_managers(
    march, in_rapid_review, manager
):
    agency = AgencyFactory(name="Northbridge Youth Club")
    _request(in_rapid_review, manager, agency)
    [item] = summary_request_items(D(2026, 3, 9))
    assert item.responsible == (manager.pk,)


def test_the_summaries_take_the_same_queries_for_one_request_or_many(
    march, in_rapid_review, manager, school, agency_author
):
    _request(in_rapid_review, manager, school)
    small, items = _queries(summary_request_items, D(2026, 3, 9))
    assert len(items) == 1
    for n in range(6):
        agency = AgencyFactory(name=f"Fictional Nursery {n}")
        UserFactory(agency=agency, roles=[Role.AGENCY_REPRESENTATIVE])
        AgencySummaryRequest.objects.create(
            review=in_rapid_review, agency=agency, due_date=D(2026, 3, 13 + n)
        )
    large, items = _queries(summary_request_items, D(2026, 3, 9))
    assert len(items) == 7
    assert small == large == 3


def test_the_kinds_reminded_here_and_by_the_panels_cover_every_clock():
    from panels.reminders import PAGES as PANEL_PAGES
    from reviews.reminders import PAGES

    assert set(PAGES) | set(PANEL_PAGES) == set(DeadlineKind.values)
    assert not set(PAGES) & set(PANEL_PAGES)
