"""The report pages: who reaches each page (404 outside the review, 403 for those who
see it but may not act), uploading versions, comments and responses, the panel chair's approval
and the Independent Chair's sign-off, and the files: served only through the permission check,
hash-checked, logged, and stamped when a PDF is viewed online."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lcspr.access_log.models import AccessLog
from reviews.report import anonymisation, services
from reviews.report.models import (
    NameCategory,
    ReportApproval,
    ReportComment,
    ReportKind,
    ReportVersion,
)
from tests.helpers import assert_constant_queries
from tests.reviews.report.test_reports_services import (
    REAL_NAME,
    docx_bytes,
    pdf_bytes,
    pdf_text,
    stored_files,
    upload,
)
from tests.reviews.report_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db

OVERVIEW, SUMMARY = ReportKind.OVERVIEW, ReportKind.EXECUTIVE_SUMMARY
DRAFT = "DRAFT — OFFICIAL-SENSITIVE"


@pytest.fixture
def media(settings, tmp_path):
    """Uploaded files go to a folder of the test's own."""
    default = dict(settings.STORAGES["default"])
    default["OPTIONS"] = {**default.get("OPTIONS", {}), "location": str(tmp_path)}
    settings.STORAGES = {**settings.STORAGES, "default": default}
    return tmp_path


@pytest.fixture
def names(lcspr_review, manager):
    """The review's restricted list of real names."""
    return anonymisation.restricted_name_add(
        review=lcspr_review, by=manager, term=REAL_NAME, category=NameCategory.CHILD
    )


@pytest.fixture
def overview(media, lcspr_review, author):
    """Version 1 of the Overview Report, a PDF."""
    return upload(lcspr_review, author, data=pdf_bytes(), name="overview-report.pdf")


@pytest.fixture
def comment(overview, panel_member):
    return services.report_comment_add(
        version=overview, by=panel_member, location="Section 3", text="Say how the GP knew."
    )


@pytest.fixture
def approved(overview, lcspr_review, panel_chair):
    return services.report_approve(review=lcspr_review, by=panel_chair, overview=overview)


@pytest.fixture
def final(approved, lcspr_review, independent_chair):
    return services.report_sign_off(review=lcspr_review, by=independent_chair)


def url(name, review, *args):
    return reverse(f"reviews:{name}", args=[review.pk, *args])


def signed_in(client, user):
    client.force_login(user)
    return client


def page_of(response) -> str:
    return response.content.decode()


def errors_of(response) -> str:
    html = page_of(response)
    assert response.status_code == 200
    assert "govuk-error-summary" in html, "the page shows no error summary"
    return html


# --- who may reach which page ---------------------------------------------------------------------

# page -> the args it needs, from (version, comment)
PAGES = {
    "report_detail": lambda v, c: (),
    "report_version": lambda v, c: (v.pk,),
    "report_download": lambda v, c: (v.pk,),
    "report_view_online": lambda v, c: (v.pk,),
    "report_upload": lambda v, c: (),
    "report_comment": lambda v, c: (v.pk,),
    "report_respond": lambda v, c: (c.pk,),
    "report_approve": lambda v, c: (),
    "report_sign_off": lambda v, c: (),
}
ALLOWED = {
    "report_detail": [
        "panel_member",
        "panel_chair",
        "author",
        "manager",
        "independent_chair",
        "subgroup_member",
        "executive_member",
        "partner_lead",
    ],
    "report_version": ["panel_member", "panel_chair", "author", "manager", "independent_chair"],
    "report_download": ["panel_member", "panel_chair", "author", "manager", "independent_chair"],
    "report_view_online": [
        "panel_member",
        "panel_chair",
        "author",
        "manager",
        "independent_chair",
    ],
    "report_upload": ["author", "manager"],
    "report_comment": ["panel_member", "panel_chair"],
    "report_respond": ["author"],
    "report_approve": ["panel_chair"],
    "report_sign_off": ["independent_chair"],
}
FORBIDDEN = {
    "report_version": ["subgroup_member", "executive_member", "partner_lead"],
    "report_download": ["subgroup_member", "executive_member", "partner_lead"],
    "report_view_online": ["subgroup_member", "executive_member"],
    "report_upload": ["panel_member", "panel_chair", "independent_chair", "subgroup_member"],
    "report_comment": ["author", "manager", "independent_chair", "subgroup_member"],
    "report_respond": ["panel_member", "panel_chair", "manager"],
    "report_approve": ["panel_member", "manager", "independent_chair", "author"],
    "report_sign_off": ["panel_chair", "manager", "author"],
}
GET_ONLY = {"report_detail", "report_version", "report_download", "report_view_online"}


def _url_for(name, review, version, comment_):
    return url(name, review, *PAGES[name](version, comment_))


@pytest.mark.parametrize("name", PAGES)
def test_every_page_is_hidden_from_people_outside_the_review(
    client, lcspr_review, comment, overview, outsider, agency_author, elsewhere, name
):
    for user in (outsider, agency_author, *elsewhere):
        response = signed_in(client, user).get(_url_for(name, lcspr_review, overview, comment))
        assert response.status_code == 404, user


@pytest.mark.parametrize("name", PAGES)
def test_each_page_opens_for_the_people_it_is_for(
    client, request, lcspr_review, comment, overview, panel_chair, name
):
    for persona in ALLOWED[name]:
        user = request.getfixturevalue(persona)
        response = signed_in(client, user).get(_url_for(name, lcspr_review, overview, comment))
        assert response.status_code == 200, persona


@pytest.mark.parametrize("name", FORBIDDEN)
def test_people_who_see_the_review_but_may_not_act_are_refused(
    client, request, lcspr_review, comment, overview, name
):
    for persona in FORBIDDEN[name]:
        user = request.getfixturevalue(persona)
        response = signed_in(client, user).get(_url_for(name, lcspr_review, overview, comment))
        assert response.status_code == 403, persona
        # A refused POST changes nothing either.
        if name not in GET_ONLY:
            response = client.post(_url_for(name, lcspr_review, overview, comment), {})
            assert response.status_code == 403, persona
    assert ReportVersion.objects.count() == 1
    assert ReportComment.objects.get().status == ReportComment.Status.OPEN
    assert not ReportApproval.objects.exists()


@pytest.mark.parametrize("name", PAGES)
def test_the_wrong_method_is_refused(client, request, lcspr_review, comment, overview, name):
    user = request.getfixturevalue(ALLOWED[name][0])
    target = _url_for(name, lcspr_review, overview, comment)
    response = signed_in(client, user).delete(target)
    assert response.status_code == 405
    if name in GET_ONLY:
        assert client.post(target).status_code == 405


def test_a_panel_member_trying_to_approve_is_refused(client, lcspr_review, overview, panel_member):
    response = signed_in(client, panel_member).post(
        url("report_approve", lcspr_review), {"overview": overview.pk, "confirm": "on"}
    )
    assert response.status_code == 403
    assert not ReportApproval.objects.exists()


# --- the report page ------------------------------------------------------------------------------


def test_the_report_page_shows_each_documents_current_and_older_versions(
    client, media, lcspr_review, author, panel_member, comment
):
    upload(lcspr_review, author, note="The GP's part added to section 3.")
    upload(lcspr_review, author, kind=SUMMARY)
    response = signed_in(client, panel_member).get(url("report_detail", lcspr_review))
    html = page_of(response)
    assert "Overview Report" in html and "Executive Summary" in html
    assert "The GP&#x27;s part added to section 3." in html
    assert "Earlier versions of the Overview Report" in html
    first, second = lcspr_review.report_versions.filter(kind=OVERVIEW).order_by("number")
    assert url("report_version", lcspr_review, first.pk) in html
    assert url("report_download", lcspr_review, second.pk) in html
    assert AccessLog.objects.filter(user=panel_member, what="Viewed the report drafts").exists()


def test_the_author_is_offered_the_upload_and_the_panel_chair_the_approval(
    client, lcspr_review, overview, author, panel_chair, panel_member
):
    upload_link, approve_link = (
        url("report_upload", lcspr_review),
        url("report_approve", lcspr_review),
    )
    html = page_of(signed_in(client, author).get(url("report_detail", lcspr_review)))
    assert upload_link in html and approve_link not in html
    html = page_of(signed_in(client, panel_chair).get(url("report_detail", lcspr_review)))
    assert approve_link in html and upload_link not in html
    html = page_of(signed_in(client, panel_member).get(url("report_detail", lcspr_review)))
    assert approve_link not in html and upload_link not in html


def test_the_sub_group_sees_no_draft_until_the_report_is_signed_off(
    client, request, lcspr_review, overview, subgroup_member
):
    html = page_of(signed_in(client, subgroup_member).get(url("report_detail", lcspr_review)))
    assert "The final report has not been signed off yet" in html
    assert url("report_download", lcspr_review, overview.pk) not in html

    request.getfixturevalue("final")
    html = page_of(client.get(url("report_detail", lcspr_review)))
    assert url("report_download", lcspr_review, overview.pk) in html
    response = client.get(url("report_download", lcspr_review, overview.pk))
    assert response.status_code == 200
    assert f'href="{url("report_version", lcspr_review, overview.pk)}"' not in html


def test_the_sub_group_may_download_only_the_final_versions(
    client, media, lcspr_review, author, panel_chair, independent_chair, executive_member
):
    first = upload(lcspr_review, author, data=pdf_bytes(), name="first.pdf")
    second = upload(lcspr_review, author, data=pdf_bytes(), name="second.pdf", note="Revised.")
    services.report_approve(review=lcspr_review, by=panel_chair, overview=second)
    client = signed_in(client, executive_member)
    # Approved but not signed off: still a draft for the Executive Partnership.
    assert client.get(url("report_download", lcspr_review, second.pk)).status_code == 403
    services.report_sign_off(review=lcspr_review, by=independent_chair)
    assert client.get(url("report_download", lcspr_review, second.pk)).status_code == 200
    assert client.get(url("report_view_online", lcspr_review, second.pk)).status_code == 200
    assert client.get(url("report_download", lcspr_review, first.pk)).status_code == 403


def test_the_report_page_runs_the_same_queries_however_many_versions(
    client, media, lcspr_review, author, panel_member, overview, comment
):
    def grow():
        for n in range(6):
            version = upload(lcspr_review, author, note=f"Draft {n + 2}.")
            services.report_comment_add(version=version, by=panel_member, location="", text="?")
        upload(lcspr_review, author, kind=SUMMARY)

    assert_constant_queries(
        signed_in(client, panel_member), url("report_detail", lcspr_review), grow
    )


# --- uploading ------------------------------------------------------------------------------------


def test_the_author_uploads_a_version_and_it_is_shared_with_the_panel(
    client, media, lcspr_review, author
):
    data = docx_bytes("The first fictional draft.")
    response = signed_in(client, author).post(
        url("report_upload", lcspr_review),
        {"kind": OVERVIEW, "file": SimpleUploadedFile("draft.docx", data), "change_note": ""},
    )
    version = ReportVersion.objects.get()
    assert response.status_code == 302
    assert response.url == url("report_version", lcspr_review, version.pk)
    assert version.number == 1 and version.uploaded_by == author and version.size == len(data)
    html = page_of(client.get(response.url))
    assert "Overview Report version 1 has been shared with the panel." in html


def test_an_upload_without_a_file_or_of_the_wrong_kind_shows_the_problem_and_stores_nothing(
    client, media, lcspr_review, author
):
    client = signed_in(client, author)
    html = errors_of(client.post(url("report_upload", lcspr_review), {"kind": OVERVIEW}))
    assert "Choose the file to upload" in html
    fake = SimpleUploadedFile("report.pdf", b"<html>not a pdf</html>")
    html = errors_of(
        client.post(url("report_upload", lcspr_review), {"kind": OVERVIEW, "file": fake})
    )
    assert "The file must be a PDF or a Word (DOCX) document" in html
    assert not ReportVersion.objects.exists()
    assert stored_files(media) == []


def test_a_second_version_needs_a_note_of_what_changed(client, lcspr_review, overview, author):
    response = signed_in(client, author).post(
        url("report_upload", lcspr_review),
        {"kind": OVERVIEW, "file": SimpleUploadedFile("v2.pdf", pdf_bytes()), "change_note": ""},
    )
    assert "Enter what changed since version 1" in errors_of(response)
    assert ReportVersion.objects.count() == 1


def test_replacing_the_approved_version_asks_for_the_reason_and_ends_the_approval(
    client, lcspr_review, approved, author
):
    client = signed_in(client, author)
    html = page_of(client.get(url("report_upload", lcspr_review)))
    assert "A new version of an approved document ends the approval" in html
    assert 'name="reopen_reason"' in html
    posted = {
        "kind": OVERVIEW,
        "file": SimpleUploadedFile("v2.pdf", pdf_bytes()),
        "change_note": "The coroner's findings added.",
    }
    html = errors_of(client.post(url("report_upload", lcspr_review), posted))
    assert "Enter why the approved Overview Report is being replaced" in html
    approved.refresh_from_db()
    assert approved.is_live

    posted["file"] = SimpleUploadedFile("v2.pdf", pdf_bytes())
    posted["reopen_reason"] = "The inquest found new facts."
    response = client.post(url("report_upload", lcspr_review), posted)
    assert response.status_code == 302
    approved.refresh_from_db()
    assert approved.void_reason == "The inquest found new facts."
    html = page_of(client.get(url("report_detail", lcspr_review)))
    assert "Approvals that ended" in html and "The inquest found new facts." in html


# --- a version and its comments ------------------------------------------------------------------


def test_a_version_page_shows_its_comments_and_the_unresolved_ones_carried_over(
    client, media, lcspr_review, author, panel_member, overview, comment
):
    second = upload(lcspr_review, author, note="Section 3 rewritten.")
    client = signed_in(client, panel_member)
    html = page_of(client.get(url("report_version", lcspr_review, second.pk)))
    assert "Unresolved comments from version 1" in html
    assert "Say how the GP knew." in html and "Closed unresolved" in html
    assert "No comments on version 2." in html
    assert url("report_comment", lcspr_review, second.pk) in html
    html = page_of(client.get(url("report_version", lcspr_review, overview.pk)))
    assert "replaced by a newer one" in html
    assert url("report_comment", lcspr_review, overview.pk) not in html
    assert AccessLog.objects.filter(user=panel_member, what=f"Viewed {second}").exists()


def test_the_version_page_runs_the_same_queries_however_many_comments(
    client, lcspr_review, author, panel_member, overview, comment
):
    def grow():
        for n in range(8):
            made = services.report_comment_add(
                version=overview, by=panel_member, location=f"Page {n}", text="More detail."
            )
            services.report_comment_respond(
                comment=made, by=author, response="Done.", resolve=n % 2
            )

    assert_constant_queries(
        signed_in(client, author), url("report_version", lcspr_review, overview.pk), grow
    )


def test_a_panel_member_comments_on_the_current_version(
    client, lcspr_review, overview, panel_member
):
    client = signed_in(client, panel_member)
    target = url("report_comment", lcspr_review, overview.pk)
    assert "Enter your comment" in errors_of(client.post(target, {"location": "p. 2"}))
    response = client.post(target, {"location": "Page 2", "text": "Add the health visitor."})
    assert response.status_code == 302
    made = ReportComment.objects.get()
    assert (made.author, made.location, made.text) == (
        panel_member,
        "Page 2",
        "Add the health visitor.",
    )
    html = page_of(client.get(response.url))
    assert "Add the health visitor." in html and "Page 2" in html


def test_a_comment_on_a_replaced_version_is_refused_with_the_reason(
    client, media, lcspr_review, overview, author, panel_member
):
    upload(lcspr_review, author, note="Second draft.")
    client = signed_in(client, panel_member)
    target = url("report_comment", lcspr_review, overview.pk)
    assert "has been replaced by a newer version" in page_of(client.get(target))
    html = errors_of(client.post(target, {"text": "Too late."}))
    assert "has been replaced by a newer version" in html
    assert not ReportComment.objects.exists()


def test_the_author_responds_and_resolves(client, lcspr_review, comment, author, panel_member):
    client = signed_in(client, author)
    target = url("report_respond", lcspr_review, comment.pk)
    assert "Enter your response to the comment" in errors_of(client.post(target, {}))
    response = client.post(target, {"response": "Section 3 now says so.", "resolve": "on"})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.status == ReportComment.Status.RESOLVED
    html = page_of(signed_in(client, panel_member).get(response.url))
    assert "Section 3 now says so." in html and "Resolved" in html


def test_a_closed_comment_cannot_be_answered(client, media, lcspr_review, comment, author):
    upload(lcspr_review, author, note="Second draft.")
    client = signed_in(client, author)
    target = url("report_respond", lcspr_review, comment.pk)
    assert "closed when a newer version was shared" in page_of(client.get(target))
    html = errors_of(client.post(target, {"response": "Answered.", "resolve": "on"}))
    assert "closed when a newer version was shared" in html
    comment.refresh_from_db()
    assert comment.response == ""


# --- files ----------------------------------------------------------------------------------------


def test_a_download_is_the_uploaded_file_as_an_attachment_and_is_logged(
    client, lcspr_review, overview, panel_member
):
    response = signed_in(client, panel_member).get(
        url("report_download", lcspr_review, overview.pk)
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_bytes()
    assert response["Content-Disposition"].startswith("attachment;")
    assert "overview-report.pdf" in response["Content-Disposition"]
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store"
    assert AccessLog.objects.filter(
        user=panel_member, what=f"Downloaded {overview}", review_id=lcspr_review.pk
    ).exists()


def test_a_changed_file_on_disk_is_refused_with_a_clear_page_and_nothing_is_served(
    client, media, lcspr_review, overview, panel_member
):
    tampered = b"%PDF-1.7\n% someone edited the stored draft\n%%EOF\n"
    (media / overview.file.name).write_bytes(tampered)
    client = signed_in(client, panel_member)
    for name in ("report_download", "report_view_online"):
        response = client.get(url(name, lcspr_review, overview.pk))
        assert response.status_code == 409
        assert response["Content-Type"].startswith("text/html")
        assert "Content-Disposition" not in response
        html = page_of(response)
        assert "does not match the file that was uploaded" in html
        assert "someone edited" not in html
    assert AccessLog.objects.filter(what__contains="failed its integrity check").count() == 2
    assert not AccessLog.objects.filter(what__startswith="Downloaded").exists()


def test_a_draft_pdf_viewed_online_is_stamped_draft(client, lcspr_review, overview, author):
    response = signed_in(client, author).get(url("report_view_online", lcspr_review, overview.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store"
    lines = [line.strip() for line in pdf_text(response.content).splitlines() if line.strip()]
    assert lines[0] == DRAFT and lines[-1] == DRAFT
    assert "Overview Report for Child T" in "\n".join(lines)


def test_the_signed_off_final_pdf_is_marked_official_sensitive_not_draft(
    client, lcspr_review, overview, final, subgroup_member
):
    response = signed_in(client, subgroup_member).get(
        url("report_view_online", lcspr_review, overview.pk)
    )
    text = pdf_text(response.content)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    assert lines[0] == "OFFICIAL-SENSITIVE" and "DRAFT" not in text


def test_only_a_pdf_can_be_viewed_online(client, media, lcspr_review, author):
    version = upload(lcspr_review, author, kind=SUMMARY)
    response = signed_in(client, author).get(url("report_view_online", lcspr_review, version.pk))
    assert response.status_code == 404


# --- approval -------------------------------------------------------------------------------------


def test_the_approval_page_lists_the_versions_the_open_comments_and_the_check(
    client, media, lcspr_review, author, panel_chair, comment, names
):
    overview = upload(
        lcspr_review,
        author,
        data=docx_bytes(f"{REAL_NAME} was seen by the school nurse."),
        note="Names checked.",
    )
    services.report_comment_add(version=overview, by=comment.author, location="", text="Typo.")
    html = page_of(signed_in(client, panel_chair).get(url("report_approve", lcspr_review)))
    assert "Overview Report" in html and "Version 2" in html
    assert "1 comment is still open" in html and "Typo." in html
    assert "1 found" in html and "child" in html
    # The panel chair is not on the restricted list's readers: the name itself is not shown.
    assert REAL_NAME not in html
    assert f'name="overview" value="{overview.pk}"' in html


def test_the_panel_chair_must_confirm_then_the_approval_is_recorded(
    client, lcspr_review, overview, comment, panel_chair
):
    client = signed_in(client, panel_chair)
    target = url("report_approve", lcspr_review)
    html = errors_of(client.post(target, {"overview": overview.pk}))
    assert "Confirm that you approve these versions as final" in html
    assert not ReportApproval.objects.exists()
    response = client.post(target, {"overview": overview.pk, "confirm": "on", "note": "Agreed."})
    assert response.status_code == 302
    approval = ReportApproval.objects.get()
    assert approval.open_comments == 1 and approval.approval_note == "Agreed."
    html = page_of(client.get(response.url))
    assert "The report has been approved as final." in html
    assert "with 1 comment still open" in html
    assert "already been approved" in page_of(client.get(target))


def test_a_version_shared_while_the_chair_was_checking_is_not_approved_unseen(
    client, lcspr_review, overview, author, panel_chair
):
    client = signed_in(client, panel_chair)
    client.get(url("report_approve", lcspr_review))
    upload(lcspr_review, author, data=pdf_bytes(), name="v2.pdf", note="Late change.")
    html = errors_of(
        client.post(url("report_approve", lcspr_review), {"overview": overview.pk, "confirm": "on"})
    )
    assert "has been replaced by a newer version" in html
    assert not ReportApproval.objects.exists()


def test_the_approval_page_runs_the_same_queries_however_many_open_comments(
    client, lcspr_review, overview, comment, panel_member, panel_chair
):
    def grow():
        for n in range(8):
            services.report_comment_add(
                version=overview, by=panel_member, location=f"p. {n}", text="More."
            )

    assert_constant_queries(
        signed_in(client, panel_chair), url("report_approve", lcspr_review), grow
    )


# --- sign-off -------------------------------------------------------------------------------------


def test_sign_off_waits_for_the_approval(client, lcspr_review, overview, independent_chair):
    html = page_of(signed_in(client, independent_chair).get(url("report_sign_off", lcspr_review)))
    assert "has not approved a final version" in html
    assert "Sign off for the partnership</button>" not in html


def test_the_independent_chair_checks_and_signs_off(
    client, lcspr_review, approved, independent_chair
):
    client = signed_in(client, independent_chair)
    target = url("report_sign_off", lcspr_review)
    html = page_of(client.get(target))
    assert "Chris Chairperson (panel chair)" in html
    assert "Anonymisation check at approval" in html
    html = errors_of(client.post(target, {}))
    assert "Confirm that you sign off the report for the partnership" in html
    response = client.post(target, {"confirm": "on", "note": "On behalf of the partnership."})
    assert response.status_code == 302
    approved.refresh_from_db()
    assert approved.signed_off_by == independent_chair
    assert "Signed off by Indira Chair" in page_of(client.get(response.url))
    assert "already been signed off" in page_of(client.get(target))


def test_a_version_or_comment_of_another_review_is_not_found_under_this_one(
    client, media, lcspr_review, other_review, manager, author, panel_member
):
    theirs = upload(other_review, manager, data=pdf_bytes(), name="theirs.pdf")
    their_comment = services.report_comment_add(
        version=theirs, by=manager, location="", text="Another review's comment."
    )
    for name in ("report_version", "report_download", "report_view_online"):
        response = signed_in(client, author).get(url(name, lcspr_review, theirs.pk))
        assert response.status_code == 404, name
    response = signed_in(client, panel_member).get(url("report_comment", lcspr_review, theirs.pk))
    assert response.status_code == 404
    response = signed_in(client, author).get(url("report_respond", lcspr_review, their_comment.pk))
    assert response.status_code == 404
