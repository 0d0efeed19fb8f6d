"""The merged chronology in a browser: a panel member opens it with the timeline picture,
filters it by agency and comments on an entry (axe checks every page)."""

import datetime

from playwright.sync_api import expect

from chronologies.models import ChronologyRequest, Entry, RequestStatus, ReviewerComment
from tests.chronologies.conftest import *  # noqa: F403 - the chronology fixtures

D = datetime.date


def test_a_panel_member_reads_filters_and_comments_on_the_merged_chronology(
    browser, password, panel_member, school_request, police_request
):
    Entry.objects.bulk_create(
        [
            Entry(
                request=school_request, sequence=1, date=D(2025, 3, 1), description="Bruise seen"
            ),
            Entry(request=school_request, sequence=2, date=D(2025, 7, 1), description="Report"),
            Entry(
                request=police_request, sequence=1, date=D(2025, 3, 1), description="Bruise seen."
            ),
            Entry(request=police_request, sequence=2, date=D(2025, 1, 9), description="Call out"),
        ]
    )
    ChronologyRequest.objects.filter(review=school_request.review).update(
        status=RequestStatus.ACCEPTED
    )
    review = school_request.review
    page = browser.page
    browser.sign_in(panel_member, password)
    browser.goto(f"/chronologies/reviews/{review.pk}/merged/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Merged chronology")
    expect(page.get_by_role("img", name="Timeline of 4 events from 2 agencies")).to_be_visible()
    expect(page.get_by_role("cell", name="No agency contact for 122 days")).to_be_visible()
    expect(page.get_by_text("Possible duplicate").first).to_be_visible()

    page.get_by_text("Filter the chronology").click()
    page.get_by_label("Northbridge Constabulary").check()
    browser.click("Apply filters")
    expect(page.get_by_role("link", name="Call out")).to_be_visible()
    expect(page.get_by_role("link", name="Report")).to_have_count(0)

    browser.click("Call out", role="link")
    browser.click("Add comment")  # empty: the error summary names the field
    expect(page.get_by_role("alert")).to_contain_text("Enter your comment")
    browser.fill("Your comment", "Was the school told about this call-out?")
    browser.click("Add comment")
    expect(page.get_by_text("Your comment has been added")).to_be_visible()
    expect(page.get_by_text("Was the school told about this call-out?")).to_be_visible()
    assert ReviewerComment.objects.get().author == panel_member


def test_the_merged_chronology_uses_a_wide_screen_and_reflows_at_320_pixels(
    browser, password, panel_member, school_request, police_request
):
    """On a wide monitor the table takes the screen's width; at 320 pixels the page does not
    scroll sideways, the table scrolls in its own labelled region. The timeline zooms to a
    period and has a table of its counts (axe checks each page)."""
    Entry.objects.bulk_create(
        Entry(
            request=school_request if n % 2 else police_request,
            sequence=n,
            date=D(2024, 1, 1) + datetime.timedelta(days=n % 500),
            description=f"Contact {n} about the family's housing and the child's attendance",
        )
        for n in range(1, 1201)
    )
    ChronologyRequest.objects.filter(review=school_request.review).update(
        status=RequestStatus.ACCEPTED
    )
    review = school_request.review
    page = browser.page
    page.set_viewport_size({"width": 1600, "height": 900})
    browser.sign_in(panel_member, password)
    browser.goto(f"/chronologies/reviews/{review.pk}/merged/")
    table = page.get_by_role("region", name="Entries 1 to 100 of 1,200")
    expect(table).to_be_visible()
    assert table.bounding_box()["width"] > 1400

    page.get_by_text("Zoom the timeline to a period").click()
    zoom = page.locator("form", has=page.get_by_role("button", name="Zoom"))
    for field, value in (("zoom-date_from_0", "1"), ("zoom-date_from_1", "3")):
        zoom.locator(f"[name='{field}']").fill(value)
    zoom.locator("[name='zoom-date_from_2']").fill("2024")
    zoom.locator("[name='zoom-date_to_0']").fill("31")
    zoom.locator("[name='zoom-date_to_1']").fill("3")
    zoom.locator("[name='zoom-date_to_2']").fill("2024")
    browser.click("Zoom")
    expect(page.get_by_role("img", name="March 2024 to March 2024")).to_be_visible()
    page.get_by_text("Show the timeline as a table").click()
    expect(page.get_by_role("rowheader", name="Week of 4 March 2024")).to_be_visible()

    page.set_viewport_size({"width": 320, "height": 640})
    browser.goto(f"/chronologies/reviews/{review.pk}/merged/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    scrolls = page.get_by_role("region", name="Entries 1 to 100 of 1,200").evaluate(
        "element => element.scrollWidth > element.clientWidth"
    )
    assert scrolls
