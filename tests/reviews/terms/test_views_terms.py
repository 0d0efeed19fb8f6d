"""The Terms of Reference pages: the current version, editing a draft (sections, key lines of
enquiry, parallel processes), sharing with the panel, comments, the panel chair's agreement, new
versions and every version as a page and a PDF."""

import datetime
import subprocess

import pytest
from django.urls import reverse

from lcspr.access_log.models import AccessLog
from lcspr.accounts.models import Role
from panels.models import MemberRole
from panels.services import membership_add
from reviews.publication import services as proceedings
from reviews.referral import services as review_services
from reviews.terms import services as tor
from reviews.terms.models import TermsOfReference
from tests.factories import UserFactory
from tests.helpers import assert_constant_queries
from tests.reviews.conftest import (
    open_referral,
    to_decided,
    to_rapid_review,
    to_sent,
    to_signed_off,
)

pytestmark = pytest.mark.django_db

KLOE_ONE = "How well was the baby's daily life understood by the agencies involved?"
KLOE_TWO = "How did agencies share information about the risks at home?"


# --- personas of one review ---------------------------------------------------------------------


@pytest.fixture
def panel_chair(lcspr_review, manager):
    user = UserFactory(full_name="Chris Chairperson", roles=[Role.SUBGROUP_MEMBER])
    membership_add(review=lcspr_review, by=manager, user=user, role=MemberRole.PANEL_CHAIR)
    return user


@pytest.fixture
def panel_member(lcspr_review, manager, school):
    user = UserFactory(full_name="Penny Panel", agency=school, roles=[Role.AGENCY_REPRESENTATIVE])
    membership_add(review=lcspr_review, by=manager, user=user, role=MemberRole.PANEL_MEMBER)
    return user


@pytest.fixture
def author(lcspr_review, manager, independent_author):
    membership_add(review=lcspr_review, by=manager, user=independent_author, role=MemberRole.AUTHOR)
    return independent_author


@pytest.fixture
def elsewhere(manager, local_authority, police, partner_leads, independent_chair):
    """The author and a panel member of another LCSPR."""
    other = open_referral(manager, local_authority, pseudonym="Child U")
    other = to_rapid_review(other, manager)
    other = to_sent(to_signed_off(other, manager, partner_leads), manager)
    other = to_decided(other, independent_chair)
    other_author = UserFactory(full_name="Ola Otherauthor", roles=[Role.INDEPENDENT_AUTHOR])
    other_member = UserFactory(
        full_name="Mo Othermember", agency=police, roles=[Role.AGENCY_REPRESENTATIVE]
    )
    membership_add(review=other, by=manager, user=other_author, role=MemberRole.AUTHOR)
    membership_add(review=other, by=manager, user=other_member, role=MemberRole.PANEL_MEMBER)
    return [other_author, other_member]


@pytest.fixture
def draft(lcspr_review, manager):
    return tor.tor_start(review=lcspr_review, by=manager)


def complete(terms, by, agencies):
    """Fill in what agreement needs."""
    tor.tor_update(
        terms=terms,
        by=by,
        agencies=agencies,
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2026, 3, 2),
        methodology="A systems approach with practitioner conversations.",
    )
    tor.kloes_set(terms=terms, by=by, texts=[KLOE_ONE, KLOE_TWO])


@pytest.fixture
def shared(draft, manager, local_authority, police):
    complete(draft, manager, [local_authority, police])
    return tor.tor_share(terms=draft, by=manager)


def url(name, review, *args):
    return reverse(f"reviews:{name}", args=[review.pk, *args])


def signed_in(client, user):
    client.force_login(user)
    return client


def date_fields(name, value: datetime.date) -> dict:
    return {f"{name}_0": value.day, f"{name}_1": value.month, f"{name}_2": value.year}


def errors_of(response) -> str:
    html = response.content.decode()
    assert "govuk-error-summary" in html, "the page shows no error summary"
    return html


def current(review) -> TermsOfReference:
    return tor.current_terms(review)


# --- who may reach which page -------------------------------------------------------------------

GET_PAGES = [
    ("terms", ()),
    ("terms_version", (1,)),
    ("terms_pdf", (1,)),
    ("terms_new_version", ()),
    ("terms_edit", ()),
    ("terms_kloes", ()),
    ("terms_process_add", ()),
    ("terms_share", ()),
    ("terms_comment", ()),
    ("terms_agree", ()),
]
EDIT_PAGES = ["terms_new_version", "terms_edit", "terms_kloes", "terms_process_add", "terms_share"]


@pytest.mark.parametrize(("name", "args"), GET_PAGES)
def test_every_page_is_hidden_from_people_outside_the_review(
    client, draft, outsider, agency_author, elsewhere, name, args
):
    for user in (outsider, agency_author, *elsewhere):
        response = signed_in(client, user).get(url(name, draft.review, *args))
        assert response.status_code == 404, user


def test_the_post_only_steps_are_hidden_from_people_outside_the_review(
    client, lcspr_review, manager, outsider, agency_author, elsewhere
):
    terms = tor.tor_start(review=lcspr_review, by=manager)
    process = proceedings.proceeding_add(
        review=terms.review, by=manager, kind="coroner", status="expected"
    )
    for user in (outsider, agency_author, *elsewhere):
        client = signed_in(client, user)
        assert client.post(url("terms_start", lcspr_review)).status_code == 404
        assert client.post(url("terms_process_remove", lcspr_review, process.pk)).status_code == 404
    assert terms.review.proceedings.count() == 1


@pytest.mark.parametrize(("name", "args"), GET_PAGES)
def test_every_page_refuses_the_wrong_method(client, draft, manager, name, args):
    response = signed_in(client, manager).put(url(name, draft.review, *args))
    assert response.status_code == 405


@pytest.mark.parametrize("name", ["terms", "terms_version", "terms_pdf"])
def test_the_reading_pages_cannot_be_posted_to(client, draft, manager, name):
    args = () if name == "terms" else (1,)
    assert signed_in(client, manager).post(url(name, draft.review, *args)).status_code == 405


def test_starting_and_removing_need_a_post(client, draft, manager):
    process = proceedings.proceeding_add(
        review=draft.review, by=manager, kind="criminal", status="ongoing"
    )
    client = signed_in(client, manager)
    assert client.get(url("terms_start", draft.review)).status_code == 405
    assert client.get(url("terms_process_remove", draft.review, process.pk)).status_code == 405


@pytest.mark.parametrize("name", EDIT_PAGES)
def test_a_panel_member_may_not_edit_the_terms(client, draft, panel_member, name):
    client = signed_in(client, panel_member)
    assert client.get(url(name, draft.review)).status_code == 403
    assert client.post(url(name, draft.review), {"methodology": "Changed"}).status_code == 403
    draft.refresh_from_db()
    assert draft.methodology == ""


def test_a_panel_member_may_not_start_the_terms_or_remove_a_process(
    client, lcspr_review, manager, panel_member
):
    client = signed_in(client, panel_member)
    assert client.post(url("terms_start", lcspr_review)).status_code == 403
    assert not lcspr_review.tor_versions.exists()
    terms = tor.tor_start(review=lcspr_review, by=manager)
    process = proceedings.proceeding_add(
        review=terms.review, by=manager, kind="hr", status="ongoing"
    )
    assert client.post(url("terms_process_remove", lcspr_review, process.pk)).status_code == 403
    assert terms.review.proceedings.count() == 1


def test_only_the_panel_chair_agrees(client, shared, panel_member, author, subgroup_member):
    for user in (panel_member, author, subgroup_member):
        client = signed_in(client, user)
        assert client.get(url("terms_agree", shared.review)).status_code == 403
        assert client.post(url("terms_agree", shared.review)).status_code == 403
    shared.refresh_from_db()
    assert shared.status == TermsOfReference.Status.SHARED


def test_the_author_and_the_sub_group_may_read_but_not_comment(
    client, shared, author, subgroup_member
):
    for user in (author, subgroup_member):
        client = signed_in(client, user)
        assert client.get(url("terms", shared.review)).status_code == 200
        assert client.get(url("terms_comment", shared.review)).status_code == 403
        response = client.post(url("terms_comment", shared.review), {"text": "A comment"})
        assert response.status_code == 403
    assert not shared.comments.exists()


def test_the_independent_chair_sees_the_review_but_not_its_terms(client, draft, independent_chair):
    assert signed_in(client, independent_chair).get(url("terms", draft.review)).status_code == 403


# --- the current version ------------------------------------------------------------------------


def test_before_anything_is_started_the_author_is_offered_a_start(client, lcspr_review, author):
    response = signed_in(client, author).get(url("terms", lcspr_review))
    html = response.content.decode()
    assert response.status_code == 200
    assert "have not been started yet" in html
    assert "Start the Terms of Reference" in html
    assert "To be agreed by the panel chair by" in html  # the TOR_AGREEMENT clock
    assert "working day" in html


def test_a_panel_member_is_told_nothing_is_started_without_a_button(
    client, lcspr_review, panel_member
):
    html = signed_in(client, panel_member).get(url("terms", lcspr_review)).content.decode()
    assert "have not been started yet" in html
    assert "Start the Terms of Reference" not in html


def test_the_author_starts_the_first_draft(client, lcspr_review, author):
    response = signed_in(client, author).post(url("terms_start", lcspr_review), follow=True)
    terms = current(lcspr_review)
    assert terms.version == 1 and terms.status == TermsOfReference.Status.DRAFT
    assert terms.created_by == author
    html = response.content.decode()
    assert "Version 1 of the Terms of Reference has been started." in html
    assert f"{lcspr_review.pseudonym} and their family." in html


def test_starting_twice_explains_instead_of_failing(client, draft, author):
    response = signed_in(client, author).post(url("terms_start", draft.review), follow=True)
    assert response.status_code == 200
    assert "already been started" in response.content.decode()
    assert draft.review.tor_versions.count() == 1


def test_the_page_shows_every_section_and_the_actions_of_the_author(
    client, shared, author, manager
):
    proceedings.proceeding_add(
        review=shared.review,
        by=manager,
        kind="coroner",
        status="expected",
        expected_date=datetime.date(2026, 9, 14),
    )
    response = signed_in(client, author).get(url("terms", shared.review))
    html = response.content.decode()
    assert 'govuk-tag--light-blue">Shared</strong>' in html
    assert "1 January 2025 to 2 March 2026" in html
    assert f"<strong>KLOE 1</strong> {KLOE_ONE}".replace("'", "&#x27;") in html
    assert "<strong>KLOE 2</strong>" in html
    assert "Northbridge Constabulary" in html
    assert "Coroner&#x27;s inquest" in html and "14 September 2026" in html
    for action in ("Edit the sections", "Edit the key lines of enquiry", "Add a parallel process"):
        assert action in html
    assert "Share with the panel for comment" not in html  # already shared
    assert "Comment on the draft" not in html and "Check and agree" not in html
    assert AccessLog.objects.filter(review_id=shared.review.pk, what__contains="Terms").exists()


def test_the_panel_member_is_offered_to_comment_and_the_chair_to_agree(
    client, shared, panel_member, panel_chair
):
    html = signed_in(client, panel_member).get(url("terms", shared.review)).content.decode()
    assert "Comment on the draft" in html
    assert "Edit the sections" not in html and "Check and agree" not in html
    html = signed_in(client, panel_chair).get(url("terms", shared.review)).content.decode()
    assert "Check and agree version 1" in html and "Comment on the draft" in html


# --- editing a draft ----------------------------------------------------------------------------


def test_the_author_edits_every_section(client, draft, author, local_authority, police, school):
    data = {
        "subject_and_family": "Child T, aged 7 months, and their parents.",
        **date_fields("period_start", datetime.date(2025, 1, 1)),
        **date_fields("period_end", datetime.date(2026, 3, 2)),
        "methodology": "Systems approach.",
        "agencies": [local_authority.pk, school.pk],
        "practitioner_involvement": "A learning event in May.",
        "family_involvement": "The mother will be invited to meet the author.",
        "timescales": "Six months from the decision.",
        "publication_plan": "After the inquest.",
        "equality_considerations": "English is the family's second language.",
    }
    page = signed_in(client, author).get(url("terms_edit", draft.review)).content.decode()
    assert 'name="agencies" type="checkbox"' in page
    response = client.post(url("terms_edit", draft.review), data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.period_start == datetime.date(2025, 1, 1)
    assert draft.methodology == "Systems approach."
    assert draft.equality_considerations.startswith("English")
    assert set(draft.agencies.all()) == {local_authority, school}
    assert police not in draft.agencies.all()


def test_a_period_that_ends_before_it_starts_is_refused(client, draft, author):
    response = signed_in(client, author).post(
        url("terms_edit", draft.review),
        {
            **date_fields("period_start", datetime.date(2026, 3, 2)),
            **date_fields("period_end", datetime.date(2025, 1, 1)),
            "methodology": "Systems approach.",
        },
    )
    assert "The end of the period must be after its start." in errors_of(response)
    draft.refresh_from_db()
    assert draft.period_start is None and draft.methodology == ""


def test_an_impossible_date_is_named(client, draft, author):
    response = signed_in(client, author).post(
        url("terms_edit", draft.review),
        {"period_start_0": "31", "period_start_1": "2", "period_start_2": "2025"},
    )
    assert "Start of the period under review must be a real date" in errors_of(response)


def test_a_childs_real_name_is_refused_without_repeating_it(client, draft, author, manager):
    review_services.child_add(review=draft.review, by=manager, name="Jordan Fictional", sex="male")
    response = signed_in(client, author).post(
        url("terms_edit", draft.review), {"subject_and_family": "jordan  fictional and mother"}
    )
    html = errors_of(response)
    assert "Use the pseudonym (Child T), not a child&#x27;s real name" in html
    assert html.count("Jordan Fictional") == 0
    draft.refresh_from_db()
    assert "fictional" not in draft.subject_and_family.lower()


def test_an_agreed_version_is_not_editable(client, shared, panel_chair, author):
    tor.tor_agree(terms=shared, by=panel_chair)
    client = signed_in(client, author)
    for name in ("terms_edit", "terms_kloes"):
        html = client.get(url(name, shared.review)).content.decode()
        assert "have been agreed and can no longer change" in html, name
        assert 'type="submit" class="govuk-button"' not in html, name
    # The parallel processes are the review's one record, kept up to date after agreement too.
    html = client.get(url("terms_process_add", shared.review)).content.decode()
    assert "can no longer change" not in html and "Add the process" in html
    response = client.post(url("terms_edit", shared.review), {"methodology": "Changed"})
    assert response.status_code == 200
    shared.refresh_from_db()
    assert shared.methodology.startswith("A systems")
    html = client.get(url("terms", shared.review)).content.decode()
    assert "Start a new version" in html and "Edit the sections" not in html


def test_the_key_lines_of_enquiry_are_a_numbered_list(client, draft, author):
    client = signed_in(client, author)
    page = client.get(url("terms_kloes", draft.review)).content.decode()
    assert "Key line of enquiry 3" in page and "Key line of enquiry 4" not in page
    response = client.post(
        url("terms_kloes", draft.review),
        {"kloe_1": KLOE_ONE, "kloe_2": "  ", "kloe_3": KLOE_TWO},
        follow=True,
    )
    assert "2 key lines of enquiry saved." in response.content.decode()
    assert [(k.number, k.text) for k in draft.kloes.all()] == [(1, KLOE_ONE), (2, KLOE_TWO)]
    page = client.get(url("terms_kloes", draft.review)).content.decode()
    assert "Key line of enquiry 5" in page and "Key line of enquiry 6" not in page
    client.post(url("terms_kloes", draft.review), {"kloe_1": "", "kloe_2": KLOE_TWO})
    assert [(k.number, k.text) for k in draft.kloes.all()] == [(1, KLOE_TWO)]


def test_the_author_adds_and_removes_a_parallel_process(client, draft, author):
    client = signed_in(client, author)
    page = client.get(url("terms_process_add", draft.review)).content.decode()
    assert 'name="kind" type="radio"' in page and 'name="status" type="radio"' in page
    response = client.post(
        url("terms_process_add", draft.review),
        {
            "kind": "criminal",
            "status": "ongoing",
            **date_fields("expected_date", datetime.date(2026, 11, 2)),
            "notes": "Trial listed.",
        },
    )
    assert response.status_code == 302
    process = draft.review.proceedings.get()
    assert process.expected_date == datetime.date(2026, 11, 2)
    html = client.get(url("terms", draft.review)).content.decode()
    assert "Criminal proceedings" in html and "2 November 2026" in html and "Under way" in html
    client.post(url("terms_process_remove", draft.review, process.pk))
    assert not draft.review.proceedings.exists()


def test_a_parallel_process_needs_its_kind_and_status(client, draft, author):
    response = signed_in(client, author).post(url("terms_process_add", draft.review), {})
    html = errors_of(response)
    assert "Select type of proceedings" in html and "Select status" in html
    assert not draft.review.proceedings.exists()


def test_a_process_of_another_review_cannot_be_removed(
    client, draft, manager, local_authority, author
):
    other = open_referral(manager, local_authority, pseudonym="Child V")
    review_services_process = proceedings.proceeding_add(
        review=draft.review, by=manager, kind="dhr", status="expected"
    )
    response = signed_in(client, author).post(
        reverse("reviews:terms_process_remove", args=[other.pk, review_services_process.pk])
    )
    assert response.status_code == 404
    assert draft.review.proceedings.exists()


# --- sharing, commenting and agreeing -----------------------------------------------------------


def test_the_author_shares_the_draft_after_a_check(client, draft, author):
    client = signed_in(client, author)
    page = client.get(url("terms_share", draft.review)).content.decode()
    assert "Add at least one key line of enquiry." in page  # what agreement will need
    assert "Share with the panel" in page
    response = client.post(url("terms_share", draft.review), follow=True)
    assert "shared with the panel for comment" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == TermsOfReference.Status.SHARED and draft.shared_at


def test_sharing_twice_explains(client, shared, author):
    html = signed_in(client, author).get(url("terms_share", shared.review)).content.decode()
    assert "already shared with the panel" in html
    page = html.split("Share the Terms of Reference with the panel</h1>")[1].split("</main>")[0]
    assert "<button" not in page


def test_a_panel_member_comments_on_a_shared_draft(client, shared, panel_member):
    client = signed_in(client, panel_member)
    page = client.get(url("terms_comment", shared.review)).content.decode()
    assert '<option value="Key lines of enquiry">' in page
    response = client.post(
        url("terms_comment", shared.review),
        {"section": "Agencies in scope", "text": "Please add the GP practice."},
        follow=True,
    )
    html = response.content.decode()
    assert "Your comment has been added." in html
    assert "Please add the GP practice." in html and "Agencies in scope" in html
    comment = shared.comments.get()
    assert comment.author == panel_member and comment.section == "Agencies in scope"


def test_an_empty_comment_is_refused(client, shared, panel_member):
    response = signed_in(client, panel_member).post(
        url("terms_comment", shared.review), {"section": "", "text": " "}
    )
    assert "Enter your comment" in errors_of(response)
    assert not shared.comments.exists()


def test_a_draft_not_yet_shared_takes_no_comment(client, draft, panel_member):
    client = signed_in(client, panel_member)
    assert (
        "no draft shared for comment"
        in client.get(url("terms_comment", draft.review)).content.decode()
    )
    response = client.post(url("terms_comment", draft.review), {"text": "Early thoughts"})
    assert "Comments are taken while a draft is shared" in errors_of(response)
    assert not draft.comments.exists()


def test_the_chair_sees_what_is_missing_and_no_button(client, draft, manager, panel_chair):
    tor.tor_share(terms=draft, by=manager)
    html = signed_in(client, panel_chair).get(url("terms_agree", draft.review)).content.decode()
    assert "Version 1 cannot be agreed yet" in html
    assert "Enter the start and end of the period under review." in html
    assert "Choose the agencies in scope." in html
    assert "Agree version 1" not in html
    response = client.post(url("terms_agree", draft.review))
    assert "Describe the methodology." in errors_of(response)
    draft.refresh_from_db()
    assert draft.status == TermsOfReference.Status.SHARED


def test_the_chair_checks_and_agrees(client, shared, panel_member, panel_chair):
    tor.tor_comment_add(terms=shared, by=panel_member, text="Add the GP practice.")
    client = signed_in(client, panel_chair)
    page = client.get(url("terms_agree", shared.review)).content.decode()
    assert "Add the GP practice." in page and "KLOE 2" in page
    assert "Agree version 1" in page and "cannot be agreed yet" not in page
    response = client.post(url("terms_agree", shared.review), follow=True)
    html = response.content.decode()
    assert "Version 1 of the Terms of Reference agreed." in html
    shared.refresh_from_db()
    assert shared.status == TermsOfReference.Status.AGREED and shared.agreed_by == panel_chair
    assert "Agreed on" in html  # the clock is met
    assert "Start a new version" not in html  # the chair does not draft


def test_a_draft_cannot_be_agreed_before_it_is_shared(client, draft, panel_chair):
    html = signed_in(client, panel_chair).get(url("terms_agree", draft.review)).content.decode()
    assert "There is no draft shared with the panel to agree." in html
    assert "Agree version" not in html


# --- versions -----------------------------------------------------------------------------------


def pdf_text(response, tmp_path) -> str:
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "terms.pdf"
    path.write_bytes(response.content)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_a_new_version_needs_a_reason_and_waits_for_agreement(client, draft, author):
    client = signed_in(client, author)
    html = client.get(url("terms_new_version", draft.review)).content.decode()
    assert "Version 1 is still being drafted" in html
    response = client.post(url("terms_new_version", draft.review), {"reason": "Changes"})
    assert "A new version is already being drafted" in errors_of(response)
    assert draft.review.tor_versions.count() == 1


def test_an_empty_reason_is_refused(client, shared, panel_chair, author):
    tor.tor_agree(terms=shared, by=panel_chair)
    response = signed_in(client, author).post(
        url("terms_new_version", shared.review), {"reason": ""}
    )
    assert "Enter why the Terms of Reference need to change" in errors_of(response)
    assert shared.review.tor_versions.count() == 1


def test_every_agreed_version_is_kept_with_its_own_content_and_pdf(
    client, shared, panel_chair, author, tmp_path
):
    review = shared.review
    signed_in(client, panel_chair).post(url("terms_agree", review))

    client = signed_in(client, author)
    response = client.post(
        url("terms_new_version", review),
        {"reason": "The coroner opened an inquest."},
        follow=True,
    )
    assert "Version 2 has been started as a draft." in response.content.decode()
    client.post(
        url("terms_kloes", review), {"kloe_1": KLOE_ONE, "kloe_2": "What did the inquest find?"}
    )
    client.post(url("terms_share", review))
    signed_in(client, panel_chair).post(url("terms_agree", review))

    first, second = review.tor_versions.order_by("version")
    assert first.status == TermsOfReference.Status.SUPERSEDED
    assert second.status == TermsOfReference.Status.AGREED
    assert second.change_reason == "The coroner opened an inquest."

    client = signed_in(client, author)
    html = client.get(url("terms", review)).content.decode()
    versions = html.split(">Versions</h2>")[1]
    assert "Version 2" in versions and "Version 1" in versions
    assert "Superseded" in versions and "The coroner opened an inquest." in versions
    assert f"By {panel_chair} on" in versions

    old = client.get(url("terms_version", review, 1)).content.decode()
    assert "What did the inquest find?" not in old and KLOE_TWO.replace("'", "&#x27;") in old
    assert "replaced by a newer version" in old
    new = client.get(url("terms_version", review, 2)).content.decode()
    assert "What did the inquest find?" in new

    old_pdf = pdf_text(client.get(url("terms_pdf", review, 1)), tmp_path)
    new_pdf = pdf_text(client.get(url("terms_pdf", review, 2)), tmp_path)
    assert "How did agencies share information" in old_pdf and "inquest find" not in old_pdf
    assert "What did the inquest find?" in new_pdf
    assert "The coroner opened an inquest." in new_pdf
    assert client.get(url("terms_version", review, 3)).status_code == 404
    assert client.get(url("terms_pdf", review, 3)).status_code == 404


def test_the_pdf_holds_every_section_and_only_the_pseudonym(
    client, shared, manager, panel_member, tmp_path
):
    review = shared.review
    review_services.child_add(review=review, by=manager, name="Jordan Fictional", sex="male")
    proceedings.proceeding_add(review=shared.review, by=manager, kind="criminal", status="ongoing")
    response = signed_in(client, panel_member).get(url("terms_pdf", review, 1))
    assert response.status_code == 200
    assert "terms-of-reference-v1.pdf" in response["Content-Disposition"]
    text = pdf_text(response, tmp_path)
    assert f"Terms of Reference v1 – {review.reference}" in text
    assert "OFFICIAL-SENSITIVE" in text
    assert "DRAFT" in text
    assert "KLOE 1" in text and "KLOE 2" in text
    assert "How well was the baby" in text and "How did agencies share information" in text
    assert "Northbridge Constabulary" in text and "Criminal proceedings" in text
    assert "1 January 2025 to 2 March 2026" in text
    assert review.pseudonym in text and "Jordan" not in text
    assert AccessLog.objects.filter(
        user=panel_member, review_id=review.pk, what__contains="PDF"
    ).exists()


def test_an_agreed_pdf_says_who_agreed_it_and_is_not_a_draft(client, shared, panel_chair, tmp_path):
    tor.tor_agree(terms=shared, by=panel_chair)
    text = pdf_text(
        signed_in(client, panel_chair).get(url("terms_pdf", shared.review, 1)), tmp_path
    )
    assert "DRAFT" not in text
    assert "Agreed" in text and str(panel_chair) in text


def test_the_page_runs_the_same_queries_however_many_versions_and_lines(
    client, shared, panel_chair, manager, panel_member, school
):
    review = shared.review
    client = signed_in(client, panel_member)

    def grow():
        tor.tor_agree(terms=shared, by=panel_chair)
        for n in range(3):
            terms = tor.tor_new_version(review=review, by=manager, reason=f"Change {n}")
            tor.kloes_set(terms=terms, by=manager, texts=[f"Line {i}" for i in range(6)])
            tor.tor_update(terms=terms, by=manager, agencies=[school, *terms.agencies.all()])
            proceedings.proceeding_add(review=terms.review, by=manager, kind="hr", status="ongoing")
            tor.tor_share(terms=terms, by=manager)
            tor.tor_comment_add(terms=terms, by=panel_member, text="Fine")
            tor.tor_comment_add(terms=terms, by=panel_chair, text="Agreed")
            if n < 2:
                tor.tor_agree(terms=terms, by=panel_chair)

    assert_constant_queries(client, url("terms", review), grow)
