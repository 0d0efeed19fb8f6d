"""The chronology e-mails: no case detail beyond the reference and pseudonym, and a link."""

from django.conf import settings
from django.urls import reverse

from lcspr.accounts.models import Role, User
from lcspr.core.emails import queue_email
from lcspr.core.text import long_date
from lcspr.notifications.services import step_waiting_notify


def _representatives(agency):
    return User.objects.filter(
        agency=agency,
        is_active=True,
        role_assignments__role=Role.AGENCY_REPRESENTATIVE,
    ).distinct()


def tell_chronology_requested(*, request) -> None:
    """The same news in each representative's notification centre (the e-mail above is theirs
    already)."""
    step_waiting_notify(
        recipients=_representatives(request.agency),
        title="Your agency is asked for a chronology",
        review_label=f"{request.review.reference} ({request.review.pseudonym})",
        url=reverse("chronologies:request", kwargs={"pk": request.pk}),
        email=False,
    )


def send_chronology_requested(*, request) -> int:
    """Tell each of the agency's representatives that a chronology has been asked for."""
    reps = _representatives(request.agency)
    path = reverse("chronologies:request", kwargs={"pk": request.pk})
    for rep in reps:
        queue_email(
            kind="chronology_requested",
            to=rep.email,
            recipient=rep,
            subject=f"Chronology requested for {request.review.reference} by "
            f"{long_date(request.due_date)}",
            template="chronology_requested",
            context={
                "user": rep,
                "request": request,
                "reference": request.review.reference,
                "pseudonym": request.review.pseudonym,
                "due": long_date(request.due_date),
                "url": f"{settings.SITE_URL}{path}",
            },
        )
    return len(reps)
