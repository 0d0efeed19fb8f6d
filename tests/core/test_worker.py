"""A real Celery worker process takes tasks from a real Redis and writes to the test database.

Redis is the suite's REDIS_URL when it has one, otherwise the local server's spare database 15.
An unreachable Redis fails these tests: they never skip.

The worker must see the rows this test writes, and this test the rows the worker writes:
- On PostgreSQL the worker connects to the test database itself; `transactional_db` commits, so
  both processes see each other's rows.
- On SQLite the test database lives in this process's memory, which no other process can open.
  The worker gets a file copy of it instead (schema and rows, taken with SQLite's backup API just
  before the worker starts) and the test reads the worker's writes back from that file.
"""

import os
import sqlite3
import subprocess
import sys
import time
import uuid
from contextlib import closing
from urllib.parse import quote

import pytest
import redis
from django.conf import settings
from django.db import connection

from lcspr.celery import app as celery_app
from lcspr.core.models import Heartbeat, OutboundEmail
from lcspr.core.tasks import deliver_email, record_heartbeat

REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"
TIMEOUT = 30  # seconds, for the worker to start and for each task's effect to show

pytestmark = pytest.mark.worker


class WorkerDatabase:
    """The database the worker uses, and a way for the test to read what the worker wrote."""

    def __init__(self, folder):
        if connection.vendor not in ("postgresql", "sqlite"):
            pytest.fail(
                f"The worker test does not know how to share a {connection.vendor} database"
            )
        self.sqlite_path = folder / "worker.sqlite3" if connection.vendor == "sqlite" else None

    def url(self) -> str:
        """A DATABASE_URL at which another process sees the test database as it is now."""
        if self.sqlite_path is None:
            db = connection.settings_dict
            user = quote(db["USER"] or "", safe="")
            if db["PASSWORD"]:
                user += ":" + quote(db["PASSWORD"], safe="")
            host = db["HOST"] + (f":{db['PORT']}" if db["PORT"] else "")
            return f"postgres://{user}@{host}/{quote(db['NAME'], safe='')}"
        connection.ensure_connection()
        with closing(sqlite3.connect(self.sqlite_path)) as copy:
            connection.connection.backup(copy)
        return f"sqlite:///{self.sqlite_path}"

    def row(self, model, pk, *fields):
        """Those fields of one row as the worker's database holds them now; None if no row."""
        if self.sqlite_path is None:
            return model.objects.filter(pk=pk).values_list(*fields).first()
        meta = model._meta
        columns = ", ".join(f'"{meta.get_field(field).column}"' for field in fields)
        query = f'SELECT {columns} FROM "{meta.db_table}" WHERE "{meta.pk.column}" = ?'
        with closing(sqlite3.connect(self.sqlite_path, timeout=5)) as db:
            return db.execute(query, [pk]).fetchone()

    def row_where(self, model, field, value, *fields):
        """Those fields of the first row whose `field` is `value`, as the worker's database holds
        it now; None if no row."""
        if self.sqlite_path is None:
            return model.objects.filter(**{field: value}).values_list(*fields).first()
        meta = model._meta
        columns = ", ".join(f'"{meta.get_field(f).column}"' for f in fields)
        where = meta.get_field(field).column
        query = f'SELECT {columns} FROM "{meta.db_table}" WHERE "{where}" = ?'
        with closing(sqlite3.connect(self.sqlite_path, timeout=5)) as db:
            return db.execute(query, [value]).fetchone()


class Worker:
    """One `celery worker` process consuming a queue of its own. `options` and `env` add to its
    command line and environment; it may be stopped or killed and started again, and keeps the
    same database (on SQLite, the copy taken at the first start)."""

    def __init__(self, folder, queue, broker, *, redis_url=REDIS_URL, options=(), env=None):
        self.queue = queue
        self.broker = broker
        self.redis_url = redis_url
        self.options = tuple(options)
        self.env = dict(env or {})
        self.database = WorkerDatabase(folder)
        self.database_url = None
        self.log_path = folder / "worker.log"
        self.process = None

    def start(self):
        try:
            self.broker.ping()
        except redis.RedisError as exc:
            pytest.fail(f"Redis at {self.redis_url} is not reachable ({exc}); this test needs it.")
        if self.database_url is None:
            self.database_url = self.database.url()
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "lcspr.settings",
            "LCSPR_TESTING": "true",
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.redis_url,
            "CELERY_TASK_DEFAULT_QUEUE": self.queue,
            # Django's in-memory backend: delivery succeeds and nothing leaves the machine.
            "EMAIL_URL": "memorymail://",
            "PYTHONUNBUFFERED": "1",
            **self.env,
        }
        command = [
            *(sys.executable, "-m", "celery", "-A", "lcspr", "worker"),
            *("--pool", "solo", "--concurrency", "1", "-Q", self.queue),
            *("-n", f"{self.queue}@%h"),
            *("--without-heartbeat", "--without-gossip", "--without-mingle", "-l", "info"),
            *self.options,
        ]
        started = self.log().count(" ready.")
        # Appended to, so a restarted worker's log follows the first one's.
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                command, cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT
            )
        self.wait_for("the worker to be ready", lambda: self.log().count(" ready.") > started)

    def send(self, task, *args):
        """Publish through Redis explicitly: this process's own broker may be the filesystem."""
        with celery_app.connection_for_write(self.redis_url) as broker:
            task.apply_async(args=args, queue=self.queue, connection=broker)

    def wait_for(self, what, done, timeout=TIMEOUT):
        deadline = time.monotonic() + timeout
        while not done():
            if self.process.poll() is not None:
                pytest.fail(
                    f"The worker exited ({self.process.returncode}) while waiting for {what}.\n"
                    f"Worker log:\n{self.log()}"
                )
            if time.monotonic() > deadline:
                pytest.fail(f"No {what} after {timeout} s.\nWorker log:\n{self.log()}")
            time.sleep(0.2)

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()  # SIGTERM: Celery's warm shutdown
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


@pytest.fixture
def broker():
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2, socket_timeout=5)
    yield client
    client.close()


@pytest.fixture
def worker(transactional_db, tmp_path, broker):
    """A worker, not yet started (on SQLite it copies the database when it starts); always
    stopped afterwards, before the test database is flushed."""
    queue = f"lcspr-test-{uuid.uuid4().hex[:12]}"
    worker = Worker(tmp_path, queue, broker)
    try:
        yield worker
    finally:
        worker.stop()
        print(f"Worker log:\n{worker.log()}")  # pytest shows it only when the test fails
        if worker.process is not None:
            broker.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")


def test_a_worker_runs_a_task_sent_through_redis(worker):
    worker.start()

    worker.send(record_heartbeat, "worker-test")

    worker.wait_for(
        "heartbeat row", lambda: worker.database.row(Heartbeat, "worker-test", "name") is not None
    )


def test_a_worker_delivers_a_queued_email_from_the_outbox(worker):
    email = OutboundEmail.objects.create(
        kind="worker_test",
        to="someone@example.org",
        subject="A test message",
        body_text="Nothing to see here.",
    )
    worker.start()

    worker.send(deliver_email, email.pk)

    def delivered():
        return worker.database.row(OutboundEmail, email.pk, "status")[0] != "queued"

    worker.wait_for("delivery", delivered)
    status, attempts, last_error, sent_at = worker.database.row(
        OutboundEmail, email.pk, "status", "attempts", "last_error", "sent_at"
    )
    assert (status, attempts, last_error) == (OutboundEmail.Status.SENT, 1, "")
    assert sent_at is not None
