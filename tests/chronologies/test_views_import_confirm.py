"""The import pages on unusual paths: what the success message says about the file, a re-import
confirmed with the rows kept (times included) or with the file chosen again, a chronology submitted by a colleague while the person was confirming, and a confirmation sent
twice."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from chronologies import services
from chronologies.models import RequestStatus

pytestmark = pytest.mark.django_db


def import_url(chronology):
    return reverse("chronologies:import", args=[chronology.pk])


def csv_upload(*lines, name="school.csv"):
    return SimpleUploadedFile(name, ("\r\n".join(lines) + "\r\n").encode(), content_type="text/csv")


def entries(chronology):
    return list(chronology.entries.order_by("sequence").values_list("description", "time"))


@pytest.fixture
def typed(school_request, agency_author):
    """A draft with one entry typed by hand."""
    services.entry_save(
        request=school_request,
        by=agency_author,
        date=datetime.date(2025, 6, 3),
        description="Typed by hand",
    )
    return school_request


def test_the_message_names_the_file_the_rows_read_and_the_columns_ignored(
    client, school_request, agency_author
):
    client.force_login(agency_author)
    response = client.post(
        import_url(school_request),
        {"file": csv_upload("DATE,Description*,Notes", "03/04/2025,Home visit,private")},
        follow=True,
    )
    assert entries(school_request) == [("Home visit", None)]
    assert (
        "Imported 1 entry from school.csv: 1 row read from the CSV file (values separated by commas; row 2). "
        "These columns were ignored: Notes" in response.content.decode()
    )


def test_a_re_import_shows_the_columns_ignored_before_the_person_confirms(
    client, typed, agency_author
):
    client.force_login(agency_author)
    response = client.post(
        import_url(typed), {"file": csv_upload("Date,Description,Staff name", "03/04/2025,A,B")}
    )
    html = response.content.decode()
    assert "This will replace the 1 entry in your draft with 1 entry from school.csv." in html
    assert "These columns were ignored: Staff name" in html
    assert entries(typed) == [("Typed by hand", None)]


def test_the_rows_kept_for_the_confirmation_keep_their_times(client, typed, agency_author):
    client.force_login(agency_author)
    client.post(
        import_url(typed),
        {
            "file": csv_upload(
                "Date,Time,Description", "03/04/2025,2:30pm,Visit", "April 2025,,Letter"
            )
        },
    )
    response = client.post(import_url(typed), {"confirm": "replace"})
    assert response.status_code == 302
    assert entries(typed) == [("Visit", datetime.time(14, 30)), ("Letter", None)]
    assert typed.entries.get(description="Letter").date_certainty == "month"


def test_confirming_twice_imports_once(client, typed, agency_author):
    client.force_login(agency_author)
    client.post(import_url(typed), {"file": csv_upload("Date,Description", "03/04/2025,New")})
    assert client.post(import_url(typed), {"confirm": "replace"}).status_code == 302
    again = client.post(import_url(typed), {"confirm": "replace"})
    assert again.status_code == 200
    assert "Choose the file again: the imported rows were not kept" in again.content.decode()
    assert entries(typed) == [("New", None)]
    assert typed.review.events.filter(kind="chronology_imported").count() == 1


def test_a_file_chosen_again_replaces_the_rows_kept(client, typed, agency_author):
    client.force_login(agency_author)
    client.post(import_url(typed), {"file": csv_upload("Date,Description", "03/04/2025,First")})
    response = client.post(
        import_url(typed),
        {
            "confirm": "replace",
            "file": csv_upload("Date,Description", "04/04/2025,Corrected", name="fixed.csv"),
        },
        follow=True,
    )
    assert entries(typed) == [("Corrected", None)]
    assert "Imported 1 entry from fixed.csv" in response.content.decode()


def test_a_chronology_submitted_by_a_colleague_meanwhile_is_not_replaced(
    client, typed, agency_author
):
    client.force_login(agency_author)
    client.post(import_url(typed), {"file": csv_upload("Date,Description", "03/04/2025,New")})
    services.authors_set(request=typed, by=agency_author, authors=[agency_author])
    services.submit(request=typed, by=agency_author, declaration_confirmed=True)
    response = client.post(import_url(typed), {"confirm": "replace"})
    assert response.status_code == 200
    assert "The chronology is submitted: it cannot change now." in response.content.decode()
    assert entries(typed) == [("Typed by hand", None)]
    typed.refresh_from_db()
    assert typed.status == RequestStatus.SUBMITTED
    assert typed.submissions.get().entry_count == 1


def test_an_uploaded_file_name_is_cleaned_before_it_is_shown(client, typed, agency_author):
    client.force_login(agency_author)
    response = client.post(
        import_url(typed),
        {"file": csv_upload("Date,Description", "03/04/2025,New", name="../../<b>evil</b>.csv")},
    )
    html = response.content.decode()
    assert "<b>evil</b>" not in html and "../" not in html
    assert entries(typed) == [("Typed by hand", None)]
