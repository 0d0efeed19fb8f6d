"""Every e-mail the product sends: one function per e-mail, text and HTML templates in
templates/emails/. Each is written to the outbox (OutboundEmail) in the caller's transaction and
delivered by a Celery task after commit, so nothing is sent for a change that rolled back and
nothing is lost when the mail server is down."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from lcspr.core.models import OutboundEmail
from lcspr.core.queueing import enqueue_on_commit


def queue_email(*, kind: str, to: str, subject: str, template: str, context: dict, recipient=None):
    """Store an e-mail in the outbox and deliver it after commit. Apps define one function per
    e-mail on top of this (e.g. chronologies/emails.py)."""
    context = {
        "PARTNERSHIP_NAME": settings.PARTNERSHIP_NAME,
        "SITE_URL": settings.SITE_URL,
        **context,
    }
    email = OutboundEmail.objects.create(
        kind=kind,
        to=to,
        recipient=recipient,
        subject=subject,
        body_text=render_to_string(f"emails/{template}.txt", context),
        body_html=render_to_string(f"emails/{template}.html", context),
    )
    from lcspr.core.tasks import deliver_email

    # A broker that is down or hung must not turn a committed change into an error page or a
    # long wait; the e-mail waits in the outbox and requeue_stale_emails queues it again.
    enqueue_on_commit(deliver_email, email.pk)
    return email


def send_password_reset(*, user, reset_path: str) -> OutboundEmail:
    """The link a user follows to choose a new password."""
    return queue_email(
        kind="password_reset",
        to=user.email,
        recipient=user,
        subject=f"Reset your password for {settings.PARTNERSHIP_SHORT_NAME} reviews",
        template="password_reset",
        context={"user": user, "reset_url": f"{settings.SITE_URL}{reset_path}"},
    )


def deliver(email_id: int) -> OutboundEmail:
    """Send one queued e-mail. Raises on a delivery failure (after recording it) so the task can
    retry; marks it failed once the last attempt has gone. A sent e-mail is never sent again."""
    failure = None
    with transaction.atomic():
        email = OutboundEmail.objects.select_for_update().get(pk=email_id)
        if email.status != OutboundEmail.Status.QUEUED:
            return email
        email.attempts += 1
        message = EmailMultiAlternatives(
            subject=email.subject,
            body=email.body_text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[email.to],
        )
        if email.body_html:
            message.attach_alternative(email.body_html, "text/html")
        try:
            message.send()
        except Exception as exc:  # noqa: BLE001 - any transport failure is retried
            failure = exc
            email.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if email.attempts >= settings.EMAIL_MAX_ATTEMPTS:
                email.status = OutboundEmail.Status.FAILED
        else:
            email.status = OutboundEmail.Status.SENT
            email.sent_at = timezone.now()
            email.last_error = ""
        email.save(update_fields=["attempts", "last_error", "status", "sent_at"])
    if failure is not None and email.status == OutboundEmail.Status.QUEUED:
        raise failure
    return email
