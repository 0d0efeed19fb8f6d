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
