"""The console stays readable: an ordinary 403 or 404 is one line, a server error keeps its
traceback."""

import logging
import sys

import pytest


def _console_line(status_code: int) -> str:
    handler = next(
        h
        for h in logging.getLogger().handlers
        if any(type(f).__name__ == "NoClientErrorTracebacks" for f in h.filters)
    )
    try:
        raise PermissionError("refused")
    except PermissionError:
        record = logging.getLogger("django.request").makeRecord(
            "django.request",
            logging.WARNING,
            __file__,
            1,
            "Forbidden (Permission denied): %s",
            ("/reviews/3/",),
            sys.exc_info(),
            extra={"status_code": status_code},
        )
    assert handler.filter(record)
    return handler.format(record)


@pytest.mark.parametrize("status_code", [403, 404])
def test_a_refused_request_is_one_line_without_a_traceback(status_code):
    line = _console_line(status_code)
    assert "Forbidden (Permission denied): /reviews/3/" in line
    assert "Traceback" not in line


def test_a_server_error_keeps_its_traceback():
    assert "Traceback" in _console_line(500)
