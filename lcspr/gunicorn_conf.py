"""gunicorn's settings, from the environment (`gunicorn -c python:lcspr.gunicorn_conf lcspr.wsgi`).

Every long job (imports, PDFs, the executive report, e-mail) runs in the background worker, so a
web request is short; the timeout is a safety net well above the slowest page measured in
docs/performance.md, never a limit a user's request should meet.

- `PORT` (8000): the port to listen on, on every interface.
- `GUNICORN_WORKERS` (or gunicorn's own `WEB_CONCURRENCY`): processes; by default two per CPU
  plus one, at most 9.
- `GUNICORN_THREADS` (4): threads per process; each thread may hold a database connection, so
  PostgreSQL's `max_connections` must exceed workers × threads × the number of web containers.
- `GUNICORN_TIMEOUT` (120): seconds a request may take before its process is restarted.
- `GUNICORN_GRACEFUL_TIMEOUT` (30): seconds a stopping process has to finish its requests."""

import multiprocessing
import os


def _number(name: str, default: int, *, minimum: int = 1) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SystemExit(f"{name} must be a whole number, not {raw!r}") from None
    if value < minimum:
        raise SystemExit(f"{name} must be at least {minimum}, not {value}")
    return value


bind = f"0.0.0.0:{_number('PORT', 8000)}"
workers = _number(
    "GUNICORN_WORKERS",
    _number("WEB_CONCURRENCY", min(multiprocessing.cpu_count() * 2 + 1, 9)),
)
threads = _number("GUNICORN_THREADS", 4)
worker_class = "gthread"
timeout = _number("GUNICORN_TIMEOUT", 120)
graceful_timeout = _number("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = 5
accesslog = "-"
