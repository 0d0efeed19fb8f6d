"""The panel's e-mails to people who are not users: no case detail beyond the review's reference
and pseudonym, and no link into the service (practitioners have no access to it)."""

from lcspr.core.emails import queue_email
from lcspr.core.text import long_date


def send_practitioner_invitation(*, practitioner):
    """Send an invited practitioner the event's date and its scope, before the event."""
    event = practitioner.event
    review = event.review
    return queue_email(
        kind="practitioner_invitation",
        to=practitioner.email,
        subject=f"{event.get_format_display()} on {long_date(event.held_on)} for the practice "
        f"review {review.reference}",
        template="practitioner_invitation",
        context={
            "practitioner": practitioner,
            "event": event,
            "held_on": long_date(event.held_on),
            "reference": review.reference,
            "pseudonym": review.pseudonym,
        },
    )
