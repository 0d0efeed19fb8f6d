"""The rapid review in the National Panel's template: a Word document in the Panel's order,
pseudonymised, opened back with python-docx as the Panel would open it."""

import io

import pytest
from django.urls import reverse
from docx import Document

from lcspr.access_log.models import AccessLog
from reviews.rapid_review import services as rapid_review_services
from reviews.referral import services as referral_services

pytestmark = pytest.mark.django_db

SECTIONS = [
    "1. The case",
    "2. Facts of the case",
    "3. Agency involvement",
    "4. Analysis of key practice episodes",
    "5. Immediate actions",
    "6. Equality and diversity",
    "7. Learning",
    "8. The safeguarding partners' decision and rationale",
]


def _url(review):
    return reverse("reviews:rapid_review_docx", args=[review.pk])


def _opened(response) -> tuple[list[str], str]:
    """The document's section headings, and all its text (paragraphs and table cells)."""
    doc = Document(io.BytesIO(response.content))
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    cells = [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    return headings, "\n".join([p.text for p in doc.paragraphs] + cells)


@pytest.fixture
def findings(signed_off, manager):
    referral_services.child_add(
        review=signed_off, by=manager, name="Jordan Fictionalname", sex="male"
    )
    return signed_off


def test_the_document_follows_the_panels_order_and_names_the_child_only_by_pseudonym(
    client, findings, manager, partner_leads
):
    client.force_login(manager)
    response = client.get(_url(findings))
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert "rapid-review-for-the-national-panel.docx" in response["Content-Disposition"]
    headings, text = _opened(response)
    assert headings == SECTIONS
    for expected in (
        findings.reference,
        "Child T",
        "NP-0001",
        "Carry out an LCSPR",
        "The fictional case shows learning for agencies.",
        "Northbridge Constabulary",
        "Pat Partner",
    ):
        assert expected in text, expected
    assert "Jordan" not in text and "Fictionalname" not in text
    # What the service does not hold is said, not left as an empty heading.
    assert "Not recorded in the service: complete this section before sending." in text
    assert AccessLog.objects.filter(
        review_id=findings.pk,
        user=manager,
        what="Downloaded the rapid review in the National Panel's template",
    ).exists()


def test_a_real_name_left_in_the_facts_stops_the_document(client, in_rapid_review, manager):
    referral_services.child_add(
        review=in_rapid_review, by=manager, name="Jordan Fictionalname", sex="male"
    )
    rapid_review_services.rapid_review_update(
        review=in_rapid_review, by=manager, facts="JORDAN was seen at the clinic in May."
    )
    client.force_login(manager)
    response = client.get(_url(in_rapid_review))
    assert response.status_code == 409
    page = response.content.decode()
    assert "A child&#x27;s real name is still in the rapid review" in page
    assert "2. Facts of the case" in page
    assert not AccessLog.objects.filter(review_id=in_rapid_review.pk, user=manager).exists()


def test_before_the_rapid_review_there_is_nothing_to_send(client, referral, manager):
    client.force_login(manager)
    response = client.get(_url(referral))
    assert response.status_code == 409
    assert "The rapid review has not started yet" in response.content.decode()


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("independent_chair", 200),
        ("outsider", 404),
        ("agency_author", 404),
        ("subgroup_member", 403),  # sees the LCSPR, not the partners' rapid review
    ],
)
def test_who_may_download_it(client, lcspr_review, persona, status, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(_url(lcspr_review)).status_code == status
