"""Importing a chronology: the template download, an upload that lists every problem and
stores nothing, a clean upload into an empty draft, and a re-import that replaces the draft
only after the user confirms. Only the agency's own representatives may import."""

import datetime
import io
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from chronologies import services
from chronologies.views import importing
from tests.core.office_files import with_parts, xlsx

pytestmark = pytest.mark.django_db

TEMPLATE_URL = "/chronologies/template.xlsx"


def import_url(chronology):
    return reverse("chronologies:import", args=[chronology.pk])


def detail_path(chronology):
    return f"/chronologies/requests/{chronology.pk}/"


def csv_upload(*rows, name="school.csv"):
    text = "Date,Description,Key lines of enquiry\r\n" + "".join(f"{r}\r\n" for r in rows)
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def upload(client, chronology, *rows, name="school.csv"):
    return client.post(import_url(chronology), {"file": csv_upload(*rows, name=name)})


def descriptions(chronology):
    return list(chronology.entries.order_by("sequence").values_list("description", flat=True))


def add_entry(chronology, by, description):
    services.entry_save(
        request=chronology, by=by, date=datetime.date(2025, 6, 3), description=description
    )


def test_the_template_url_is_the_agreed_one():
    assert reverse("chronologies:template") == TEMPLATE_URL
    assert reverse("chronologies:import", args=[5]) == "/chronologies/requests/5/import/"


def test_any_signed_in_user_downloads_the_template(client, outsider):
    client.force_login(outsider)
    response = client.get(TEMPLATE_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == importing.XLSX
    assert response["Content-Disposition"] == 'attachment; filename="chronology-template.xlsx"'
    assert response.content.startswith(b"PK")


def test_the_template_needs_signing_in_and_a_get(client, outsider):
    assert client.get(TEMPLATE_URL).status_code == 302
    client.force_login(outsider)
    assert client.post(TEMPLATE_URL).status_code == 405


def test_the_agency_representative_sees_the_upload_form(client, school_request, agency_author):
    client.force_login(agency_author)
    response = client.get(import_url(school_request))
    assert response.status_code == 200
    assert b'enctype="multipart/form-data"' in response.content
    assert b"Upload a file" in response.content


def test_a_clean_file_fills_an_empty_draft(client, school_request, agency_author):
    client.force_login(agency_author)
    response = upload(client, school_request, "03/04/2025,Home visit,1", "April 2025,Call,")
    assert response.status_code == 302
    assert response["Location"] == detail_path(school_request)
    assert descriptions(school_request) == ["Home visit", "Call"]
    page = client.get(response["Location"])
    assert (
        "Imported 2 entries from school.csv: 2 rows read from the CSV file (values separated by commas; rows 2 to 3)."
        in page.content.decode()
    )


def test_a_bad_row_among_many_stores_nothing_and_lists_every_problem(
    client, school_request, agency_author
):
    client.force_login(agency_author)
    rows = ["03/04/2025,Visit,1"] * 30
    rows[4] = "31/02/2025,Visit,1"
    rows[20] = "03/04/2025,,9"
    response = upload(client, school_request, *rows)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Row 6, Date: &#x27;31/02/2025&#x27; is not a real date" in page
    assert "Row 22, Description: enter the description" in page
    assert "Row 22, Key lines of enquiry: &#x27;9&#x27; is not one of" in page
    assert "Nothing was imported. The file has 3 problems" in page
    assert school_request.entries.count() == 0


def test_it_shows_the_first_200_problems_and_counts_the_rest(client, school_request, agency_author):
    client.force_login(agency_author)
    response = upload(client, school_request, *["soon,Visit,"] * 250)
    page = response.content.decode()
    assert page.count("is not a date in a format we accept") == 200
    assert "And 50 more problems not shown." in page


def test_a_file_that_is_not_a_chronology_is_explained(client, school_request, agency_author):
    client.force_login(agency_author)
    response = client.post(
        import_url(school_request), {"file": SimpleUploadedFile("x.csv", b"Name\r\nAlex\r\n")}
    )
    assert "The CSV file is missing the columns Date and Description" in response.content.decode()


def test_no_file_chosen_is_an_error_naming_the_field(client, school_request, agency_author):
    client.force_login(agency_author)
    response = client.post(import_url(school_request), {})
    assert "Select an Excel or CSV file" in response.content.decode()
    assert school_request.entries.count() == 0


def test_text_that_looks_like_html_is_stored_as_text_and_shown_escaped(
    client, school_request, agency_author
):
    client.force_login(agency_author)
    upload(client, school_request, '03/04/2025,"<script>alert(1)</script>",')
    assert descriptions(school_request) == ["<script>alert(1)</script>"]
    page = client.get(detail_path(school_request)).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_re_import_asks_before_replacing_the_draft(client, school_request, agency_author):
    add_entry(school_request, agency_author, "Typed by hand")
    client.force_login(agency_author)
    response = upload(client, school_request, "03/04/2025,New one,", "04/04/2025,New two,")
    assert response.status_code == 200
    page = response.content.decode()
    assert "This will replace the 1 entry in your draft with 2 entries from school.csv" in page
    assert "2 rows read from the CSV file (values separated by commas; rows 2 to 3)." in page
    assert descriptions(school_request) == ["Typed by hand"]

    response = client.post(import_url(school_request), {"confirm": "replace"})
    assert response.status_code == 302
    assert response["Location"] == detail_path(school_request)
    assert descriptions(school_request) == ["New one", "New two"]
    assert (
        "2 rows read from the CSV file (values separated by commas; rows 2 to 3)."
        in client.get(detail_path(school_request)).content.decode()
    )


def test_confirming_without_a_kept_file_asks_for_it_again(client, school_request, agency_author):
    add_entry(school_request, agency_author, "Typed by hand")
    client.force_login(agency_author)
    response = client.post(import_url(school_request), {"confirm": "replace"})
    assert response.status_code == 200
    assert "Choose the file again" in response.content.decode()
    assert descriptions(school_request) == ["Typed by hand"]


def test_a_large_re_import_is_confirmed_by_choosing_the_file_again(
    client, school_request, agency_author, monkeypatch
):
    monkeypatch.setattr(importing, "MAX_SESSION_BYTES", 10)
    add_entry(school_request, agency_author, "Typed by hand")
    client.force_login(agency_author)
    response = upload(client, school_request, "03/04/2025,New one,")
    assert "The file is too large to keep while you confirm" in response.content.decode()
    response = client.post(
        import_url(school_request),
        {"confirm": "replace", "file": csv_upload("03/04/2025,New one,")},
    )
    assert response.status_code == 302
    assert descriptions(school_request) == ["New one"]


def test_a_submitted_chronology_cannot_be_imported_into(client, school_request, school_author):
    add_entry(school_request, school_author, "Typed by hand")
    services.submit(request=school_request, by=school_author, declaration_confirmed=True)
    client.force_login(school_author)
    assert (
        "it cannot be imported into now" in client.get(import_url(school_request)).content.decode()
    )
    response = upload(client, school_request, "03/04/2025,New one,")
    assert "it cannot be imported into now" in response.content.decode()
    assert descriptions(school_request) == ["Typed by hand"]


def test_another_agencys_representative_gets_404(client, school_request, other_agency_author):
    client.force_login(other_agency_author)
    assert client.get(import_url(school_request)).status_code == 404
    assert upload(client, school_request, "03/04/2025,Visit,").status_code == 404
    assert school_request.entries.count() == 0


def test_an_outsider_gets_404(client, school_request, outsider):
    client.force_login(outsider)
    assert client.get(import_url(school_request)).status_code == 404


def test_a_panel_member_who_sees_the_chronology_may_not_import_into_it(
    client, police_request, panel_member, manager
):
    client.force_login(panel_member)
    assert client.get(import_url(police_request)).status_code == 403
    client.force_login(manager)
    assert upload(client, police_request, "03/04/2025,Visit,").status_code == 403
    assert police_request.entries.count() == 0


def test_the_import_page_refuses_other_methods(client, school_request, agency_author):
    client.force_login(agency_author)
    assert client.put(import_url(school_request)).status_code == 405
    assert client.delete(import_url(school_request)).status_code == 405


def test_a_case_system_export_with_a_stale_dimension_imports_every_row(
    client, school_request, agency_author
):
    # The export declares <dimension ref="A1:C3"> but holds 24 visits: all 24 are stored, and
    # the confirmation says which rows were read so the person can check them against the file.
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Chronology"
    sheet.append(["Date", "Time", "Description"])
    for day in range(1, 25):
        sheet.append([f"{day:02d}/04/2025", None, f"Visit {day}"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    stale = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source,
        zipfile.ZipFile(stale, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = content.replace(
                    b'<dimension ref="A1:C25" />', b'<dimension ref="A1:C3" />'
                )
            target.writestr(info, content)
    client.force_login(agency_author)
    response = client.post(
        import_url(school_request),
        {"file": SimpleUploadedFile("case-system-export.xlsx", stale.getvalue())},
        follow=True,
    )
    assert descriptions(school_request) == [f"Visit {day}" for day in range(1, 25)]
    assert (
        "Imported 24 entries from case-system-export.xlsx: 24 rows read from the sheet "
        "&quot;Chronology&quot; (rows 2 to 25)." in response.content.decode()
    )


def test_a_file_chosen_again_at_the_confirmation_with_problems_lists_them_and_keeps_the_draft(
    client, school_request, agency_author, monkeypatch
):
    # The path taken when the parsed rows were too large to keep between the two steps.
    monkeypatch.setattr(importing, "MAX_SESSION_BYTES", 10)
    add_entry(school_request, agency_author, "Typed by hand")
    client.force_login(agency_author)
    upload(client, school_request, "03/04/2025,New one,")
    response = client.post(
        import_url(school_request),
        {"confirm": "replace", "file": csv_upload("31/02/2025,Bad date,")},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Row 2, Date: &#x27;31/02/2025&#x27; is not a real date" in page
    assert "Correct the problems in school.csv and upload it again" in page
    assert descriptions(school_request) == ["Typed by hand"]


def _sheet_changed(edit) -> bytes:
    """The template-like workbook with 24 visits, its sheet's XML passed through `edit`."""
    original = xlsx(*[[f"{day:02d}/04/2025", None, f"Visit {day}"] for day in range(1, 25)])
    with zipfile.ZipFile(io.BytesIO(original)) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    return with_parts(original, {"xl/worksheets/sheet1.xml": edit(xml)})


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda xml: xml.replace(
                "<worksheet ", '<!DOCTYPE x [<!ENTITY v "Visit">]><worksheet ', 1
            ),
            "The file cannot be accepted: it contains a DOCTYPE declaration, which Excel never "
            "writes. Save it again from Excel and upload it again",
        ),
        (
            lambda xml: xml[: len(xml) // 2],
            "The sheet &quot;Chronology&quot; is damaged and could not be read past row",
        ),
    ],
    ids=["a DOCTYPE", "a sheet cut short"],
)
def test_a_workbook_that_cannot_be_read_safely_is_refused_with_a_message_and_nothing_stored(
    client, school_request, agency_author, edit, message
):
    client.force_login(agency_author)
    response = client.post(
        import_url(school_request),
        {"file": SimpleUploadedFile("case-system-export.xlsx", _sheet_changed(edit))},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Correct the problems in case-system-export.xlsx and upload it again" in page
    assert message in page, page[:4000]
    assert school_request.entries.count() == 0
