"""Reminders are sent once and never lost, with a real Celery worker on a real Redis:

- the daily scan run twice sends one reminder;
- a worker killed (SIGKILL) in the middle of sending an e-mail leads to that e-mail being sent
  exactly once, whether the pool replaces the killed process (acks_late with
  reject_on_worker_lost) or the whole worker dies and is started again;
- with Redis down the web app keeps answering and /healthz reports the broker unavailable, and
  when Redis is back the catch-up scan sends the day's reminders.

Each test runs its own redis-server on a free port, so it can stop and start it, and nothing
is left behind in a shared Redis. The worker loads tests/reminders/worker_hooks.py: a test-only
reminder clock and, where asked, an e-mail send that hangs the first time.
"""

import os
import re
import signal
import socket
import sqlite3
import subprocess
import time
import uuid
from contextlib import closing

import pytest
import redis
from django.urls import reverse
from kombu.exceptions import OperationalError

from lcspr.celery import app as celery_app
from lcspr.core.models import OutboundEmail
from lcspr.core.tasks import deliver_email, requeue_stale_emails
from lcspr.notifications.models import InAppNotification
from lcspr.reminders.models import ScanRun, SentReminder
from lcspr.reminders.tasks import catch_up_scan, scan_reminders
from tests.core.test_worker import Worker
from tests.factories import UserFactory

pytestmark = pytest.mark.worker

HOOKS = ("-I", "tests.reminders.worker_hooks")
# The worker's test clock has one item due today for the user with this address.
WORKER_CLOCK_EMAIL = "worker-clock@example.org"


def finished(worker, task) -> list[str]:
    """The results of the runs of `task` the worker has finished, from its log."""
    return re.findall(rf"{task.name}\[[^\]]+\] succeeded in [\d.]+s: (\S+)", worker.log())


class PrivateRedis:
    """A redis-server of the test's own, on a free port, with nothing kept on disk."""

    def __init__(self, folder):
        with closing(socket.socket()) as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.folder = folder
        self.process = None
        self.client = redis.Redis.from_url(self.url, socket_connect_timeout=2, socket_timeout=5)

    def start(self):
        command = [
            *("redis-server", "--port", str(self.port), "--bind", "127.0.0.1"),
            *("--save", "", "--appendonly", "no", "--dir", str(self.folder)),
        ]
        try:
            self.process = subprocess.Popen(
                command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
            )
        except FileNotFoundError:
            pytest.fail("redis-server is not installed; these tests need it (apt-get install it).")
        deadline = time.monotonic() + 10
        while True:
            try:
                self.client.ping()
                return
            except redis.RedisError:
                if time.monotonic() > deadline:
                    pytest.fail(f"redis-server on port {self.port} did not start")
                time.sleep(0.1)

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.client.connection_pool.disconnect()


@pytest.fixture
def private_redis(tmp_path):
    server = PrivateRedis(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def mail_folder(tmp_path):
    folder = tmp_path / "sent-mail"
    folder.mkdir()
    return folder


def make_worker(tmp_path, private_redis, mail_folder, *, pool="solo", hang=False):
    env = {"EMAIL_URL": f"filemail:///{mail_folder}", "LCSPR_TEST_CLOCK_EMAIL": WORKER_CLOCK_EMAIL}
    if hang:
        env["LCSPR_TEST_HANG_FIRST_SEND"] = str(tmp_path)
        # The interrupted attempt counts as interrupted at once, not after ten minutes.
        env["EMAIL_SENDING_STALE_MINUTES"] = "0"
    queue = f"lcspr-test-{uuid.uuid4().hex[:12]}"
    options = (*HOOKS, "--pool", pool) if pool != "solo" else HOOKS
    return Worker(
        tmp_path,
        queue,
        private_redis.client,
        redis_url=private_redis.url,
        options=options,
        env=env,
    )


@pytest.fixture
def worker_factory(transactional_db, tmp_path, private_redis, mail_folder):
    """Makes the test's worker (not started); always stopped afterwards."""
    made = []

    def factory(**kwargs):
        worker = make_worker(tmp_path, private_redis, mail_folder, **kwargs)
        made.append(worker)
        return worker

    yield factory
    for worker in made:
        worker.stop()
        print(f"Worker log:\n{worker.log()}")  # pytest shows it only when the test fails


def count(worker, model, **where) -> int:
    """How many rows of `model` the worker's database holds (equality filters on columns)."""
    if worker.database.sqlite_path is None:
        return model.objects.filter(**where).count()
    meta = model._meta
    conditions = " AND ".join(f'"{meta.get_field(name).column}" = ?' for name in where)
    query = f'SELECT COUNT(*) FROM "{meta.db_table}"' + (f" WHERE {conditions}" if where else "")
    with closing(sqlite3.connect(worker.database.sqlite_path, timeout=5)) as db:
        return db.execute(query, list(where.values())).fetchone()[0]


def messages_sent(mail_folder) -> int:
    """Messages Django's file e-mail backend wrote (one file per connection, each message in it
    starts with its Subject header)."""
    return sum(
        path.read_text(errors="replace").count("\nSubject: ") for path in mail_folder.iterdir()
    )


def email_status(worker, email_id):
    return worker.database.row(OutboundEmail, email_id, "status", "attempts")


def message_id_sent(worker, email, mail_folder) -> bool:
    """The message in the folder carries the Message-ID the outbox row recorded."""
    (message_id,) = worker.database.row(OutboundEmail, email.pk, "message_id")
    sent = "".join(path.read_text(errors="replace") for path in mail_folder.iterdir())
    # A long header is folded onto the next line.
    return (
        bool(message_id) and re.search(rf"Message-ID:\s+{re.escape(message_id)}", sent) is not None
    )


def queued_email():
    return OutboundEmail.objects.create(
        kind="worker_test",
        to="someone@example.org",
        subject="A test message",
        body_text="Nothing to see here.",
    )


def test_the_daily_scan_run_twice_by_the_worker_sends_one_reminder(worker_factory, mail_folder):
    UserFactory(full_name="Wendy Worker", email=WORKER_CLOCK_EMAIL)
    worker = worker_factory()
    worker.start()

    worker.send(scan_reminders)
    worker.send(scan_reminders)  # beat fired twice, or a second beat was started by mistake

    worker.wait_for("two scans", lambda: len(finished(worker, scan_reminders)) == 2)
    assert sorted(finished(worker, scan_reminders)) == ["0", "1"]  # the second sent nothing
    assert count(worker, ScanRun, runs=2, errors="") == 1
    assert count(worker, SentReminder) == 1
    assert count(worker, InAppNotification) == 1
    assert count(worker, OutboundEmail, kind="reminder") == 1
    # The reminder's e-mail was enqueued after the scan committed, and delivered once.
    worker.wait_for("the reminder e-mail", lambda: count(worker, OutboundEmail, status="sent") == 1)
    assert messages_sent(mail_folder) == 1


def test_a_pool_process_killed_while_sending_leads_to_one_e_mail(
    worker_factory, tmp_path, mail_folder
):
    email = queued_email()
    worker = worker_factory(pool="prefork", hang=True)
    worker.start()

    worker.send(deliver_email, email.pk)
    marker = tmp_path / "sending.pid"
    worker.wait_for("the send to start", marker.exists)
    time.sleep(0.2)  # the pid is written before the file is closed
    os.kill(int(marker.read_text()), signal.SIGKILL)

    # The worker's main process sees its pool process lost and puts the task back (acks_late,
    # reject_on_worker_lost); a new pool process finds the attempt interrupted and sends it
    # once more, with the Message-ID the first attempt recorded.
    worker.wait_for("delivery", lambda: email_status(worker, email.pk)[0] == "sent")
    assert email_status(worker, email.pk) == ("sent", 2)
    assert messages_sent(mail_folder) == 1
    assert message_id_sent(worker, email, mail_folder)
    assert "WorkerLostError" in worker.log()


def test_a_worker_killed_while_sending_and_started_again_sends_the_e_mail_once(
    worker_factory, tmp_path, mail_folder
):
    email = queued_email()
    worker = worker_factory(hang=True)
    worker.start()
    worker.send(deliver_email, email.pk)
    worker.wait_for("the send to start", (tmp_path / "sending.pid").exists)

    worker.process.send_signal(signal.SIGKILL)  # the whole worker dies mid-task
    worker.process.wait(timeout=10)
    # The attempt was recorded before the mail server was spoken to.
    assert email_status(worker, email.pk) == ("sending", 1)
    worker.start()

    # Redis gives an unacknowledged message back only after its visibility timeout (an hour);
    # meanwhile the outbox sweep (beat, every ten minutes) enqueues the e-mail again.
    worker.send(requeue_stale_emails, 0)
    worker.wait_for("delivery", lambda: email_status(worker, email.pk)[0] == "sent")
    # Then the original message comes back after the visibility timeout: it sends nothing.
    worker.send(deliver_email, email.pk)
    worker.wait_for("the second delivery", lambda: len(finished(worker, deliver_email)) == 2)
    assert email_status(worker, email.pk) == ("sent", 2)
    assert messages_sent(mail_folder) == 1
    assert message_id_sent(worker, email, mail_folder)


def test_with_redis_down_the_site_works_and_the_day_s_reminders_go_when_it_returns(
    worker_factory, private_redis, mail_folder, client, settings, manager
):
    UserFactory(full_name="Wendy Worker", email=WORKER_CLOCK_EMAIL)
    worker = worker_factory()
    worker.start()

    private_redis.stop()

    # Beat's daily scan cannot even be queued: that day's scan is missed.
    with (
        pytest.raises(OperationalError),
        celery_app.connection_for_write(private_redis.url, connect_timeout=1) as broker,
    ):
        scan_reminders.apply_async(connection=broker, queue=worker.queue, retry=False)
    # The web app keeps working, and says the broker is unavailable.
    settings.REDIS_URL = private_redis.url
    health = client.get(reverse("core:healthz"))
    assert health.status_code == 503
    assert health.json()["broker"] != "ok" and health.json()["database"] == "ok"
    client.force_login(manager)
    assert client.get(reverse("notifications:list")).status_code == 200
    assert client.get(reverse("reminders:due")).status_code == 200

    private_redis.start()
    assert client.get(reverse("core:healthz")).json()["broker"] == "ok"

    # Beat's catch-up, every ten minutes, finds no scan for the day and runs it.
    worker.send(catch_up_scan)
    worker.wait_for(
        "the caught-up scan",
        lambda: count(worker, ScanRun, errors="") == 1 and count(worker, SentReminder) == 1,
        timeout=90,  # the worker reconnects to Redis with a growing back-off
    )
    worker.wait_for("the reminder e-mail", lambda: count(worker, OutboundEmail, status="sent") == 1)
    assert messages_sent(mail_folder) == 1
