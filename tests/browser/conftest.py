"""The browser harness: Playwright for Python drives Debian's Chromium (never a downloaded
browser) against pytest-django's live server, and axe-core checks every page a test visits
against WCAG 2.2 AA. A violation fails the test."""

import os
import shutil

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect, sync_playwright

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to run in
# a thread with a loop unless told it is safe. Tests only.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}
_axe = Axe()


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Browser:
    """A user at a browser. Every page it lands on is checked with axe-core."""

    def __init__(self, page, base_url):
        self.page = page
        self.base_url = base_url
        self.checked: list[str] = []

    def goto(self, path: str):
        response = self.page.goto(self.base_url + path)
        self.check_accessibility()
        return response

    def click(self, name: str, role: str = "button"):
        """Click a button or link by its visible name and check the page that results."""
        self.page.get_by_role(role, name=name, exact=True).click()
        self.page.wait_for_load_state("load")
        self.check_accessibility()

    def fill(self, label: str, value: str):
        self.page.get_by_label(label, exact=True).fill(value)

    def sign_in(self, user, password: str):
        self.goto("/account/sign-in/")
        self.fill("E-mail address", user.email)
        self.fill("Password", password)
        self.click("Sign in")
        # The header's own button: a short test session may already show the idle-timeout
        # dialog, which has a "Sign out" button of its own.
        service = self.page.get_by_role("region", name="Service information")
        expect(service.get_by_role("button", name="Sign out")).to_be_visible()

    def check_accessibility(self):
        results = _axe.run(self.page, options=AXE_OPTIONS)
        self.checked.append(self.page.url)
        violations = results.response["violations"]
        if violations:
            report = "\n".join(
                f"- {v['id']} ({v['impact']}): {v['help']}\n    "
                + "\n    ".join(node["html"][:200] for node in v["nodes"][:5])
                for v in violations
            )
            pytest.fail(f"axe-core found accessibility violations on {self.page.url}:\n{report}")


@pytest.fixture
def browser(chromium, live_server):
    context = chromium.new_context(locale="en-GB", timezone_id="Europe/London")
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield Browser(page, live_server.url)
    context.close()
    assert not errors, f"JavaScript errors in the page: {errors}"
