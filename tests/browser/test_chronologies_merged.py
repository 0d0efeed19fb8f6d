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


def test_at_320_pixels_wide_the_merged_chronology_scrolls_inside_its_table_not_the_page(
    browser, password, panel_member, school_request, police_request
):
    Entry.objects.bulk_create(
        [
            Entry(
                request=school_request,
                sequence=1,
                date=D(2025, 3, 1),
                description="A long fictional description of a home visit " * 4,
            ),
            Entry(request=police_request, sequence=1, date=D(2025, 1, 9), description="Call out"),
        ]
    )
    ChronologyRequest.objects.filter(review=school_request.review).update(
        status=RequestStatus.ACCEPTED
    )
    page = browser.page
    page.set_viewport_size({"width": 320, "height": 640})
    browser.sign_in(panel_member, password)
    browser.goto(f"/chronologies/reviews/{school_request.review.pk}/merged/")
    table = page.get_by_role("region", name="Merged chronology entries")
    expect(table).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    # The table's own box scrolls, and a keyboard user can reach it to scroll.
    assert table.evaluate("box => box.scrollWidth > box.clientWidth")
    table.focus()
    page.keyboard.press("ArrowRight")
    expect(table).to_be_focused()
