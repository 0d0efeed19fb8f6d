"""The covering information that goes with the final report to the Child Safeguarding Practice
Review Panel (the National Panel), the Secretary of State (the DfE) and Ofsted at least 7
working days before publication: what the review holds, in one order, each answer ready to
copy, with a note where the service does not hold it, and as a Word document. Pseudonymised:
the child is named only by the review's pseudonym, and no child's name or date of birth is
written out.

The review's author and the date they were commissioned are the panels app's (a later app than
reviews): it registers them here with `register_source`, so reviews imports none of it."""

import io
from collections.abc import Callable

from django.conf import settings
from docx import Document
from docx.shared import Pt

from lcspr.core.text import in_sentence, long_date
from lcspr.core.working_days import calendar
from reviews.clocks import deadlines
from reviews.clocks.models import ClockSettings
from reviews.decision.models import NationalNotice, Outcome
from reviews.learning.selectors import learning_summary
from reviews.models import Review
from reviews.publication import selectors
from reviews.rapid_review import panel_template
from reviews.rapid_review.models import RapidReview
from reviews.referral.models import Notification
from reviews.referral.selectors import Answer, AnswerGroup, age_on, statutory_local_authority
from reviews.terms.models import TermsOfReference
from reviews.terms.services import current_terms

# What only a later app knows, by key: "author" (the independent author's name) and
# "commissioned_on" (the date the author was commissioned, in words). Each takes the review.
_sources: dict[str, Callable[[Review], str]] = {}


def register_source(key: str, source: Callable[[Review], str]) -> None:
    """Let a later app answer `key` for a review (from its AppConfig.ready())."""
    _sources[key] = source


def _from_source(key: str, review: Review) -> str:
    source = _sources.get(key)
    return source(review) if source is not None else ""


def blocker(review: Review, approval) -> str:
    """Why there is no covering information yet, else "": it goes with the final report, so
    only once the Independent Chair has signed that off."""
    decision = deadlines.current_decision(review)
    if decision is None or decision.outcome != Outcome.LCSPR:
        return (
            "There is no final report to send: the covering information is for a local child "
            "safeguarding practice review's final report, and no LCSPR was decided for this "
            "review."
        )
    if approval is None or not approval.is_signed_off:
        return (
            "The final report has not been signed off by the Independent Chair yet: the "
            "covering information goes with the signed-off report."
        )
    return ""


def _date(value) -> str:
    return long_date(value) if value else ""


def _case(review: Review, notification: Notification | None) -> AnswerGroup:
    local_authority = statutory_local_authority()
    return AnswerGroup(
        "The review",
        [
            Answer("Review reference", review.reference),
            Answer("Child (pseudonym)", review.pseudonym),
            Answer(
                "National Panel's reference",
                notification.panel_reference if notification else "",
                "Not recorded: add it to the notification record if the Panel gave one.",
            ),
            Answer("Safeguarding children partnership", settings.PARTNERSHIP_NAME),
            Answer(
                "Local authority",
                local_authority.name if local_authority else "",
                "No local authority is recorded as a statutory partner agency.",
            ),
            Answer("What happened", review.get_trigger_display()),
        ],
    )


def _children(review: Review) -> list[AnswerGroup]:
    """Each child as they were at the incident, without their name or date of birth."""
    children = list(review.children.all())
    if not children:
        return [
            AnswerGroup(
                "The child",
                [Answer("The child's details", "", "No child is recorded on the review.")],
            )
        ]
    groups = []
    for number, child in enumerate(children, start=1):
        heading = f"Child {number}" if len(children) > 1 else "The child"
        groups.append(
            AnswerGroup(
                f"{heading} at the time of the incident",
                [
                    Answer(
                        "Age",
                        age_on(child.date_of_birth, review.incident_date),
                        "The date of birth is not recorded: add it to the child's details.",
                    ),
                    Answer("Sex", child.get_sex_display()),
                    Answer("Ethnicity", child.ethnicity, "Not recorded."),
                    Answer(
                        "Disability or special educational needs",
                        child.disability or "None recorded",
                    ),
                    Answer(
                        "Looked after by a local authority", "Yes" if child.looked_after else "No"
                    ),
                    Answer(
                        "Children's social care status",
                        child.get_social_care_status_display() if child.social_care_status else "",
                        "Not recorded: child protection plan, child in need, previously known "
                        "or not known.",
                    ),
                ],
            )
        )
    return groups


def _dates(review: Review, notification, approval, publication, terms) -> AnswerGroup:
    rapid_review = RapidReview.objects.filter(review=review).first()
    decision = deadlines.current_decision(review)
    notices = {n.recipient: n for n in NationalNotice.objects.filter(review=review)}
    told = "; ".join(
        f"{n.get_recipient_display()} on {long_date(n.sent_on)}" for n in notices.values()
    )
    agreed = terms.agreed_at if terms is not None and terms.agreed_at else None
    planned = publication.planned_on if publication is not None else None
    clocks = ClockSettings.load()
    latest_send = deadlines.latest_send_date(planned, clocks, calendar()) if planned else None
    return AnswerGroup(
        "Dates",
        [
            Answer("Date of the incident", _date(review.incident_date)),
            Answer("Date the local authority became aware", _date(review.la_aware_date)),
            Answer(
                "Date the National Panel was notified",
                _date(notification.sent_on) if notification else "",
                "The notification is not recorded on the review.",
            ),
            Answer(
                "Date the rapid review was sent to the National Panel",
                _date(rapid_review.sent_to_panel_on) if rapid_review else "",
                "Not recorded on the rapid review.",
            ),
            Answer(
                "Date of the decision to carry out an LCSPR",
                _date(decision.decided_on) if decision else "",
                "No decision is recorded.",
            ),
            Answer(
                "The DfE, Ofsted and the National Panel told an LCSPR would take place",
                told,
                "Not recorded: record each notice on the decision page.",
            ),
            Answer(
                "Date the independent author was commissioned",
                _from_source("commissioned_on", review),
                "Not recorded: add it to the author's appointment on the panel page.",
            ),
            Answer(
                "Date the Terms of Reference were agreed",
                _date(agreed),
                "The Terms of Reference have not been agreed in the service.",
            ),
            Answer(
                "Date the final report was completed (signed off by the Independent Chair)",
                _date(approval.signed_off_at),
            ),
            Answer(
                "Planned publication date",
                _date(planned),
                "Not planned yet: plan the publication date first.",
            ),
            Answer(
                f"Send the final report by ({clocks.pre_publication_days} working days before "
                "publication)",
                _date(latest_send),
                "Follows from the planned publication date, which is not set.",
            ),
        ],
    )


def _proceeding(proceeding) -> str:
    parts = [proceeding.get_kind_display()]
    if proceeding.description:
        parts.append(proceeding.description)
    parts.append(in_sentence(proceeding.get_status_display()))
    if proceeding.concluded_on:
        parts.append(f"concluded on {long_date(proceeding.concluded_on)}")
    elif proceeding.expected_date:
        parts.append(f"next expected on {long_date(proceeding.expected_date)}")
    return ", ".join(parts)


def _publication(review: Review, publication, proceedings) -> AnswerGroup:
    if publication is not None and publication.improvements_only:
        published = "No: information about the improvements will be published instead."
        reason = publication.improvements_reason
    else:
        published = "Yes: the full report."
        reason = "Not applicable: the full report will be published."
    holding = [p for p in proceedings if p.blocks_publication]
    return AnswerGroup(
        "Publication",
        [
            Answer("Will the full report be published", published),
            Answer(
                "Why the full report will not be published",
                reason,
                "Not recorded: say why (proceedings, the welfare of the child or family).",
            ),
            Answer(
                "Proceedings that publication waits for",
                "\n".join(_proceeding(p) for p in holding) or "None",
            ),
            Answer(
                "Parallel proceedings",
                "\n".join(_proceeding(p) for p in proceedings) or "None recorded",
            ),
        ],
    )


def _agencies(review: Review, terms) -> str:
    names = {review.referring_agency.name}
    names.update(s.agency.name for s in review.agency_summaries.select_related("agency"))
    if terms is not None:
        names.update(agency.name for agency in terms.agencies.all())
    return "\n".join(sorted(names))


def _learning(review: Review, terms) -> AnswerGroup:
    summary = learning_summary(review)
    primary = [t.name for t in summary.primary_themes.all()] if summary else []
    other = [t.name for t in summary.other_themes.all()] if summary else []
    return AnswerGroup(
        "Learning and the agencies involved",
        [
            Answer(
                "Main learning themes",
                "\n".join(primary),
                "Not recorded: the author adds them to the learning summary.",
            ),
            Answer("Other learning themes", "\n".join(other) or "None recorded"),
            Answer(
                "Number of recommendations",
                str(review.recommendations.count()),
            ),
            Answer("Agencies involved", _agencies(review, terms)),
        ],
    )


def _contacts(review: Review, approval, contact) -> AnswerGroup:
    return AnswerGroup(
        "The author and contacts",
        [
            Answer(
                "Independent author",
                _from_source("author", review),
                "No independent author is appointed on the review's panel.",
            ),
            Answer("Final report signed off by", str(approval.signed_off_by)),
            Answer(
                "Contact at the partnership",
                f"{contact.full_name}, {settings.PARTNERSHIP_NAME}\n{contact.email}",
            ),
        ],
    )


def covering_information(review: Review, *, approval, contact) -> list[AnswerGroup]:
    """The covering information in the order the page and the document give it, from what the
    review holds (`approval`: its signed-off live approval; `contact`: the person sending)."""
    notification = Notification.objects.filter(review=review).first()
    publication = selectors.publication_for(review)
    proceedings = list(selectors.proceedings_for(review))
    # The latest agreed Terms of Reference, else the version being worked on.
    terms = (
        TermsOfReference.objects.filter(review=review, status=TermsOfReference.Status.AGREED)
        .order_by("-version")
        .first()
    ) or current_terms(review)
    return [
        _case(review, notification),
        *_children(review),
        _dates(review, notification, approval, publication, terms),
        _publication(review, publication, proceedings),
        _learning(review, terms),
        _contacts(review, approval, contact),
    ]


def names_found(review: Review, groups: list[AnswerGroup]) -> list[str]:
    """The headings of the groups where a recorded child's real name appears (a proceeding's
    description or a reason typed in free text)."""
    parts = [
        panel_template.Part(g.heading, [], [[a.question, a.answer] for a in g.answers])
        for g in groups
    ]
    return panel_template.names_found(review, parts)


def document(review: Review, groups: list[AnswerGroup]) -> bytes:
    """The covering information as a Word document: a heading and a two-column table a group."""
    doc = Document()
    doc.core_properties.title = f"Covering information {review.reference}"
    doc.core_properties.author = settings.PARTNERSHIP_NAME
    doc.styles["Normal"].font.size = Pt(11)
    doc.add_heading(
        f"Covering information for the final report: {review.pseudonym} ({review.reference})",
        level=0,
    )
    doc.add_paragraph(
        "For the Child Safeguarding Practice Review Panel, the Secretary of State (the DfE) and "
        f"Ofsted, from {settings.PARTNERSHIP_NAME}. Pseudonymised: the child is named only as "
        f"{review.pseudonym}."
    )
    for group in groups:
        doc.add_heading(group.heading, level=1)
        table = doc.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        for answer in group.answers:
            cells = table.add_row().cells
            cells[0].text = answer.question
            cells[0].paragraphs[0].runs[0].bold = True
            cells[1].text = answer.answer or f"Not held in the service. {answer.missing}".strip()
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
