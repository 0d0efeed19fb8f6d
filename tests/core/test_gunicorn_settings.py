"""The web server's settings come from the environment, as the README says, and a mistyped value
stops gunicorn with a message naming the setting rather than starting with a surprise."""

import os
import subprocess
import sys
from pathlib import Path

GUNICORN = Path(sys.executable).with_name("gunicorn")


def _resolved(**env) -> tuple[int, dict[str, str]]:
    """gunicorn's resolved settings with `env` set (a None value unsets the variable)."""
    environment = {**os.environ, **env}
    environment = {name: value for name, value in environment.items() if value is not None}
    result = subprocess.run(
        [str(GUNICORN), "-c", "python:lcspr.gunicorn_conf", "--print-config", "lcspr.wsgi"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    settings = {}
    for line in result.stdout.splitlines():
        name, _, value = line.partition("=")
        settings[name.strip()] = value.strip()
    return result.returncode, settings | {"stderr": result.stderr}


def test_the_defaults_leave_room_for_any_web_request():
    code, settings = _resolved(
        GUNICORN_TIMEOUT=None, GUNICORN_WORKERS=None, GUNICORN_THREADS=None, WEB_CONCURRENCY=None
    )
    assert code == 0, settings["stderr"]
    assert settings["timeout"] == "120"
    assert settings["worker_class"] == "gthread"
    assert settings["threads"] == "4"
    assert int(settings["workers"]) >= 3


def test_workers_threads_and_timeout_follow_the_environment():
    code, settings = _resolved(
        GUNICORN_WORKERS="2", GUNICORN_THREADS="8", GUNICORN_TIMEOUT="300", PORT="8123"
    )
    assert code == 0, settings["stderr"]
    assert (settings["workers"], settings["threads"], settings["timeout"]) == ("2", "8", "300")
    assert settings["bind"] == "['0.0.0.0:8123']"


def test_a_mistyped_value_names_the_setting():
    code, settings = _resolved(GUNICORN_TIMEOUT="two minutes")
    assert code != 0
    assert "GUNICORN_TIMEOUT must be a whole number, not 'two minutes'" in settings["stderr"]
