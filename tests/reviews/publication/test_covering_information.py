"""The final report's covering information for the National Panel, the DfE and Ofsted: what
the review holds, in one order, each answer ready to copy, an honest note wherever the service
does not hold it, no child's name, and the same as a Word document; refused before there is a
signed-off final report."""

import datetime
import io

import pytest
from django.urls import reverse
from docx import Document

from lcspr.access_log.models import AccessLog
from panels.models import MemberRole
from panels.services import author_appointment_set
from reviews.decision import services as decision_services
from reviews.learning import services as learning_services
from reviews.learning.models import LearningTheme
from reviews.models import Child, SocialCareStatus
from reviews.publication import services as publication_services
from reviews.publication.models import Proceeding
from reviews.referral import services as referral_services
from reviews.terms import services as terms_services
from tests.helpers import assert_constant_queries
from tests.reviews.publication_fixtures import *  # noqa: F403
from tests.reviews.publication_fixtures import TODAY
from tests.reviews.report_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db

D = datetime.date
CHILD_NAME = "Robin Fictional"


def _url(review, name="publication_covering"):
    return reverse(f"reviews:{name}", args=[review.pk])


def _answers(response) -> dict[str, str]:
    """Each question on the page with its answer, as a reader sees it."""
    return {
        answer.question: answer.answer or f"NOT HELD: {answer.missing}"
        for group in response.context["groups"]
        for answer in group.answers
    }


@pytest.fixture
def child(lcspr_review, manager):
    return referral_services.child_add(
        review=lcspr_review,
        by=manager,
        name=CHILD_NAME,
        sex=Child.Sex.FEMALE,
        date_of_birth=D(2025, 11, 20),  # 3 months old on the incident, 2 March 2026
        ethnicity="White British",
        looked_after=False,
        social_care_status=SocialCareStatus.CHILD_PROTECTION_PLAN,
    )


@pytest.fixture
def complete(publication_ready, child, manager, author, lcspr_review):
    """A review at publication with the plan, a trial, the author's appointment, the learning
    summary and the notices that an LCSPR would take place."""
    review = publication_ready
    publication_services.publication_plan(review=review, by=manager, planned_on=D(2027, 1, 4))
    publication_services.proceeding_add(
        review=review,
        by=manager,
        kind=Proceeding.Kind.CRIMINAL,
        status=Proceeding.Status.ONGOING,
        description="Crown Court trial",
        expected_date=D(2027, 2, 1),
    )
    membership = review.memberships.get(role=MemberRole.AUTHOR)
    author_appointment_set(
        membership=membership,
        by=manager,
        commissioned_on=D(2026, 4, 1),
        expected_delivery=D(2026, 9, 30),
    )
    themes = list(LearningTheme.objects.order_by("position")[:2])
    learning_services.learning_summary_update(
        review=review,
        by=author,
        primary_themes=themes[:1],
        other_themes=themes[1:],
        background="A fictional child was harmed.",
        why_it_matters="",
        findings="Missed appointments were not followed up.",
        reflective_questions="",
        further_reading="",
    )
    for recipient in ("dfe", "ofsted", "national_panel"):
        decision_services.national_notice_record(
            review=review, by=manager, recipient=recipient, sent_on=D(2026, 3, 27)
        )
    return review


def test_the_manager_sees_every_answer_in_words(client, manager, complete, local_authority):
    client.force_login(manager)
    response = client.get(_url(complete))
    assert response.status_code == 200
    answers = _answers(response)
    assert answers["Review reference"] == complete.reference
    assert answers["Child (pseudonym)"] == "Child T"
    assert answers["National Panel's reference"] == "NP-0001"
    assert answers["Local authority"] == local_authority.name
    assert answers["Age"] == "3 months old"
    assert answers["Children's social care status"] == "Subject to a child protection plan"
    assert answers["Date of the incident"] == "2 March 2026"
    assert answers["Date the National Panel was notified"] == "6 March 2026"
    assert answers["Date the rapid review was sent to the National Panel"] == "20 March 2026"
    assert answers["Date of the decision to carry out an LCSPR"] == "25 March 2026"
    assert answers["Date the independent author was commissioned"] == "1 April 2026"
    assert (
        answers["Date the final report was completed (signed off by the Independent Chair)"]
        == "14 December 2026"
    )
    assert answers["Planned publication date"] == "4 January 2027"
    # 7 working days before Monday 4 January 2027, over Christmas, Boxing Day (observed on
    # Monday 28) and New Year's Day: Monday 21 December.
    assert answers["Send the final report by (7 working days before publication)"] == (
        "21 December 2026"
    )
    assert answers["Will the full report be published"] == "Yes: the full report."
    assert answers["Proceedings that publication waits for"] == (
        "Criminal proceedings, Crown Court trial, under way, next expected on 1 February 2027"
    )
    assert answers["Independent author"] == complete.memberships.get(role="author").user.full_name
    assert manager.email in answers["Contact at the partnership"]
    page = response.content.decode()
    assert 'data-copy="answer-1-1"' in page  # a copy button for the review reference
    assert AccessLog.objects.filter(what="Covering information for the final report").exists()


def test_no_childs_name_or_date_of_birth_is_on_the_page(client, manager, complete):
    client.force_login(manager)
    page = client.get(_url(complete)).content.decode()
    assert CHILD_NAME not in page
    assert "20 November 2025" not in page


def test_what_the_service_does_not_hold_is_said_not_left_blank(
    client, manager, signed_off_report, lcspr_review
):
    client.force_login(manager)
    response = client.get(_url(lcspr_review))
    answers = _answers(response)
    assert answers["The child's details"] == "NOT HELD: No child is recorded on the review."
    assert answers["Planned publication date"].startswith("NOT HELD: Not planned yet")
    assert answers["Date the independent author was commissioned"].startswith(
        "NOT HELD: Not recorded: add it to the author's appointment"
    )
    assert "answers the service does not hold" in response.content.decode()


def test_a_report_published_as_improvements_only_says_why(
    client, manager, publication_ready, child
):
    publication_services.publication_improvements_only_set(
        review=publication_ready,
        by=manager,
        improvements_only=True,
        reason="Publishing the full report would harm the welfare of the child's siblings.",
    )
    client.force_login(manager)
    answers = _answers(client.get(_url(publication_ready)))
    assert answers["Will the full report be published"].startswith("No: information about")
    assert answers["Why the full report will not be published"].startswith("Publishing the full")


def test_before_the_report_is_signed_off_it_is_refused_saying_why(client, manager, lcspr_review):
    client.force_login(manager)
    for name in ("publication_covering", "publication_covering_docx"):
        response = client.get(_url(lcspr_review, name))
        assert response.status_code == 409
        assert "has not been signed off by the Independent Chair yet" in response.content.decode()


def test_a_referral_is_refused_as_having_no_final_report(client, manager, referral):
    client.force_login(manager)
    response = client.get(_url(referral))
    assert response.status_code == 409
    assert "no LCSPR was decided for this review" in response.content.decode()


def test_the_word_document_holds_every_answer_and_no_childs_name(client, manager, complete):
    client.force_login(manager)
    response = client.get(_url(complete, "publication_covering_docx"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="{complete.reference}-covering-information.docx"'
    )
    doc = Document(io.BytesIO(response.content))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings == [
        "The review",
        "The child at the time of the incident",
        "Dates",
        "Publication",
        "Learning and the agencies involved",
        "The author and contacts",
    ]
    cells = {row.cells[0].text: row.cells[1].text for t in doc.tables for row in t.rows}
    assert cells["Planned publication date"] == "4 January 2027"
    text = "\n".join([p.text for p in doc.paragraphs] + list(cells.values()))
    assert CHILD_NAME not in text and "Robin" not in text
    assert AccessLog.objects.filter(
        what="Downloaded the covering information for the final report"
    ).exists()


def test_a_childs_name_typed_into_a_proceeding_stops_the_download(client, manager, complete, child):
    publication_services.proceeding_add(
        review=complete,
        by=manager,
        kind=Proceeding.Kind.FAMILY_COURT,
        status=Proceeding.Status.ONGOING,
        description=f"Care proceedings for {child.name}'s brother",
    )
    client.force_login(manager)
    page = client.get(_url(complete)).content.decode()
    assert "A child's real name appears under Publication" in page
    response = client.get(_url(complete, "publication_covering_docx"))
    assert response.status_code == 409
    assert "Publication" in response.content.decode()


def test_the_task_list_links_the_page_for_the_manager_only(
    client, manager, independent_chair, publication_ready
):
    url = _url(publication_ready)
    client.force_login(manager)
    assert (
        url in client.get(reverse("reviews:detail", args=[publication_ready.pk])).content.decode()
    )
    assert url in client.get(_url(publication_ready, "publication")).content.decode()
    client.force_login(independent_chair)
    page = client.get(reverse("reviews:detail", args=[publication_ready.pk])).content.decode()
    assert "Covering information for the National Panel" not in page


def test_the_page_runs_the_same_queries_however_much_the_review_holds(
    client, manager, complete, child
):
    client.force_login(manager)

    def grow():
        for number in range(3):
            referral_services.child_add(
                review=complete, by=manager, name=f"Sibling {number}", sex=Child.Sex.MALE
            )
            publication_services.proceeding_add(
                review=complete,
                by=manager,
                kind=Proceeding.Kind.HR,
                status=Proceeding.Status.EXPECTED,
            )

    assert_constant_queries(client, _url(complete), grow)


def test_it_is_the_same_page_today_as_on_the_day_sent(client, manager, complete, today):
    for recipient in ("national_panel", "dfe", "ofsted"):
        publication_services.publication_sent_record(
            review=complete, by=manager, recipient=recipient, sent_on=TODAY
        )
    client.force_login(manager)
    page = client.get(_url(complete)).content.decode()
    assert "The final report has been sent to all three" in page


def test_the_agreed_terms_of_reference_give_their_date_and_agencies(
    client, manager, panel_chair, complete, school, today
):
    terms = terms_services.tor_start(review=complete, by=manager)
    terms_services.tor_update(
        terms=terms,
        by=manager,
        agencies=[school],
        period_start=D(2025, 11, 20),
        period_end=D(2026, 3, 2),
        methodology="Practitioner conversations.",
    )
    terms_services.kloes_set(terms=terms, by=manager, texts=["How was the baby seen?"])
    terms_services.tor_share(terms=terms, by=manager)
    terms_services.tor_agree(terms=terms, by=panel_chair)
    # A new version being drafted does not hide the agreed one.
    terms_services.tor_new_version(review=complete, by=manager, reason="A new agency joined.")
    client.force_login(manager)
    answers = _answers(client.get(_url(complete)))
    assert answers["Date the Terms of Reference were agreed"] == "14 December 2026"
    assert school.name in answers["Agencies involved"].split("\n")
