"""The referral-to-decision journeys in a browser, as the people who take them: a fictional case from the
referral to an LCSPR decision and its national notices, to "no further action", and to another
learning review. axe-core checks every page on the way."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from lcspr.accounts.models import Role
from reviews.models import Review, Stage
from reviews.rapid_review.models import Recommendation
from tests.factories import UserFactory
from tests.reviews.conftest import open_referral, to_rapid_review, to_sent, to_signed_off


@pytest.fixture
def la_lead(local_authority):
    return UserFactory(
        full_name="Lena Lead", agency=local_authority, roles=[Role.STATUTORY_PARTNER_LEAD]
    )


@pytest.fixture
def icb_lead(icb):
    return UserFactory(full_name="Ian Lead", agency=icb, roles=[Role.STATUTORY_PARTNER_LEAD])


@pytest.fixture
def sent_for_decision(manager, local_authority, police, icb, partner_lead, la_lead, icb_lead):
    """Set up through the services (journey 1 covers these steps in the browser): a rapid
    review with the given recommendation, signed off by all three partners and sent."""

    def make(recommendation):
        review = to_rapid_review(open_referral(manager, local_authority), manager)
        leads = [partner_lead, la_lead, icb_lead]
        return to_sent(to_signed_off(review, manager, leads, recommendation), manager)

    return make


# --- what a user does on a page ----------------------------------------------------------------


def fill_date(page, legend: str, value: datetime.date):
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(value.day))
    group.get_by_label("Month").fill(str(value.month))
    group.get_by_label("Year").fill(str(value.year))


def choose(page, legend: str, option: str):
    page.get_by_role("group", name=legend).get_by_label(option, exact=True).check()


def task(page, name: str):
    """A row of the review page's task list, found by the step's name."""
    return page.locator(".govuk-task-list__item").filter(has=page.get_by_text(name, exact=True))


def open_task(browser, name: str):
    """Follow a step's link in the review page's task list."""
    task(browser.page, name).get_by_role("link", name=name, exact=True).click()
    browser.page.wait_for_load_state("load")
    browser.check_accessibility()


def switch_user(browser, user, password, review):
    """Sign out, then sign in as the next person, who lands on the review page they asked for
    (the sign-in and home pages are checked elsewhere; this keeps the journey quick)."""
    browser.click("Sign out")
    browser.page.goto(f"{browser.base_url}/reviews/{review.pk}/")
    browser.fill("E-mail address", user.email)
    browser.fill("Password", password)
    browser.click("Sign in")
    expect(browser.page.get_by_role("button", name="Sign out")).to_be_visible()


def expect_banner(page, text: str):
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(text)


def expect_stage(page, stage: str):
    expect(page.locator(".govuk-caption-l .govuk-tag")).to_have_text(stage)


def record_decision(browser, recommendation: str, outcome: str, decided_on: datetime.date):
    """From the review page, the Independent Chair reads the partners' recommendation and
    records the decision through "check your answers"."""
    page = browser.page
    open_task(browser, "Independent Chair's decision")
    expect(page.get_by_role("heading", level=1)).to_have_text("The Independent Chair's decision")
    expect(page.locator(".govuk-summary-list").first).to_contain_text(recommendation)
    choose(page, "The decision", outcome)
    browser.fill("Reasons for the decision", "The decision follows the partners' recommendation.")
    fill_date(page, "Date decided", decided_on)
    browser.click("Continue")

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check your answers before recording the decision"
    )
    answers = page.locator(".govuk-summary-list")
    expect(answers).to_contain_text(outcome)
    expect(answers).to_contain_text(f"{decided_on.day} {decided_on:%B %Y}")
    browser.click("Record the decision")
    expect(page.get_by_text("The decision has been recorded.")).to_be_visible()
    expect(task(page, "Independent Chair's decision")).to_contain_text(
        f"{outcome} ({decided_on.day} {decided_on:%B %Y})"
    )


# --- journey 1: referral to an LCSPR decision and its national notices -------------------------


def test_a_case_goes_from_referral_to_an_lcspr_with_every_clock_and_notice(
    browser,
    password,
    manager,
    independent_chair,
    partner_lead,
    la_lead,
    icb_lead,
    agency_author,
    local_authority,
    police,
    icb,
    school,
):
    page = browser.page

    # The partnership manager records the referral.
    browser.sign_in(manager, password)
    browser.goto("/reviews/")
    browser.click("Record a referral")
    browser.fill("Pseudonym", "Child T")
    fill_date(page, "Date of the incident", datetime.date(2026, 3, 2))
    browser.fill("Where it happened", "Northbridge")
    fill_date(page, "Date the local authority became aware", datetime.date(2026, 3, 3))
    page.get_by_label("A child was seriously harmed in the area").check()
    page.get_by_label("Referring agency").select_option(label=str(police))
    browser.fill("What is known so far", "A fictional infant was admitted to hospital.")
    browser.click("Save the referral")

    review = Review.objects.get()
    expect_banner(page, f"Referral recorded as {review.reference}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Review of Child T")
    expect(page.locator(".govuk-caption-l")).to_contain_text(review.reference)
    expect_stage(page, "Referral")
    # 5 working days after the local authority became aware (Tuesday 3 March 2026).
    expect(task(page, "Notify the National Panel")).to_contain_text("Due by 10 March 2026")
    expect(task(page, "Notify the National Panel")).to_contain_text("overdue by")
    expect(task(page, "Inform the safeguarding partners")).to_contain_text("Due by 10 March 2026")

    open_task(browser, "Children")
    browser.fill("Full name", "Billie Fictional")
    choose(page, "Sex", "Female")
    browser.click("Add the child")
    expect(page.get_by_role("rowheader", name="Billie Fictional")).to_be_visible()

    open_task(browser, "Criteria check")
    choose(page, "Is abuse or neglect of the child known or suspected?", "Yes")
    choose(page, "Has the child died or been seriously harmed?", "Yes")
    browser.click("Save the criteria check")
    expect_banner(page, "the criteria are met")
    expect(task(page, "Criteria check")).to_contain_text("The criteria are met")

    open_task(browser, "Notify the National Panel")
    expect(page.get_by_text("Due by 10 March 2026")).to_be_visible()
    fill_date(page, "Date the notification was sent", datetime.date(2026, 3, 6))
    browser.fill("National Panel's reference", "NP-0001")
    browser.click("Record the notification")
    expect_banner(page, "the rapid review has started")
    expect_stage(page, "Rapid review")
    expect(task(page, "Notify the National Panel")).to_contain_text(
        "Sent on 6 March 2026; the Panel's reference is NP-0001"
    )
    # 15 working days after the notification was sent (Friday 6 March 2026).
    expect(task(page, "Send to the National Panel")).to_contain_text("Due by 27 March 2026")

    open_task(browser, "Inform the safeguarding partners")
    fill_date(page, "Date the safeguarding partners were informed", datetime.date(2026, 3, 5))
    browser.click("Save the date")
    expect(task(page, "Inform the safeguarding partners")).to_contain_text(
        "Informed on 5 March 2026"
    )

    open_task(browser, "Agency summaries")
    page.get_by_label("Agency", exact=True).select_option(label=str(school))
    due = timezone.localdate() + datetime.timedelta(days=7)
    fill_date(page, "Due date", due)
    browser.click("Send the request")
    expect_banner(page, "The agency was asked for its summary.")  # back on the task list
    expect(task(page, "Agency summaries")).to_contain_text(
        f"{school}: due by {due.day} {due:%B %Y}"
    )

    # The school's representative sees the request, and nothing else of the case.
    # A link to the review itself leads nowhere: for them the review does not exist.
    switch_user(browser, agency_author, password, review)
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    browser.goto("/reviews/agency-summaries/")
    request_link = f"{review.reference} (Child T)"
    expect(page.get_by_role("link", name=request_link)).to_be_visible()
    browser.click(request_link, role="link")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Summary of involvement from {school}"
    )
    browser.fill("Summary", "The school saw the child daily; attendance fell in February.")
    browser.click("Send the summary")
    expect_banner(page, f"The summary from {school} was received.")
    expect(page.get_by_text("attendance fell in February")).to_be_visible()
    expect(page.get_by_text("Billie Fictional")).to_have_count(0)

    # The manager records the partners' recommendation.
    switch_user(browser, manager, password, review)
    today = timezone.localdate()
    expect(task(page, "Agency summaries")).to_contain_text(
        f"{school}: received on {today.day} {today:%B %Y}"
    )
    open_task(browser, "Recommendation")
    choose(page, "The partners' recommendation", "Carry out an LCSPR")
    browser.fill("Reasons for the recommendation", "Learning for every agency involved.")
    browser.click("Save the recommendation")
    expect(task(page, "Recommendation")).to_contain_text("Carry out an LCSPR")
    expect(task(page, "Send to the National Panel")).to_contain_text(
        "Needs the recommendation signed off by every statutory partner"
    )

    # Each statutory partner's lead signs off for their own agency.
    for lead in (partner_lead, la_lead, icb_lead):
        switch_user(browser, lead, password, review)
        open_task(browser, "Partner sign-offs")
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Check the rapid review before you sign it off"
        )
        expect(page.locator(".govuk-summary-list").first).to_contain_text("Carry out an LCSPR")
        browser.click(f"Sign off for {lead.agency}")
        expect_banner(page, f"You signed off the rapid review for {lead.agency}.")
        expect(task(page, "Partner sign-offs")).to_contain_text(
            f"{lead.agency}: signed off by {lead.full_name}"
        )
    expect(task(page, "Partner sign-offs").locator(".govuk-task-list__status")).to_have_text(
        "Completed"
    )

    # The manager records the rapid review as sent to the National Panel.
    switch_user(browser, manager, password, review)
    open_task(browser, "Send to the National Panel")
    fill_date(page, "Date sent to the National Panel", datetime.date(2026, 3, 20))
    browser.click("Record as sent")
    expect_stage(page, "Awaiting decision")
    expect(task(page, "Send to the National Panel")).to_contain_text("Sent on 20 March 2026")

    # The Independent Chair decides on an LCSPR.
    switch_user(browser, independent_chair, password, review)
    record_decision(
        browser, "Carry out an LCSPR", "An LCSPR will take place", datetime.date(2026, 4, 1)
    )
    expect_stage(page, "LCSPR")
    # Three outstanding notices, each 5 working days after the decision on Wednesday
    # 1 April 2026, skipping Good Friday and Easter Monday.
    notices = {
        "Tell the DfE an LCSPR will take place": "Department for Education",
        "Tell Ofsted an LCSPR will take place": "Ofsted",
        "Tell the National Panel an LCSPR will take place": "National Panel",
    }
    for name in notices:
        expect(task(page, name)).to_contain_text("Due by 10 April 2026")
        expect(task(page, name).locator(".govuk-task-list__status")).to_have_text("Not yet started")
        expect(task(page, name).get_by_role("link")).to_have_count(0)  # the manager's step
    expect(task(page, "Complete the LCSPR")).to_contain_text("Due by 1 October 2026")

    # The manager records each notice.
    switch_user(browser, manager, password, review)
    for number, (name, body) in enumerate(notices.items(), start=1):
        open_task(browser, name)
        expect(page.get_by_role("heading", level=1)).to_have_text(
            f"Tell {body} an LCSPR will take place"
        )
        expect(page.locator(".govuk-summary-list")).to_contain_text("10 April 2026")
        fill_date(page, "Date sent", datetime.date(2026, 4, 7))
        browser.fill("Their reference (optional)", f"REF-{number}")
        browser.click("Record the notice")
        expect_banner(page, f"The notice to {body} has been recorded.")
        expect(task(page, name)).to_contain_text(
            f"{body} told on 7 April 2026; their reference is REF-{number}"
        )
    for name in notices:
        expect(task(page, name).locator(".govuk-task-list__status")).to_have_text("Completed")
        expect(task(page, name)).not_to_contain_text("Due by")

    browser.click("Timeline of everything that happened", role="link")
    events = page.locator("tbody")
    for step in (
        f"Referral recorded as {review.reference}",
        "A child's details were added",
        "Criteria for notification checked",
        "Serious incident notified to the National Panel",
        "Safeguarding partners informed",
        f"Agency summary requested from {school}",
        f"Agency summary received from {school}",
        "Recommendation: Carry out an LCSPR",
        f"Signed off for {police}",
        f"Signed off for {local_authority}",
        f"Signed off for {icb}",
        "Rapid review sent to the National Panel",
        "Independent Chair's decision: An LCSPR will take place",
        "Department for Education told on",
        "Ofsted told on",
        "National Panel told on",
    ):
        expect(events).to_contain_text(step)


# --- journey 2: no further review --------------------------------------------------------------


def test_a_case_recommended_for_no_further_review_is_closed_by_the_chairs_decision(
    browser, password, independent_chair, sent_for_decision
):
    review = sent_for_decision(Recommendation.NO_FURTHER_REVIEW)
    page = browser.page
    browser.sign_in(independent_chair, password)
    browser.goto(f"/reviews/{review.pk}/")
    record_decision(browser, "No further review", "No further action", datetime.date(2026, 3, 25))
    expect_stage(page, "Closed")
    expect(page.get_by_text("LCSPR will take place")).to_have_count(0)
    expect(page.get_by_text("Other learning review")).to_have_count(0)
    review.refresh_from_db()
    assert review.stage == Stage.CLOSED


# --- journey 3: another learning review --------------------------------------------------------


def test_a_case_goes_to_another_learning_review_which_the_manager_runs_and_closes(
    browser, password, manager, independent_chair, sent_for_decision
):
    review = sent_for_decision(Recommendation.OTHER_LEARNING)
    page = browser.page
    browser.sign_in(independent_chair, password)
    browser.goto(f"/reviews/{review.pk}/")
    record_decision(
        browser,
        "Carry out another learning review",
        "No LCSPR, but another learning review",
        datetime.date(2026, 3, 25),
    )
    expect_stage(page, "Other learning review")
    expect(page.get_by_text("LCSPR will take place")).to_have_count(0)

    switch_user(browser, manager, password, review)
    open_task(browser, "Other learning review")
    choose(page, "Type of learning review", "Reflective learning session")
    browser.fill("Scope or terms of reference", "How agencies shared concerns about the baby.")
    browser.click("Save")
    expect_banner(page, "The learning review has been saved.")
    expect(task(page, "Other learning review")).to_contain_text("Reflective learning session")

    open_task(browser, "Other learning review")
    # The practitioners are sent the scope before the session.
    fill_date(
        page, "Date the scope was sent to practitioners (optional)", datetime.date(2026, 5, 1)
    )
    fill_date(page, "Date held (optional)", datetime.date(2026, 5, 12))
    browser.fill("Participants (optional)", "Health visitor\nSocial worker\nDesignated teacher")
    browser.fill("Learning identified (optional)", "Share worries about bruising at once.")
    browser.click("Save")
    open_task(browser, "Other learning review")
    browser.click("Close the learning review", role="link")
    expect(page.locator(".govuk-summary-list")).to_contain_text("12 May 2026")
    browser.click("Close the learning review")
    expect_banner(page, "The learning review is closed.")
    expect_stage(page, "Closed")
    today = timezone.localdate()
    expect(task(page, "Other learning review")).to_contain_text(
        f"Closed on {today.day} {today:%B %Y}"
    )
