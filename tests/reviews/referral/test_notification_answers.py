"""The answers for the National Panel's notification form: what the review holds, in the form's
order, each ready to copy, and an honest note wherever the service does not hold the answer."""

import datetime

import pytest
from django.urls import reverse

from lcspr.access_log.models import AccessLog
from reviews.models import Child, SocialCareStatus
from reviews.publication.models import Proceeding
from reviews.referral import services as referral_services
from tests.factories import AgencyFactory
from tests.helpers import assert_constant_queries
from tests.reviews.conftest import open_referral, to_rapid_review

pytestmark = pytest.mark.django_db


@pytest.fixture
def referral_with_child(manager, police, local_authority):
    review = open_referral(manager, police)
    referral_services.child_add(
        review=review,
        by=manager,
        name="Robin Fictional",
        sex=Child.Sex.FEMALE,
        date_of_birth=datetime.date(2025, 11, 20),  # 3 months old on 2 March 2026
        ethnicity="White British",
        looked_after=False,
        social_care_status=SocialCareStatus.CHILD_PROTECTION_PLAN,
    )
    return review


def _url(review):
    return reverse("reviews:notification_answers", args=[review.pk])


def _answers(response) -> dict[str, str]:
    """Each question on the page with its answer's text, as a reader sees it."""
    return {
        question: answer
        for group in response.context["groups"]
        for question, answer, _missing in group.answers
    }


def test_the_manager_sees_every_answer_in_words(client, manager, referral_with_child):
    client.force_login(manager)
    response = client.get(_url(referral_with_child))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Answers for the national notification" in page
    answers = _answers(response)
    assert answers["Local authority"] == "Northbridge Council Children's Services"
    assert answers["Date of the incident"] == "2 March 2026"
    assert answers["Date the local authority became aware"] == "3 March 2026"
    assert answers["Age at the time of the incident"] == "3 months old"
    assert answers["Children's social care status"] == "Subject to a child protection plan"
    assert answers["Agencies involved"] == "Northbridge Constabulary"
    assert answers["Parallel proceedings"] == "None recorded"
    assert "Robin Fictional" in page
    assert 'data-copy="answer-2-1"' in page  # a copy button for the child's name


def test_what_the_service_does_not_hold_is_said_not_left_blank(client, manager, police):
    review = open_referral(manager, police)
    client.force_login(manager)
    response = client.get(_url(review))
    page = response.content.decode()
    # No child yet, no criteria check, no category of abuse: each is named with what to do.
    assert "No child is recorded: add the child first." in page
    assert "Record the criteria check first." in page
    assert "The service does not record it" in page
    assert "answers the service does not hold" in page


def test_a_prosecution_under_way_is_in_the_answers(client, manager, referral_with_child):
    Proceeding.objects.create(
        review=referral_with_child,
        kind=Proceeding.Kind.CRIMINAL,
        status=Proceeding.Status.ONGOING,
        description="Charge of causing serious harm",
        recorded_by=manager,
    )
    client.force_login(manager)
    answers = _answers(client.get(_url(referral_with_child)))
    assert answers["Parallel proceedings"] == (
        "Criminal proceedings, Charge of causing serious harm, under way"
    )


def test_once_sent_the_page_says_when_and_the_clock_is_met(client, manager, referral_with_child):
    to_rapid_review(referral_with_child, manager)
    client.force_login(manager)
    page = client.get(_url(referral_with_child)).content.decode()
    assert "The notification was sent on 6 March 2026" in page
    assert "NP-0001" in page
    assert "It was due by 10 March 2026: the notification clock is met." in page


def test_reading_the_answers_is_in_the_access_log(client, manager, referral_with_child):
    client.force_login(manager)
    client.get(_url(referral_with_child))
    row = AccessLog.objects.get(user=manager, review_id=referral_with_child.pk)
    assert row.what == "Answers for the national notification"


@pytest.mark.parametrize(
    ("persona", "status"),
    [("outsider", 404), ("agency_author", 404), ("partner_lead", 403), ("independent_chair", 403)],
)
def test_only_the_manager_reads_the_answers(client, referral_with_child, persona, status, request):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    assert client.get(_url(referral_with_child)).status_code == status


def test_the_page_runs_the_same_queries_with_more_children_and_agencies(
    client, manager, referral_with_child
):
    client.force_login(manager)

    def grow():
        for number in range(3):
            referral_services.child_add(
                review=referral_with_child, by=manager, name=f"Sibling {number}", sex="male"
            )
        to_rapid_review(referral_with_child, manager)
        for number in range(4):
            agency = AgencyFactory(name=f"Fictional Agency {number}")
            referral_with_child.agency_summaries.create(
                agency=agency, due_date=datetime.date(2026, 3, 20)
            )

    assert_constant_queries(client, _url(referral_with_child), grow)


def test_the_childs_social_care_status_is_recorded_with_the_child(
    client, manager, referral_with_child
):
    client.force_login(manager)
    page = client.get(reverse("reviews:detail", args=[referral_with_child.pk])).content.decode()
    assert "Subject to a child protection plan" in page
