import datetime

from playwright.sync_api import expect

from reviews.referral import services
from tests.reviews.conftest import open_referral


def test_a_manager_records_an_adult_and_finds_an_earlier_review_of_the_family(
    browser, manager, password, local_authority
):
    earlier = open_referral(manager, local_authority, pseudonym="Child E")
    services.child_add(
        review=earlier,
        by=manager,
        name="Jaydon Marsh",
        sex="male",
        date_of_birth=datetime.date(2016, 4, 3),
    )
    services.adult_add(
        review=earlier,
        by=manager,
        name="Kerry Marsh",
        relationship="mother",
        address="12 Larch Road, Otterby OT4 7QX",
    )
    review = open_referral(manager, local_authority, pseudonym="Child L")
    page = browser.page
    browser.sign_in(manager, password)
    browser.goto(f"/reviews/{review.pk}/")

    browser.click("Add a parent, carer or member of the household", role="link")
    browser.click("Add the adult")  # empty: the error summary names each field
    expect(page.get_by_role("alert")).to_contain_text("Enter the adult's full name")
    browser.fill("Full name", "Kerri  MARSH")
    page.get_by_label("Mother", exact=True).check()
    browser.fill("Address", "12 larch rd\nOtterby OT47QX")
    browser.click("Add the adult")
    expect(page.get_by_text("Adult added")).to_be_visible()
    expect(page.get_by_role("rowheader", name="Kerri MARSH")).to_be_visible()

    browser.click("Other reviews involving this child or family", role="link")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Other reviews involving this child or family"
    )
    expect(page.get_by_role("link", name=f"{earlier.reference} (Child E)")).to_be_visible()
    expect(
        page.get_by_text("Same surname and address, similar first name (Kerri/Kerry)")
    ).to_be_visible()

    # The name corrected: the match now reads as the same name and address.
    browser.goto(f"/reviews/{review.pk}/")
    browser.click("Change Kerri MARSH", role="link")
    browser.fill("Full name", "Kerry Marsh")
    browser.click("Save the changes")
    expect(page.get_by_text("Adult's details updated")).to_be_visible()
    browser.click("Other reviews involving this child or family", role="link")
    expect(page.get_by_text("Same name and address")).to_be_visible()
    browser.goto(f"/reviews/{review.pk}/")
    browser.click("Remove Kerry Marsh", role="link")
    expect(page.get_by_role("heading", level=1)).to_have_text("Remove Kerry Marsh from the review?")
