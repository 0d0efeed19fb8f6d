"""A Redis that accepts connections but never answers (a hung server, a half-open network path)
must not hang the web: the request that queues work answers as usual within seconds, its change
saved, and the work waits in the database for beat's sweep.

The fault is real: a TCP server in a thread that accepts and never replies, used as REDIS_URL by
the web app under gunicorn (a separate process, with the production settings for Redis)."""

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import closing

import pytest
from django.conf import settings
from django.urls import reverse

from lcspr.accounts.models import PasswordResetRequest
from tests.core.test_worker import WorkerDatabase
from tests.factories import UserFactory

# Well above the broker's timeouts (a second or two, lcspr/settings.py), well below gunicorn's 30.
QUICK = 8  # seconds


class SilentServer:
    """Accepts every connection and never says a word."""

    def __init__(self):
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(64)
        self.url = f"redis://127.0.0.1:{self.socket.getsockname()[1]}/0"
        self.accepted = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                conn, _ = self.socket.accept()
            except OSError:
                return
            self.accepted.append(conn)

    def close(self):
        self.socket.close()
        for conn in self.accepted:
            conn.close()


@pytest.fixture
def silent_redis():
    server = SilentServer()
    yield server
    server.close()


def free_port() -> int:
    with closing(socket.socket()) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def app_env(redis_url: str, database_url: str) -> dict:
    return {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", "/tmp"),
        "DJANGO_SETTINGS_MODULE": "lcspr.settings",
        "LCSPR_TESTING": "true",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "EMAIL_URL": "memorymail://",
        "PYTHONUNBUFFERED": "1",
    }


@pytest.fixture
def web(transactional_db, tmp_path, silent_redis):
    """The web app under gunicorn, its broker and cache the silent server."""
    database = WorkerDatabase(tmp_path)
    port = free_port()
    log_path = tmp_path / "gunicorn.log"
    command = [
        *(sys.executable, "-m", "gunicorn", "lcspr.wsgi", "--bind", f"127.0.0.1:{port}"),
        *("--workers", "1", "--timeout", "30"),
    ]
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            command,
            cwd=settings.BASE_DIR,
            env=app_env(silent_redis.url, database.url()),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(base + reverse("accounts:login"), timeout=QUICK)  # noqa: S310
            break
        except (urllib.error.URLError, ConnectionError) as exc:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"gunicorn did not start ({exc}):\n{log_path.read_text()}")
            time.sleep(0.2)
    yield base, database
    process.terminate()
    process.wait(timeout=15)
    print(f"gunicorn log:\n{log_path.read_text(errors='replace')}")


def timed(call):
    started = time.monotonic()
    result = call()
    return result, time.monotonic() - started


@pytest.fixture
def reset_user(transactional_db):
    """Made before the web server starts: on SQLite its database is a copy taken then."""
    return UserFactory(email="hung.broker@example.org")


def test_a_password_reset_answers_quickly_and_saves_its_request_when_redis_never_answers(
    reset_user, web
):
    base, database = web
    user = reset_user
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    reset = base + reverse("accounts:password_reset")
    page = opener.open(reset, timeout=QUICK).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "email": user.email}).encode()

    response, took = timed(lambda: opener.open(reset, data=form, timeout=30))

    assert took < QUICK
    assert response.status == 200
    assert response.url == base + reverse("accounts:password_reset_done")
    assert "Check your e-mail" in response.read().decode()
    # The request is saved, waiting for the catch-up to handle it.
    assert database.row_where(PasswordResetRequest, "email", user.email, "outcome") == ("waiting",)


def test_the_health_check_says_unavailable_within_seconds_when_redis_never_answers(web):
    base, _ = web

    def health():
        try:
            urllib.request.urlopen(base + reverse("core:healthz"), timeout=30)  # noqa: S310
        except urllib.error.HTTPError as error:
            return error

    response, took = timed(health)

    assert took < QUICK
    assert response.status == 503


def test_the_cache_gives_up_within_seconds_when_redis_never_answers(silent_redis, tmp_path):
    script = (
        "import time\n"
        "from django.core.cache import cache\n"
        "started = time.monotonic()\n"
        "try:\n"
        "    cache.get('anything')\n"
        "except Exception as exc:\n"
        "    print(type(exc).__name__, round(time.monotonic() - started, 1))\n"
    )
    env = app_env(silent_redis.url, f"sqlite:///{tmp_path / 'unused.sqlite3'}")

    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    error, took = result.stdout.splitlines()[-1].split()
    assert error in {"TimeoutError", "ConnectionError"}
    # The cache's own timeouts (two seconds by default), not the Redis client's five.
    assert float(took) < 4
