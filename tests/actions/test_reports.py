"""The action-plan reports: a review's progress report and the Executive Partnership's report,
each as PDF (read back with pdftotext) and XLSX (read back with openpyxl); formulas never reach
a spreadsheet; who may download them."""

import datetime
import io
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from actions.models import Action, Assurance, ProgressUpdate
from lcspr.access_log.models import AccessLog
from tests.actions.conftest import dash_grow
from tests.helpers import assert_constant_queries

EXECUTIVE_PDF = reverse("actions:executive_report_pdf")
EXECUTIVE_XLSX = reverse("actions:executive_report_xlsx")
IMPACT = "A re-audit of 20 fictional cases found every missed appointment followed up."


def review_url(name, review):
    return reverse(f"actions:review_report_{name}", args=[review.pk])


def pdf_text(response, tmp_path) -> str:
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "report.pdf"
    path.write_bytes(response.content)
    return subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def workbook(response):
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(response.content))


def rows_of(sheet):
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


@pytest.fixture
def evidenced(school_action, manager):
    """The school's action, complete with a progress update and evidence of impact."""
    Action.objects.filter(pk=school_action.pk).update(
        status="complete",
        rag="green",
        completion_evidence="Attendance concerns now go to the health visitor within a week.",
        impact_evidence=IMPACT,
        assurance_method=Assurance.CASE_SAMPLING,
        assurance_detail="Ten fictional cases sampled by the designated nurse.",
    )
    ProgressUpdate.objects.create(
        action=school_action,
        text="The attendance protocol was rewritten and agreed.",
        status_after="in_progress",
        recorded_by=manager,
        recorded_at=timezone.now() - datetime.timedelta(days=30),
    )
    ProgressUpdate.objects.create(
        action=school_action,
        text="Every fictional school now uses the new protocol.",
        status_after="complete",
        recorded_by=manager,
    )
    school_action.refresh_from_db()
    return school_action


# --- A review's action-plan progress report ------------------------------------------------------


def test_the_review_report_pdf_says_what_was_recommended_done_and_its_impact(
    client, evidenced, police_action, recommendations, lcspr_review, panel_member, tmp_path
):
    client.force_login(panel_member)
    response = client.get(review_url("pdf", lcspr_review))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store"
    text = " ".join(pdf_text(response, tmp_path).split())
    assert "Recommendation 2" in text
    assert "Schools should share attendance concerns with health visitors." in text
    assert evidenced.text in text
    assert "Every fictional school now uses the new protocol." in text, "the latest update"
    assert "The attendance protocol was rewritten" not in text, "only the latest update"
    assert IMPACT in text
    assert "Case sampling" in text
    assert "Green (on track)" in text
    assert "Will not deliver" in text, "what each RAG rating means"
    assert police_action.text in text
    assert AccessLog.objects.filter(
        user=panel_member, what="Action plan progress report (PDF)", review_id=lcspr_review.pk
    ).exists()


def test_the_review_report_pdf_shows_a_recommendation_with_no_action_yet(
    client, recommendations, lcspr_review, manager, tmp_path
):
    client.force_login(manager)
    text = " ".join(pdf_text(client.get(review_url("pdf", lcspr_review)), tmp_path).split())

    assert "Agencies should follow up every missed health appointment of a baby." in text
    assert "No action has been agreed for this recommendation yet." in text


def test_the_review_report_xlsx_has_a_summary_and_a_row_per_action(
    client, evidenced, police_action, lcspr_review, subgroup_member
):
    client.force_login(subgroup_member)
    response = client.get(review_url("xlsx", lcspr_review))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    book = workbook(response)
    assert book.sheetnames == ["Summary", "Actions"]
    summary = {row[0]: row[1:] for row in rows_of(book["Summary"]) if row[0]}
    assert summary["Actions"][0] == 2
    assert summary["Complete"][0] == 1
    assert summary["Green"] == [1, "On track"]

    actions = book["Actions"]
    assert actions.freeze_panes == "A2"
    assert actions.column_dimensions["G"].width == 60
    header, *rows = rows_of(actions)
    assert header[:7] == [
        "Review",
        "Pseudonym",
        "Action",
        "Recommendation number",
        "Recommendation",
        "Source",
        "What will be done",
    ]
    by_text = {
        row[header.index("What will be done")]: dict(zip(header, row, strict=True)) for row in rows
    }
    school = by_text[evidenced.text]
    assert school["Recommendation number"] == 2
    assert school["Status"] == "Complete"
    assert school["What the rating means"] == "On track"
    assert school["Latest update"] == "Every fictional school now uses the new protocol."
    assert school["Evidence of impact"] == IMPACT
    assert school["How the impact was assured"] == "Case sampling"
    assert school["Due date"].date() == evidenced.due_date
    assert by_text[police_action.text]["RAG rating"] == "Not rated"


def test_no_spreadsheet_cell_holds_a_formula(client, school_action, lcspr_review, manager):
    Action.objects.filter(pk=school_action.pk).update(
        text='=HYPERLINK("https://example.org/steal","Click")',
        impact_evidence="+44 fictional calls",
        assurance_detail="@SUM(A1:A2)",
        completion_evidence="-1 backlog",
    )
    client.force_login(manager)
    book = workbook(client.get(review_url("xlsx", lcspr_review)))

    header, row = rows_of(book["Actions"])[:2]
    values = dict(zip(header, row, strict=True))
    assert values["What will be done"] == '\'=HYPERLINK("https://example.org/steal","Click")'
    assert values["Evidence of impact"] == "'+44 fictional calls"
    assert values["Assurance detail"] == "'@SUM(A1:A2)"
    assert values["Evidence of completion"] == "'-1 backlog"
    for sheet in book:
        for cells in sheet.iter_rows():
            assert all(cell.data_type != "f" for cell in cells)


@pytest.mark.parametrize(
    "persona", ["manager", "subgroup_member", "executive_member", "panel_member", "author"]
)
def test_those_who_see_the_plan_download_the_review_report(
    client, school_action, lcspr_review, request, persona
):
    client.force_login(request.getfixturevalue(persona))

    for name in ("pdf", "xlsx"):
        assert client.get(review_url(name, lcspr_review)).status_code == 200, name


def test_the_review_report_does_not_exist_for_outsiders_or_another_reviews_panel(
    client, school_action, lcspr_review, outsider, agency_author, elsewhere
):
    other_author, other_member = elsewhere
    for user in (outsider, agency_author, other_author, other_member):
        client.force_login(user)
        for name in ("pdf", "xlsx"):
            assert client.get(review_url(name, lcspr_review)).status_code == 404, (user, name)


def test_the_review_report_asks_signed_out_visitors_to_sign_in_and_answers_only_get(
    client, lcspr_review, manager
):
    response = client.get(review_url("pdf", lcspr_review))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]

    client.force_login(manager)
    assert client.post(review_url("pdf", lcspr_review)).status_code == 405
    assert client.post(review_url("xlsx", lcspr_review)).status_code == 405


# --- The Executive Partnership's report -------------------------------------------------------------


def test_the_executive_pdf_lists_every_reviews_actions_and_their_impact(
    client, evidenced, dash_data, executive_member, tmp_path
):
    client.force_login(executive_member)
    response = client.get(EXECUTIVE_PDF)

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    text = " ".join(pdf_text(response, tmp_path).split())
    assert "report to the Executive Partnership" in text
    assert evidenced.review.reference in text
    assert dash_data.reviews[0].reference in text and dash_data.reviews[1].reference in text
    assert IMPACT in text
    assert "Case sampling" in text
    assert "The county's neglect strategy" in text, "where a handed-over action went"
    assert AccessLog.objects.filter(
        user=executive_member, what="Action plans Executive report (PDF)"
    ).exists()


def test_the_executive_report_keeps_the_dashboards_filters(
    client, dash_data, subgroup_member, police, school, tmp_path
):
    client.force_login(subgroup_member)
    query = {"agency": police.pk, "due_from_0": "1", "due_from_1": "3", "due_from_2": "2026"}

    text = " ".join(pdf_text(client.get(EXECUTIVE_PDF, query), tmp_path).split())
    assert dash_data.actions["a2"].text in text
    assert dash_data.actions["a1"].text not in text, "the school's action is filtered out"

    book = workbook(client.get(EXECUTIVE_XLSX, query))
    summary = {row[0]: row[1] for row in rows_of(book["Summary"]) if row[0]}
    assert summary["Lead agency"] == police.name
    assert summary["Due from"] == "1 March 2026"
    assert summary["Actions"] == 3
    agencies = {row[7] for row in rows_of(book["Actions"])[1:]}
    assert agencies == {police.name}


def test_the_executive_xlsx_runs_a_constant_number_of_queries(
    client, dash_data, manager, school, police, dash_themes
):
    client.force_login(manager)

    def grow():
        dash_grow(manager, [school, police], dash_themes, reviews=5, per_review=20)

    assert_constant_queries(client, EXECUTIVE_XLSX, grow)


@pytest.mark.parametrize("persona", ["manager", "subgroup_member", "executive_member"])
def test_those_who_oversee_learning_download_the_executive_report(
    client, dash_data, request, persona
):
    client.force_login(request.getfixturevalue(persona))

    for url in (EXECUTIVE_PDF, EXECUTIVE_XLSX):
        assert client.get(url).status_code == 200, url


def test_others_are_refused_the_executive_report(
    client, school_action, agency_author, outsider, panel_member, author
):
    for user in (agency_author, outsider, panel_member, author):
        client.force_login(user)
        for url in (EXECUTIVE_PDF, EXECUTIVE_XLSX):
            assert client.get(url).status_code == 403, (user, url)


@pytest.mark.parametrize("url", [EXECUTIVE_PDF, EXECUTIVE_XLSX])
def test_the_executive_report_asks_signed_out_visitors_to_sign_in_and_answers_only_get(
    client, manager, url
):
    assert client.get(url).status_code == 302
    client.force_login(manager)
    assert client.post(url).status_code == 405
