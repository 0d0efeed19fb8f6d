"""The kinds of background job: each app registers the function that does its work from its
AppConfig.ready(), so the platform runs jobs without importing any domain app (as the
reminders' clocks do)."""

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.core.files import File

if TYPE_CHECKING:  # the registry imports no model, so it can be imported before Django is set up
    from lcspr.core.jobs.models import Job

# progress(done, total): how far the job has got, saved for its page at once.
Progress = Callable[[int, int], None]
# fn(job, progress) -> the result file (its name is the file's name in storage), or None.
JobFunction = Callable[["Job", Progress], File | None]

_functions: dict[str, JobFunction] = {}


class UnknownJobKind(LookupError):
    """A job kind no app has registered."""


def register_job(kind: str, fn: JobFunction) -> None:
    """Make `fn` the work of jobs of `kind` ("<app>.<what>", e.g. "chronologies.merged_pdf")."""
    _functions[kind] = fn


def unregister_job(kind: str) -> None:
    """Remove a kind (tests register their own and take it away afterwards)."""
    _functions.pop(kind, None)


def job_function(kind: str) -> JobFunction:
    """The function registered for `kind`; UnknownJobKind if there is none."""
    try:
        return _functions[kind]
    except KeyError:
        raise UnknownJobKind(f"No work is registered for jobs of kind {kind!r}.") from None
