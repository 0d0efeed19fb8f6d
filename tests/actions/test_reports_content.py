"""The action-plan reports read back for what the other tests leave: actions closed and handed
over with where they went, actions from other sources under their own headings, the partnership's
own rule for stale actions, every kind of dashboard filter described in the Executive report,
and a report with nothing to list."""

import io
import subprocess

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from actions import services
from actions.models import ActionSettings, Source
from tests.actions.conftest import add_action, make_ready_to_close

pytestmark = pytest.mark.django_db

EXECUTIVE_PDF = reverse("actions:executive_report_pdf")
EXECUTIVE_XLSX = reverse("actions:executive_report_xlsx")


def review_url(name, review):
    return reverse(f"actions:review_report_{name}", args=[review.pk])


def pdf_text(response, tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return " ".join(text.split())


def sheets(response):
    """The Summary sheet as {label: value} (the first row of each label: the filters come
    before the tables by status and RAG), and the Actions sheet as a dict per row."""
    book = load_workbook(io.BytesIO(response.content))
    summary = {}
    for row in book["Summary"].iter_rows(values_only=True):
        if row[0]:
            summary.setdefault(row[0], row[1])
    header, *rows = book["Actions"].iter_rows(values_only=True)
    return summary, [dict(zip(header, row, strict=True)) for row in rows]


@pytest.fixture
def finished(lcspr_review, school_action, police_action, agency_author, subgroup_member, manager):
    """The school's action closed on evidence, the police's handed over, and an action from
    the review itself still open."""
    make_ready_to_close(school_action, agency_author)
    services.action_close(action=school_action, by=subgroup_member, note="Seen in May.")
    services.action_hand_over(
        action=police_action, by=subgroup_member, handed_to="The force's own improvement plan"
    )
    own = add_action(
        lcspr_review, manager, agency_author.agency, text="Brief every class teacher by June."
    )
    services.action_share(action=own, by=subgroup_member, shared=True)
    return {"closed": school_action, "handed": police_action, "own": own}


def test_the_review_xlsx_says_when_an_action_closed_and_where_one_was_handed(
    client, finished, lcspr_review, manager
):
    client.force_login(manager)
    summary, rows = sheets(client.get(review_url("xlsx", lcspr_review)))
    by_action = {row["Action"]: row for row in rows}
    closed = by_action[finished["closed"].reference]
    assert closed["Status"] == "Closed"
    assert closed["Closed on"] is not None
    assert closed["How the impact was assured"] == "Audit"
    handed = by_action[finished["handed"].reference]
    assert (handed["Status"], handed["Handed to"]) == (
        "Handed to another plan",
        "The force's own improvement plan",
    )
    own = by_action[finished["own"].reference]
    assert (own["Source"], own["Recommendation number"], own["Recommendation"]) == (
        Source.DURING_REVIEW.label,
        None,
        None,
    )
    assert (own["Latest update on"], own["Latest update"]) == (None, None)
    assert (summary["Actions"], summary["Closed"], summary["Handed to another plan"]) == (3, 1, 1)


def test_the_review_pdf_lists_other_actions_under_their_own_heading(
    client, finished, lcspr_review, manager, tmp_path
):
    client.force_login(manager)
    text = pdf_text(client.get(review_url("pdf", lcspr_review)), tmp_path)
    assert "Actions identified during the review" in text
    assert text.index("Recommendation 2") < text.index("Actions identified during the review")
    assert "Brief every class teacher by June." in text
    assert "Handed to another plan on " in text
    assert ": The force's own improvement plan" in text
    assert "Assured by: Audit – Audit by the named nurse in the spring." in text
    assert "No update yet" in text


def test_the_reports_count_stale_actions_by_the_partnerships_own_rule(client, dash_data, manager):
    client.force_login(manager)
    summary, _rows = sheets(client.get(EXECUTIVE_XLSX))
    assert (summary["Overdue"], summary["Without an update for 6 weeks"]) == (2, 2)
    settings = ActionSettings.load()
    settings.stale_update_weeks = 12
    settings.save()
    summary, _rows = sheets(client.get(EXECUTIVE_XLSX))
    assert summary["Without an update for 12 weeks"] == 0
    assert "Without an update for 6 weeks" not in summary


def test_the_executive_report_describes_each_kind_of_filter(
    client, dash_data, subgroup_member, police, tmp_path
):
    review = dash_data.reviews[0]
    theme = dash_data.themes[0]
    query = {
        "review": review.pk,
        "status": "in_progress",
        "rag": "red",
        "theme": theme.pk,
        "overdue": "on",
        "due_to_0": "30",
        "due_to_1": "4",
        "due_to_2": "2026",
    }
    client.force_login(subgroup_member)
    summary, rows = sheets(client.get(EXECUTIVE_XLSX, query))
    assert summary["Review"] == f"{review.reference} (Child A)"
    assert summary["Status"] == "In progress"
    assert summary["RAG rating"] == "Red"
    assert summary["Learning theme"] == theme.name
    assert summary["Only overdue actions"] == "Yes"
    assert summary["Due by"] == "30 April 2026"
    assert [row["Action"] for row in rows] == [dash_data.actions["a2"].reference]
    text = pdf_text(client.get(EXECUTIVE_PDF, query), tmp_path)
    assert f"Review {review.reference} (Child A)" in text
    assert "Only overdue actions Yes" in text


def test_unrated_actions_can_be_reported_on_their_own(client, dash_data, manager):
    client.force_login(manager)
    summary, rows = sheets(client.get(EXECUTIVE_XLSX, {"rag": "unrated"}))
    assert summary["RAG rating"] == "Not rated"
    assert {row["RAG rating"] for row in rows} == {"Not rated"}
    assert len(rows) == 2


def test_a_report_with_nothing_to_list_says_so(client, dash_data, manager, tmp_path):
    client.force_login(manager)
    query = {"status": "closed", "rag": "red"}
    summary, rows = sheets(client.get(EXECUTIVE_XLSX, query))
    assert (summary["Actions"], rows) == (0, [])
    assert "No actions match." in pdf_text(client.get(EXECUTIVE_PDF, query), tmp_path)


def test_the_executive_report_is_named_by_the_day_it_was_produced(client, dash_data, manager):
    client.force_login(manager)
    response = client.get(EXECUTIVE_XLSX)
    assert response["Content-Disposition"] == (
        'attachment; filename="action-plans-executive-report-2026-04-07.xlsx"'
    )
