"""A signed-off final report ready for the publication steps, reached through the
report and anonymisation services, on a fixed "today" (Monday 14 December 2026) so the
publication clocks meet Christmas. In a test module: `from tests.reviews.report_fixtures import *`
and `from tests.reviews.publication_fixtures import *`."""

import datetime
import io
import zipfile

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from reviews.publication import services as publication
from reviews.report import anonymisation
from reviews.report import services as reports
from reviews.report.models import CheckPurpose, NameCategory, ReportKind

# The fixtures need the report's people too: import tests.reviews.report_fixtures as well.
__all__ = ["media", "today", "signed_off_report", "publication_ready"]

# Monday 14 December 2026: Christmas Day (Fri 25), Boxing Day (observed Mon 28) and New Year's
# Day (Fri 1 January 2027) fall within the publication clocks that start here.
TODAY = datetime.date(2026, 12, 14)
RESTRICTED = "Jordan Ashdown"  # a fictional real name the report must not contain


def at(day: datetime.date) -> datetime.datetime:
    """10:00 UTC on `day` (the same date in London all year)."""
    return datetime.datetime(day.year, day.month, day.day, 10, tzinfo=datetime.UTC)


def docx(text: str, name: str = "overview-report.docx") -> SimpleUploadedFile:
    """A small real Word document with one paragraph."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats'
            '.org/package/2006/content-types"><Override PartName="/word/document.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.'
            'document.main+xml"/></Types>',
        )
        archive.writestr(
            "word/document.xml",
            '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.'
            'openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>'
            f"{text}</w:t></w:r></w:p></w:body></w:document>",
        )
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/octet-stream")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Uploaded report versions go to a folder of the test's own."""
    default = dict(settings.STORAGES["default"])
    default["OPTIONS"] = {**default.get("OPTIONS", {}), "location": str(tmp_path)}
    settings.STORAGES = {**settings.STORAGES, "default": default}
    return tmp_path


@pytest.fixture
def today():
    """Fix "today" at TODAY; a test moves on with `today.move_to(at(day))`."""
    with time_machine.travel(at(TODAY), tick=False) as traveller:
        yield traveller


@pytest.fixture
def signed_off_report(today, lcspr_review, manager, author, panel_chair, independent_chair):
    """The Overview Report approved by the panel chair and signed off by the Independent Chair
    today, with a restricted name on the list that the report does not contain."""
    anonymisation.restricted_name_add(
        review=lcspr_review, by=manager, term=RESTRICTED, category=NameCategory.CHILD
    )
    version = reports.report_version_upload(
        review=lcspr_review,
        by=author,
        kind=ReportKind.OVERVIEW,
        file=docx("Child T lived with their mother. Agencies did not share concerns."),
        change_note="",
    )
    reports.report_approve(review=lcspr_review, by=panel_chair, overview=version)
    reports.report_sign_off(review=lcspr_review, by=independent_chair)
    lcspr_review.refresh_from_db()
    return version


@pytest.fixture
def publication_ready(signed_off_report, lcspr_review, manager):
    """Everything but the sending and the plan: the anonymisation check before publication is
    clear and the family were offered the final draft."""
    anonymisation.anonymisation_check_run(
        review=lcspr_review, version=signed_off_report, by=manager, purpose=CheckPurpose.PUBLICATION
    )
    publication.publication_family_record(
        review=lcspr_review,
        by=manager,
        offered_on=TODAY,
        response="The family asked that the report says how the school helped.",
    )
    return lcspr_review
