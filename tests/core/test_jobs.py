"""Background jobs (lcspr.core.jobs): a job is queued only once its request commits, a worker
runs the function its kind registered and saves the progress it reports, then its file; a
failure is recorded with its message; a kind nobody registered is refused; a job done is not
run again; and a real worker on Redis saves the progress while the job runs."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import Http404

from lcspr.core.jobs import registry
from lcspr.core.jobs.models import Job
from lcspr.core.jobs.registry import UnknownJobKind, register_job
from lcspr.core.jobs.services import job_run, job_start
from lcspr.core.jobs.views import job_file
from lcspr.core.tasks import run_job
from tests.core.test_worker import broker, worker  # noqa: F401 - the real worker's fixtures

KIND = "test.count"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }


@pytest.fixture
def counting():
    """A kind of job that counts to its `to` parameter, noting the progress saved at each step
    as the job's page would read it, and returns a file of the count."""
    seen = []

    def count(job, progress):
        to = job.parameters["to"]
        for done in range(to + 1):
            progress(done, to)
            saved = Job.objects.get(pk=job.pk)
            seen.append((saved.status, saved.progress_done, saved.progress_total, saved.progress))
        return ContentFile(f"counted to {to}".encode(), name="count.txt")

    register_job(KIND, count)
    yield seen
    registry.unregister_job(KIND)


@pytest.fixture
def failing():
    def fail(job, progress):
        progress(1, 3)
        raise ValueError("The chronology has no accepted entries.")

    register_job("test.fail", fail)
    yield
    registry.unregister_job("test.fail")


@pytest.fixture
def queued(monkeypatch):
    sent = []
    monkeypatch.setattr(run_job, "delay", sent.append)
    return sent


def test_a_job_is_queued_when_its_request_commits(
    counting, manager, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(kind=KIND, by=manager, parameters={"to": 2})
        assert queued == []
    assert queued == [job.pk]
    job.refresh_from_db()
    assert (job.status, job.progress, job.requested_by) == (Job.Status.QUEUED, 0, manager)
    assert job.history.get().history_user == manager


def test_a_job_of_a_rolled_back_request_is_never_queued(
    counting, manager, queued, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        job_start(kind=KIND, by=manager, parameters={"to": 2})
        raise RuntimeError("the request failed after asking")
    assert queued == [] and not Job.objects.exists()


def test_a_job_is_about_the_object_it_was_asked_for(counting, manager, queued, school):
    job = job_start(kind=KIND, by=manager, parameters={"to": 1}, about=school)
    assert list(Job.objects.about(school)) == [job]
    assert Job.objects.get(pk=job.pk).about == school
    assert not Job.objects.about(manager).exists()


def test_the_progress_reported_is_saved_as_the_job_goes(counting, manager):
    job = Job.objects.create(kind=KIND, requested_by=manager, parameters={"to": 4})

    run_job(job.pk)

    running = Job.Status.RUNNING
    assert counting == [
        (running, 0, 4, 0),
        (running, 1, 4, 25),
        (running, 2, 4, 50),
        (running, 3, 4, 75),
        (running, 4, 4, 100),
    ]
    job.refresh_from_db()
    assert (job.status, job.progress, job.message) == (Job.Status.DONE, 100, "")
    assert job.started_at <= job.finished_at
    assert job_file(job) == b"counted to 4"
    assert job.file.name.startswith("jobs/")
    # Who asked is recorded on what the worker did for them: started, then done.
    history = list(job.history.order_by("history_date"))
    assert [h.status for h in history] == ["queued", "running", "done"]
    assert {h.history_user for h in history[1:]} == {manager}


def test_a_failure_is_recorded_with_its_message(failing, manager):
    job = Job.objects.create(kind="test.fail", requested_by=manager)

    with pytest.raises(ValueError):
        run_job(job.pk)

    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.message == "ValueError: The chronology has no accepted entries."
    assert (job.progress_done, job.progress_total, job.progress) == (1, 3, 33)
    assert job.finished_at is not None
    with pytest.raises(Http404):
        job_file(job)


def test_a_failed_job_run_again_starts_afresh(failing, counting, manager):
    job = Job.objects.create(kind="test.fail", requested_by=manager)
    with pytest.raises(ValueError):
        run_job(job.pk)
    Job.objects.filter(pk=job.pk).update(kind=KIND, parameters={"to": 1})

    run_job(job.pk)

    job.refresh_from_db()
    assert (job.status, job.message, job.progress) == (Job.Status.DONE, "", 100)


def test_a_kind_nobody_registered_is_refused(manager, queued):
    with pytest.raises(UnknownJobKind):
        job_start(kind="test.nobody", by=manager)
    assert not Job.objects.exists() and queued == []


def test_a_job_whose_kind_is_no_longer_registered_fails_with_a_clear_message(manager):
    job = Job.objects.create(kind="test.gone", requested_by=manager)

    with pytest.raises(UnknownJobKind):
        run_job(job.pk)

    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.message == "UnknownJobKind: No work is registered for jobs of kind 'test.gone'."


def test_a_kind_too_long_for_the_record_is_refused(manager, queued):
    register_job("test." + "x" * 60, lambda job, progress: None)
    try:
        with pytest.raises(ValidationError):
            job_start(kind="test." + "x" * 60, by=manager)
    finally:
        registry.unregister_job("test." + "x" * 60)
    assert not Job.objects.exists()


def test_a_job_done_is_not_run_again(counting, manager):
    job = Job.objects.create(kind=KIND, requested_by=manager, parameters={"to": 1})
    job_run(job.pk)
    first = Job.objects.get(pk=job.pk).file.name
    counting.clear()

    job_run(job.pk)

    assert counting == [] and Job.objects.get(pk=job.pk).file.name == first


def test_a_job_that_no_longer_exists_is_ignored(counting, db):
    job_run(987654)
    assert counting == []


def test_an_unfinished_job_has_no_file(counting, manager):
    job = Job.objects.create(kind=KIND, requested_by=manager)
    with pytest.raises(Http404):
        job_file(job)


@pytest.mark.worker
def test_a_worker_on_redis_saves_the_progress_while_the_job_runs(worker, manager, tmp_path):  # noqa: F811
    gate = tmp_path / "finish"
    job = Job.objects.create(
        kind="test.halves", requested_by=manager, parameters={"gate": str(gate)}
    )
    worker.options = ("-I", "tests.core.job_hooks")
    worker.start()

    worker.send(run_job, job.pk)

    def progress():
        return worker.database.row(Job, job.pk, "status", "progress_done", "progress_total")

    worker.wait_for("half the job done", lambda: progress() == ("running", 1, 2))
    gate.touch()
    worker.wait_for("the job done", lambda: progress()[0] != "running")
    assert progress() == ("done", 2, 2)
