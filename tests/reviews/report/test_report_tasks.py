"""The "Report and publication" section of a review's task list: each step's status, hint,
clock and (only for those who may) link, and a constant number of queries."""

import datetime

import pytest
from django.urls import reverse

from lcspr.core.permissions import can
from reviews import selectors
from reviews.clocks.models import DeadlineKind
from reviews.learning import services as learning
from reviews.learning.models import LearningTheme
from reviews.publication import selectors as publication_selectors
from reviews.publication import services as publication_services
from reviews.report import anonymisation
from reviews.report import services as reports
from reviews.report.models import CheckPurpose, NameCategory, ReportKind
from reviews.report.tasks import HEADING, SECTION
from reviews.tasklist import CANNOT_START, COMPLETED, IN_PROGRESS, NOT_STARTED, render_section
from tests.helpers import assert_constant_queries
from tests.reviews.publication_fixtures import *  # noqa: F403
from tests.reviews.publication_fixtures import TODAY, at, docx
from tests.reviews.report_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db
D = datetime.date

COVERING = "Covering information for the National Panel, the DfE and Ofsted"
NAMES = [
    "Draft report",
    "Panel chair's approval",
    "Independent Chair's sign-off",
    "Anonymisation check",
    "Publication",
    COVERING,
    "Learning summary and recommendations",
]


def section(review, user) -> dict:
    heading, tasks = render_section(SECTION, user, selectors.review_page(review))
    assert heading == HEADING
    # The covering information is the manager's working page: only those who manage the
    # publication see its row.
    names = (
        NAMES if can(user, "manage_publication", review) else [n for n in NAMES if n != COVERING]
    )
    assert [t.name for t in tasks] == names
    return {t.name: t for t in tasks}


def statuses(review, user) -> list[str]:
    return [t.status for t in section(review, user).values()]


def upload(review, by, kind=ReportKind.OVERVIEW, note="", text="Child T lived at home."):
    return reports.report_version_upload(
        review=review, by=by, kind=kind, file=docx(text), change_note=note
    )


def link(name, review):
    return reverse(f"reviews:{name}", args=[review.pk])


# --- when the section shows ---------------------------------------------------------------------


def test_there_is_no_report_section_before_the_decision_is_an_lcspr(awaiting_decision, manager):
    assert render_section(SECTION, manager, selectors.review_page(awaiting_decision)) is None


def test_an_lcspr_starts_with_nothing_to_do_but_the_draft_and_the_learning(lcspr_review, manager):
    tasks = section(lcspr_review, manager)
    assert statuses(lcspr_review, manager) == [
        NOT_STARTED,
        CANNOT_START,
        CANNOT_START,
        CANNOT_START,
        CANNOT_START,
        CANNOT_START,
        NOT_STARTED,
    ]
    assert tasks["Panel chair's approval"].hint == "Needs a draft of the report"
    assert tasks["Independent Chair's sign-off"].hint == "Needs the panel chair's approval first"
    assert tasks["Publication"].hint == "Needs the signed-off final report"


def test_the_review_page_shows_the_section(client, lcspr_review, manager):
    client.force_login(manager)
    html = client.get(reverse("reviews:detail", args=[lcspr_review.pk])).content.decode()
    assert "Report and publication" in html
    assert "Learning summary and recommendations" in html
    assert link("learning", lcspr_review) in html


# --- the draft, the approval and the sign-off ---------------------------------------------------


def test_a_shared_draft_waits_for_the_panel_chair(
    media, lcspr_review, author, panel_chair, panel_member, manager
):
    upload(lcspr_review, author)
    upload(lcspr_review, author, note="Reworded the findings")
    upload(lcspr_review, author, kind=ReportKind.EXECUTIVE_SUMMARY)
    tasks = section(lcspr_review, panel_chair)
    draft = tasks["Draft report"]
    assert draft.status == IN_PROGRESS
    assert "Overview Report version 2 shared on" in draft.hint
    assert "(2 versions in all)" in draft.hint and "Executive Summary version 1" in draft.hint
    assert draft.url == link("report_detail", lcspr_review)
    approval = tasks["Panel chair's approval"]
    assert approval.status == NOT_STARTED
    assert approval.url == link("report_approve", lcspr_review)
    # Only the panel chair approves: nobody else is offered the step.
    for user in (panel_member, manager, author):
        assert section(lcspr_review, user)["Panel chair's approval"].url == ""


def test_after_approval_the_independent_chair_is_offered_the_sign_off(
    media, lcspr_review, author, panel_chair, independent_chair, manager
):
    version = upload(lcspr_review, author)
    reports.report_approve(review=lcspr_review, by=panel_chair, overview=version)
    tasks = section(lcspr_review, independent_chair)
    assert tasks["Draft report"].status == COMPLETED
    approval = tasks["Panel chair's approval"]
    assert approval.status == COMPLETED
    assert approval.hint.startswith("Overview Report version 1 approved by Chris Chairperson on")
    sign_off = tasks["Independent Chair's sign-off"]
    assert sign_off.status == NOT_STARTED
    assert sign_off.url == link("report_sign_off", lcspr_review)
    assert section(lcspr_review, manager)["Independent Chair's sign-off"].url == ""


def test_the_sign_off_completes_the_report(signed_off_report, independent_chair):
    review = signed_off_report.review
    tasks = section(review, independent_chair)
    assert tasks["Independent Chair's sign-off"].status == COMPLETED
    assert tasks["Independent Chair's sign-off"].hint.startswith("Signed off by Indira Chair on")
    assert tasks["Publication"].status == NOT_STARTED
    assert tasks["Publication"].hint == "Plan the publication date"


# --- the anonymisation check --------------------------------------------------------------------


def test_the_check_counts_what_it_found_without_naming_it(media, lcspr_review, author, manager):
    anonymisation.restricted_name_add(
        review=lcspr_review, by=manager, term="Robin Fictional", category=NameCategory.FAMILY
    )
    version = upload(lcspr_review, author, text="Robin Fictional and Robin Fictional's car.")
    task = section(lcspr_review, manager)["Anonymisation check"]
    assert (task.status, task.hint) == (NOT_STARTED, "1 restricted name listed")
    assert task.url == link("anonymisation_checks", lcspr_review)
    anonymisation.anonymisation_check_run(
        review=lcspr_review, version=version, by=manager, purpose=CheckPurpose.ON_REQUEST
    )
    task = section(lcspr_review, manager)["Anonymisation check"]
    assert task.status == IN_PROGRESS
    assert task.lines == [("Overview Report version 1: 2 restricted names found", None)]
    assert "Robin" not in task.hint + str(task.lines)


def test_once_each_current_version_is_checked_the_check_waits_for_no_one_until_something_changes(
    media, lcspr_review, author, manager
):
    """The row stays in progress ("check again before publication"), but "Waiting for you"
    shows it only while there is a check to run: a version not yet checked, or a name added
    since the last check."""
    anonymisation.restricted_name_add(
        review=lcspr_review, by=manager, term="Robin Fictional", category=NameCategory.FAMILY
    )
    version = upload(lcspr_review, author, text="Child T lived at home.")
    assert section(lcspr_review, author)["Anonymisation check"].is_waiting
    anonymisation.anonymisation_check_run(
        review=lcspr_review, version=version, by=author, purpose=CheckPurpose.ON_REQUEST
    )
    task = section(lcspr_review, author)["Anonymisation check"]
    assert task.status == IN_PROGRESS and task.url
    assert not task.is_waiting

    anonymisation.restricted_name_add(
        review=lcspr_review, by=manager, term="Sam Fictional", category=NameCategory.FAMILY
    )
    assert section(lcspr_review, author)["Anonymisation check"].is_waiting
    anonymisation.anonymisation_check_run(
        review=lcspr_review, version=version, by=author, purpose=CheckPurpose.ON_REQUEST
    )
    assert not section(lcspr_review, author)["Anonymisation check"].is_waiting
    upload(lcspr_review, author, text="Child T lived at home with a sibling.", note="Sibling")
    assert section(lcspr_review, author)["Anonymisation check"].is_waiting


def test_after_sign_off_the_check_before_publication_is_what_counts(
    signed_off_report, manager, panel_member
):
    review = signed_off_report.review
    task = section(review, manager)["Anonymisation check"]
    assert task.status == IN_PROGRESS
    assert "Run the anonymisation check before publication" in task.hint
    anonymisation.anonymisation_check_run(
        review=review, version=signed_off_report, by=manager, purpose=CheckPurpose.PUBLICATION
    )
    task = section(review, manager)["Anonymisation check"]
    assert (task.status, task.hint) == (COMPLETED, "Clear for publication")
    # A panel member neither sees the names nor runs the check.
    assert section(review, panel_member)["Anonymisation check"].url == ""


# --- publication --------------------------------------------------------------------------------


def test_a_planned_publication_shows_the_pre_publication_clock(publication_ready, manager):
    publication_services.publication_plan(
        review=publication_ready, by=manager, planned_on=D(2027, 1, 4)
    )
    task = section(publication_ready, manager)["Publication"]
    assert task.status == IN_PROGRESS
    assert task.hint.startswith("Planned for 4 January 2027")
    assert task.clock.kind == DeadlineKind.PRE_PUBLICATION
    assert task.clock.due_date == D(2026, 12, 21)
    assert task.clock.countdown == 5
    assert task.url == link("publication", publication_ready)


def test_publication_completes_the_section_step(publication_ready, manager, today):
    review = publication_ready
    for recipient in publication_selectors.RECIPIENTS:
        publication_services.publication_sent_record(
            review=review, by=manager, recipient=recipient, sent_on=TODAY
        )
    publication_services.publication_plan(review=review, by=manager, planned_on=D(2027, 1, 4))
    task = section(review, manager)["Publication"]
    assert task.clock is None  # sent to all three: the obligation is met
    today.move_to(at(D(2027, 1, 4)))
    publication_services.report_publish(
        review=review,
        by=manager,
        published_on=D(2027, 1, 4),
        web_address="https://example.org/reviews/child-t",
    )
    tasks = section(review, manager)
    assert tasks["Publication"].status == COMPLETED
    assert tasks["Publication"].hint.startswith("Published on 4 January 2027; stays online until")
    assert tasks["Anonymisation check"].status == COMPLETED


def test_only_the_manager_and_the_independent_chair_reach_the_publication_page(
    lcspr_review, independent_chair, panel_chair, subgroup_member, author
):
    assert section(lcspr_review, independent_chair)["Publication"].url
    for user in (panel_chair, subgroup_member, author):
        assert section(lcspr_review, user)["Publication"].url == "", user


def test_the_covering_information_opens_with_the_signed_off_report_and_is_done_once_sent(
    signed_off_report, lcspr_review, manager, independent_chair, today
):
    task = section(lcspr_review, manager)[COVERING]
    assert (task.status, task.url, task.to_do) == (
        NOT_STARTED,
        link("publication_covering", lcspr_review),
        False,  # a page to copy from: the sending is the publication row's work
    )
    assert COVERING not in section(lcspr_review, independent_chair)
    for recipient in publication_selectors.RECIPIENTS:
        publication_services.publication_sent_record(
            review=lcspr_review, by=manager, recipient=recipient, sent_on=TODAY
        )
    assert section(lcspr_review, manager)[COVERING].status == COMPLETED


def test_before_the_sign_off_there_is_no_covering_information_to_open(lcspr_review, manager):
    task = section(lcspr_review, manager)[COVERING]
    assert (task.status, task.url) == (CANNOT_START, "")


# --- the learning -------------------------------------------------------------------------------


def write_summary(review, by, primary=("Neglect",), findings="Agencies did not share."):
    learning.learning_summary_update(
        review=review,
        by=by,
        primary_themes=[LearningTheme.objects.get(name=n) for n in primary],
        other_themes=[],
        background="",
        why_it_matters="",
        findings=findings,
        reflective_questions="",
        further_reading="",
    )


def test_the_learning_is_complete_with_findings_a_primary_theme_and_recommendations(
    lcspr_review, author, subgroup_member
):
    write_summary(lcspr_review, author, primary=(), findings="")
    task = section(lcspr_review, author)["Learning summary and recommendations"]
    assert (task.status, task.hint) == (IN_PROGRESS, "0 primary themes; 0 recommendations")
    write_summary(lcspr_review, author, primary=("Neglect", "Young carers"))
    learning.recommendation_add(review=lcspr_review, by=author, text="Share concerns early.")
    task = section(lcspr_review, author)["Learning summary and recommendations"]
    assert (task.status, task.hint) == (COMPLETED, "2 primary themes; 1 recommendation")
    # The sub-group reads the learning.
    task = section(lcspr_review, subgroup_member)["Learning summary and recommendations"]
    assert task.url == link("learning", lcspr_review)


def test_every_reader_of_the_review_reaches_the_learning_but_only_some_the_report(
    lcspr_review, panel_member, subgroup_member, executive_member, partner_lead
):
    for user in (panel_member, subgroup_member, executive_member, partner_lead):
        tasks = section(lcspr_review, user)
        assert tasks["Learning summary and recommendations"].url, user
        assert tasks["Anonymisation check"].url == "", user


# --- queries ------------------------------------------------------------------------------------


def test_the_review_page_runs_the_same_queries_however_much_the_report_grows(
    client, media, lcspr_review, author, manager
):
    anonymisation.restricted_name_add(
        review=lcspr_review, by=manager, term="Robin Fictional", category=NameCategory.FAMILY
    )
    version = upload(lcspr_review, author)
    learning.recommendation_add(review=lcspr_review, by=author, text="One.")
    write_summary(lcspr_review, author)

    def grow():
        for n in range(4):
            current = upload(lcspr_review, author, note=f"Change {n}")
            anonymisation.anonymisation_check_run(
                review=lcspr_review, version=current, by=manager, purpose=CheckPurpose.ON_REQUEST
            )
        upload(lcspr_review, author, kind=ReportKind.EXECUTIVE_SUMMARY)
        for n in range(10):
            learning.recommendation_add(review=lcspr_review, by=author, text=f"More {n}.")
            anonymisation.restricted_name_add(
                review=lcspr_review, by=manager, term=f"Fictional {n}", category="other"
            )
        write_summary(
            lcspr_review, author, primary=("Neglect", "Young carers", "Disabled children")
        )

    assert version.number == 1
    client.force_login(manager)
    assert_constant_queries(client, reverse("reviews:detail", args=[lcspr_review.pk]), grow)
