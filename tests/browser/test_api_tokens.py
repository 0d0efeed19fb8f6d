"""The manager issues a reporting-API token in the browser, it works once copied, and the
documentation page reads well: every page checked with axe-core."""

from django.test import Client
from playwright.sync_api import expect


def test_the_manager_issues_a_token_and_the_tool_reads_with_it(
    browser, manager, password, subgroup_member
):
    page = browser.page
    browser.sign_in(manager, password)
    browser.goto("/api/tokens/")
    browser.click("Issue a token", role="link")
    page.get_by_label("Who the token is for").select_option(
        label=f"{subgroup_member.full_name} ({subgroup_member.email})"
    )
    browser.fill("What the token is for", "Executive dashboard")
    browser.click("Issue the token")
    expect(page.get_by_role("heading", name="API token issued")).to_be_visible()
    raw = page.locator("#new-token").inner_text()
    assert raw.startswith("lcspr_")

    answer = Client().get("/api/v1/reviews/", headers={"Authorization": f"Bearer {raw}"})
    assert answer.status_code == 200

    browser.click("Back to API tokens", role="link")
    expect(page.get_by_role("rowheader", name="Executive dashboard")).to_be_visible()
    assert raw not in page.content()
    browser.click("Revoke Executive dashboard", role="link")
    browser.click("Revoke the token")
    expect(page.get_by_text("no longer works")).to_be_visible()
    assert (
        Client().get("/api/v1/reviews/", headers={"Authorization": f"Bearer {raw}"}).status_code
        == 401
    )

    browser.goto("/api/v1/docs/")
    expect(page.get_by_role("heading", name="GET /api/v1/actions/", exact=True)).to_be_visible()
