import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args, env=None):
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", "/tmp"),
        **(env or {}),
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_the_app_refuses_to_run_in_production_without_a_secret_key():
    result = _manage("migrate", "--plan")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_makemigrations_check_needs_no_secret_key():
    result = _manage("makemigrations", "--check", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout


def _production_env(**extra):
    """What a production deployment sets: a long random key and its host names; DEBUG,
    SECURE_HTTPS and TWO_FACTOR_REQUIRED left to their defaults."""
    return {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "reviews.northbridge-scp.example",
        "CSRF_TRUSTED_ORIGINS": "https://reviews.northbridge-scp.example",
        **extra,
    }


def test_check_deploy_reports_nothing_with_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=_production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_fails_when_debug_is_on_in_production():
    result = _manage(
        "check", "--deploy", "--fail-level", "WARNING", env=_production_env(DEBUG="true")
    )
    assert result.returncode != 0
    assert "security.W018" in result.stderr


def test_production_defaults_are_the_safe_ones():
    code = (
        "from django.conf import settings as s; print(s.DEBUG, s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.SECURE_SSL_REDIRECT, "
        "s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.TWO_FACTOR_REQUIRED)"
    )
    result = _manage("shell", "-c", code, env=_production_env())
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == [
        "False",
        "True",
        "True",
        "True",
        "True",
        "31536000",
        "True",
        "True",
    ]


def _setting(name, env):
    result = _manage(
        "shell", "-c", f"from django.conf import settings; print(settings.{name})", env=env
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_the_e_mail_links_follow_the_port_the_app_runs_on():
    assert _setting("SITE_URL", {"DEBUG": "true"}) == "http://127.0.0.1:8000"
    assert _setting("SITE_URL", {"DEBUG": "true", "PORT": "8123"}) == "http://127.0.0.1:8123"
    site = "https://reviews.northbridge-scp.example"
    assert _setting("SITE_URL", {"DEBUG": "true", "PORT": "8123", "SITE_URL": site}) == site


def test_postgresql_connections_run_without_jit_unless_asked():
    """PostgreSQL's JIT compiled the home page's queue query for 3 s to run it in 11 ms
    (docs/performance.md): every connection turns it off, DATABASE_JIT=true keeps it."""
    url = "postgres://lcspr:secret@db.example:5432/lcspr?options=-c%20statement_timeout%3D5000"
    name = "DATABASES['default']['OPTIONS']['options']"
    assert _setting(name, _production_env(DATABASE_URL=url)) == (
        "-c statement_timeout=5000 -c jit=off"
    )
    kept = _setting(name, _production_env(DATABASE_URL=url, DATABASE_JIT="true"))
    assert kept == "-c statement_timeout=5000"
