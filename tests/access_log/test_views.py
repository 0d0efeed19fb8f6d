"""The access log viewer and its CSV and XLSX exports: the partnership manager only; filters by
review, person, kind and dates; newest first, 50 a page, a constant number of queries; reading
and exporting the log are logged too."""

import csv
import datetime
import io
import re
import zoneinfo

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from lcspr.access_log import exports, views
from lcspr.access_log.models import AccessLog
from lcspr.accounts.models import Role
from tests.factories import AgencyFactory, UserFactory
from tests.helpers import assert_constant_queries
from tests.reviews import conftest as review_fixtures
from tests.reviews.conftest import open_referral

URL = reverse("access_log:list")
CSV_URL = reverse("access_log:export_csv")
XLSX_URL = reverse("access_log:export_xlsx")
LONDON = zoneinfo.ZoneInfo("Europe/London")
referral = review_fixtures.referral


def signed_in(client, user):
    client.force_login(user)
    return client


def entry(user, review=None, *, at=None, what="Review page", kind=AccessLog.Kind.VIEW):
    return AccessLog.objects.create(
        user=user,
        review_id=review.pk if review else None,
        what=what,
        kind=kind,
        object_type="reviews.Review" if review else "",
        object_id=str(review.pk) if review else "",
        path=f"/reviews/{review.pk}/" if review else "/actions/",
        address="192.0.2.10",
        at=at or datetime.datetime(2026, 6, 1, 9, 30, tzinfo=LONDON),
    )


@pytest.fixture
def reader(db):
    return UserFactory(full_name="Rhea Reader", agency=AgencyFactory(name="Northbridge NHS Trust"))


@pytest.fixture
def second_review(manager, local_authority):
    return open_referral(manager, local_authority, pseudonym="Child Q")


def export_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


# --- who may see it ----------------------------------------------------------------------------


def test_the_manager_sees_who_looked_at_what(client, manager, reader, referral):
    entry(reader, referral)
    html = signed_in(client, manager).get(URL).content.decode()
    assert "Rhea Reader" in html
    assert "Northbridge NHS Trust" in html
    assert "1 Jun 2026, 09:30:00" in html  # London time (summer time: UTC+1)
    assert f"{referral.reference} (Child T)" in html
    assert reverse("reviews:detail", args=[referral.pk]) in html
    assert "192.0.2.10" in html
    assert "kept apart from the change history" in html


@pytest.mark.parametrize(
    "persona", ["independent_chair", "partner_lead", "subgroup_member", "agency_author", "outsider"]
)
def test_nobody_else_sees_the_log(client, persona, request):
    signed_in(client, request.getfixturevalue(persona))
    for url in (URL, CSV_URL, XLSX_URL):
        assert client.get(url).status_code == 403


def test_the_role_the_log_asks_for_is_the_partnership_managers():
    # Spelled out in the view because the log sits below lcspr.accounts.
    assert views.MANAGER_ROLE == Role.PARTNERSHIP_MANAGER


def test_signed_out_people_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("accounts:login") in response.url


def test_the_log_only_reads(client, manager):
    signed_in(client, manager)
    for url in (URL, CSV_URL, XLSX_URL):
        assert client.post(url).status_code == 405


def test_reading_the_log_is_logged(client, manager):
    signed_in(client, manager).get(URL)
    row = AccessLog.objects.get()
    assert (row.user, row.what) == (manager, "Viewed the access log")


def test_the_manager_finds_the_log_in_the_navigation(client, manager, partner_lead):
    assert URL in signed_in(client, manager).get(reverse("core:home")).content.decode()
    assert URL not in signed_in(client, partner_lead).get(reverse("core:home")).content.decode()


# --- filters -----------------------------------------------------------------------------------


def test_filtering_by_review_reference(client, manager, reader, referral, second_review):
    entry(reader, referral)
    entry(reader, second_review, what="Viewed the other review")
    html = signed_in(client, manager).get(URL, {"review": second_review.reference.lower()})
    html = html.content.decode()
    assert "Viewed the other review" in html
    assert "Review page" not in html


def test_an_unknown_reference_names_the_field(client, manager, reader, referral):
    entry(reader, referral)
    html = signed_in(client, manager).get(URL, {"review": "CSPR-1999-999"}).content.decode()
    assert "There is a problem" in html
    assert "No review has the reference CSPR-1999-999" in html
    assert "192.0.2.10" not in html


def test_filtering_by_person_from_their_name(client, manager, reader, referral):
    entry(reader, referral)
    entry(manager, referral, what="Seen by the manager")
    signed_in(client, manager)
    assert f"?user={reader.pk}" in client.get(URL).content.decode()
    html = client.get(URL, {"user": reader.pk}).content.decode()
    assert "Review page" in html
    assert "Seen by the manager" not in html


def test_filtering_by_kind_and_dates(client, manager, reader, referral):
    entry(reader, referral, at=datetime.datetime(2026, 5, 31, 23, 59, tzinfo=LONDON))
    entry(reader, referral, what="June download", kind=AccessLog.Kind.DOWNLOAD)
    entry(reader, referral, at=datetime.datetime(2026, 7, 1, 0, 0, tzinfo=LONDON), what="July")
    signed_in(client, manager)
    june = {"date_from_0": "1", "date_from_1": "6", "date_from_2": "2026"}
    june |= {"date_to_0": "30", "date_to_1": "6", "date_to_2": "2026"}
    html = client.get(URL, june).content.decode()
    assert "June download" in html
    assert "Review page" not in html
    assert "July" not in html
    html = client.get(URL, {"kind": "download"}).content.decode()
    assert "June download" in html
    assert "Review page" not in html


def test_dates_the_wrong_way_round_name_the_field(client, manager):
    dates = {"date_from_0": "2", "date_from_1": "6", "date_from_2": "2026"}
    dates |= {"date_to_0": "1", "date_to_1": "6", "date_to_2": "2026"}
    html = signed_in(client, manager).get(URL, dates).content.decode()
    assert "The date to must be the same as or after the date from" in html


def test_the_review_page_links_to_its_own_log(client, manager, referral):
    html = signed_in(client, manager).get(reverse("reviews:detail", args=[referral.pk]))
    assert f"{URL}?review={referral.reference}" in html.content.decode()
    assert "Who has looked at this review" in html.content.decode()


# --- pages and queries -------------------------------------------------------------------------


def test_newest_first_fifty_a_page(client, manager, reader, referral):
    start = datetime.datetime(2026, 6, 1, 9, 0, tzinfo=LONDON)
    for minute in range(55):
        entry(
            reader, referral, at=start + datetime.timedelta(minutes=minute), what=f"Read {minute}"
        )
    signed_in(client, manager)
    second = re.findall(r"Read (\d+)<br>", client.get(URL, {"page": 2}).content.decode())
    assert second == ["4", "3", "2", "1", "0"]
    # Reading page 2 is now the newest row of the log, at the top of page 1.
    html = client.get(URL).content.decode()
    assert html.index("Viewed the access log") < html.index("Read 54")
    assert re.findall(r"Read (\d+)<br>", html) == [str(n) for n in range(54, 5, -1)]


def test_the_page_runs_the_same_queries_for_few_rows_or_many(client, manager, referral):
    people = [UserFactory(agency=AgencyFactory()) for _ in range(3)]
    for person in people:
        entry(person, referral)

    def grow():
        reviews = [
            open_referral(manager, referral.referring_agency, pseudonym=f"Child {letter}")
            for letter in "XYZ"
        ]
        for number in range(40):
            person = UserFactory(agency=AgencyFactory())
            entry(person, reviews[number % 3])

    assert_constant_queries(signed_in(client, manager), URL, grow)


# --- exports -----------------------------------------------------------------------------------


def test_the_csv_export_holds_the_filtered_log_and_is_logged(
    client, manager, reader, referral, second_review
):
    entry(reader, referral)
    entry(reader, second_review, what='=HYPERLINK("http://example.org")')
    response = signed_in(client, manager).get(CSV_URL, {"review": second_review.reference})
    assert response.streaming
    assert response["Content-Disposition"].startswith("attachment")
    rows = export_rows(response)
    assert rows[0] == exports.COLUMNS
    assert len(rows) == 2
    assert rows[1][1:6] == [
        "Rhea Reader",
        reader.email,
        "Northbridge NHS Trust",
        "Viewed a page",
        '\'=HYPERLINK("http://example.org")',
    ]
    assert rows[1][7:9] == [second_review.reference, f"{second_review.reference} (Child Q)"]
    assert AccessLog.objects.filter(
        user=manager, kind=AccessLog.Kind.EXPORT, what="Exported the access log (CSV)"
    ).exists()


def test_the_export_reads_the_log_a_batch_at_a_time(client, manager, reader, referral, monkeypatch):
    monkeypatch.setattr(exports, "EXPORT_BATCH", 3)
    for number in range(7):
        entry(reader, referral, what=f"Read {number}")
    rows = export_rows(signed_in(client, manager).get(CSV_URL))
    assert [row[5] for row in rows[1:]] == [f"Read {n}" for n in range(6, -1, -1)]
    assert all(row[7] == referral.reference for row in rows[1:])


def test_a_removed_review_is_named_by_its_id(client, manager, reader):
    AccessLog.objects.create(user=reader, review_id=987654, what="Review page", path="/reviews/")
    rows = export_rows(signed_in(client, manager).get(CSV_URL))
    assert rows[1][7] == "removed (id 987654)"
    html = client.get(URL).content.decode()
    assert "Removed at the end of its retention period" in html


def test_the_xlsx_export_keeps_formulas_as_text_and_is_logged(client, manager, reader, referral):
    entry(reader, referral, what="=1+1")
    response = signed_in(client, manager).get(XLSX_URL)
    assert response["Content-Disposition"].startswith("attachment")
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook["Access log"]
    assert [c.value for c in sheet[1]] == exports.COLUMNS
    assert sheet["F2"].value == "'=1+1"
    assert sheet["F2"].data_type == "s"
    assert sheet["B2"].value == "Rhea Reader"
    assert AccessLog.objects.filter(kind=AccessLog.Kind.EXPORT, what__contains="XLSX").exists()


def test_a_page_read_is_described_in_words_with_its_review_not_its_route(client, manager, referral):
    row = AccessLog.objects.create(
        user=manager,
        review_id=referral.pk,
        what="reviews:publication_proceeding_add",
        object_type="reviews.Review",
        object_id=str(referral.pk),
        path=f"/reviews/{referral.pk}/publication/proceedings/add/",
        address="192.0.2.10",
    )
    html = signed_in(client, manager).get(URL).content.decode()
    assert "reviews:publication_proceeding_add" not in html
    assert f"{referral.reference}: add publication proceeding" in html
    assert f"Review {referral.pk}" not in html  # no internal id
    row.refresh_from_db()
    assert row.what == "reviews:publication_proceeding_add"  # the stored row is unchanged
