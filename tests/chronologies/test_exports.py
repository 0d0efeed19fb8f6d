"""Exports of the merged chronology: CSV and XLSX with the current filters and no live formulas,
the PDF rendered in the background with its progress, and agency isolation on every export."""

import csv
import datetime
import io
import shutil
import subprocess
import zipfile

import openpyxl
import pytest
from django.urls import reverse

from chronologies import exports, jobs
from chronologies.jobs import MERGED_PDF
from chronologies.models import ChronologyRequest, Entry, RequestStatus
from lcspr.access_log.models import AccessLog
from lcspr.accounts.models import Agency
from lcspr.core.jobs.models import Job
from lcspr.core.tasks import run_job
from tests.accounts.helpers import make_sign_in_old
from tests.reviews.conftest import open_referral

D = datetime.date
INJECTIONS = ['=HYPERLINK("http://evil")', "+1+1", "-2+3", "@SUM(A1)", "\tTab", "\rReturn"]


@pytest.fixture
def merged(school_request, police_request):
    Entry.objects.bulk_create(
        [
            Entry(request=school_request, sequence=1, date=D(2025, 3, 1), description="Café visit"),
            *[
                Entry(request=school_request, sequence=2 + i, date=D(2025, 4, 1), description=text)
                for i, text in enumerate(INJECTIONS)
            ],
            Entry(
                request=police_request, sequence=1, date=D(2025, 2, 1), description="Police call"
            ),
        ]
    )
    ChronologyRequest.objects.filter(review=school_request.review).update(
        status=RequestStatus.ACCEPTED
    )
    return school_request.review


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }


def url(review, name, **kwargs):
    return reverse(f"chronologies:{name}", kwargs={"pk": review.pk, **kwargs})


def test_neutralise_prefixes_anything_a_spreadsheet_would_evaluate():
    assert [exports.neutralise(v) for v in INJECTIONS] == ["'" + v for v in INJECTIONS]
    assert exports.neutralise("A normal note") == "A normal note"
    assert exports.neutralise(None) == ""


def test_the_csv_has_a_bom_the_columns_and_no_live_formulas(client, merged, manager):
    client.force_login(manager)
    response = client.get(url(merged, "merged_csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store"
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))
    assert rows[0] == list(exports.COLUMNS)
    descriptions = [row[exports.COLUMNS.index("Description")] for row in rows[1:]]
    assert descriptions[:2] == ["Police call", "Café visit"]
    assert sorted(descriptions[2:]) == sorted("'" + v for v in INJECTIONS)
    assert AccessLog.objects.filter(what="Merged chronology CSV export").exists()


def xlsx_sheet(response):
    return openpyxl.load_workbook(io.BytesIO(response.content)).active


def test_the_xlsx_keeps_formula_like_text_exactly_as_written_in_string_cells(
    client, merged, manager
):
    """No spreadsheet evaluates a string cell, so nothing gains a quote and nothing is a
    formula: the raw sheet has no formula element at all."""
    client.force_login(manager)
    response = client.get(url(merged, "merged_xlsx"))
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    sheet = xlsx_sheet(response)
    column = exports.COLUMNS.index("Description") + 1
    cells = [sheet.cell(row=r, column=column) for r in range(2, sheet.max_row + 1)]
    assert all(cell.data_type == "s" for cell in cells)
    assert sorted(c.value for c in cells[2:]) == sorted(INJECTIONS)
    with zipfile.ZipFile(io.BytesIO(response.content)) as package:
        assert "<f>" not in package.read("xl/worksheets/sheet1.xml").decode()


@pytest.mark.parametrize("text", ["-5 degrees", "+44 20 7946 0000", "=SUM(A1:A3)", "@home"])
def test_xlsx_text_starting_like_a_formula_is_a_string_cell_exactly_as_written(text):
    entry = Entry(
        request=ChronologyRequest(agency=Agency(name="Riverside Primary School")),
        sequence=1,
        date=D(2025, 3, 1),
        description=text,
        child_voice=text,
    )
    sheet = openpyxl.load_workbook(io.BytesIO(exports.to_xlsx([entry]))).active
    for heading in ("Description", "The child's voice or lived experience"):
        cell = sheet.cell(row=2, column=exports.COLUMNS.index(heading) + 1)
        assert (cell.value, cell.data_type) == (text, "s")
    csv_row = list(csv.reader(io.StringIO(exports.to_csv([entry]).decode("utf-8-sig"))))[1]
    assert csv_row[exports.COLUMNS.index("Description")] == "'" + text


def test_xlsx_dates_and_times_are_real_cells_that_sort_by_date(client, merged, manager):
    """Sorting the Date column in Excel sorts by date, not alphabetically as "01/04" before
    "02/03" would: the cells hold dates with a UK format, times with hh:mm, numbers as
    numbers."""
    Entry.objects.filter(description="Police call").update(time=datetime.time(14, 30))
    client.force_login(manager)
    sheet = xlsx_sheet(client.get(url(merged, "merged_xlsx")))
    date_column = exports.COLUMNS.index("Date") + 1
    dates = [sheet.cell(row=r, column=date_column) for r in range(2, sheet.max_row + 1)]
    assert all(c.is_date and c.number_format == "dd/mm/yyyy" for c in dates)
    assert [c.value for c in dates] == sorted(c.value for c in dates)
    assert dates[0].value.date() == D(2025, 2, 1)
    time = sheet.cell(row=2, column=exports.COLUMNS.index("Time") + 1)
    assert (time.value, time.number_format) == (datetime.time(14, 30), "hh:mm")
    sequence = sheet.cell(row=2, column=exports.COLUMNS.index("Sequence") + 1)
    assert (sequence.value, sequence.data_type) == (1, "n")
    gaps = openpyxl.load_workbook(io.BytesIO(client.get(url(merged, "merged_xlsx")).content))[
        "Gaps in contact"
    ]
    assert [[c.value for c in row] for row in gaps.iter_rows()] == [
        list(exports.GAP_COLUMNS)
    ]  # 1 February to 1 March to 1 April: no period longer than 60 days


def test_exports_keep_the_filters(client, merged, manager, police):
    client.force_login(manager)
    response = client.get(url(merged, "merged_csv"), {"agency": [police.pk]})
    text = response.content.decode("utf-8-sig")
    assert "Police call" in text and "Café visit" not in text


def test_a_pdf_is_queued_then_rendered_with_the_marking(
    client, merged, manager, django_capture_on_commit_callbacks, monkeypatch
):
    queued = []
    monkeypatch.setattr(run_job, "delay", queued.append)
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(merged, "merged_pdf"))
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url(merged, "export_job", job_pk=job.pk)
    assert queued == [job.pk]
    waiting = client.get(response["Location"])
    assert "0% done" in waiting.content.decode()
    assert waiting["Refresh"] == "3"

    run_job(job.pk)

    job.refresh_from_db()
    assert (job.status, job.progress) == (Job.Status.DONE, 100)
    ready = client.get(url(merged, "export_job", job_pk=job.pk))
    assert "Refresh" not in ready
    assert "Download the merged chronology (PDF)" in ready.content.decode()
    download = client.get(url(merged, "export_job_file", job_pk=job.pk))
    assert download["Content-Type"] == "application/pdf"
    assert download["Cache-Control"] == "no-store"
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-layout", "-", "-"],
            input=download.content,
            capture_output=True,
            check=True,
        ).stdout.decode()
        assert "OFFICIAL-SENSITIVE" in text
        assert "Police call" in text
    else:  # pragma: no cover
        assert download.content.startswith(b"%PDF")


def test_the_pdf_jobs_progress_rises_as_each_part_is_laid_out(merged, manager, monkeypatch):
    """What the job's page shows moves on after each part of the chronology is laid out,
    instead of waiting at one figure for the whole render; the pages of the parts are numbered
    as one document."""
    monkeypatch.setattr(jobs, "PART_SIZE", 2)  # 8 entries: 4 parts
    job = Job.objects.create(kind=MERGED_PDF, about=merged, requested_by=manager)
    shown = []
    render = jobs.render_pdf_in_parts

    def watched(*args, progress, **kwargs):
        def saved(done, total):
            progress(done, total)
            shown.append(Job.objects.get(pk=job.pk).progress)

        return render(*args, progress=saved, **kwargs)

    monkeypatch.setattr(jobs, "render_pdf_in_parts", watched)
    run_job(job.pk)

    assert shown == [16, 33, 50, 66, 83, 100]
    job.refresh_from_db()
    with job.file.open("rb") as file:
        content = file.read()
    pages = (
        subprocess.run(
            ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
        )
        .stdout.decode()
        .split("\f")[:-1]
    )
    assert len(pages) >= 4
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page
        assert f"Merged chronology: {merged.reference}" in page


def test_rendering_a_job_twice_does_not_render_it_again(merged, manager, monkeypatch):
    job = Job.objects.create(kind=MERGED_PDF, about=merged, requested_by=manager)
    run_job(job.pk)
    job.refresh_from_db()
    first_file = job.file.name
    monkeypatch.setattr(
        "chronologies.jobs.render_pdf_in_parts", lambda *a, **k: pytest.fail("re-rendered")
    )
    run_job(job.pk)
    job.refresh_from_db()
    assert job.file.name == first_file


def test_the_pdf_keeps_the_filters(merged, manager, police):
    job = Job.objects.create(
        kind=MERGED_PDF, about=merged, requested_by=manager, parameters={"agency_ids": [police.pk]}
    )
    run_job(job.pk)
    job.refresh_from_db()
    with job.file.open("rb") as file:
        content = file.read()
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-", "-"], input=content, capture_output=True, check=True
        ).stdout.decode()
        assert "Police call" in text and "Café visit" not in text


def test_a_job_of_another_review_is_not_found(client, merged, manager, police):
    other = open_referral(manager, police, pseudonym="Child Q")
    job = Job.objects.create(kind=MERGED_PDF, about=other, requested_by=manager)
    client.force_login(manager)
    assert client.get(url(merged, "export_job", job_pk=job.pk)).status_code == 404
    assert client.get(url(merged, "export_job_file", job_pk=job.pk)).status_code == 404


def test_an_export_is_its_requesters_alone(client, merged, manager, panel_member):
    """The manager's export does not exist for the panel member, who reads the same merged
    chronology: an export carries the filters and the moment of whoever asked for it."""
    job = Job.objects.create(kind=MERGED_PDF, about=merged, requested_by=manager)
    run_job(job.pk)
    client.force_login(panel_member)
    assert client.get(url(merged, "export_job", job_pk=job.pk)).status_code == 404
    assert client.get(url(merged, "export_job_file", job_pk=job.pk)).status_code == 404


def test_an_export_asks_who_you_are_again_after_a_while(client, merged, manager):
    """Like the other whole-chronology exports, the download needs a recent sign-in."""
    job = Job.objects.create(kind=MERGED_PDF, about=merged, requested_by=manager)
    run_job(job.pk)
    client.force_login(manager)
    make_sign_in_old(client)
    for name in ("merged_csv", "export_job", "export_job_file"):
        kwargs = {"job_pk": job.pk} if name.startswith("export_job") else {}
        response = client.get(url(merged, name, **kwargs))
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("accounts:confirm_password")), name


def test_an_unfinished_job_has_no_file(client, merged, manager):
    job = Job.objects.create(kind=MERGED_PDF, about=merged, requested_by=manager)
    client.force_login(manager)
    assert client.get(url(merged, "export_job_file", job_pk=job.pk)).status_code == 404


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("merged_csv", "post"),
        ("merged_xlsx", "post"),
        ("merged_pdf", "get"),
        ("export_job", "post"),
        ("export_job_file", "post"),
    ],
)
def test_exports_refuse_the_wrong_method(client, merged, manager, name, method):
    job = Job.objects.create(kind=MERGED_PDF, about=merged, requested_by=manager)
    kwargs = {"job_pk": job.pk} if name.startswith("export_job") else {}
    client.force_login(manager)
    assert getattr(client, method)(url(merged, name, **kwargs)).status_code == 405


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("outsider", 404),
        ("agency_author", 404),
        ("other_agency_author", 404),
        ("partner_lead", 403),
        ("panel_member", 200),
    ],
)
def test_who_may_export(client, merged, manager, persona, status, request):
    user = request.getfixturevalue(persona)
    job = Job.objects.create(kind=MERGED_PDF, about=merged, requested_by=user)
    run_job(job.pk)
    client.force_login(user)
    for name in ("merged_csv", "merged_xlsx"):
        assert client.get(url(merged, name)).status_code == status
    assert client.get(url(merged, "export_job", job_pk=job.pk)).status_code == status
    assert client.get(url(merged, "export_job_file", job_pk=job.pk)).status_code == status
    before = Job.objects.count()
    response = client.post(url(merged, "merged_pdf"))
    assert response.status_code == (302 if status == 200 else status)
    assert Job.objects.count() == before + (1 if status == 200 else 0)
