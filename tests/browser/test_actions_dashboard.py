"""The action-plan dashboard in a browser: a sub-group member opens it from the navigation,
reads the charts and their tables, filters to one agency's overdue actions and follows one to
its page (axe checks every page)."""

from playwright.sync_api import expect

from tests.actions.conftest import *  # noqa: F403 - the action-plan fixtures


def test_a_subgroup_member_filters_the_dashboard_to_overdue_actions(
    browser, password, dash_data, subgroup_member, police
):
    page = browser.page
    browser.sign_in(subgroup_member, password)
    browser.click("Action plans", role="link")
    expect(page.get_by_role("heading", level=1)).to_have_text("Action plans")
    expect(page.get_by_role("img", name="Actions by RAG rating")).to_be_visible()
    expect(page.get_by_role("img", name="Actions by lead agency and status")).to_be_visible()

    page.get_by_text("Filter the actions").click()
    page.get_by_label("Lead agency", exact=True).select_option(label=police.name)
    page.get_by_label("Only overdue actions", exact=True).check()
    browser.click("Apply filters")
    assert f"agency={police.pk}" in page.url and "overdue=on" in page.url
    overdue = dash_data.actions["a2"]
    expect(page.get_by_role("link", name=overdue.reference).first).to_be_visible()
    expect(page.get_by_role("link", name=dash_data.actions["a1"].reference)).to_have_count(0)

    page.get_by_text("Actions by lead agency as a table").click()
    expect(page.get_by_role("table", name="Actions by lead agency")).to_be_visible()
    browser.check_accessibility()

    page.get_by_role("link", name=overdue.reference).first.click()
    page.wait_for_load_state("load")
    assert page.url.endswith(f"/actions/{overdue.pk}/")
    browser.check_accessibility()


def test_at_320_pixels_wide_the_dashboard_scrolls_inside_its_tables_not_the_page(
    browser, password, dash_data, subgroup_member
):
    page = browser.page
    page.set_viewport_size({"width": 320, "height": 640})
    browser.sign_in(subgroup_member, password)
    browser.goto("/actions/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Action plans")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    actions = page.get_by_role("region", name="Actions", exact=True)
    expect(actions).to_be_visible()
    assert actions.evaluate("box => box.scrollWidth > box.clientWidth")
    # A status tag reads as one phrase, never broken across lines.
    tag = page.locator(".govuk-tag").first
    assert tag.evaluate("tag => getComputedStyle(tag).whiteSpace") == "nowrap"
