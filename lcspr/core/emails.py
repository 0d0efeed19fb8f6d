"""Every e-mail the product sends: one function per e-mail, text and HTML templates in
templates/emails/. Each is written to the outbox (OutboundEmail) in the caller's transaction and
delivered by a Celery task after commit, so nothing is sent for a change that rolled back and
nothing is lost when the mail server is down."""

import datetime
from email.utils import make_msgid

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


def send_two_factor_link(*, user, link_path: str, by=None) -> OutboundEmail:
    """The single-use link a person follows to set up their authenticator app."""
    return queue_email(
        kind="two_factor_link",
        to=user.email,
        recipient=user,
        subject=f"Set up two-factor authentication for {settings.PARTNERSHIP_SHORT_NAME} reviews",
        template="two_factor_link",
        context={
            "user": user,
            "link_url": f"{settings.SITE_URL}{link_path}",
            "by": by,
            "hours": settings.ACCOUNT_LINK_HOURS,
        },
    )


def deliver(email_id: int) -> OutboundEmail:
    """Send one queued e-mail. The attempt is recorded and committed first (status "sending",
    its time and a Message-ID kept for the row), then the mail server is spoken to. Raises on a
    delivery failure (after recording it) so the task can retry; marks it failed once the last
    attempt has gone. A sent e-mail is never sent again; one left "sending" by a crash is sent
    once more, with the same Message-ID, after EMAIL_SENDING_STALE_MINUTES (ADR 0014)."""
    email, go = _start_attempt(email_id)
    if not go:
        return email
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to],
        headers={"Message-ID": email.message_id},
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    try:
        message.send()
    except Exception as exc:  # noqa: BLE001 - any transport failure is retried
        _finish_attempt(email, exc)
        if email.status == OutboundEmail.Status.QUEUED:
            raise
        return email
    _finish_attempt(email, None)
    return email


def _interrupted(email: OutboundEmail) -> bool:
    stale = timezone.now() - datetime.timedelta(minutes=settings.EMAIL_SENDING_STALE_MINUTES)
    return email.attempted_at is None or email.attempted_at <= stale


@transaction.atomic
def _start_attempt(email_id: int) -> tuple[OutboundEmail, bool]:
    """Claim the e-mail for one attempt, committed before anything is sent; (email, False)
    when there is nothing to send now."""
    email = OutboundEmail.objects.select_for_update().get(pk=email_id)
    if email.status == OutboundEmail.Status.SENDING:
        if not _interrupted(email):
            return email, False  # another worker is sending it now
        if email.resent_after_interruption:
            email.status = OutboundEmail.Status.FAILED
            email.last_error = (
                "Sending was interrupted twice (the worker stopped mid-send). It may have "
                "arrived; it is not sent a third time."
            )
            email.save(update_fields=["status", "last_error"])
            return email, False
        email.resent_after_interruption = True
    elif email.status != OutboundEmail.Status.QUEUED:
        return email, False
    email.status = OutboundEmail.Status.SENDING
    email.attempts += 1
    email.attempted_at = timezone.now()
    if not email.message_id:
        domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or None
        email.message_id = make_msgid(idstring=f"lcspr-outbox-{email.pk}", domain=domain)
    email.save(
        update_fields=[
            "status",
            "attempts",
            "attempted_at",
            "message_id",
            "resent_after_interruption",
        ]
    )
    return email, True


def _finish_attempt(email: OutboundEmail, failure: Exception | None) -> None:
    """Record how the attempt ended: sent, queued for a retry, or failed after the last one."""
    if failure is None:
        email.status = OutboundEmail.Status.SENT
        email.sent_at = timezone.now()
        email.last_error = ""
    else:
        email.last_error = f"{type(failure).__name__}: {failure}"[:2000]
        over = email.attempts >= settings.EMAIL_MAX_ATTEMPTS
        email.status = OutboundEmail.Status.FAILED if over else OutboundEmail.Status.QUEUED
    email.save(update_fields=["status", "sent_at", "last_error"])
