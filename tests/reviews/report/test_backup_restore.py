"""Backup and restore keep the database and the uploaded files together (`manage.py backup`,
`restore`, `verify_files`, lcspr/core/backup.py): a round trip on the real database brings a
report draft back downloadable, and a changed or missing file is reported."""

import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from reviews.report.models import ReportVersion
from tests.reviews.report.test_reports_services import pdf_bytes, upload
from tests.reviews.report_fixtures import *  # noqa: F403


@pytest.fixture
def media(settings, tmp_path):
    """Uploaded files go to a folder of the test's own."""
    default = dict(settings.STORAGES["default"])
    folder = tmp_path / "media"
    default["OPTIONS"] = {**default.get("OPTIONS", {}), "location": str(folder)}
    settings.STORAGES = {**settings.STORAGES, "default": default}
    return folder


@pytest.fixture
def overview(transactional_db, media, lcspr_review, author):
    return upload(lcspr_review, author, data=pdf_bytes(), name="overview-report.pdf")


def download(client, user, version):
    client.force_login(user)
    return client.get(reverse("reviews:report_download", args=[version.review_id, version.pk]))


def test_a_backup_restored_after_a_wipe_brings_the_report_back_downloadable(
    client, tmp_path, media, overview, panel_member
):
    folder = tmp_path / "backup"
    call_command("backup", str(folder))
    manifest = json.loads((folder / "manifest.json").read_text())
    (entry,) = [
        f for f in manifest["files"] if f["record"] == f"reviews.ReportVersion {overview.pk}"
    ]
    assert entry == {
        "path": overview.file.name,
        "size": overview.size,
        "sha256": overview.sha256,
        "record": f"reviews.ReportVersion {overview.pk}",
        "field": "file",
    }

    # Everything lost: the rows and the files.
    ReportVersion.objects.all().delete()
    for path in media.rglob("*"):
        if path.is_file():
            path.unlink()
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(folder))  # people are still in the database
    call_command("restore", str(folder), "--force")

    call_command("verify_files")  # raises on any problem
    restored = ReportVersion.objects.get(pk=overview.pk)
    response = download(client, panel_member, restored)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_bytes()


def test_verify_files_names_a_changed_file_and_a_missing_one(
    media, overview, lcspr_review, author, capsys
):
    second = upload(
        lcspr_review,
        author,
        data=pdf_bytes("Executive Summary"),
        name="summary.pdf",
        kind="executive_summary",
    )
    (media / overview.file.name).write_bytes(b"%PDF-1.7\n% edited on the disk\n%%EOF\n")
    (media / second.file.name).unlink()

    with pytest.raises(CommandError, match="2 stored files have problems"):
        call_command("verify_files")

    err = capsys.readouterr().err
    assert f"SHA-256 does not match its record: {overview.file.name}" in err
    assert f"Missing: {second.file.name}" in err
