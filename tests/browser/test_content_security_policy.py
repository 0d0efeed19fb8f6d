"""The Content-Security-Policy in a browser: the richest pages (the merged chronology's SVG
timeline, the review page, a form showing its error summary, the sub-group's dashboard with its
SVG charts) load without the browser refusing a single script, style, image or font."""

import datetime

from playwright.sync_api import expect

from chronologies.models import ChronologyRequest, Entry, RequestStatus
from tests.chronologies.conftest import *  # noqa: F403 - the chronology fixtures

# Every violation is also reported to the page's listeners; the browser logs "Refused to ...".
LISTEN = (
    "window.__cspViolations = [];"
    "document.addEventListener('securitypolicyviolation', e => "
    "window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));"
)


def test_rich_pages_load_without_a_content_security_policy_violation(
    browser, password, panel_member, subgroup_member, school_request, police_request
):
    page = browser.page
    console = []
    page.on("console", lambda message: console.append(message.text))
    page.add_init_script(LISTEN)
    Entry.objects.bulk_create(
        [
            Entry(
                request=school_request,
                sequence=1,
                date=datetime.date(2025, 3, 1),
                description="Bruise seen",
            ),
            Entry(
                request=police_request,
                sequence=1,
                date=datetime.date(2025, 1, 9),
                description="Call out",
            ),
        ]
    )
    ChronologyRequest.objects.filter(review=school_request.review).update(
        status=RequestStatus.ACCEPTED
    )
    review = school_request.review
    violations = []

    def visit(path):
        browser.goto(path)
        violations.extend(page.evaluate("window.__cspViolations"))

    browser.sign_in(panel_member, password)
    visit(f"/reviews/{review.pk}/")
    visit(f"/chronologies/reviews/{review.pk}/merged/")
    expect(page.get_by_role("img", name="Timeline of 2 events from 2 agencies")).to_be_visible()
    page.get_by_role("link", name="Call out").click()
    page.wait_for_load_state("load")
    browser.click("Add comment")  # empty: the error summary, focused by the frontend's script
    expect(page.get_by_role("alert")).to_contain_text("Enter your comment")
    violations.extend(page.evaluate("window.__cspViolations"))

    page.context.clear_cookies()
    browser.sign_in(subgroup_member, password)
    visit("/actions/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    refused = [text for text in console if "Refused to" in text or "Content Security" in text]
    assert not refused, refused
    assert not violations, violations
