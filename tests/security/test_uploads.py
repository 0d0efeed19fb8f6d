"""The upload sweep: every place a file is uploaded (report drafts, agency summaries, panel
minutes, action evidence, chronology imports) is fed what a careless or hostile user sends, and
must refuse it with a message naming the field, storing nothing (no row, no file on disk), never
with a server error. Accepted files keep a sanitised name and are only ever served through the
permission-checked views, as attachments that are neither sniffed nor cached."""

import io
import re
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import Resolver404, get_resolver, resolve, reverse
from django.utils import timezone

from actions.models import EvidenceFile
from chronologies.models import Entry
from lcspr.core.uploads import check_document, check_evidence, safe_file_name
from panels.models import PanelMeeting
from reviews.rapid_review import services
from reviews.rapid_review.models import AgencySummaryRequest
from reviews.report.models import ReportVersion
from tests.core.office_files import (
    content_types,
    relationship,
    relationships,
    unsafe_files,
    with_a_hyperlink,
    with_parts,
    word,
    xlsx,
)
from tests.core.test_documents import docx
from tests.reviews.conftest import open_referral, to_rapid_review

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 56
HTML = b"<!DOCTYPE html><html><script>alert(1)</script></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'
MB = 1024 * 1024


def plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "Not an Office document.")
    return buffer.getvalue()


def bomb(part: str, *, members: int = 1, size: int = 200 * MB) -> bytes:
    """An Office-looking zip whose parts expand far beyond any real document (zeros compress
    about a thousand to one), or that holds far too many parts."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        if members > 1:
            for number in range(members):
                archive.writestr(f"xl/parts/{number}.xml", "")
        with archive.open(part, "w", force_zip64=True) as stream:
            chunk = b"\x00" * MB
            for _ in range(size // MB):
                stream.write(chunk)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def bombs():
    return {
        "docx": bomb("word/document.xml"),
        "xlsx": bomb("xl/workbook.xml"),
        "many parts": bomb("xl/workbook.xml", members=6000, size=MB),
    }


# --- the upload points ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def rapid_summary(world, django_db_blocker):
    """An agency summary asked of the representative's agency in a review at rapid review."""
    with django_db_blocker.unblock():
        manager = world.users["manager"]
        review = to_rapid_review(
            open_referral(manager, world.agencies["la"], pseudonym="Child U"), manager
        )
        return services.agency_summary_request(
            review=review, by=manager, agency=world.agencies["a1"], due_date=timezone.localdate()
        )


def _drafting_rep(world):
    draft = world.a.chron_request_other_agency
    return draft.agency.users.get(role_assignments__role="agency_representative")


def upload_points(world, rapid_summary):
    """name -> (user, url, other fields, file field, label in the message, rows stored)."""
    a = world.a
    held = {"held_on_0": "2", "held_on_1": "3", "held_on_2": str(timezone.localdate().year - 1)}
    draft = a.chron_request_other_agency
    return {
        "report draft": (
            world.users["author_a"],
            reverse("reviews:report_upload", args=[a.review.pk]),
            {"kind": "overview", "change_note": "Fictional change", "reopen_reason": "New draft"},
            "file",
            "file",
            lambda: ReportVersion.objects.count(),
        ),
        "agency summary": (
            world.users["rep_involved"],
            reverse("reviews:summary_detail", args=[rapid_summary.pk]),
            {"summary": ""},
            "file",
            "summary file",
            lambda: AgencySummaryRequest.objects.exclude(file="").count(),
        ),
        "panel minutes": (
            world.users["panel_chair_a"],
            reverse("panels:meeting_add", args=[a.review.pk]),
            {**held, "agenda": "Fictional agenda"},
            "minutes_file",
            "minutes file",
            lambda: PanelMeeting.objects.count(),
        ),
        "action evidence": (
            world.users["rep_involved"],
            reverse("actions:progress", args=[a.action.pk]),
            {"text": "Fictional progress", "status": "in_progress"},
            "files",
            "evidence file",
            lambda: EvidenceFile.objects.count(),
        ),
        "chronology import": (
            _drafting_rep(world),
            reverse("chronologies:import", args=[draft.pk]),
            {},
            "file",
            "file",
            lambda: Entry.objects.count(),
        ),
    }


def stored_files() -> set[str]:
    root = Path(default_storage.location)
    return {str(p) for p in root.rglob("*") if p.is_file()}


BAD_FILES = {
    "empty": ("report.pdf", b""),
    "program renamed .pdf": ("report.pdf", EXE),
    "web page renamed .pdf": ("report.pdf", HTML),
    "SVG renamed .png": ("poster.png", SVG),
    "web page renamed .docx": ("report.docx", HTML),
    "zip that is not an Office file": ("report.docx", plain_zip()),
    "program": ("setup.exe", EXE),
}
# What each upload point says, by the label naming its field.
REFUSALS = re.compile(
    r"must be (a PDF|smaller)|is empty|cannot be accepted|is not what its name says"
    r"|Correct the problems in"
)


def _post(world, user, url, data):
    client = Client(raise_request_exception=True)
    client.force_login(user)
    return client.post(url, data)


@pytest.mark.parametrize(
    "point",
    ["report draft", "agency summary", "panel minutes", "action evidence", "chronology import"],
)
@pytest.mark.parametrize("bad", [*BAD_FILES, "oversize", "docx bomb", "xlsx bomb", "many parts"])
def test_a_bad_file_is_refused_naming_the_field_and_nothing_is_stored(
    world, rapid_summary, bombs, point, bad
):
    user, url, fields, field, label, count = upload_points(world, rapid_summary)[point]
    if bad == "oversize":
        limit = 20 if point == "action evidence" else 10
        name, content = "big.pdf", PDF + b"0" * (limit * MB)
    elif bad.endswith("bomb") or bad == "many parts":
        kind = "docx" if bad == "docx bomb" else "xlsx"
        name, content = f"report.{kind}", bombs[bad.split()[0] if bad != "many parts" else bad]
    else:
        name, content = BAD_FILES[bad]
    before_rows, before_files = count(), stored_files()

    response = _post(world, user, url, {**fields, field: SimpleUploadedFile(name, content)})

    assert response.status_code == 200, response.status_code
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert f'href="#id_{field}"' in page
    if bad == "empty" and point != "chronology import":
        assert "The selected" in page and "is empty" in page
    elif point != "chronology import":
        assert f"The {label}" in page and REFUSALS.search(page), page[:3000]
    else:
        assert REFUSALS.search(page)
    assert count() == before_rows
    assert stored_files() == before_files


UNSAFE = unsafe_files()


@pytest.mark.parametrize(
    "point",
    ["report draft", "agency summary", "panel minutes", "action evidence", "chronology import"],
)
@pytest.mark.parametrize("unsafe", list(UNSAFE))
def test_an_office_file_carrying_something_unsafe_is_refused_saying_why(
    world, rapid_summary, point, unsafe
):
    # One check for every upload point: macros, links to files and servers elsewhere, embedded
    # programs and XML tricks never reach the people who download the file.
    user, url, fields, field, label, count = upload_points(world, rapid_summary)[point]
    name, content, why = UNSAFE[unsafe]
    before_rows, before_files = count(), stored_files()

    response = _post(world, user, url, {**fields, field: SimpleUploadedFile(name, content)})

    assert response.status_code == 200, response.status_code
    page = response.content.decode()
    assert f'href="#id_{field}"' in page
    assert f"The {label} cannot be accepted: {why}" in page, page[:3000]
    assert count() == before_rows
    assert stored_files() == before_files


@pytest.mark.parametrize(
    ("point", "name"),
    [("report draft", "report.docx"), ("action evidence", "guidance.docx")],
)
def test_a_word_document_with_an_ordinary_hyperlink_is_accepted(world, rapid_summary, point, name):
    user, url, fields, field, _label, count = upload_points(world, rapid_summary)[point]
    before = count()
    response = _post(
        world, user, url, {**fields, field: SimpleUploadedFile(name, with_a_hyperlink())}
    )
    assert response.status_code == 302
    assert count() == before + 1


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\windows\\report.pdf", "report.pdf"),
        ("minutes\x00\x1b\x07.pdf", "minutes.pdf"),
        ("minutes\u202efdp.exe.pdf", "minutesfdp.exe.pdf"),
        ("x" * 300 + ".pdf", "x" * 146 + ".pdf"),
        ('<script>alert(1)</script>".pdf', "script--.pdf"),
    ],
)
def test_an_accepted_file_keeps_a_safe_name_and_is_served_only_as_an_attachment(world, name, shown):
    chair, review = world.users["panel_chair_a"], world.a.review
    response = _post(
        world,
        chair,
        reverse("panels:meeting_add", args=[review.pk]),
        {
            "held_on_0": "2",
            "held_on_1": "3",
            "held_on_2": str(timezone.localdate().year - 1),
            "minutes_file": SimpleUploadedFile(name, PDF),
        },
    )
    assert response.status_code == 302
    meeting = PanelMeeting.objects.latest("pk")
    assert meeting.minutes_file_name == shown
    stored = Path(meeting.minutes_file.path)
    assert stored.is_relative_to(Path(default_storage.location))
    assert re.fullmatch(r"[\w.-]+", stored.name), stored.name

    client = Client()
    client.force_login(chair)
    download = client.get(reverse("panels:minutes_file", args=[review.pk, meeting.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert "\u202e" not in download["Content-Disposition"]
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Cache-Control"] == "no-store"
    assert download["Content-Type"] == "application/pdf"
    page = client.get(reverse("panels:meeting_detail", args=[review.pk, meeting.pk]))
    assert "<script>alert(1)" not in page.content.decode()


def test_every_download_is_an_attachment_that_is_neither_sniffed_nor_kept(world):
    a = world.a
    manager, rep = world.users["manager"], world.users["rep_involved"]
    downloads = [
        (
            world.users["author_a"],
            reverse("reviews:report_download", args=[a.review.pk, a.version_final.pk]),
        ),
        (manager, reverse("reviews:summary_file", args=[a.summary_request.pk])),
        (manager, reverse("panels:minutes_file", args=[a.review.pk, a.panel_meeting.pk])),
        (rep, reverse("actions:evidence", args=[a.evidence.pk])),
        (manager, reverse("chronologies:merged_csv", args=[a.review.pk])),
        (manager, reverse("chronologies:merged_xlsx", args=[a.review.pk])),
        (manager, reverse("chronologies:export_job_file", args=[a.review.pk, a.export_job.pk])),
    ]
    for user, url in downloads:
        client = Client()
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Disposition"].startswith("attachment;"), url
        assert response["X-Content-Type-Options"] == "nosniff", url
        assert response["Cache-Control"] == "no-store", url


def test_uploaded_material_is_stored_where_no_url_serves_it():
    media = Path(settings.STORAGES["default"]["OPTIONS"]["location"]).resolve()
    base = Path(settings.BASE_DIR).resolve()
    for served in [base / "static", Path(settings.STATIC_ROOT).resolve()]:
        assert not media.is_relative_to(served)
    for name in ("/media/reports/2026/report.pdf", "/var/media/reports/report.pdf"):
        with pytest.raises(Resolver404):
            resolve(name)

    def views(resolver):
        for pattern in resolver.url_patterns:
            if hasattr(pattern, "url_patterns"):
                yield from views(pattern)
            else:
                yield pattern.callback

    assert not any(
        getattr(view, "__module__", "") == "django.views.static" for view in views(get_resolver())
    )


# --- the checks themselves ----------------------------------------------------------------------


@pytest.mark.parametrize("check", [check_document, check_evidence])
def test_a_zip_bomb_is_refused_from_its_directory_without_being_opened(check, bombs):
    with pytest.raises(ValidationError, match="cannot be accepted: it expands to more than 100 MB"):
        check(SimpleUploadedFile("report.docx", bombs["docx"]), label="file")


def test_an_archive_of_too_many_parts_is_refused(bombs):
    with pytest.raises(ValidationError, match="it contains too many parts"):
        check_evidence(SimpleUploadedFile("results.xlsx", bombs["many parts"]), label="file")


def test_a_real_word_document_is_accepted_with_its_name_cleaned():
    file = check_document(SimpleUploadedFile("Draft\u202e 3.docx", docx("Fictional")), label="file")
    assert file.name == "Draft 3.docx"


@pytest.mark.parametrize(
    ("name", "extension", "safe"),
    [
        ("C:\\Users\\me\\Report.PDF", ".pdf", "Report.PDF"),
        ("poster.JPEG", ".jpeg", "poster.JPEG"),
        (".pdf", ".pdf", "pdf.pdf"),
        ("\u202e\u200b", ".pdf", "file.pdf"),
        ("survey", ".csv", "survey.csv"),
    ],
)
def test_safe_file_names(name, extension, safe):
    assert safe_file_name(name, extension) == safe


OLE = "application/vnd.openxmlformats-officedocument.oleObject"


@pytest.mark.parametrize(
    ("parts", "why"),
    [
        ({"word/vbaData.xml": "<wne:vbaSuppData/>"}, "it contains macros"),
        ({"word/activeX/activeX1.xml": "<ax:ocx/>"}, "it contains an embedded object or control"),
        (
            {"[Content_Types].xml": content_types(OLE)},
            "it contains an embedded object or control",
        ),
        (
            {
                "word/_rels/document.xml.rels": relationships(
                    relationship("oleObject", "embeddings/object1.xlsx")
                )
            },
            "it contains an embedded object or control",
        ),
        (
            {
                "word/_rels/document.xml.rels": relationships(
                    relationship("image", "https://images.example.invalid/logo.png", external=True)
                )
            },
            "it is linked to a picture kept outside the file",
        ),
        (
            {
                "word/_rels/document.xml.rels": relationships(
                    relationship("subDocument", "\\\\fileserver\\share\\annex.docx", external=True)
                )
            },
            "it is linked to another document kept outside the file",
        ),
        (
            {"word/footer1.xml": '<!DOCTYPE w [<!ENTITY x SYSTEM "file:///etc/passwd">]><w/>'},
            "DOCTYPE",
        ),
        ({"word/header1.xml": ""}, "part of it (word/header1.xml) is damaged"),
        ({"[Content_Types].xml": None}, "part of it ([Content_Types].xml is missing) is damaged"),
    ],
)
def test_the_office_check_refuses_each_unsafe_part(parts, why):
    with pytest.raises(ValidationError, match=re.escape(why)):
        check_evidence(
            SimpleUploadedFile("guidance.docx", with_parts(word(), parts)), label="evidence file"
        )


def test_a_chart_with_its_data_workbook_embedded_is_accepted():
    # Word keeps every chart's data as a workbook inside the document: not an OLE object.
    chart = with_parts(
        word(),
        {
            "word/embeddings/Microsoft_Excel_Worksheet.xlsx": xlsx(["01/04/2025", None, "4"]),
            "word/charts/chart1.xml": "<c:chartSpace xmlns:c='urn:fictional'/>",
            "word/charts/_rels/chart1.xml.rels": relationships(
                relationship("package", "../embeddings/Microsoft_Excel_Worksheet.xlsx")
            ),
        },
    )
    file = check_evidence(SimpleUploadedFile("results.docx", chart), label="evidence file")
    assert file.name == "results.docx"


@pytest.mark.parametrize(
    ("inside", "why"),
    [
        ({"xl/vbaProject.bin": b"fictional macro"}, "it contains macros"),
        (
            {
                "xl/externalLinks/_rels/externalLink1.xml.rels": relationships(
                    relationship("externalLinkPath", "file:///C:/budget.xlsx", external=True)
                )
            },
            "it is linked to another workbook kept outside the file",
        ),
        ({"xl/worksheets/sheet1.xml": '<!DOCTYPE x [<!ENTITY v "V">]><worksheet/>'}, "DOCTYPE"),
    ],
)
def test_a_workbook_embedded_in_a_word_document_is_checked_as_the_document_is(inside, why):
    workbook = with_parts(xlsx(["01/04/2025", None, "4"]), inside)
    document = with_parts(word(), {"word/embeddings/Microsoft_Excel_Worksheet.xlsx": workbook})
    with pytest.raises(ValidationError, match=re.escape(why)):
        check_document(SimpleUploadedFile("report.docx", document), label="file")


def test_an_embedded_zip_of_other_files_is_an_embedded_object():
    document = with_parts(word(), {"word/embeddings/package.zip": plain_zip()})
    with pytest.raises(ValidationError, match="it contains an embedded object or control"):
        check_document(SimpleUploadedFile("report.docx", document), label="file")
