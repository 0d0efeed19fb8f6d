"""The demo LCSPR's report and learning, built through the services on top of the
commissioned review ("Child H", panels/demo.py, which calls `seed_reports` last): two versions of
the Overview Report with the panel's comments and the author's responses, the restricted list of
real names the anonymisation check looks for, and a learning summary with its themes and four
recommendations. Every name and word is invented; the report names the child by the pseudonym
only."""

import io
import zipfile
from xml.sax.saxutils import escape

from django.core.files.uploadedfile import SimpleUploadedFile

from reviews.learning import services as learning
from reviews.learning.models import LearningTheme
from reviews.report import anonymisation
from reviews.report import services as reports
from reviews.report.models import NameCategory, ReportKind

# (term, category): fictional real names and details that must not appear in the report. The
# child's name is the demo referral's (reviews/demo.py).
RESTRICTED = [
    ("Ellis Quarrington", NameCategory.CHILD),
    ("Kerry Quarrington", NameCategory.FAMILY),
    ("Dale Ashbury", NameCategory.FAMILY),
    ("14 Larchmont Close", NameCategory.ADDRESS),
    ("Riverside Primary", NameCategory.SCHOOL),
]

VERSION_1 = [
    "Overview Report: Local Child Safeguarding Practice Review concerning Child H",
    "1. Introduction",
    "Child H was seven years old when admitted to hospital with injuries. This review looks at "
    "the year before the admission.",
    "2. Findings",
    "Finding 1: eleven health appointments were missed and none was followed up.",
    "Finding 2: the school's concerns about attendance were not shared with health services.",
]
VERSION_2 = VERSION_1 + [
    "Finding 3: police attended two domestic incidents; the health visitor was not told.",
    "Finding 4: the mother's partner was never seen or assessed by any agency.",
    "3. Recommendations",
    "The partnership should seek assurance on four recommendations (see section 5).",
]

SUMMARY = {
    "background": "Child H, aged seven, was admitted to hospital with injuries. In the year "
    "before, eleven health appointments were missed, school attendance fell and police were "
    "called twice to the home.",
    "why_it_matters": "Missed appointments and poor attendance are often the first signs that "
    "a young child is not being seen. Each agency held part of the picture; nobody held it all.",
    "findings": "Missed health appointments were not followed up or escalated.\n"
    "The school's attendance concerns stayed within the school.\n"
    "Police did not tell health visitors about domestic incidents.\n"
    "The mother's partner was invisible to every agency.",
    "reflective_questions": "When did you last see the child, and who else was in the home?\n"
    "What do you do when a family misses a second appointment?\n"
    "Who else needs to know what you know?",
    "further_reading": "National Panel: The myth of invisible men (2021)\n"
    "NSPCC Learning: was not brought\n"
    "The partnership's escalation procedure",
}
PRIMARY = ["Neglect", "Information sharing", "Invisible men / fathers"]
OTHER = ["Professional curiosity", "Escalation and professional challenge"]

RECOMMENDATIONS = [
    (
        "Schools should refer every pupil whose attendance falls below 90% for a term to the "
        "school nursing service.",
        "The school's attendance concerns stayed within the school.",
    ),
    (
        "Health providers should follow up every missed appointment of a child under five and "
        "escalate after the second.",
        "Missed health appointments were not followed up or escalated.",
    ),
    (
        "Police should share every domestic incident in a household with a child under five "
        "with the health visiting service within 24 hours.",
        "Police did not tell health visitors about domestic incidents.",
    ),
    (
        "Every agency should record and assess the adults living in or visiting a young "
        "child's home, including fathers and partners.",
        "The mother's partner was invisible to every agency.",
    ),
]


def docx(paragraphs: list[str], name: str) -> SimpleUploadedFile:
    """A small real Word document with these paragraphs."""
    body = "".join(f"<w:p><w:r><w:t>{escape(text)}</w:t></w:r></w:p>" for text in paragraphs)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.'
            'org/package/2006/content-types"><Default Extension="xml" ContentType="application/'
            'xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr(
            "word/document.xml",
            '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.'
            'openxmlformats.org/wordprocessingml/2006/main"><w:body>'
            f"{body}</w:body></w:document>",
        )
    return SimpleUploadedFile(name, buffer.getvalue())


def seed_reports(*, review, author, panel_chair, members, log) -> None:
    """Give the commissioned demo review its report drafts, restricted names and learning."""
    for term, category in RESTRICTED:
        anonymisation.restricted_name_add(review=review, by=author, term=term, category=category)

    first = reports.report_version_upload(
        review=review,
        by=author,
        kind=ReportKind.OVERVIEW,
        file=docx(VERSION_1, "child-h-overview-report-draft-1.docx"),
        change_note="",
    )
    asked = reports.report_comment_add(
        version=first,
        by=members[0],
        location="Section 2",
        text="Please add what the police knew about incidents at the home.",
    )
    reports.report_comment_add(
        version=first,
        by=panel_chair,
        location="",
        text="The recommendations section is missing: please add it in the next draft.",
    )
    reports.report_comment_respond(
        comment=asked,
        by=author,
        response="Added as finding 3 in the next version.",
        resolve=True,
    )
    second = reports.report_version_upload(
        review=review,
        by=author,
        kind=ReportKind.OVERVIEW,
        file=docx(VERSION_2, "child-h-overview-report-draft-2.docx"),
        change_note="Added findings 3 and 4 and the recommendations section.",
    )
    reports.report_comment_add(
        version=second,
        by=members[1],
        location="Finding 2",
        text="Health visitors did receive one attendance letter: please check with the school.",
    )

    themes = {t.name: t for t in LearningTheme.objects.all()}
    learning.learning_summary_update(
        review=review,
        by=author,
        primary_themes=[themes[n] for n in PRIMARY],
        other_themes=[themes[n] for n in OTHER],
        **SUMMARY,
    )
    for text, finding in RECOMMENDATIONS:
        learning.recommendation_add(review=review, by=author, text=text, finding=finding)
    log(
        f"Demo report: {review.pseudonym} has two drafts with comments, {len(RESTRICTED)} "
        f"restricted names, a learning summary and {len(RECOMMENDATIONS)} recommendations."
    )
