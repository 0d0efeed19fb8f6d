"""The one exception a service raises when the workflow does not allow a step."""

from django.core.exceptions import ValidationError


class WorkflowError(ValidationError):
    """A step the workflow does not allow now; the message says why (a dict of messages keyed by
    field names puts each on its field of the form)."""
