from playwright.sync_api import expect


def test_a_demo_user_signs_in_by_keyboard_and_sees_the_home_page(browser, manager, password):
    page = browser.page
    browser.goto("/")
    expect(page).to_have_title("Sign in – NSCP practice reviews")

    # The first Tab reaches the skip link, as GOV.UK pages should.
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()

    page.get_by_label("E-mail address").focus()
    page.keyboard.type(manager.email)
    page.keyboard.press("Tab")
    page.keyboard.type(password)
    page.keyboard.press("Enter")
    page.wait_for_url(browser.base_url + "/")
    browser.check_accessibility()

    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Morgan")
    expect(page.get_by_text("Partnership manager")).to_be_visible()
    expect(page.get_by_role("link", name="Home")).to_have_attribute("aria-current", "page")


def test_a_wrong_password_shows_an_error_summary_that_links_to_the_field(browser, manager):
    page = browser.page
    browser.goto("/account/sign-in/")
    browser.fill("E-mail address", manager.email)
    browser.fill("Password", "not-the-password")
    browser.click("Sign in")

    expect(page).to_have_title("Error: Sign in – NSCP practice reviews")
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Enter a correct e-mail address and password.")
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)


def test_an_empty_form_names_each_missing_field(browser, db):
    page = browser.page
    browser.goto("/account/sign-in/")
    browser.click("Sign in")

    summary = page.get_by_role("alert")
    expect(summary.get_by_role("link", name="Enter e-mail address")).to_have_attribute(
        "href", "#id_username"
    )
    expect(summary.get_by_role("link", name="Enter password")).to_be_visible()
    summary.get_by_role("link", name="Enter e-mail address").click()
    expect(page.get_by_label("E-mail address")).to_be_focused()


def test_signing_out_returns_to_the_sign_in_page(browser, manager, password):
    browser.sign_in(manager, password)
    browser.click("Sign out")
    expect(browser.page.get_by_text("You have signed out.")).to_be_visible()
    expect(browser.page.get_by_role("heading", level=1)).to_have_text("Sign in")


def test_the_page_not_found_page_is_accessible(browser, manager, password):
    browser.sign_in(manager, password)
    response = browser.goto("/no-such-page/")
    assert response.status == 404
    expect(browser.page.get_by_role("heading", level=1)).to_have_text("Page not found")


def test_the_harness_fails_a_page_that_breaks_an_accessibility_rule(browser, db):
    import pytest

    browser.goto("/account/sign-in/")
    browser.page.set_content("<html lang='en'><title>x</title><main><img src='x.png'></main>")
    with pytest.raises(pytest.fail.Exception, match="image-alt"):
        browser.check_accessibility()
