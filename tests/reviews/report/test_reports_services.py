"""The report's rules: numbered, hashed versions that supersede each other and close
their comments; comments and responses; the panel chair's approval (with the anonymisation check)
that only a new version with a reason can end; the Independent Chair's sign-off; the SHA-256
check of a stored file; and the protective marking stamped on a PDF."""

import functools
import hashlib
import io
import subprocess
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pypdf import PdfReader, PdfWriter

from lcspr.core.exceptions import WorkflowError
from lcspr.core.pdf import CannotStamp, render_pdf, stamp_pdf
from reviews.clocks.models import DeadlineKind
from reviews.models import ReportStatus, ReviewEvent
from reviews.report import anonymisation, services
from reviews.report.models import (
    AnonymisationCheck,
    CheckPurpose,
    NameCategory,
    ReportApproval,
    ReportComment,
    ReportKind,
    ReportVersion,
)
from tests.reviews.conftest import open_referral
from tests.reviews.report_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db

OVERVIEW, SUMMARY = ReportKind.OVERVIEW, ReportKind.EXECUTIVE_SUMMARY
REAL_NAME = "Jordan Fictional"  # a made-up "real" name for the restricted list


# --- helpers shared with test_views_reports.py ----------------------------------------------------


def docx_bytes(*paragraphs: str) -> bytes:
    """A small real Word document with these paragraphs."""
    body = "".join(f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>" for text in paragraphs)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
            'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr(
            "word/document.xml",
            '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.'
            'openxmlformats.org/wordprocessingml/2006/main"><w:body>'
            f"{body}</w:body></w:document>",
        )
    return buffer.getvalue()


@functools.cache
def pdf_bytes(title: str = "Overview Report for Child T") -> bytes:
    """A small real PDF, made the way the project makes its own (once per title: WeasyPrint
    takes a moment)."""
    return render_pdf("pdf/base.html", {}, title=title)


def a_file(data: bytes | None = None, name: str = "overview-report.docx") -> SimpleUploadedFile:
    if data is None:
        data = docx_bytes("Child T lived with their mother.", "Agencies did not share concerns.")
    return SimpleUploadedFile(name, data)


def upload(review, by, kind=OVERVIEW, data=None, name=None, note="", reason=""):
    default_name = "overview-report.docx" if kind == OVERVIEW else "executive-summary.docx"
    return services.report_version_upload(
        review=review,
        by=by,
        kind=kind,
        file=a_file(data, name or default_name),
        change_note=note,
        reopen_reason=reason,
    )


def pdf_text(data: bytes) -> str:
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    )
    return result.stdout.decode()


@pytest.fixture
def media(settings, tmp_path):
    """Uploaded files go to a folder of the test's own."""
    default = dict(settings.STORAGES["default"])
    default["OPTIONS"] = {**default.get("OPTIONS", {}), "location": str(tmp_path)}
    settings.STORAGES = {**settings.STORAGES, "default": default}
    return tmp_path


@pytest.fixture
def names(lcspr_review, manager):
    """The review's restricted list, which the anonymisation check at approval needs."""
    return anonymisation.restricted_name_add(
        review=lcspr_review, by=manager, term=REAL_NAME, category=NameCategory.CHILD
    )


def stored_files(folder):
    return [p for p in folder.rglob("*") if p.is_file()]


# --- versions -------------------------------------------------------------------------------------


def test_a_version_is_numbered_hashed_and_kept_with_who_uploaded_it(media, lcspr_review, author):
    data = docx_bytes("Version one of the fictional overview report.")
    version = upload(lcspr_review, author, data=data, name="My draft (final!).docx")
    assert version.number == 1
    assert version.sha256 == hashlib.sha256(data).hexdigest()
    assert version.size == len(data)
    assert version.file_name == "My draft (final!).docx"
    assert version.uploaded_by == author and version.is_current
    # The stored name is ours, never the uploader's.
    assert "final" not in version.file.name
    assert version.file.name.endswith(f"{lcspr_review.reference}-overview-v1.docx")
    lcspr_review.refresh_from_db()
    assert lcspr_review.report_status == ReportStatus.DRAFTING
    assert version.history.first().history_user == author
    event = ReviewEvent.objects.filter(review=lcspr_review, kind="report_version").get()
    assert event.summary == "Overview Report version 1 shared with the panel"


def test_a_new_version_supersedes_the_last_and_closes_its_open_comments(
    media, lcspr_review, author, panel_member
):
    first = upload(lcspr_review, author)
    answered = services.report_comment_add(
        version=first, by=panel_member, location="Section 2", text="Say more about the GP."
    )
    services.report_comment_respond(
        comment=answered, by=author, response="Section 2 now covers it.", resolve=True
    )
    left_open = services.report_comment_add(
        version=first, by=panel_member, location="", text="The timeline is hard to follow."
    )

    second = upload(lcspr_review, author, note="Findings rewritten after the panel's comments.")

    first.refresh_from_db()
    assert second.number == 2 and second.is_current
    assert first.superseded_at is not None and not first.is_current
    answered.refresh_from_db()
    left_open.refresh_from_db()
    assert answered.status == ReportComment.Status.RESOLVED
    assert left_open.status == ReportComment.Status.CLOSED and left_open.closed_at is not None


def test_versions_are_numbered_per_document(media, lcspr_review, author):
    upload(lcspr_review, author)
    upload(lcspr_review, author, note="Second draft.")
    summary = upload(lcspr_review, author, kind=SUMMARY)
    assert summary.number == 1
    assert services.current_versions(lcspr_review)[OVERVIEW].number == 2


def test_a_later_version_needs_a_note_of_what_changed(media, lcspr_review, author):
    upload(lcspr_review, author)
    with pytest.raises(WorkflowError) as refused:
        upload(lcspr_review, author, note="  ")
    assert refused.value.message_dict == {"change_note": ["Enter what changed since version 1"]}
    assert lcspr_review.report_versions.count() == 1


def test_a_file_that_is_not_a_pdf_or_word_document_is_refused_and_nothing_is_stored(
    media, lcspr_review, author
):
    with pytest.raises(WorkflowError) as refused:
        upload(lcspr_review, author, data=b"just some text", name="report.pdf")
    assert refused.value.message_dict["file"] == [
        "The file must be a PDF or a Word (DOCX) document"
    ]
    assert not ReportVersion.objects.exists()
    assert stored_files(media) == []


def test_drafts_are_shared_only_while_the_review_is_an_lcspr(
    media, manager, local_authority, police, icb, independent_author
):
    referral = open_referral(manager, local_authority, pseudonym="Child V")
    with pytest.raises(WorkflowError, match="You cannot share a draft of the report now"):
        upload(referral, independent_author)


def test_no_version_can_be_shared_after_publication(media, lcspr_review, author):
    upload(lcspr_review, author)
    type(lcspr_review).objects.filter(pk=lcspr_review.pk).update(
        report_status=ReportStatus.PUBLISHED
    )
    with pytest.raises(WorkflowError, match="has been published"):
        upload(lcspr_review, author, note="A late change.")


# --- comments -------------------------------------------------------------------------------------


def test_comments_are_taken_only_on_the_current_version(media, lcspr_review, author, panel_member):
    first = upload(lcspr_review, author)
    upload(lcspr_review, author, note="Second draft.")
    with pytest.raises(WorkflowError, match="replaced by a newer version"):
        services.report_comment_add(version=first, by=panel_member, location="", text="Late.")
    assert not ReportComment.objects.exists()


def test_a_comment_needs_text(media, lcspr_review, author, panel_member):
    version = upload(lcspr_review, author)
    with pytest.raises(WorkflowError) as refused:
        services.report_comment_add(version=version, by=panel_member, location="p. 3", text=" ")
    assert refused.value.message_dict == {"text": ["Enter your comment"]}


def test_the_author_responds_then_resolves(media, lcspr_review, author, panel_member):
    version = upload(lcspr_review, author)
    comment = services.report_comment_add(
        version=version, by=panel_member, location="Page 4", text="Name the school's role."
    )
    services.report_comment_respond(
        comment=comment, by=author, response="Added to page 4.", resolve=False
    )
    comment.refresh_from_db()
    assert comment.status == ReportComment.Status.OPEN
    assert comment.response == "Added to page 4." and comment.responded_by == author
    # Resolving later keeps the response already given.
    services.report_comment_respond(comment=comment, by=author, response="", resolve=True)
    comment.refresh_from_db()
    assert comment.status == ReportComment.Status.RESOLVED
    assert comment.response == "Added to page 4." and comment.resolved_by == author
    with pytest.raises(WorkflowError, match="already been resolved"):
        services.report_comment_respond(comment=comment, by=author, response="More.", resolve=True)


def test_a_response_needs_text_unless_it_resolves_an_answered_comment(
    media, lcspr_review, author, panel_member
):
    version = upload(lcspr_review, author)
    comment = services.report_comment_add(version=version, by=panel_member, location="", text="?")
    with pytest.raises(WorkflowError) as refused:
        services.report_comment_respond(comment=comment, by=author, response="", resolve=True)
    assert refused.value.message_dict == {"response": ["Enter your response to the comment"]}


def test_a_closed_comment_cannot_be_answered(media, lcspr_review, author, panel_member):
    version = upload(lcspr_review, author)
    comment = services.report_comment_add(version=version, by=panel_member, location="", text="?")
    upload(lcspr_review, author, note="Second draft.")
    with pytest.raises(WorkflowError, match="closed when a newer version was shared"):
        services.report_comment_respond(comment=comment, by=author, response="Done", resolve=True)


# --- approval -------------------------------------------------------------------------------------


def test_the_panel_chair_approves_the_current_versions_with_the_open_comments_counted(
    media, lcspr_review, author, panel_member, panel_chair, names
):
    overview = upload(lcspr_review, author, data=docx_bytes(f"{REAL_NAME} went to school."))
    summary = upload(lcspr_review, author, kind=SUMMARY)
    services.report_comment_add(version=overview, by=panel_member, location="", text="One.")
    services.report_comment_add(version=summary, by=panel_member, location="", text="Two.")

    approval = services.report_approve(
        review=lcspr_review,
        by=panel_chair,
        overview=overview,
        executive_summary=summary,
        note="Approved at the panel meeting.",
    )

    assert approval.open_comments == 2 and approval.approved_by == panel_chair
    assert services.live_approval(lcspr_review) == approval
    lcspr_review.refresh_from_db()
    assert lcspr_review.report_status == ReportStatus.APPROVED
    checks = {c.version_id: c for c in AnonymisationCheck.objects.all()}
    assert set(checks) == {overview.pk, summary.pk}
    assert all(c.purpose == CheckPurpose.APPROVAL for c in checks.values())
    assert checks[overview.pk].finding_count == 1 and checks[summary.pk].finding_count == 0
    event = ReviewEvent.objects.filter(review=lcspr_review, kind="report_approved").get()
    assert "approved as final by the panel chair with 2 comments open" in event.summary
    # An approved version takes no more comments.
    with pytest.raises(WorkflowError, match="approved as final, so comments are closed"):
        services.report_comment_add(version=overview, by=panel_member, location="", text="3")


def test_a_superseded_version_cannot_be_approved(media, lcspr_review, author, panel_chair, names):
    first = upload(lcspr_review, author)
    upload(lcspr_review, author, note="Second draft.")
    with pytest.raises(WorkflowError, match="has been replaced by a newer version"):
        services.report_approve(review=lcspr_review, by=panel_chair, overview=first)
    assert not ReportApproval.objects.exists()


def test_the_executive_summary_must_be_approved_with_the_overview_when_there_is_one(
    media, lcspr_review, author, panel_chair, names
):
    overview = upload(lcspr_review, author)
    summary = upload(lcspr_review, author, kind=SUMMARY)
    with pytest.raises(WorkflowError, match="has an Executive Summary"):
        services.report_approve(review=lcspr_review, by=panel_chair, overview=overview)
    with pytest.raises(WorkflowError, match="Choose a version of this review's Overview Report"):
        services.report_approve(review=lcspr_review, by=panel_chair, overview=summary)
    assert not ReportApproval.objects.exists()
    assert not AnonymisationCheck.objects.exists()


def test_there_is_one_live_approval_at_a_time(media, lcspr_review, author, panel_chair, names):
    overview = upload(lcspr_review, author)
    services.report_approve(review=lcspr_review, by=panel_chair, overview=overview)
    with pytest.raises(WorkflowError, match="is already approved"):
        services.report_approve(review=lcspr_review, by=panel_chair, overview=overview)


def test_approval_with_an_empty_restricted_list_records_no_check_and_says_so(
    media, lcspr_review, author, panel_chair
):
    overview = upload(lcspr_review, author)
    services.report_approve(review=lcspr_review, by=panel_chair, overview=overview)
    assert not AnonymisationCheck.objects.exists()
    event = lcspr_review.events.get(kind="report_approved")
    assert "no anonymisation check: the restricted list is empty" in event.summary


# --- a new version after approval -----------------------------------------------------------------


def test_replacing_an_approved_version_needs_a_reason_and_ends_the_approval_and_sign_off(
    media, lcspr_review, author, panel_chair, independent_chair, names
):
    overview = upload(lcspr_review, author)
    approval = services.report_approve(review=lcspr_review, by=panel_chair, overview=overview)
    services.report_sign_off(review=lcspr_review, by=independent_chair)
    completion = lcspr_review.deadlines.get(kind=DeadlineKind.COMPLETION)
    assert completion.met_on == timezone.localdate()

    with pytest.raises(WorkflowError) as refused:
        upload(lcspr_review, author, note="Coroner's findings added.")
    assert "reopen_reason" in refused.value.message_dict
    assert lcspr_review.report_versions.count() == 1

    second = upload(
        lcspr_review,
        author,
        note="Coroner's findings added.",
        reason="The inquest concluded with new findings.",
    )

    approval.refresh_from_db()
    assert not approval.is_live
    assert approval.void_reason == "The inquest concluded with new findings."
    assert approval.voided_by == author
    assert second.reopen_reason == "The inquest concluded with new findings."
    assert services.live_approval(lcspr_review) is None
    lcspr_review.refresh_from_db()
    assert lcspr_review.report_status == ReportStatus.DRAFTING
    completion.refresh_from_db()
    assert completion.met_on is None
    event = ReviewEvent.objects.filter(review=lcspr_review, kind="report_version").first()
    assert "approval and sign-off of Overview Report version 1 ended" in event.summary
    # The panel chair can approve the new version.
    services.report_approve(review=lcspr_review, by=panel_chair, overview=second)
    assert services.live_approval(lcspr_review).overview == second


def test_a_first_executive_summary_after_approval_needs_a_reason_and_ends_the_approval(
    media, lcspr_review, author, panel_chair, names
):
    overview = upload(lcspr_review, author)
    approval = services.report_approve(review=lcspr_review, by=panel_chair, overview=overview)
    with pytest.raises(WorkflowError, match="adding the Executive Summary"):
        upload(lcspr_review, author, kind=SUMMARY)
    approval.refresh_from_db()
    assert approval.is_live
    upload(lcspr_review, author, kind=SUMMARY, reason="The panel agreed a summary.")
    approval.refresh_from_db()
    assert not approval.is_live
    assert approval.void_reason == "The panel agreed a summary."


# --- sign-off -------------------------------------------------------------------------------------


def test_sign_off_needs_the_panel_chairs_approval_first(
    media, lcspr_review, author, independent_chair
):
    upload(lcspr_review, author)
    with pytest.raises(WorkflowError, match="has not approved a final version"):
        services.report_sign_off(review=lcspr_review, by=independent_chair)


def test_the_independent_chair_signs_off_once(
    media, lcspr_review, author, panel_chair, independent_chair, names
):
    overview = upload(lcspr_review, author)
    services.report_approve(review=lcspr_review, by=panel_chair, overview=overview)
    approval = services.report_sign_off(
        review=lcspr_review, by=independent_chair, note="For the partnership."
    )
    assert approval.signed_off_by == independent_chair and approval.is_signed_off
    assert approval.sign_off_note == "For the partnership."
    lcspr_review.refresh_from_db()
    assert lcspr_review.report_status == ReportStatus.SIGNED_OFF
    assert services.is_final(overview, approval)
    with pytest.raises(WorkflowError, match="already been signed off"):
        services.report_sign_off(review=lcspr_review, by=independent_chair)


# --- the stored file ------------------------------------------------------------------------------


def test_a_stored_file_is_read_back_only_when_its_hash_matches(media, lcspr_review, author):
    data = docx_bytes("The fictional report.")
    version = upload(lcspr_review, author, data=data)
    with services.open_checked(version) as file:
        assert file.read() == data

    path = media / version.file.name
    path.write_bytes(data.replace(b"PK", b"PQ", 1))
    with pytest.raises(services.FileTampered, match="does not match"):
        services.open_checked(version)

    path.unlink()
    with pytest.raises(services.FileTampered, match="missing"):
        services.open_checked(version)


# --- the marking ----------------------------------------------------------------------------------


def test_every_page_of_a_pdf_is_marked_top_and_bottom_and_keeps_its_text():
    writer = PdfWriter()
    for title in ("First page of the draft", "Second page of the draft"):
        writer.add_page(PdfReader(io.BytesIO(pdf_bytes(title))).pages[0])
    landscape = PdfReader(io.BytesIO(render_pdf("pdf/base.html", {}, title="Wide", landscape=True)))
    writer.add_page(landscape.pages[0])
    buffer = io.BytesIO()
    writer.write(buffer)

    stamped = stamp_pdf(buffer.getvalue(), "DRAFT — OFFICIAL-SENSITIVE")

    reader = PdfReader(io.BytesIO(stamped))
    assert len(reader.pages) == 3
    assert reader.pages[2].mediabox.width > reader.pages[2].mediabox.height
    for number, title in ((1, "First page"), (2, "Second page"), (3, "Wide")):
        page = subprocess.run(
            ["pdftotext", "-f", str(number), "-l", str(number), "-layout", "-", "-"],
            input=stamped,
            capture_output=True,
            check=True,
        ).stdout.decode()
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        assert lines[0] == "DRAFT — OFFICIAL-SENSITIVE", number
        assert lines[-1] == "DRAFT — OFFICIAL-SENSITIVE", number
        assert title in page


def test_a_damaged_pdf_cannot_be_stamped():
    with pytest.raises(CannotStamp):
        stamp_pdf(b"%PDF-1.7\nnot really a pdf", "DRAFT — OFFICIAL-SENSITIVE")
