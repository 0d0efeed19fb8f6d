"""The e-mails of the people pages, on top of the outbox in lcspr.core.emails."""

from django.conf import settings

from lcspr.core.emails import queue_email


def send_invitation(*, user, link_path: str, by):
    """The single-use link a new person follows to choose their password."""
    return queue_email(
        kind="invitation",
        to=user.email,
        recipient=user,
        subject=f"You are invited to {settings.PARTNERSHIP_SHORT_NAME} practice reviews",
        template="invitation",
        context={
            "user": user,
            "by": by,
            "link_url": f"{settings.SITE_URL}{link_path}",
            "hours": settings.ACCOUNT_LINK_HOURS,
            "two_factor": settings.TWO_FACTOR_REQUIRED,
        },
    )
