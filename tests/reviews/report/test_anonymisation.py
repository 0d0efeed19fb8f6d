"""The anonymisation check: the matcher (whole words, any case, possessives, names over line
breaks, never inside another word, the sentence around each find), the restricted list, running
a check over a stored version, the Independent Chair's override, and what publication needs.
Real names here are invented."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from lcspr.core.exceptions import WorkflowError
from reviews.models import ReviewEvent
from reviews.report import anonymisation as anon
from reviews.report import services as reports
from reviews.report.models import AnonymisationCheck, CheckPurpose, NameCategory, RestrictedName
from tests.core.test_documents import docx, para
from tests.reviews.report_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db

CHILD, FAMILY, ADDRESS = NameCategory.CHILD, NameCategory.FAMILY, NameCategory.ADDRESS


def matches(term: str, text: str) -> list[str]:
    found = anon.find_occurrences([("Paragraph 1", text)], [(term, CHILD)])
    return [f["match"] for f in found]


# --- the matcher ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("term", "text", "expected"),
    [
        # whole words, any case
        ("Ann", "Ann went home.", ["Ann"]),
        ("ann", "ANN went home and ann came back.", ["ANN", "ann"]),
        ("Ann", "(Ann), “Ann” and Ann.", ["Ann", "Ann", "Ann"]),
        # never inside another word or next to a digit
        ("Ann", "The Annual report for Joanne, Hannah and Anne.", []),
        ("Ann", "Ann2 and 2Ann", []),
        ("Mark", "There were marks on the arm and Marked changes.", []),
        ("Jane Place", "Jane Placement and Mary Jane Place", ["Jane Place"]),
        # possessives
        ("Ann", "Ann's coat", ["Ann's"]),
        ("Ann", "Ann’s coat", ["Ann’s"]),
        ("James", "James' bag", ["James"]),
        ("Smith", "the Smiths' house", ["Smiths'"]),
        ("Smith", "the Smiths’ house", ["Smiths’"]),
        # several words: any whitespace between them
        ("Jane Place", "seen by Jane\n   Place today", ["Jane Place"]),
        ("Jane  Place", "seen by jane place today", ["jane place"]),
        ("Jane Place", "Jane\u00a0Place", ["Jane Place"]),
        # apostrophes, hyphens and accents typed another way
        ("O'Brien", "Mrs O’Brien called", ["O’Brien"]),
        ("Smith-Jones", "Ms Smith\u2011Jones", ["Smith\u2011Jones"]),
        ("Zoë", "Zoe\u0308 was there", ["Zoë"]),
        # addresses and schools with digits and punctuation
        ("12 Acacia Avenue", "lived at 12 Acacia Avenue, Northbridge", ["12 Acacia Avenue"]),
        ("2 Acacia Avenue", "lived at 12 Acacia Avenue", []),
        ("St. Mary's (Primary)", "attended St. Mary's (Primary) school", ["St. Mary's (Primary)"]),
        ("A+B Nursery", "the a+b nursery", ["a+b nursery"]),
    ],
)
def test_the_matcher_finds_whole_words_only(term, text, expected):
    assert matches(term, text) == expected


def test_each_find_has_its_term_category_location_and_sentence():
    segments = [
        ("Paragraph 1", "The Annual report. Ann's mother met Joanne. Nothing else."),
        ("Footnote 2", "Seen by Mr. Smith at home."),
    ]
    found = anon.find_occurrences(segments, [("Ann", CHILD), ("Smith", FAMILY)])
    assert [(f["term"], f["category"], f["location"], f["context"]) for f in found] == [
        ("Ann", CHILD, "Paragraph 1", "Ann's mother met Joanne."),
        ("Smith", FAMILY, "Footnote 2", "Seen by Mr. Smith at home."),
    ]
    # The offset says where to highlight, even when the sentence repeats the word.
    for finding in found:
        offset = finding["offset"]
        assert finding["context"][offset : offset + len(finding["match"])] == finding["match"]


def test_finds_in_one_paragraph_come_in_reading_order_whatever_the_list_order():
    found = anon.find_occurrences(
        [("Page 1", "Smith met Ann. Ann met Smith.")], [("Ann", CHILD), ("Smith", FAMILY)]
    )
    assert [f["match"] for f in found] == ["Smith", "Ann", "Ann", "Smith"]


def test_a_long_sentence_is_cut_around_the_name():
    text = "word " * 200 + "Ann was there " + "word " * 200
    (finding,) = anon.find_occurrences([("Page 1", text)], [("Ann", CHILD)])
    context = finding["context"]
    assert len(context) <= anon.CONTEXT_CHARS + 10
    assert context.startswith("… word") and context.endswith("word …")
    assert "Ann was there" in context


def test_restricted_name_objects_and_blank_terms():
    class Name:
        term, category = "  Ann  ", CHILD

    found = anon.find_occurrences([("Page 1", "Ann")], [Name(), ("   ", FAMILY)])
    assert [(f["term"], f["match"]) for f in found] == [("Ann", "Ann")]


# --- the restricted list --------------------------------------------------------------------


def events(review, kind):
    return list(ReviewEvent.objects.filter(review=review, kind=kind))


def test_a_name_is_added_with_history_and_a_timeline_event_without_the_name(lcspr_review, author):
    name = anon.restricted_name_add(
        review=lcspr_review, by=author, term="  Jane   Place ", category=FAMILY
    )
    assert name.term == "Jane Place"
    assert name.history.get().history_user == author
    (event,) = events(lcspr_review, "restricted_name_added")
    assert event.summary == "A restricted name (family member) was added"
    assert "Jane" not in str(event.data)


@pytest.mark.parametrize(
    ("term", "category", "field", "message"),
    [
        ("J", CHILD, "term", "at least 2 characters"),
        ("   ", CHILD, "term", "at least 2 characters"),
        ("ann", CHILD, "term", "already on the list"),
        ("Jane", "uncle", "category", "Select what kind"),
    ],
)
def test_a_bad_name_is_refused_and_nothing_is_stored(
    lcspr_review, author, term, category, field, message
):
    anon.restricted_name_add(review=lcspr_review, by=author, term="Ann", category=CHILD)
    with pytest.raises(WorkflowError) as error:
        anon.restricted_name_add(review=lcspr_review, by=author, term=term, category=category)
    assert message in " ".join(error.value.message_dict[field])
    assert lcspr_review.restricted_names.count() == 1


def test_a_name_is_removed_with_history_and_an_event_without_the_name(lcspr_review, manager):
    name = anon.restricted_name_add(
        review=lcspr_review, by=manager, term="Acacia Avenue", category=ADDRESS
    )
    pk = name.pk
    anon.restricted_name_remove(name=name, by=manager)
    assert not lcspr_review.restricted_names.exists()
    removal = RestrictedName.history.filter(id=pk).first()
    assert (removal.history_type, removal.history_user) == ("-", manager)
    (event,) = events(lcspr_review, "restricted_name_removed")
    assert event.summary == "A restricted name (address or place) was removed"


# --- running a check ------------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    """Uploaded files go to a folder of the test's own."""
    default = dict(settings.STORAGES["default"])
    default["OPTIONS"] = {**default.get("OPTIONS", {}), "location": str(tmp_path)}
    settings.STORAGES = {**settings.STORAGES, "default": default}
    return tmp_path


PLANTED = docx(
    "Background.",
    # Split across runs, as Word stores a name it has spell-checked.
    para("Ja", "ne Pla", "ce's son was seen by the health visitor."),
    "The family moved in 2024.",
)
CLEAN = docx("Background.", "Child T's mother was seen by the health visitor.")


def upload(review, by, data=PLANTED, *, kind="overview", name="report.docx", note="Fixed"):
    return reports.report_version_upload(
        review=review,
        by=by,
        kind=kind,
        file=SimpleUploadedFile(name, data),
        change_note=note,
    )


@pytest.fixture
def names(lcspr_review, manager):
    anon.restricted_name_add(review=lcspr_review, by=manager, term="Jane Place", category=FAMILY)
    anon.restricted_name_add(review=lcspr_review, by=manager, term="Acacia", category=ADDRESS)
    return lcspr_review.restricted_names.all()


@pytest.fixture
def planted(media, lcspr_review, author, names):
    return upload(lcspr_review, author)


def run(review, version, by, purpose=CheckPurpose.PUBLICATION):
    return anon.anonymisation_check_run(review=review, version=version, by=by, purpose=purpose)


def test_a_check_finds_a_name_planted_in_a_word_document(lcspr_review, planted, author):
    check = run(lcspr_review, planted, author)
    assert check.terms_checked == 2
    assert [(f["term"], f["match"], f["location"]) for f in check.findings] == [
        ("Jane Place", "Jane Place's", "Paragraph 2")
    ]
    assert check.findings[0]["context"] == "Jane Place's son was seen by the health visitor."
    assert not check.is_clear
    assert check.history.get().history_user == author
    (event,) = events(lcspr_review, "anonymisation_check")
    assert event.summary == (
        "Anonymisation check of Overview Report version 1 (before publication): "
        "1 restricted name found"
    )
    assert "Jane" not in event.summary + str(event.data)


def test_a_clean_version_passes(lcspr_review, media, author, names):
    version = upload(lcspr_review, author, CLEAN)
    check = run(lcspr_review, version, author, CheckPurpose.ON_REQUEST)
    assert check.findings == [] and check.is_clear
    assert "no restricted names found" in events(lcspr_review, "anonymisation_check")[0].summary


def test_a_check_reads_a_pdf(lcspr_review, media, author, names, settings):
    from lcspr.core.pdf import render_pdf

    pdf = render_pdf(
        "pdf/base.html", {}, title="Overview Report: a visit to Acacia Avenue"
    )  # the title is the only text of the base template
    version = upload(lcspr_review, author, pdf, name="report.pdf")
    check = run(lcspr_review, version, author)
    assert check.findings
    assert {(f["match"], f["location"]) for f in check.findings} == {("Acacia", "Page 1")}


def test_with_an_empty_list_the_check_refuses_to_run_and_says_why(lcspr_review, media, author):
    version = upload(lcspr_review, author)
    for purpose in (CheckPurpose.APPROVAL, CheckPurpose.PUBLICATION):
        with pytest.raises(WorkflowError) as refused:
            run(lcspr_review, version, author, purpose)
        assert "restricted list is empty" in refused.value.messages[0]
        assert "add the real names" in refused.value.messages[0]
    assert not AnonymisationCheck.objects.exists()
    assert not events(lcspr_review, "anonymisation_check")


def test_the_list_starts_with_the_childrens_names_and_dates_of_birth(
    lcspr_review, media, author, manager
):
    from reviews.referral import services as referral_services

    referral_services.child_add(
        review=lcspr_review,
        by=manager,
        name="Jordan Ashdown",
        sex="male",
        date_of_birth=datetime.date(2025, 3, 14),
    )
    version = upload(lcspr_review, author, docx(para("Jordan was born on 14 March 2025.")))
    terms = {(n.term, n.category) for n in lcspr_review.restricted_names.all()}
    assert terms == {
        ("Jordan Ashdown", NameCategory.CHILD),
        ("Jordan", NameCategory.CHILD),
        ("14 March 2025", NameCategory.OTHER),
        ("14/03/2025", NameCategory.OTHER),
    }
    check = run(lcspr_review, version, author)
    assert {f["match"] for f in check.findings} == {"Jordan", "14 March 2025"}
    # The manager adds more, and a second upload does not add the children again.
    anon.restricted_name_add(review=lcspr_review, by=manager, term="Acacia", category=ADDRESS)
    upload(lcspr_review, author, CLEAN)
    assert lcspr_review.restricted_names.count() == 5


def test_a_replaced_version_is_not_checked(lcspr_review, planted, author):
    upload(lcspr_review, author, CLEAN)
    with pytest.raises(WorkflowError, match="replaced by a newer version"):
        run(lcspr_review, planted, author)
    assert not AnonymisationCheck.objects.exists()


def test_a_version_of_another_review_is_refused(lcspr_review, other_review, planted, author):
    with pytest.raises(WorkflowError, match="another review"):
        run(other_review, planted, author)


def test_an_unknown_purpose_is_refused(lcspr_review, planted, author):
    with pytest.raises(WorkflowError) as error:
        run(lcspr_review, planted, author, "whenever")
    assert "purpose" in error.value.message_dict


def test_a_file_that_cannot_be_read_is_refused_with_the_reason(lcspr_review, media, author, names):
    version = upload(lcspr_review, author, docx("<w:p><w:r><w:t>Damaged"))
    with pytest.raises(WorkflowError, match="Overview Report version 1: .*XML is damaged"):
        run(lcspr_review, version, author)
    assert not AnonymisationCheck.objects.exists()


def test_a_stored_file_changed_since_upload_is_refused(lcspr_review, planted, author, media):
    path = media / planted.file.name
    path.write_bytes(CLEAN)
    with pytest.raises(WorkflowError, match="does not match"):
        run(lcspr_review, planted, author)


# --- overriding -----------------------------------------------------------------------------


@pytest.fixture
def found(lcspr_review, planted, author):
    return run(lcspr_review, planted, author)


def test_the_independent_chair_overrides_with_a_reason_kept_off_the_timeline(
    found, independent_chair, lcspr_review
):
    reason = "Jane Place is named in the published court judgment."
    check = anon.anonymisation_override(check=found, by=independent_chair, reason=reason)
    assert check.is_clear
    assert (check.overridden_by, check.override_reason) == (independent_chair, reason)
    (event,) = events(lcspr_review, "anonymisation_override")
    assert "overridden by the Independent Chair (1 restricted name found)" in event.summary
    assert "Jane" not in event.summary + str(event.data)


def test_an_override_needs_a_reason(found, independent_chair):
    with pytest.raises(WorkflowError) as error:
        anon.anonymisation_override(check=found, by=independent_chair, reason="  ")
    assert "Enter why" in error.value.message_dict["reason"][0]
    found.refresh_from_db()
    assert found.overridden_at is None


def test_only_the_latest_check_with_findings_can_be_overridden(
    found, lcspr_review, planted, author, independent_chair, media
):
    anon.anonymisation_override(check=found, by=independent_chair, reason="Public")
    with pytest.raises(WorkflowError, match="already been overridden"):
        anon.anonymisation_override(check=found, by=independent_chair, reason="Public")
    newer = run(lcspr_review, planted, author)
    anon.restricted_name_remove(
        name=lcspr_review.restricted_names.get(term="Jane Place"), by=author
    )
    newest = run(lcspr_review, planted, author)
    with pytest.raises(WorkflowError, match="newer check"):
        anon.anonymisation_override(check=newer, by=independent_chair, reason="Public")
    with pytest.raises(WorkflowError, match="nothing to override"):
        anon.anonymisation_override(check=newest, by=independent_chair, reason="Public")


def test_a_check_of_a_replaced_version_cannot_be_overridden(
    found, lcspr_review, author, independent_chair
):
    upload(lcspr_review, author, CLEAN)
    with pytest.raises(WorkflowError, match="replaced by a newer version"):
        anon.anonymisation_override(check=found, by=independent_chair, reason="Public")


# --- what publication needs -----------------------------------------------------------------


def test_publication_waits_for_a_check_before_publication(lcspr_review, planted, author):
    run(lcspr_review, planted, author, CheckPurpose.APPROVAL)
    ok, message, checks = anon.publication_check_status(lcspr_review, [planted])
    assert not ok and checks == [None]
    assert message == (
        "Run the anonymisation check before publication on the final Overview Report (version 1)."
    )


def test_publication_is_blocked_while_names_remain(lcspr_review, planted, author):
    check = run(lcspr_review, planted, author)
    ok, message, checks = anon.publication_check_status(lcspr_review, [planted])
    assert not ok and checks == [check]
    assert message == (
        "1 restricted name remains in the Overview Report version 1: fix the report or ask the "
        "Independent Chair to override."
    )


def test_an_override_or_a_clean_check_allows_publication(
    lcspr_review, found, planted, author, independent_chair, media
):
    anon.anonymisation_override(check=found, by=independent_chair, reason="Public")
    assert anon.publication_check_status(lcspr_review, [planted])[0]
    summary = upload(lcspr_review, author, CLEAN, kind="executive_summary")
    ok, message, _ = anon.publication_check_status(lcspr_review, [planted, summary])
    assert not ok and "final Executive Summary (version 1)" in message
    summary_check = run(lcspr_review, summary, author)
    assert anon.publication_check_status(lcspr_review, [planted, summary]) == (
        True,
        "",
        [found, summary_check],
    )


def test_a_name_added_after_the_check_means_checking_again(lcspr_review, media, author, names):
    version = upload(lcspr_review, author, CLEAN)
    run(lcspr_review, version, author)
    anon.restricted_name_add(review=lcspr_review, by=author, term="Northbridge", category=ADDRESS)
    ok, message, _ = anon.publication_check_status(lcspr_review, [version])
    assert not ok
    assert "added after the last check of the Overview Report version 1" in message


def test_publication_needs_a_restricted_list(lcspr_review, media, author):
    version = upload(lcspr_review, author, CLEAN)
    with pytest.raises(WorkflowError, match="restricted list is empty"):
        run(lcspr_review, version, author)
    ok, message, _ = anon.publication_check_status(lcspr_review, [version])
    assert not ok and message.startswith("Add the real names")


def test_publication_needs_a_version(lcspr_review):
    assert anon.publication_check_status(lcspr_review, [None])[:2] == (
        False,
        "There is no final report to check for restricted names.",
    )
