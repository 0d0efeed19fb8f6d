from playwright.sync_api import expect

from reviews.models import Review, Stage
from reviews.referral import services
from tests.reviews.conftest import open_referral


def _fill_date(page, name, day, month, year):
    page.locator(f"#id_{name}_0").fill(str(day))
    page.locator(f"#id_{name}_1").fill(str(month))
    page.locator(f"#id_{name}_2").fill(str(year))


def test_a_manager_takes_a_referral_to_the_rapid_review(
    browser, manager, password, local_authority, police, icb
):
    page = browser.page
    browser.sign_in(manager, password)
    browser.goto("/reviews/")
    expect(page.get_by_text("There are no reviews yet.")).to_be_visible()

    browser.click("Record a referral")
    browser.click("Save the referral")  # empty: the error summary names each field
    expect(page.get_by_role("alert")).to_contain_text("Enter pseudonym")
    browser.fill("Pseudonym", "Child B")
    _fill_date(page, "incident_date", 2, 3, 2026)
    _fill_date(page, "la_aware_date", 3, 3, 2026)
    page.get_by_label("A child was seriously harmed in the area").check()
    page.get_by_label("Referring agency").select_option(label="Northbridge Constabulary")
    browser.fill("What is known so far", "A fictional infant was admitted to hospital.")
    browser.click("Save the referral")
    review = Review.objects.get()
    expect(page.get_by_text(f"Referral recorded as {review.reference}")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Review of Child B")

    browser.click("Children", role="link")
    browser.fill("Full name", "Billie Fictional")
    page.get_by_label("Female").check()
    browser.click("Add the child")
    expect(page.get_by_role("rowheader", name="Billie Fictional")).to_be_visible()

    browser.click("Criteria check", role="link")
    page.locator("#id_abuse_or_neglect_0").check()
    page.locator("#id_died_or_seriously_harmed_0").check()
    browser.click("Save the criteria check")

    browser.click("Inform the safeguarding partners", role="link")
    _fill_date(page, "informed_on", 5, 3, 2026)
    browser.click("Save the date")

    browser.click("Notify the National Panel", role="link")
    expect(page.get_by_text("Due by 10 March 2026")).to_be_visible()
    _fill_date(page, "sent_on", 6, 3, 2026)
    browser.fill("National Panel's reference", "NP-123")
    browser.click("Record the notification")
    expect(page.get_by_text("the rapid review has started")).to_be_visible()
    review.refresh_from_db()
    assert review.stage == Stage.RAPID_REVIEW

    browser.click("Timeline of everything that happened", role="link")
    expect(
        page.get_by_role("cell", name="Referral recorded as " + review.reference)
    ).to_be_visible()
    browser.goto(f"/reviews/{review.pk}/details/")
    browser.goto("/reviews/?stage=rapid_review&overdue=on")
    expect(page.get_by_role("link", name=review.reference)).to_be_visible()


def test_a_manager_closes_a_referral_that_does_not_meet_the_criteria(
    browser, manager, password, local_authority
):
    review = open_referral(manager, local_authority)
    child = services.child_add(review=review, by=manager, name="Sol Fictional", sex="male")
    services.criteria_record(
        review=review, by=manager, abuse_or_neglect="no", died_or_seriously_harmed="yes"
    )
    page = browser.page
    browser.sign_in(manager, password)
    browser.goto(f"/reviews/{review.pk}/children/{child.pk}/remove/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Remove Sol Fictional from the case?")
    browser.goto(f"/reviews/{review.pk}/")
    expect(
        page.get_by_text("The partnership may still hold a learning review instead", exact=False)
    ).to_be_visible()
    page.get_by_role("link", name="Close the referral").first.click()
    browser.check_accessibility()
    browser.fill("Why is the referral closed?", "An accident; no concern of neglect.")
    browser.click("Close the referral")
    expect(page.get_by_text(f"Referral {review.reference} closed")).to_be_visible()
    browser.goto("/")
    expect(page.get_by_text("0 open reviews")).to_be_visible()


def test_the_manager_copies_the_answers_for_the_national_notification(
    browser, manager, password, local_authority, police
):
    review = open_referral(manager, police)
    services.child_add(
        review=review, by=manager, name="Robin Fictional", sex="female", ethnicity="Mixed"
    )
    page = browser.page
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    browser.sign_in(manager, password)
    browser.goto(f"/reviews/{review.pk}/notification/")
    browser.click("Answers for the national notification form", role="link")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Answers for the national notification"
    )
    expect(page.get_by_text("No local authority")).to_have_count(0)
    page.get_by_role("button", name="Copy name").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text("Copied name")
    assert page.evaluate("navigator.clipboard.readText()") == "Robin Fictional"
