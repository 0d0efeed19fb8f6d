"""The one exception a service raises when the workflow does not allow a step."""

from django.core.exceptions import ValidationError


class WorkflowError(ValidationError):
    """A step the workflow does not allow now; the message says why (a dict of messages keyed by
    field names puts each on its field of the form)."""


class StaleEdit(WorkflowError):
    """An edit read at an older version of the record than the one saved now: someone else
    changed it meanwhile. `version` is the current one; `changes` lists, for each field they
    changed, (field name, value when the page was read, value now), so the form can show the
    person's own changes again over everyone else's."""

    def __init__(self, message: str, *, version: int, changes=()):
        super().__init__(message, code="stale")
        self.version = version
        self.changes = list(changes)
