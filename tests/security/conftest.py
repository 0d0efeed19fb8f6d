"""The world (tests/security/world.py) built once per module, and a signed-in client per persona.

The world is written inside a transaction opened for the module and rolled back when it ends,
as Django's TestCase does for setUpTestData: each test's own transaction is a savepoint within
it, and nothing is left behind for the next module in the same worker. Each request is in a
savepoint of its own too (`Requester.outcome`), so a POST one persona makes does not change
what the next persona finds.
"""

from http.cookies import SimpleCookie
from unittest import mock

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse

from lcspr.core import pdf
from tests.security import matrix
from tests.security.matrix import PERSONAS
from tests.security.world import build_world, report_pdf


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Both reviews and every persona, for the whole module (rolled back at its end)."""
    default = dict(settings.STORAGES["default"])
    default["OPTIONS"] = {
        **default.get("OPTIONS", {}),
        "location": str(tmp_path_factory.mktemp("media")),
    }
    changed = override_settings(
        STORAGES={**settings.STORAGES, "default": default},
        # The sessions signed in at the start stay "recent" for the steps that ask again.
        REAUTHENTICATE_AFTER_MINUTES=24 * 60,
    )
    with django_db_blocker.unblock():
        changed.enable()
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            built = build_world()
            built.clients = _clients(built)
            QuickHTML.pdf = report_pdf()  # made by WeasyPrint itself, before the patch
            with mock.patch.object(pdf, "HTML", QuickHTML):
                yield built
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            changed.disable()


class QuickHTML:
    """WeasyPrint's HTML without the layout: the page's template is still rendered with the
    view's context (so a broken context fails), but every PDF is the same small real one.
    Who may download a PDF is the matrix's question; what it looks like is tests/core's."""

    pdf = b""

    def __init__(self, *, string, **kwargs):
        self.string = string

    def write_pdf(self, **kwargs):
        return self.pdf


def _clients(world) -> dict[str, Client]:
    clients, world.sessions = {}, {}
    for persona in PERSONAS:
        client = Client()
        if persona != "anonymous":
            client.force_login(world.users[persona])
            world.sessions[persona] = client.cookies[settings.SESSION_COOKIE_NAME].value
        clients[persona] = client
    return clients


class Requester:
    """Requests a URL as a persona and names the outcome in the matrix's terms."""

    def __init__(self, world):
        self.world = world
        self.login_path = reverse(settings.LOGIN_URL)

    def response(self, persona: str, method: str, url: str):
        """The response `persona` gets, whatever the request changed rolled back."""
        client = self.world.clients[persona]
        # A request may sign the persona out or set cookies: each starts from the session
        # the persona signed in with.
        client.cookies = SimpleCookie()
        if persona in self.world.sessions:
            client.cookies[settings.SESSION_COOKIE_NAME] = self.world.sessions[persona]
        with transaction.atomic():
            response = client.generic(method, url)
            transaction.set_rollback(True)
        return response

    def outcome(self, persona: str, method: str, url: str) -> str:
        try:
            response = self.response(persona, method, url)
        except Exception as error:  # a server error: name it in the table of mismatches
            return f"500 {type(error).__name__}: {error}"[:120]
        outcome = matrix.classify(response, self.login_path)
        signed_in = persona != "anonymous" and outcome != matrix.LOGIN  # (not signed out)
        if signed_in and "no-store" not in response.get("Cache-Control", ""):
            # Whatever a signed-in person is shown must not stay in the browser's cache.
            return f"{response.status_code} without Cache-Control: no-store"
        return outcome

    def mismatches(self, row, kwargs, expect: dict) -> list[tuple]:
        """(url, persona, expected, got) for every persona whose outcome is not `expect`'s."""
        url = reverse(row.name, kwargs=kwargs)
        found = []
        for persona, expected in expect.items():
            got = self.outcome(persona, row.method, url)
            if got not in (expected if isinstance(expected, tuple) else (expected,)):
                found.append((f"{row.method} {url}", persona, expected, got))
        return found


def report(title: str, mismatches) -> str:
    """A readable table of what each persona got against what the matrix expects."""
    lines = [title, f"{'request':58} {'persona':18} {'expected':12} got"]
    for url, persona, expected, got in mismatches:
        expected = " or ".join(expected) if isinstance(expected, tuple) else expected
        lines.append(f"{url:58} {persona:18} {expected:12} {got}")
    return "\n".join(lines)


@pytest.fixture
def requester(world, db):
    return Requester(world)
