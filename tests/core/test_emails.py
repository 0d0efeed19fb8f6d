"""The e-mail outbox: stored in the caller's transaction, delivered after commit, once."""

from smtplib import SMTPException

import pytest
from celery.exceptions import Retry
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction

from lcspr.celery import app as celery_app
from lcspr.core import emails
from lcspr.core.models import OutboundEmail
from lcspr.core.tasks import deliver_email
from tests.factories import UserFactory

RESET_PATH = "/account/reset/MQ/abc-123/"


class SMTPServerDownBackend(BaseEmailBackend):
    """Stands in for an SMTP server that refuses every message."""

    def send_messages(self, email_messages):
        raise SMTPException("421 Service not available")


FAILING_BACKEND = f"{__name__}.SMTPServerDownBackend"


@pytest.fixture
def user(db):
    return UserFactory(full_name="Siobhan O'Brien", email="siobhan@example.org")


@pytest.fixture
def queued_email(user):
    # The test's transaction never commits, so the on-commit hook never enqueues anything: the
    # tests call deliver() themselves, as the task would.
    return emails.send_password_reset(user=user, reset_path=RESET_PATH)


def test_a_password_reset_is_stored_in_the_outbox_with_text_and_html(
    user, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        email = emails.send_password_reset(user=user, reset_path=RESET_PATH)

    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.QUEUED
    assert email.kind == "password_reset"
    assert email.to == "siobhan@example.org"
    assert email.recipient == user
    assert email.subject == f"Reset your password for {settings.PARTNERSHIP_SHORT_NAME} reviews"
    link = f"{settings.SITE_URL}{RESET_PATH}"
    assert link in email.body_text
    assert f'href="{link}"' in email.body_html
    for body in (email.body_text, email.body_html):
        assert settings.PARTNERSHIP_NAME in body
        assert "If you did not ask for this, you can ignore this e-mail" in body
    # The plain-text part is not HTML-escaped; the HTML part is.
    assert "Hello Siobhan O'Brien," in email.body_text
    assert "Siobhan O&#x27;Brien" in email.body_html
    assert len(callbacks) == 1


def test_the_task_delivers_the_email_once_the_transaction_commits(
    user, mailoutbox, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)

    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            email = emails.send_password_reset(user=user, reset_path=RESET_PATH)
        assert mailoutbox == []

    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT
    assert [message.to for message in mailoutbox] == [["siobhan@example.org"]]


def test_nothing_is_queued_or_sent_when_the_transaction_rolls_back(
    user, mailoutbox, django_capture_on_commit_callbacks
):
    class Abandoned(Exception):
        pass

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Abandoned),
        transaction.atomic(),
    ):
        emails.send_password_reset(user=user, reset_path=RESET_PATH)
        raise Abandoned

    assert callbacks == []
    assert not OutboundEmail.objects.exists()
    assert mailoutbox == []


def test_deliver_sends_the_email_exactly_once_even_if_called_twice(
    queued_email, mailoutbox, settings
):
    emails.deliver(queued_email.pk)
    email = emails.deliver(queued_email.pk)

    assert email.status == OutboundEmail.Status.SENT
    assert email.sent_at is not None
    assert email.attempts == 1
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["siobhan@example.org"]
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    assert message.subject == queued_email.subject
    assert message.body == queued_email.body_text
    assert message.alternatives[0][0] == queued_email.body_html
    assert message.alternatives[0][1] == "text/html"


def test_a_failed_delivery_is_recorded_and_raised_so_the_task_retries(queued_email, settings):
    settings.EMAIL_BACKEND = FAILING_BACKEND
    settings.EMAIL_MAX_ATTEMPTS = 3

    with pytest.raises(SMTPException):
        emails.deliver(queued_email.pk)

    queued_email.refresh_from_db()
    assert queued_email.status == OutboundEmail.Status.QUEUED
    assert queued_email.attempts == 1
    assert queued_email.last_error == "SMTPException: 421 Service not available"
    assert queued_email.sent_at is None


def test_after_the_last_attempt_the_email_is_marked_failed_and_retries_stop(queued_email, settings):
    settings.EMAIL_BACKEND = FAILING_BACKEND
    settings.EMAIL_MAX_ATTEMPTS = 3

    for _ in range(2):
        with pytest.raises(SMTPException):
            emails.deliver(queued_email.pk)
    email = emails.deliver(queued_email.pk)

    assert email.status == OutboundEmail.Status.FAILED
    assert email.attempts == 3
    assert "421 Service not available" in email.last_error
    # A failed e-mail is left alone: no further attempt, nothing raised.
    email = emails.deliver(queued_email.pk)
    assert email.attempts == 3
    assert email.status == OutboundEmail.Status.FAILED


def test_a_recovered_server_gets_the_email_sent_and_the_error_cleared(
    queued_email, settings, mailoutbox
):
    settings.EMAIL_BACKEND = FAILING_BACKEND
    with pytest.raises(SMTPException):
        emails.deliver(queued_email.pk)

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    email = emails.deliver(queued_email.pk)

    assert email.status == OutboundEmail.Status.SENT
    assert email.attempts == 2
    assert email.last_error == ""
    assert len(mailoutbox) == 1


def test_the_task_asks_celery_to_retry_while_attempts_remain(queued_email, settings):
    settings.EMAIL_BACKEND = FAILING_BACKEND
    settings.EMAIL_MAX_ATTEMPTS = 3

    with pytest.raises(Retry):
        deliver_email.apply(args=[queued_email.pk])

    queued_email.refresh_from_db()
    assert queued_email.status == OutboundEmail.Status.QUEUED
    assert queued_email.attempts == 1


def test_the_task_stops_retrying_once_the_email_is_marked_failed(queued_email, settings):
    settings.EMAIL_BACKEND = FAILING_BACKEND
    settings.EMAIL_MAX_ATTEMPTS = 3
    OutboundEmail.objects.filter(pk=queued_email.pk).update(attempts=2)

    result = deliver_email.apply(args=[queued_email.pk])

    assert result.successful()
    queued_email.refresh_from_db()
    assert queued_email.status == OutboundEmail.Status.FAILED
    assert queued_email.attempts == 3


def test_an_e_mail_left_queued_when_the_broker_was_down_is_sent_by_the_requeue_task(
    settings, manager, monkeypatch
):
    import datetime

    from django.utils import timezone

    from lcspr.core.tasks import requeue_stale_emails

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    stale = OutboundEmail.objects.create(
        kind="password_reset",
        to=manager.email,
        subject="Stale",
        body_text="Hello",
        created_at=timezone.now() - datetime.timedelta(minutes=15),
    )
    fresh = OutboundEmail.objects.create(
        kind="password_reset", to=manager.email, subject="Fresh", body_text="Hello"
    )

    assert requeue_stale_emails.apply().get() == 1

    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert stale.status == OutboundEmail.Status.SENT
    assert fresh.status == OutboundEmail.Status.QUEUED
    assert [m.subject for m in mail.outbox] == ["Stale"]


# --- a worker that dies mid-send (ADR 0014) -----------------------------------------------------


class WorkerDied(BaseException):
    """What the process sees of SIGKILL: nothing after this point runs (not an Exception, so no
    handler of ours records it)."""


def die_while_sending(monkeypatch):
    """The next send kills the 'process' once the attempt is committed, before the mail server
    has answered; later sends go through."""
    from django.core.mail.backends.locmem import EmailBackend

    original = EmailBackend.send_messages
    calls = []

    def send_messages(self, messages):
        calls.append(1)
        if len(calls) == 1:
            raise WorkerDied
        return original(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", send_messages)


def test_a_sent_e_mail_carries_the_message_id_kept_on_its_outbox_row(queued_email, mailoutbox):
    email = emails.deliver(queued_email.pk)

    assert email.message_id.startswith("<") and f"lcspr-outbox-{email.pk}@" in email.message_id
    assert email.message_id.endswith("@northbridge-scp.example>")
    assert mailoutbox[0].message()["Message-ID"] == email.message_id
    assert email.resent_after_interruption is False


def test_an_attempt_is_recorded_before_the_mail_server_is_spoken_to(
    queued_email, mailoutbox, monkeypatch
):
    die_while_sending(monkeypatch)

    with pytest.raises(WorkerDied):
        emails.deliver(queued_email.pk)

    queued_email.refresh_from_db()
    assert queued_email.status == OutboundEmail.Status.SENDING
    assert queued_email.attempts == 1
    assert queued_email.attempted_at is not None and queued_email.message_id
    # The task delivered again at once (acks_late) sends nothing: it may be on its way.
    assert emails.deliver(queued_email.pk).status == OutboundEmail.Status.SENDING
    assert mailoutbox == []


def test_an_interrupted_e_mail_is_sent_once_more_with_the_same_message_id_by_the_sweep(
    queued_email, mailoutbox, monkeypatch, settings
):
    import datetime

    import time_machine
    from django.utils import timezone

    from lcspr.core.tasks import requeue_stale_emails

    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    die_while_sending(monkeypatch)
    with pytest.raises(WorkerDied):
        emails.deliver(queued_email.pk)
    queued_email.refresh_from_db()
    first_id = queued_email.message_id

    later = timezone.now() + datetime.timedelta(minutes=settings.EMAIL_SENDING_STALE_MINUTES + 1)
    with time_machine.travel(later, tick=False):
        assert requeue_stale_emails.apply().get() == 1
        emails.deliver(queued_email.pk)  # the original task, back after the visibility timeout

    queued_email.refresh_from_db()
    assert queued_email.status == OutboundEmail.Status.SENT
    assert queued_email.resent_after_interruption is True
    assert queued_email.attempts == 2
    assert len(mailoutbox) == 1
    assert mailoutbox[0].message()["Message-ID"] == first_id


def test_an_e_mail_interrupted_twice_is_marked_failed_and_not_sent_again(
    queued_email, mailoutbox, monkeypatch, settings
):
    settings.EMAIL_SENDING_STALE_MINUTES = 0
    die_while_sending(monkeypatch)
    with pytest.raises(WorkerDied):
        emails.deliver(queued_email.pk)
    die_while_sending(monkeypatch)
    with pytest.raises(WorkerDied):
        emails.deliver(queued_email.pk)  # the one resend, interrupted too

    email = emails.deliver(queued_email.pk)

    assert email.status == OutboundEmail.Status.FAILED
    assert "interrupted twice" in email.last_error
    assert email.attempts == 2
    assert mailoutbox == []
