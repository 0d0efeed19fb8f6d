"""The partnership manager's people pages in a real browser: a new agency representative is
invited, chooses a password from the e-mailed link, sets up their authenticator app, signs in
and finds their agency's chronology request waiting for them; the manager deactivates them and
their open session is refused at once. axe-core checks every page."""

import re

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from lcspr.core.models import OutboundEmail
from tests.accounts.helpers import add_authenticator, code_for
from tests.browser.conftest import Browser
from tests.chronologies.conftest import *  # noqa: F403 - an agreed review's chronology requests

NEW_PASSWORD = "lantern-orchard-velvet-42"


def heading(browser):
    return browser.page.get_by_role("heading", level=1)


def sign_in_with_code(browser, user, password, device):
    browser.goto("/account/sign-in/")
    browser.fill("E-mail address", user.email)
    browser.fill("Password", password)
    browser.click("Sign in")
    browser.fill("Code", code_for(device))
    browser.click("Continue")


def test_a_new_representative_is_invited_joins_and_is_deactivated(
    browser, chromium, live_server, manager, password, school, school_request, settings
):
    settings.TWO_FACTOR_REQUIRED = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    page = browser.page
    sign_in_with_code(browser, manager, password, add_authenticator(manager))

    # The manager invites Rowan; the manager never sees or sets a password.
    browser.goto("/account/people/")
    expect(heading(browser)).to_have_text("People")
    browser.click("Invite a person", role="link")
    browser.click("Send the invitation")
    expect(page).to_have_title(re.compile("^Error: Invite a person"))
    browser.fill("Full name", "Rowan Reed")
    browser.fill("E-mail address", "rowan.reed@riverside.example")
    page.get_by_label("Agency", exact=True).select_option(label=school.name)
    page.get_by_label("Agency representative").check()
    browser.click("Send the invitation")
    expect(page.get_by_text("Rowan Reed has been invited.")).to_be_visible()
    expect(heading(browser)).to_have_text("Rowan Reed")
    expect(page.get_by_role("button", name="Send the invitation again")).to_be_visible()

    # Rowan opens the e-mailed link in their own browser.
    email = OutboundEmail.objects.get(kind="invitation", to="rowan.reed@riverside.example")
    link = re.search(r"\S+/account/invitation/\S+/", email.body_text).group(0)
    context = chromium.new_context(locale="en-GB", timezone_id="Europe/London")
    context.set_default_timeout(10_000)
    rowan = Browser(context.new_page(), live_server.url)
    try:
        rowan.goto(link.replace(settings.SITE_URL, ""))
        expect(heading(rowan)).to_have_text("Choose your password")
        rowan.fill("New password", NEW_PASSWORD)
        rowan.fill("Confirm new password", NEW_PASSWORD)
        rowan.click("Save my password")
        expect(rowan.page.get_by_text("Your password has been set.")).to_be_visible()
        rowan.fill("E-mail address", "rowan.reed@riverside.example")
        rowan.fill("Password", NEW_PASSWORD)
        rowan.click("Sign in")
        expect(heading(rowan)).to_have_text("Set up two-factor authentication")
        device = TOTPDevice.objects.get(user__email="rowan.reed@riverside.example")
        rowan.fill("Code", f"{totp(device.bin_key):06d}")
        rowan.click("Continue")
        expect(heading(rowan)).to_have_text("Welcome, Rowan")
        # What waits for Rowan from the first day: the school's chronology.
        review = school_request.review
        waiting = rowan.page.get_by_role("table", name="Waiting for you")
        expect(waiting).to_contain_text(f"{review.reference} ({review.pseudonym})")
        expect(
            waiting.get_by_role("link", name=f"{school.name} chronology for {review.reference}")
        ).to_be_visible()

        # The link is spent.
        rowan_link = link.replace(settings.SITE_URL, "")
        other = chromium.new_context(locale="en-GB")
        spent = Browser(other.new_page(), live_server.url)
        spent.goto(rowan_link)
        expect(heading(spent)).to_have_text("This invitation has already been used")
        other.close()

        # The manager finds Rowan in the list, then deactivates the account.
        browser.goto("/account/people/")
        page.get_by_label("Partnership role").select_option(label="Agency representative")
        browser.click("Apply filters")
        row = page.get_by_role("row").filter(has_text="Rowan Reed")
        expect(row).to_contain_text("Set up")
        browser.click("Rowan Reed", role="link")
        browser.click("Change partnership roles", role="link")
        expect(heading(browser)).to_have_text("Partnership roles")
        browser.click("Back to Rowan Reed", role="link")
        browser.click("Deactivate the account of Rowan Reed", role="link")
        browser.click("Deactivate the account")
        expect(page.get_by_role("alert")).to_contain_text("Enter reason")
        browser.fill("Reason", "Left Riverside Primary School")
        browser.click("Deactivate the account")
        expect(
            page.get_by_text("has been deactivated and they have been signed out")
        ).to_be_visible()

        # Rowan's open session is refused on the next request.
        rowan.page.reload()
        expect(rowan.page).to_have_url(re.compile("/account/sign-in/"))
        expect(heading(rowan)).to_have_text("Sign in")
        # Nor can Rowan sign in again.
        rowan.fill("E-mail address", "rowan.reed@riverside.example")
        rowan.fill("Password", NEW_PASSWORD)
        rowan.click("Sign in")
        expect(rowan.page.get_by_role("alert")).to_be_visible()
        expect(heading(rowan)).to_have_text("Sign in")

        # The pages the manager reaches from here are accessible too.
        browser.click("Reactivate the account of Rowan Reed", role="link")
        expect(heading(browser)).to_have_text("Reactivate the account of Rowan Reed")
        browser.goto("/account/people/upload/")
        expect(heading(browser)).to_have_text("Add agency representatives from a file")
    finally:
        context.close()
