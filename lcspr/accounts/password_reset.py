"""'Forgot your password': the page records the request and queues it, and a task decides
whether to send a link. The page does the same work whether or not the address has an account,
so neither its answer nor its timing tells anyone who has one, and the rows it records limit
how many links an address (and a client) can ask for in an hour, so nobody can flood a
colleague's inbox with valid links."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from lcspr.accounts.models import PasswordResetRequest, User
from lcspr.core import emails
from lcspr.core.queueing import enqueue_on_commit

WINDOW = timedelta(hours=1)
TOO_MANY_FROM_CLIENT = (
    "Too many password resets have been asked for from this device. Try again in an hour, "
    "or ask your partnership manager."
)


def _recent(**filters):
    since = timezone.now() - WINDOW
    return PasswordResetRequest.objects.filter(requested_at__gt=since, **filters)


@transaction.atomic
def password_reset_ask(*, email: str, address: str) -> PasswordResetRequest:
    """Record a request from `address` for `email` and queue it. Refused (with a message for
    the e-mail field) when this client has asked too often in the last hour."""
    if address and _recent(address=address).count() >= settings.PASSWORD_RESET_PER_CLIENT:
        raise ValidationError({"email": TOO_MANY_FROM_CLIENT}, code="throttled")
    asked = PasswordResetRequest.objects.create(email=email.strip().lower(), address=address)
    from lcspr.accounts.tasks import handle_password_reset

    enqueue_on_commit(handle_password_reset, asked.pk)
    return asked


@transaction.atomic
def password_reset_handle(request_id: int) -> PasswordResetRequest:
    """Send the link for one request, once: to an active account with a password, and at most
    PASSWORD_RESET_PER_ADDRESS links to one address an hour."""
    asked = PasswordResetRequest.objects.select_for_update().get(pk=request_id)
    if asked.outcome != PasswordResetRequest.Outcome.WAITING:
        return asked
    user = User.objects.filter(email__iexact=asked.email, is_active=True).first()
    sent = _recent(email=asked.email, outcome=PasswordResetRequest.Outcome.SENT).count()
    if user is None or not user.has_usable_password():
        asked.outcome = PasswordResetRequest.Outcome.NO_ACCOUNT
    elif sent >= settings.PASSWORD_RESET_PER_ADDRESS:
        asked.outcome = PasswordResetRequest.Outcome.LIMITED
    else:
        path = reverse(
            "accounts:password_reset_confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        )
        emails.send_password_reset(user=user, reset_path=path)
        asked.outcome = PasswordResetRequest.Outcome.SENT
    asked.handled_at = timezone.now()
    asked.save(update_fields=["outcome", "handled_at"])
    return asked


def password_resets_waiting(older_than=timedelta(minutes=5)) -> list[int]:
    """Requests still waiting after a while (the queue was down when they were made)."""
    cutoff = timezone.now() - older_than
    return list(
        PasswordResetRequest.objects.filter(
            outcome=PasswordResetRequest.Outcome.WAITING, requested_at__lt=cutoff
        ).values_list("pk", flat=True)
    )


def password_reset_requests_prune(older_than=timedelta(days=30)) -> int:
    """Requests are kept a month (to see a flood afterwards), then removed."""
    deleted, _ = PasswordResetRequest.objects.filter(
        requested_at__lt=timezone.now() - older_than
    ).delete()
    return deleted
