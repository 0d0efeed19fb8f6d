"""The rapid review written out as a Word document in the structure the National Panel's rapid
review template asks for: the case, the facts, agency involvement, analysis of key practice
episodes, immediate actions, equality and diversity, learning, and the partners' decision with
its rationale. The child is named only by the review's pseudonym; a document that still holds a
recorded child's real name is not produced (`names_found` says where)."""

import io
import re
from typing import NamedTuple

from django.conf import settings
from docx import Document
from docx.shared import Pt

from lcspr.core.text import long_date
from reviews.models import Review
from reviews.rapid_review.forms import criteria_ticked
from reviews.rapid_review.models import RapidReview

NOT_HELD = "Not recorded in the service: complete this section before sending."


class Part(NamedTuple):
    """One section of the document: its heading, paragraphs and an optional table (a header
    row, then rows)."""

    heading: str
    paragraphs: list[str]
    table: list[list[str]] | None = None


def parts(review: Review, rapid_review: RapidReview) -> list[Part]:
    """The document's sections, in the Panel template's order, from the rapid review record."""
    notification = getattr(review, "notification", None)
    case_rows = [
        ["Case reference", review.reference],
        ["Child", review.pseudonym],
        ["What happened", review.get_trigger_display()],
        ["Date of the incident", long_date(review.incident_date)],
        ["Date the local authority became aware", long_date(review.la_aware_date)],
        [
            "Date the National Panel was notified",
            long_date(notification.sent_on) if notification else "Not notified",
        ],
        [
            "National Panel's reference",
            (notification.panel_reference if notification else "") or "Not recorded",
        ],
    ]
    meetings = list(rapid_review.meetings.all())
    if meetings:
        case_rows.append(
            ["Rapid review meetings", ", ".join(long_date(m.held_on) for m in meetings)]
        )
    summaries = list(
        review.agency_summaries.filter(received_on__isnull=False).select_related("agency")
    )
    actions = list(rapid_review.immediate_actions.select_related("lead_agency"))
    sign_offs = list(rapid_review.sign_offs.select_related("agency", "signed_by"))
    criteria = criteria_ticked(rapid_review)
    decision = [
        "Recommendation: "
        + (rapid_review.get_recommendation_display() if rapid_review.recommendation else NOT_HELD),
        "Rationale: " + (rapid_review.recommendation_rationale or NOT_HELD),
        "Criteria for a local review (regulation 11) found met: "
        + ("; ".join(criteria) if criteria else "none"),
        "The case may need a national review: "
        + (
            f"yes. {rapid_review.national_review_reasons}".strip()
            if rapid_review.may_need_national_review
            else "no"
        ),
    ]
    return [
        Part("1. The case", [], [["", ""], *case_rows]),
        Part("2. Facts of the case", [rapid_review.facts or NOT_HELD]),
        Part(
            "3. Agency involvement",
            [
                f"{s.agency.name} (summary received {long_date(s.received_on)}): "
                + (s.summary or f"in the attached file {s.file_name}")
                for s in summaries
            ]
            or ["No agency summary has been received."],
        ),
        Part("4. Analysis of key practice episodes", [NOT_HELD]),
        Part(
            "5. Immediate actions",
            [] if actions else ["No immediate action was recorded."],
            [
                ["What must be done", "Lead agency", "Due"],
                *(
                    [
                        a.description,
                        a.lead_agency.name if a.lead_agency else "",
                        long_date(a.due_date) if a.due_date else "No date set",
                    ]
                    for a in actions
                ),
            ]
            if actions
            else None,
        ),
        Part("6. Equality and diversity", [rapid_review.equality_context or NOT_HELD]),
        Part("7. Learning", [rapid_review.emerging_learning or NOT_HELD]),
        Part(
            "8. The safeguarding partners' decision and rationale",
            decision,
            [
                ["Statutory partner", "Signed off by", "Date"],
                *(
                    [s.agency.name, s.signed_by.full_name, long_date(s.signed_at)]
                    for s in sign_offs
                ),
            ]
            if sign_offs
            else None,
        ),
    ]


def _name_patterns(review: Review) -> list[tuple[str, re.Pattern]]:
    """Each recorded child's full name and each part of it longer than two letters, as whole
    words in any letter case."""
    patterns = []
    for child in review.children.all():
        words = {child.name.strip(), *(w for w in child.name.split() if len(w) > 2)}
        for word in sorted(words, key=len, reverse=True):
            if word and word.lower() not in review.pseudonym.lower():
                patterns.append((child.name, re.compile(rf"\b{re.escape(word)}\b", re.I)))
    return patterns


def names_found(review: Review, sections: list[Part]) -> list[str]:
    """Where a recorded child's real name appears: "the child's name in 2. Facts of the case"."""
    found = []
    patterns = _name_patterns(review)
    for part in sections:
        text = "\n".join(part.paragraphs + ["\t".join(r) for r in (part.table or [])])
        if any(pattern.search(text) for _name, pattern in patterns):
            found.append(part.heading)
    return found


def document(review: Review, sections: list[Part]) -> bytes:
    """The .docx file."""
    doc = Document()
    doc.core_properties.title = f"Rapid review {review.reference}"
    doc.core_properties.author = settings.PARTNERSHIP_NAME
    doc.styles["Normal"].font.size = Pt(11)
    doc.add_heading(f"Rapid review: {review.pseudonym} ({review.reference})", level=0)
    doc.add_paragraph(
        f"{settings.PARTNERSHIP_NAME}. Pseudonymised: the child is named only as "
        f"{review.pseudonym}."
    )
    for part in sections:
        doc.add_heading(part.heading, level=1)
        for paragraph in part.paragraphs:
            doc.add_paragraph(paragraph)
        if part.table:
            header, *rows = part.table
            table = doc.add_table(rows=0, cols=len(header))
            table.style = "Table Grid"
            if any(header):
                cells = table.add_row().cells
                for cell, text in zip(cells, header, strict=True):
                    cell.text = text
                    cell.paragraphs[0].runs[0].bold = True
            for row in rows:
                for cell, text in zip(table.add_row().cells, row, strict=True):
                    cell.text = text
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
