"""Logging that keeps the console readable."""

import logging


class NoClientErrorTracebacks(logging.Filter):
    """Django logs a refused request (403, 404: the user's request, not a fault) with the
    exception that refused it; the one line "Forbidden: /reviews/3/" says all there is. Server
    errors (5xx) keep their traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if status is not None and status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
