"""A large Executive Partnership report is prepared by a worker: the report link offers to
prepare it, the job page shows its progress and then the download; only the person who asked
sees the job; the worker's task writes the PDF and is safe to run twice."""

import subprocess

import pytest
from django.urls import reverse

from actions import reports
from actions.jobs import EXECUTIVE_REPORT
from lcspr.access_log.models import AccessLog
from lcspr.core.jobs.models import Job
from lcspr.core.tasks import run_job
from tests.actions.conftest import dash_grow

EXECUTIVE_PDF = reverse("actions:executive_report_pdf")
NEW_JOB = reverse("actions:executive_report_job_new")


def job_url(job, name="actions:executive_report_job"):
    return reverse(name, kwargs={"job_pk": job.pk})


@pytest.fixture
def many_actions(manager, school, police, dash_themes):
    """More actions than the report renders at once (the limit is lowered to 5 below)."""
    return dash_grow(manager, [school, police], dash_themes, reviews=2, per_review=6)


@pytest.fixture(autouse=True)
def small_limit(monkeypatch):
    monkeypatch.setattr(reports, "SYNC_REPORT_LIMIT", 5)


@pytest.fixture
def queued(monkeypatch):
    """The tasks the views queue, kept instead of sent to a worker."""
    sent = []
    monkeypatch.setattr(run_job, "delay", sent.append)
    return sent


def test_a_large_report_is_offered_for_preparation_with_its_filters(
    client, many_actions, subgroup_member, police
):
    client.force_login(subgroup_member)
    response = client.get(EXECUTIVE_PDF, {"agency": police.pk})
    html = response.content.decode()
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert "The report lists 6 actions." in html
    assert "Prepare the report (PDF)" in html
    assert f'name="query" value="agency={police.pk}"' in html


def test_a_small_report_still_downloads_at_once(client, many_actions, subgroup_member, school):
    client.force_login(subgroup_member)
    response = client.get(EXECUTIVE_PDF, {"agency": school.pk, "status": "not_started"})
    assert response["Content-Type"] == "application/pdf"


def test_preparing_the_report_shows_its_progress_then_the_download(
    client, many_actions, subgroup_member, police, queued, django_capture_on_commit_callbacks
):
    client.force_login(subgroup_member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(NEW_JOB, {"query": f"agency={police.pk}"})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == job_url(job)
    assert queued == [job.pk] and job.parameters["query"] == f"agency={police.pk}"

    waiting = client.get(job_url(job))
    assert waiting["Refresh"] == "3"
    assert "Waiting to start: 0% done." in waiting.content.decode()

    run_job(job.pk)
    ready = client.get(job_url(job))
    assert "Refresh" not in ready and "Your report is ready" in ready.content.decode()
    download = client.get(job_url(job, "actions:executive_report_job_file"))
    assert download["Content-Type"] == "application/pdf"
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=download.content, capture_output=True, check=True
    ).stdout.decode()
    assert "Northbridge Constabulary" in text and "Riverside Primary School" not in text
    assert AccessLog.objects.filter(
        user=subgroup_member, what="Action plans Executive report (PDF)"
    ).exists()


def test_running_the_task_twice_renders_once(many_actions, subgroup_member):
    job = Job.objects.create(kind=EXECUTIVE_REPORT, requested_by=subgroup_member)
    run_job(job.pk)
    first = Job.objects.get(pk=job.pk).file.name
    run_job(job.pk)
    job.refresh_from_db()
    assert job.status == "done" and job.progress == 100 and job.file.name == first


def test_a_job_of_someone_no_longer_allowed_fails_with_a_reason(many_actions, outsider):
    job = Job.objects.create(kind=EXECUTIVE_REPORT, requested_by=outsider)
    with pytest.raises(PermissionError):
        run_job(job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and "may no longer see" in job.message


def test_someone_elses_job_does_not_exist_for_you(
    client, many_actions, subgroup_member, executive_member
):
    job = Job.objects.create(kind=EXECUTIVE_REPORT, requested_by=executive_member)
    run_job(job.pk)
    client.force_login(subgroup_member)
    assert client.get(job_url(job)).status_code == 404
    assert client.get(job_url(job, "actions:executive_report_job_file")).status_code == 404


def test_a_file_not_ready_is_not_found(client, subgroup_member):
    job = Job.objects.create(kind=EXECUTIVE_REPORT, requested_by=subgroup_member)
    client.force_login(subgroup_member)
    assert client.get(job_url(job, "actions:executive_report_job_file")).status_code == 404


def test_those_who_do_not_oversee_learning_are_refused(
    client, agency_author, outsider, subgroup_member
):
    job = Job.objects.create(kind=EXECUTIVE_REPORT, requested_by=subgroup_member)
    for user in (agency_author, outsider):
        client.force_login(user)
        assert client.post(NEW_JOB, {"query": ""}).status_code == 403
        assert client.get(job_url(job)).status_code == 403
    assert Job.objects.count() == 1


def test_the_job_pages_answer_only_their_method(client, subgroup_member):
    job = Job.objects.create(kind=EXECUTIVE_REPORT, requested_by=subgroup_member)
    client.force_login(subgroup_member)
    assert client.get(NEW_JOB).status_code == 405
    assert client.post(job_url(job)).status_code == 405
    assert client.post(job_url(job, "actions:executive_report_job_file")).status_code == 405


# --- A long report: in full, in parts, or as a summary -------------------------------------------


def pdf_reader(content: bytes):
    import io

    from pypdf import PdfReader

    return PdfReader(io.BytesIO(content))


def test_a_long_report_offers_a_summary_as_well_as_the_full_report(
    client, many_actions, subgroup_member, monkeypatch
):
    client.force_login(subgroup_member)
    html = client.get(EXECUTIVE_PDF).content.decode()
    assert 'name="report"' not in html.split('name="query"')[1].split("</form>")[0].replace(
        'type="hidden" name="report"', ""
    )

    monkeypatch.setattr(reports, "SUMMARY_OFFERED_ABOVE", 10)
    html = client.get(EXECUTIVE_PDF).content.decode()
    assert "Which report do you want?" in html
    assert 'type="radio" value="summary"' in html
    assert 'value="full" checked' in html


def test_asking_for_the_summary_prepares_the_summary(
    client, many_actions, subgroup_member, queued, django_capture_on_commit_callbacks
):
    client.force_login(subgroup_member)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(NEW_JOB, {"query": "", "report": "summary"})
    job = Job.objects.get()
    assert job.parameters["form"] == "summary"

    run_job(job.pk)
    job.refresh_from_db()
    text = "".join(page.extract_text() for page in pdf_reader(job.file.read()).pages)
    assert "report to the Executive Partnership (summary)" in text
    assert "Actions by review" in text and "Actions by lead agency" in text
    # The totals: 12 actions in all, each review's 6 listed on its own row.
    assert "Actions 12" in text or "Actions\n12" in text
    for review in {a.review for a in many_actions}:
        assert review.reference in text


def test_a_report_form_that_does_not_exist_is_refused(client, many_actions, subgroup_member):
    client.force_login(subgroup_member)
    response = client.post(NEW_JOB, {"query": "", "report": "everything"}, follow=True)
    assert "Select the full report or a summary" in response.content.decode()
    assert not Job.objects.exists()


def test_the_full_report_is_laid_out_in_parts_numbered_as_one_document(
    many_actions, subgroup_member, monkeypatch
):
    """Parts of 4 actions (whole reviews: here one review of 6 a part): the pages are numbered
    on across the parts, the running header is on every page, the totals come once, first,
    and every action is in it."""
    monkeypatch.setattr(reports, "PART_SIZE", 4)
    seen = []
    pdf = reports.executive_report_pdf(
        subgroup_member, "", progress=lambda done, total: seen.append((done, total))
    )

    pages = [page.extract_text() for page in pdf_reader(pdf).pages]
    assert len(pages) >= 2
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text
        assert "Action plans: report to the Executive Partnership" in text
    whole = " ".join(" ".join(pages).split())  # cells wrap over lines
    assert whole.count("Actions by status") == 1 and "Actions by status" in pages[0]
    assert all(action.text in whole for action in many_actions)
    assert seen[0] == (0, 4) and seen[-1] == (2, 4)  # 12 actions: 3 steps of 4 and the end
