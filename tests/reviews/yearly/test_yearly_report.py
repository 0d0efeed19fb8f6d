"""The partnership's yearly report on reviews: its figures for a financial year on the reviews of
conftest.py (known by heart), counted only over the reviews the reader sees, the late steps with
the reasons recorded, the default and a chosen period, a clear message for a nonsense year or
month, a constant number of queries, and the PDF and XLSX read back."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from reviews.clocks import services as clock_services
from reviews.clocks.models import DeadlineKind
from reviews.yearly import selectors
from reviews.yearly.selectors import Period
from tests.helpers import assert_constant_queries
from tests.reviews.yearly.conftest import TODAY, YEAR, year_grow

pytestmark = pytest.mark.django_db

URL = reverse("reviews:yearly_report")
FY_2025 = "?month=4&year=2025"


def steps(report) -> dict:
    return {s.kind: (s.on_time, s.late, s.overdue, s.open) for s in report["timeliness"]}


# --- The figures ------------------------------------------------------------------------------


def test_it_counts_the_years_statutory_steps(year_data, manager):
    report = selectors.yearly_report(manager, YEAR, today=TODAY)

    assert report["figures"] == {
        "notified": 2,  # A and B; F was notified in March 2025
        "rapid_reviews": 2,
        "decisions": 5,  # A, B, C, D and E's changed decision; F was decided after the year
        "lcsprs_started": 2,
        "lcsprs_completed": 1,
        "published": 1,
    }
    assert {key: count for key, _label, count in report["decisions"]} == {
        "lcspr": 2,
        "other_learning": 1,
        "no_further_action": 1,  # B only: E's first decision was changed to an LCSPR
        "national_review": 1,
    }


def test_it_reads_each_clock_as_it_was_met(year_data, manager):
    report = selectors.yearly_report(manager, YEAR, today=TODAY)

    assert steps(report)[DeadlineKind.NOTIFICATION] == (1, 1, 0, 0)
    assert steps(report)[DeadlineKind.PARTNERS_INFORMED] == (1, 0, 0, 0)
    assert steps(report)[DeadlineKind.RAPID_REVIEW] == (1, 1, 0, 0)
    assert steps(report)[DeadlineKind.COMPLETION] == (0, 1, 1, 0)
    assert steps(report)[DeadlineKind.PRE_PUBLICATION] == (1, 0, 0, 0)
    late = [(row.review.pseudonym, row.label, row.working_days_late) for row in report["late"]]
    assert late == [
        ("Child A", "Notify the National Panel", 1),
        ("Child B", "Send the rapid review to the National Panel", 1),
        # Due Wednesday 10 Dec 2025, met Tuesday 20 Jan 2026: 29 weekdays after it, less
        # Christmas Day, Boxing Day and New Year's Day.
        ("Child A", "Complete the LCSPR", 26),
        # Due Friday 20 Feb 2026, not met by Monday 15 June 2026: 81 weekdays, less Good Friday,
        # Easter Monday and the two May bank holidays.
        ("Child E", "Complete the LCSPR", 77),
    ]


def test_it_lists_the_reasons_recorded_for_a_late_step(year_data, manager):
    report = selectors.yearly_report(manager, YEAR, today=TODAY)

    reasons = {(row.review.pseudonym, row.label): row.reasons for row in report["late"]}
    assert reasons[("Child A", "Complete the LCSPR")] == [
        "Behind the timescale (03/11/2025): The author was away for six weeks."
    ]
    assert reasons[("Child A", "Notify the National Panel")] == []


def test_it_lists_the_reason_the_manager_recorded_beside_the_late_step(client, year_data, manager):
    notification = year_data.a.deadlines.get(kind=DeadlineKind.NOTIFICATION)
    record = "The referral reached the partnership a day after the local authority knew."
    clock_services.late_reason_record(deadline=notification, by=manager, late_reason=record)
    completion = year_data.a.deadlines.get(kind=DeadlineKind.COMPLETION)
    clock_services.late_reason_record(
        deadline=completion, by=manager, late_reason="The author fell ill."
    )

    report = selectors.yearly_report(manager, YEAR, today=TODAY)
    reasons = {(row.review.pseudonym, row.label): row.reasons for row in report["late"]}
    assert reasons[("Child A", "Notify the National Panel")] == [record]
    # The checkpoint's reason stays, after the one recorded for the clock.
    assert reasons[("Child A", "Complete the LCSPR")] == [
        "The author fell ill.",
        "Behind the timescale (03/11/2025): The author was away for six weeks.",
    ]
    assert reasons[("Child E", "Complete the LCSPR")] == []

    client.force_login(manager)
    page = client.get(URL + FY_2025).content.decode()
    assert record in page
    assert "The author fell ill." in page
    assert "The author was away for six weeks." in page


def test_it_counts_learning_themes_across_the_years_reviews(year_data, manager):
    report = selectors.yearly_report(manager, YEAR, today=TODAY)

    assert report["themes"] == [("Fictional theme one", 2, 0), ("Fictional theme two", 0, 1)]


def test_it_counts_actions_open_in_the_year_and_those_closed_with_their_impact(year_data, manager):
    (part,) = selectors.yearly_report(manager, YEAR, today=TODAY)["actions"]

    assert {key: count for key, _label, count in part.by_status} == {
        "not_started": 0,
        "in_progress": 1,
        "complete": 0,
        "closed": 1,
        "handed_over": 0,
    }
    assert (part.total, part.with_impact) == (2, 1)
    assert [(row["reference"], row["closed_on"]) for row in part.completed] == [
        (f"{year_data.a.reference}/A1", datetime.date(2026, 2, 2))
    ]
    assert part.completed[0]["impact_evidence"].startswith("An audit of 20 fictional cases")


def test_it_counts_only_the_reviews_the_reader_sees(year_data, subgroup_member):
    # The sub-group sees the LCSPRs (A and E), not the referrals and rapid reviews that ended
    # otherwise.
    report = selectors.yearly_report(subgroup_member, YEAR, today=TODAY)

    assert report["figures"]["notified"] == 1
    assert {key: count for key, _label, count in report["decisions"]} == {
        "lcspr": 2,
        "other_learning": 0,
        "no_further_action": 0,
        "national_review": 0,
    }
    assert {row.review.pseudonym for row in report["late"]} == {"Child A", "Child E"}


def test_the_default_period_is_the_last_complete_financial_year():
    assert Period.last_financial_year(datetime.date(2026, 6, 15)) == YEAR
    assert Period.last_financial_year(datetime.date(2026, 3, 31)) == Period.starting(2024, 4)
    assert Period.starting(2025, 4).end == datetime.date(2026, 3, 31)
    assert Period.starting(2024, 1).end == datetime.date(2024, 12, 31)


# --- The page ---------------------------------------------------------------------------------


def test_the_page_shows_the_last_financial_year_unless_another_is_chosen(
    client, year_data, manager
):
    client.force_login(manager)

    page = client.get(URL).content.decode()
    assert "Yearly report on reviews: April 2025 to March 2026" in page
    assert "The author was away for six weeks." in page

    chosen = client.get(URL + "?month=1&year=2026").content.decode()
    assert "January 2026 to December 2026" in chosen
    assert "the 12 months are not over" in chosen


def test_the_page_never_names_a_child(client, year_data, manager):
    from reviews.models import Child

    Child.objects.create(review=year_data.a, name="Fictional Realname", sex="female")
    client.force_login(manager)

    page = client.get(URL + FY_2025).content.decode()

    assert "Child A" in page
    assert "Fictional Realname" not in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?month=4&year=twenty", "Enter the year the 12 months start in as a number, like 2025"),
        ("?month=4&year=1066", "The year the 12 months start in must be between 2018 and"),
        ("?month=13&year=2025", "Select the month the 12 months start in"),
        ("?month=4&year=", "Enter the year the 12 months start in"),
    ],
)
def test_a_nonsense_year_or_month_is_named_beside_its_field(
    client, year_data, manager, query, message
):
    client.force_login(manager)

    response = client.get(URL + query)

    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert message in page
    assert "The year in figures" not in page


def test_a_download_with_a_nonsense_year_goes_back_to_the_page(client, manager):
    client.force_login(manager)

    response = client.get(reverse("reviews:yearly_report_xlsx") + "?month=4&year=abc")

    assert response.status_code == 302
    assert response["Location"].startswith(URL)


def test_the_page_runs_the_same_queries_for_many_more_reviews(
    client, year_data, manager, local_authority
):
    client.force_login(manager)

    before, _after = assert_constant_queries(
        client, URL + FY_2025, lambda: year_grow(manager, local_authority, reviews=30)
    )
    # 24 measured: the session and the user, the navigation, the access log, and one count or
    # list each of the report's parts.
    assert before <= 26


def test_the_report_is_in_the_navigation_of_those_who_may_see_it(
    client, manager, subgroup_member, executive_member, panel_member_user
):
    for user in (manager, subgroup_member, executive_member):
        client.force_login(user)
        assert f'href="{URL}"' in client.get(reverse("core:home")).content.decode()
    client.force_login(panel_member_user)
    assert f'href="{URL}"' not in client.get(reverse("core:home")).content.decode()


@pytest.fixture
def panel_member_user(db):
    from tests.factories import UserFactory

    return UserFactory(full_name="Pat Panel")


# --- The downloads ----------------------------------------------------------------------------


def test_the_pdf_holds_the_figures_and_the_late_steps(client, year_data, manager):
    client.force_login(manager)

    response = client.get(reverse("reviews:yearly_report_pdf") + FY_2025)

    assert response["Content-Type"] == "application/pdf"
    assert "yearly-report-on-reviews-2025-04.pdf" in response["Content-Disposition"]
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())
    assert "Yearly report on reviews: April 2025 to March 2026" in text
    assert "Serious incidents notified to the National Panel 2" in text
    assert "The author was away for six weeks." in text
    assert "Fictional theme one" in text


def test_the_xlsx_holds_dates_as_dates_and_figures_as_numbers(client, year_data, manager):
    client.force_login(manager)

    response = client.get(reverse("reviews:yearly_report_xlsx") + FY_2025)

    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [
        "Summary",
        "Decisions",
        "Timeliness",
        "Late steps",
        "Learning themes",
        "Actions",
        "Actions closed",
    ]
    summary = {row[0]: row[1] for row in workbook["Summary"].iter_rows(values_only=True)}
    assert summary["From"].date() == datetime.date(2025, 4, 1)
    assert summary["Serious incidents notified to the National Panel"] == 2
    late = list(workbook["Late steps"].iter_rows(min_row=2, values_only=True))
    assert late[0][:3] == (year_data.a.reference, "Child A", "Notify the National Panel")
    assert (late[0][3].date(), late[0][4].date(), late[0][5]) == (
        datetime.date(2025, 5, 8),
        datetime.date(2025, 5, 9),
        1,
    )
    assert late[3][4] == "Not met"
    closed = list(workbook["Actions closed"].iter_rows(min_row=2, values_only=True))
    assert closed[0][5].date() == datetime.date(2026, 2, 2)


def test_a_clock_met_through_the_services_stays_as_it_was_met_when_the_rules_change(
    manager, local_authority, police, icb
):
    from reviews.clocks.services import clock_settings_update
    from tests.reviews.conftest import open_referral, to_rapid_review

    # Aware Tuesday 3 March 2026, notified Friday 6 March: within the 5 working days.
    to_rapid_review(open_referral(manager, local_authority), manager)
    march = Period.starting(2026, 3)
    before = steps(selectors.yearly_report(manager, march))[DeadlineKind.NOTIFICATION]

    clock_settings_update(by=manager, notification_days=1)

    after = steps(selectors.yearly_report(manager, march))[DeadlineKind.NOTIFICATION]
    assert before == after == (1, 0, 0, 0)
