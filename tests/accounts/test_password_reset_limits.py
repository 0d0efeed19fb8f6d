"""'Forgot your password' tells nobody who has an account (the same answer, and the same work,
either way) and cannot be used to flood a colleague's inbox with links."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lcspr.accounts.models import PasswordResetRequest
from lcspr.accounts.tasks import catch_up_password_resets, handle_password_reset
from lcspr.core.models import OutboundEmail

pytestmark = pytest.mark.django_db

RESET = reverse("accounts:password_reset")


def ask(client, email, address="192.0.2.10"):
    return client.post(RESET, {"email": email}, REMOTE_ADDR=address)


def _statement(sql: str) -> str:
    """A statement without its values (and savepoints without their generated names)."""
    sql = re.sub(r'SAVEPOINT "[^"]+"', "SAVEPOINT", sql)
    return sql.split(" WHERE ")[0].split(" VALUES ")[0]


def handle_all():
    for pk in PasswordResetRequest.objects.filter(outcome="waiting").values_list("pk", flat=True):
        handle_password_reset.apply(args=[pk])


def test_the_page_does_the_same_work_for_an_account_and_for_no_account(client, manager):
    answers, work = [], []
    for email in (manager.email, "nobody-here@example.org"):
        with CaptureQueriesContext(connection) as queries:
            response = ask(client, email)
        answers.append((response.status_code, response["Location"]))
        # The same statements either way (the tables they touch, in order).
        work.append([_statement(q["sql"]) for q in queries])
    assert answers[0] == answers[1] == (302, reverse("accounts:password_reset_done"))
    assert work[0] == work[1]
    assert not any('"accounts_user"' in sql for sql in work[0])
    # Only the worker looks the address up.
    assert not OutboundEmail.objects.exists()
    handle_all()
    assert list(OutboundEmail.objects.values_list("to", flat=True)) == [manager.email]


def test_an_address_gets_at_most_three_links_an_hour_whatever_the_letter_case(
    client, manager, settings
):
    variants = [manager.email, manager.email.upper(), manager.email.title(), manager.email]
    for n, email in enumerate(variants):
        response = ask(client, email, address=f"192.0.2.{20 + n}")
        assert response.status_code == 302
    handle_all()
    assert OutboundEmail.objects.filter(kind="password_reset").count() == 3
    outcomes = list(PasswordResetRequest.objects.order_by("pk").values_list("outcome", flat=True))
    assert outcomes == ["sent", "sent", "sent", "limited"]


def test_a_client_asking_too_often_is_told_to_wait(client, manager, settings):
    for n in range(settings.PASSWORD_RESET_PER_CLIENT):
        assert ask(client, f"someone{n}@example.org").status_code == 302
    response = ask(client, manager.email)
    body = response.content.decode()
    assert response.status_code == 429
    assert "Too many password resets have been asked for from this device" in body
    assert 'href="#id_email"' in body
    assert PasswordResetRequest.objects.count() == settings.PASSWORD_RESET_PER_CLIENT
    # Another client is not held up.
    assert ask(client, manager.email, address="198.51.100.7").status_code == 302


def test_a_request_the_queue_missed_is_handled_by_the_catch_up(client, manager, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    ask(client, manager.email)
    assert catch_up_password_resets.apply().get() == 0  # too recent: the task may still come
    time_machine.shift(600)
    assert catch_up_password_resets.apply().get() == 1
    assert OutboundEmail.objects.filter(kind="password_reset", to=manager.email).count() == 1
    # Handling is once only.
    handle_password_reset.apply(args=[PasswordResetRequest.objects.get().pk])
    assert OutboundEmail.objects.filter(kind="password_reset").count() == 1
