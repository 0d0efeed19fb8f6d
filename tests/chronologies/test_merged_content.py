"""What the merged chronology shows and exports, read back: every column of the CSV and XLSX
for a fully recorded entry, the filters in the URL carried to the page, its paging and its
exports, an entry's page with the panel's comments, and the fresh sign-in the exports ask for."""

import csv
import datetime
import html
import io
import re
import subprocess

import openpyxl
import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from chronologies import exports, services
from chronologies.jobs import MERGED_PDF
from chronologies.models import ChronologyRequest, Entry, RequestStatus
from lcspr.access_log.models import AccessLog
from lcspr.core.exceptions import WorkflowError
from lcspr.core.jobs.models import Job
from lcspr.core.tasks import run_job
from reviews.models import Child
from tests.reviews.conftest import open_referral

pytestmark = pytest.mark.django_db

D = datetime.date
BRUISE = "Bruise noticed on the arm in PE"


def url(review, name="merged", **kwargs):
    return reverse(f"chronologies:{name}", kwargs={"pk": review.pk, **kwargs})


@pytest.fixture
def merged(school_request, police_request, school, police):
    """Two accepted chronologies: the school's first entry recorded in full, the police's first
    entry a near copy of it on the same day; the child born on 1 December 2022."""
    Entry.objects.bulk_create(
        [
            Entry(
                request=school_request,
                sequence=1,
                date=D(2025, 3, 1),
                time=datetime.time(9, 0),
                source_reference="SIMS-42",
                practitioner_role="Class teacher",
                event_type="Observation",
                child_seen="yes",
                description=BRUISE,
                child_voice="Said she fell over.",
                action_taken="Logged on the safeguarding system.",
                outcome="DSL informed.",
                significance="The first sign of injury.",
                kloe_numbers=[1, 2],
                themes=["Neglect", "Information sharing"],
            ),
            Entry(
                request=school_request,
                sequence=2,
                date=D(2025, 6, 1),
                date_certainty="month",
                description="End of term report",
                kloe_numbers=[2],
            ),
            Entry(
                request=police_request,
                sequence=1,
                date=D(2025, 3, 1),
                time=datetime.time(9, 0),
                description=BRUISE + ".",
            ),
            Entry(
                request=police_request,
                sequence=2,
                date=D(2025, 1, 10),
                description="Domestic incident at the home address",
                themes=["Neglect"],
            ),
        ]
    )
    ChronologyRequest.objects.filter(pk__in=[school_request.pk, police_request.pk]).update(
        status=RequestStatus.ACCEPTED,
        accepted_at=datetime.datetime(2026, 5, 6, tzinfo=datetime.UTC),
    )
    review = school_request.review
    Child.objects.create(review=review, name="Billie", date_of_birth=D(2022, 12, 1), sex="female")
    return review


FULL_ROW = [
    "1",
    "01/03/2025",
    "Exact",
    "09:00",
    "Riverside Primary School",
    "SIMS-42",
    "Class teacher",
    "Observation",
    "Yes",
    "Not known",
    BRUISE,
    "Said she fell over.",
    "Logged on the safeguarding system.",
    "DSL informed.",
    "The first sign of injury.",
    "1, 2",
    "Neglect, Information sharing",
    "2 years 3 months",
    "Yes",
    "",
]
# The same row in the XLSX: the sequence a number, the date and time real date and time cells.
FULL_XLSX_ROW = [
    1,
    D(2025, 3, 1),
    "Exact",
    datetime.time(9, 0),
    *FULL_ROW[4:-1],
    None,
]


def csv_rows(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))


def cell_value(cell):
    """A cell's value, a date cell's as a date (openpyxl reads every date cell back as a
    datetime at midnight)."""
    if cell.is_date and isinstance(cell.value, datetime.datetime):
        return cell.value.date()
    return cell.value


def descriptions(rows):
    return [row[exports.COLUMNS.index("Description")] for row in rows[1:]]


# --- the exports, read back ---------------------------------------------------------------------


def test_the_csv_carries_every_column_of_a_fully_recorded_entry(client, merged, manager):
    client.force_login(manager)
    rows = csv_rows(client.get(url(merged, "merged_csv")))
    assert descriptions(rows) == [
        "Domestic incident at the home address",
        BRUISE + ".",
        BRUISE,
        "End of term report",
    ]
    assert rows[3] == FULL_ROW
    month_only = rows[4]
    assert month_only[1:4] == ["01/06/2025", "Month only", ""]
    assert month_only[exports.COLUMNS.index("Possible duplicate")] == ""
    gap = exports.COLUMNS.index("Days with no agency contact before this entry")
    assert [row[gap] for row in rows[1:]] == ["", "", "", "92"]
    assert rows[1][exports.COLUMNS.index("Child's age")] == "2 years 1 month"


def test_the_xlsx_carries_the_same_rows_under_a_bold_frozen_heading(client, merged, manager):
    client.force_login(manager)
    response = client.get(url(merged, "merged_xlsx"))
    assert response["Content-Disposition"] == (
        f'attachment; filename="merged-chronology-{merged.reference.lower()}.xlsx"'
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.title == "Merged chronology"
    assert sheet.freeze_panes == "A2"
    assert [c.value for c in sheet[1]] == list(exports.COLUMNS)
    assert all(c.font.bold for c in sheet[1])
    assert [cell_value(c) for c in sheet[4]] == FULL_XLSX_ROW
    assert sheet.cell(row=4, column=2).number_format == "dd/mm/yyyy"
    assert sheet.cell(row=4, column=4).number_format == "hh:mm"
    assert sheet.auto_filter.ref == f"A1:T{sheet.max_row}"
    gaps = sheet.parent["Gaps in contact"]
    assert [cell_value(c) for c in gaps[2]] == [D(2025, 3, 1), D(2025, 6, 1), 92]
    assert AccessLog.objects.filter(what="Merged chronology XLSX export").count() == 1


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"kloe": "1"}, [BRUISE]),
        ({"theme": "Neglect"}, ["Domestic incident at the home address", BRUISE]),
        (
            {"date_from_0": "1", "date_from_1": "3", "date_from_2": "2025"},
            [BRUISE + ".", BRUISE, "End of term report"],
        ),
        (
            {"date_to_0": "28", "date_to_1": "2", "date_to_2": "2025"},
            ["Domestic incident at the home address"],
        ),
    ],
)
def test_the_exports_keep_each_filter(client, merged, manager, query, expected):
    client.force_login(manager)
    assert descriptions(csv_rows(client.get(url(merged, "merged_csv"), query))) == expected
    sheet = openpyxl.load_workbook(
        io.BytesIO(client.get(url(merged, "merged_xlsx"), query).content)
    ).active
    column = exports.COLUMNS.index("Description") + 1
    assert [sheet.cell(row=r, column=column).value for r in range(2, sheet.max_row + 1)] == (
        expected
    )


def pdf_text(content: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()


def test_the_pdf_carries_the_source_record_voice_analysis_gaps_and_duplicates(
    merged, manager, settings, tmp_path
):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    job = Job.objects.create(kind=MERGED_PDF, about=merged, requested_by=manager)
    run_job(job.pk)
    job.refresh_from_db()
    with job.file.open("rb") as file:
        content = file.read()
    pages = PdfReader(io.BytesIO(content)).pages
    # One landscape A4 page.
    assert [(round(p.mediabox.width), round(p.mediabox.height)) for p in pages] == [(842, 595)]
    text = " ".join(pdf_text(content).split())
    for heading in (
        "Agency and source record",
        "The child's voice or lived experience",
        "The agency's analysis of significance",
    ):
        assert " ".join(heading.split()[:2]) in text
    for value in (
        "Record: SIMS-42",
        "Said she fell over.",
        "The first sign of injury.",
        "Outcome: DSL informed.",
        "No agency contact for 92 days",
        "2 entries are marked as a possible duplicate",
        "2 years 3 months",
    ):
        assert value in text, value
    assert text.count("Possible duplicate") == 2  # the school's and the police's entries


def test_a_review_with_no_accepted_chronology_exports_the_headings_only(
    client, chronology_requests, agreed_review, manager
):
    client.force_login(manager)
    assert csv_rows(client.get(url(agreed_review, "merged_csv"))) == [list(exports.COLUMNS)]


def test_the_exports_ask_a_person_signed_in_long_ago_to_confirm_who_they_are(
    client, merged, manager
):
    client.force_login(manager)
    with time_machine.travel(datetime.timedelta(minutes=20)):
        for name in ("merged_csv", "merged_xlsx"):
            response = client.get(url(merged, name))
            assert response.status_code == 302
            assert response.url.startswith(reverse("accounts:confirm_password"))
            assert "next=" in response.url
        assert not AccessLog.objects.filter(what__startswith="Merged chronology CSV").exists()


# --- the page and its filters -------------------------------------------------------------------


def entries_on(response):
    """The descriptions of the entries the page shows, in order (a page once shown is served
    from what was rendered, so read the page as a reader would)."""
    links = re.findall(r'href="[^"]*/merged/entries/\d+/">([^<]*)</a>', response.content.decode())
    return [html.unescape(text) for text in links]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"kloe": "2"}, [BRUISE, "End of term report"]),
        ({"theme": "Information sharing"}, [BRUISE]),
        (
            {"date_from_0": "1", "date_from_1": "2", "date_from_2": "2025", "date_to_0": "1"}
            | {"date_to_1": "4", "date_to_2": "2025"},
            [BRUISE + ".", BRUISE],
        ),
    ],
)
def test_the_page_filters_by_key_line_theme_and_dates(client, merged, manager, query, expected):
    client.force_login(manager)
    response = client.get(url(merged), query)
    assert entries_on(response) == expected
    assert f"Timeline of {len(expected)} event" in response.content.decode()


def test_a_period_ending_before_it_starts_is_named_and_shows_everything(client, merged, manager):
    client.force_login(manager)
    response = client.get(
        url(merged),
        {"date_from_0": "1", "date_from_1": "6", "date_from_2": "2025"}
        | {"date_to_0": "1", "date_to_1": "3", "date_to_2": "2025"},
    )
    assert "To must be the same as or after From" in response.content.decode()
    assert len(entries_on(response)) == 4


def test_the_page_shows_each_entrys_age_certainty_duplicate_and_comment_count(
    client, merged, manager
):
    bruise = Entry.objects.get(description=BRUISE)
    services.reviewer_comment_add(entry=bruise, by=manager, text="Check the date.")
    services.reviewer_comment_add(entry=bruise, by=manager, text="Ask the nurse.")
    client.force_login(manager)
    response = client.get(url(merged))
    shown = {e.description: e for e in response.context["page"].object_list}
    assert shown[BRUISE].comment_count == 2
    assert shown[BRUISE].possible_duplicate and shown[BRUISE + "."].possible_duplicate
    assert not shown["End of term report"].possible_duplicate
    assert shown["End of term report"].age == "2 years 6 months"
    html = response.content.decode()
    assert "(month only)" in html
    assert "Entries (4)" in html


def test_a_long_chronology_is_paged_keeping_the_filters(client, merged, manager, school):
    school_request = ChronologyRequest.objects.get(review=merged, agency=school)
    Entry.objects.bulk_create(
        Entry(
            request=school_request,
            sequence=10 + n,
            date=D(2024, 1, 1) + datetime.timedelta(days=n),
            description=f"Attendance check {n}",
        )
        for n in range(105)
    )
    client.force_login(manager)
    query = {"agency": [school.pk]}
    first = client.get(url(merged), query)
    html = first.content.decode()
    assert "Entries 1 to 100 of 107" in html
    assert f"agency={school.pk}&amp;page=2" in html
    second = client.get(url(merged), {**query, "page": 2})
    assert entries_on(second)[-2:] == [BRUISE, "End of term report"]
    assert "Entries 101 to 107 of 107" in second.content.decode()
    assert "(page 2 of 2)" in second.content.decode()
    # A page past the end shows the last page.
    assert entries_on(client.get(url(merged), {**query, "page": 9})) == entries_on(second)


def test_a_page_seen_before_shows_comments_added_since(client, merged, manager):
    client.force_login(manager)
    client.get(url(merged))  # rendered once, and kept
    bruise = Entry.objects.get(description=BRUISE)
    services.reviewer_comment_add(entry=bruise, by=manager, text="Check the date.")
    response = client.get(url(merged))
    row = re.search(rf"{re.escape(BRUISE)}</a>.*?</tr>", response.content.decode(), re.S)
    assert '<td class="govuk-table__cell">1</td>' in row.group(0)


# --- one entry ----------------------------------------------------------------------------------


def test_an_entrys_page_shows_everything_the_agency_recorded_and_the_comments(
    client, merged, manager, panel_member
):
    bruise = Entry.objects.get(description=BRUISE)
    services.reviewer_comment_add(entry=bruise, by=panel_member, text="Was the nurse told?")
    client.force_login(manager)
    html = client.get(url(merged, "merged_entry", entry_pk=bruise.pk)).content.decode()
    for text in (
        "Riverside Primary School: 1 March 2025",
        "1 March 2025 (exact), 09:00",
        "(entry 1, record SIMS-42)",
        "Yes (seen alone: not known)",
        "Said she fell over.",
        "The first sign of injury.",
        "1, 2",
        "Neglect, Information sharing",
        "Was the nurse told?",
        "Pia Panel",
    ):
        assert text in html, text


def test_an_entry_with_nothing_optional_says_what_was_not_given(client, merged, manager):
    entry = Entry.objects.get(description="Domestic incident at the home address")
    client.force_login(manager)
    html = client.get(url(merged, "merged_entry", entry_pk=entry.pk)).content.decode()
    assert html.count("Not given") == 2
    assert "No comments yet." in html


def test_an_entry_of_another_review_is_not_found_through_this_one(
    client, merged, manager, police, school_request
):
    other = open_referral(manager, police, pseudonym="Child Q")
    elsewhere = ChronologyRequest.objects.create(
        review=other,
        agency=police,
        status=RequestStatus.ACCEPTED,
        due_date=D(2027, 1, 29),
        period_start=D(2025, 1, 1),
        period_end=D(2025, 12, 31),
        requested_by=manager,
    )
    entry = Entry.objects.create(
        request=elsewhere, sequence=1, date=D(2025, 2, 2), description="Another child"
    )
    client.force_login(manager)
    assert client.get(url(merged, "merged_entry", entry_pk=entry.pk)).status_code == 404
    response = client.post(url(merged, "merged_entry", entry_pk=entry.pk), {"text": "Hello"})
    assert response.status_code == 404
    assert not entry.reviewer_comments.exists()


def test_a_comment_on_an_entry_no_longer_accepted_is_refused(merged, manager, police_request):
    entry = Entry.objects.get(description=BRUISE + ".")
    ChronologyRequest.objects.filter(pk=police_request.pk).update(status=RequestStatus.RETURNED)
    entry.refresh_from_db()
    with pytest.raises(WorkflowError, match="Comments are made on accepted entries."):
        services.reviewer_comment_add(entry=entry, by=manager, text="Too late")
    assert not entry.reviewer_comments.exists()
