"""Sign-in hardening in a real browser: the two-factor journey, "Confirm it's you" before a
sensitive action, the lockout page and the idle-timeout warning. axe-core checks every page."""

import datetime
import re
from base64 import b32encode

from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from lcspr.accounts.reauth import SESSION_KEY
from lcspr.accounts.two_factor import QR_LABEL
from lcspr.core.models import OutboundEmail
from tests.accounts.helpers import add_authenticator, code_for, wrong_code


def enter_password(browser, user, password):
    browser.goto("/account/sign-in/")
    browser.fill("E-mail address", user.email)
    browser.fill("Password", password)
    browser.click("Sign in")


def heading(browser):
    return browser.page.get_by_role("heading", level=1)


def test_two_factor_sign_in_from_setup_to_a_later_sign_in(browser, manager, password, settings):
    settings.TWO_FACTOR_REQUIRED = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    page = browser.page

    # First sign-in: the password alone does not show a set-up; a link e-mailed to the
    # account does.
    enter_password(browser, manager, password)
    expect(heading(browser)).to_have_text("Set up two-factor authentication")
    expect(page.get_by_role("img", name=QR_LABEL)).to_have_count(0)
    browser.click("Send me a link")
    expect(page.get_by_text(f"We have sent a link to {manager.email}")).to_be_visible()
    email = OutboundEmail.objects.get(kind="two_factor_link", recipient=manager)
    link = re.search(r"\S+/two-factor/set-up/link/\S+/", email.body_text).group(0)
    browser.goto(link.replace(settings.SITE_URL, ""))
    expect(heading(browser)).to_have_text("Set up two-factor authentication")
    expect(page.get_by_role("img", name=QR_LABEL)).to_be_visible()
    expect(page.get_by_role("link", name="Home")).to_have_count(0)
    device = TOTPDevice.objects.get(user=manager)
    typed_key = page.locator("[data-secret-key]").inner_text()
    assert typed_key.replace(" ", "") == b32encode(device.bin_key).decode().rstrip("=")
    browser.fill("Code", f"{totp(device.bin_key):06d}")
    browser.click("Continue")
    expect(heading(browser)).to_have_text("Welcome, Morgan")
    expect(page.get_by_text("Two-factor authentication is set up.")).to_be_visible()
    browser.click("Sign out")

    # Later sign-in: a wrong code, then the right one.
    enter_password(browser, manager, password)
    expect(heading(browser)).to_have_text("Enter the code from your authenticator app")
    browser.fill("Code", wrong_code(device))
    browser.click("Continue")
    expect(page).to_have_title(
        "Error: Enter the code from your authenticator app – NSCP practice reviews"
    )
    expect(page.get_by_role("alert")).to_contain_text("The code is not correct")
    browser.fill("Code", code_for(device, steps_ahead=1))
    browser.click("Continue")
    expect(heading(browser)).to_have_text("Welcome, Morgan")
    expect(page.get_by_role("link", name="Home")).to_be_visible()


def _age_the_sign_in(browser, minutes=16):
    cookie = next(c for c in browser.page.context.cookies() if c["name"] == "sessionid")
    session = SessionStore(session_key=cookie["value"])
    session[SESSION_KEY] = session[SESSION_KEY] - minutes * 60
    session.save()


def test_a_manager_confirms_it_is_them_then_resets_a_colleagues_app(
    browser, manager, agency_author, password
):
    add_authenticator(agency_author)
    page = browser.page
    browser.sign_in(manager, password)
    browser.goto("/account/people/")
    expect(heading(browser)).to_have_text("People")
    browser.click("Reset two-factor authentication for Alex Agency", role="link")
    expect(heading(browser)).to_have_text("Reset two-factor authentication for Alex Agency")

    _age_the_sign_in(browser)
    browser.click("Reset two-factor authentication")
    expect(heading(browser)).to_have_text("Confirm it’s you")
    browser.fill("Password", "not-the-password")
    browser.click("Continue")
    expect(page.get_by_role("alert")).to_contain_text("Enter your correct password")
    browser.fill("Password", password)
    browser.click("Continue")

    expect(heading(browser)).to_have_text("Reset two-factor authentication for Alex Agency")
    assert TOTPDevice.objects.filter(user=agency_author).exists()
    browser.click("Reset two-factor authentication")
    expect(
        page.get_by_text("Two-factor authentication for Alex Agency has been reset")
    ).to_be_visible()
    assert not TOTPDevice.objects.filter(user=agency_author).exists()


def test_five_wrong_passwords_show_the_lockout_page(browser, manager):
    for _ in range(5):
        enter_password(browser, manager, "not-the-password")
    expect(heading(browser)).to_have_text("Your account is locked for 15 minutes")


def _session_expiry(browser) -> datetime.datetime:
    cookie = next(c for c in browser.page.context.cookies() if c["name"] == "sessionid")
    return Session.objects.get(session_key=cookie["value"]).expire_date


def test_the_idle_warning_appears_and_stay_signed_in_keeps_the_session(
    browser, manager, password, settings
):
    # The page's clock is the test's: it jumps to the warning instead of waiting for it.
    settings.SESSION_COOKIE_AGE = 20 * 60
    settings.SESSION_WARNING_SECONDS = 2 * 60
    page = browser.page
    page.clock.install()
    browser.sign_in(manager, password)
    dialog = page.get_by_role("alertdialog", name="You’re about to be signed out")
    page.clock.fast_forward("18:30")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("you will be signed out in")
    expect(dialog.get_by_role("button", name="Stay signed in")).to_be_focused()
    browser.check_accessibility()
    first_expiry = _session_expiry(browser)

    page.keyboard.press("Enter")
    expect(dialog).to_be_hidden()
    # The server now ends the session a full idle period after the click, not at the first end.
    extended = _session_expiry(browser)
    for _ in range(20):
        if extended > first_expiry:
            break
        page.wait_for_timeout(250)
        extended = _session_expiry(browser)
    assert extended > first_expiry
    assert extended >= datetime.datetime.now(datetime.UTC) + datetime.timedelta(minutes=19)
    # And the page's own clock starts again: past the first end, no sign-out.
    page.clock.fast_forward("02:00")
    expect(dialog).to_be_hidden()
    browser.goto("/")
    expect(heading(browser)).to_have_text("Welcome, Morgan")


def test_at_the_end_of_the_idle_time_the_user_is_signed_out_and_told_why(
    browser, manager, password, settings
):
    # The page's clock is the test's: it jumps to the warning, then past the end, instead of a
    # short real timeout racing the sign-in's own checks.
    settings.SESSION_COOKIE_AGE = 20 * 60
    settings.SESSION_WARNING_SECONDS = 2 * 60
    page = browser.page
    page.clock.install()
    browser.sign_in(manager, password)
    dialog = page.get_by_role("alertdialog", name="You’re about to be signed out")
    expect(dialog).to_be_hidden()
    page.clock.fast_forward("18:30")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("you will be signed out in 2 minutes")
    page.clock.fast_forward("01:31")
    expect(heading(browser)).to_have_text("Sign in")
    expect(
        page.get_by_text("You were signed out after 20 minutes without activity.")
    ).to_be_visible()
    browser.check_accessibility()
    assert "data-session-timeout" not in page.content()
