"""Reads for the referral and notification pages."""

import datetime
from typing import NamedTuple

from django.db.models import Q

from lcspr.accounts.models import Agency, AgencyKind
from lcspr.core.text import in_sentence, long_date
from reviews.clocks.models import Deadline
from reviews.models import Child, Review, YesNo
from reviews.referral import matching
from reviews.referral.models import Adult, LookedAfterDeathNotice, Notification


def notification_recorded(review: Review) -> bool:
    """Whether the Panel's notification has been recorded for `review`."""
    return Notification.objects.filter(review=review).exists()


def notification(review: Review) -> Notification | None:
    """The recorded notification to the National Panel, if it has been sent."""
    return Notification.objects.filter(review=review).select_related("sent_by").first()


def looked_after_death_notice(review: Review) -> LookedAfterDeathNotice | None:
    """The record that the DfE and Ofsted were told of a looked-after child's death, if any."""
    return LookedAfterDeathNotice.objects.filter(review=review).first()


def clock(review: Review, kind: str) -> Deadline | None:
    """One of the review's clocks, if it has it."""
    return review.deadlines.filter(kind=kind).first()


class Answer(NamedTuple):
    """One answer for the national notification form: its question, the answer in words (""
    when the service does not hold it) and what to do when it is missing."""

    question: str
    answer: str
    missing: str = ""


class AnswerGroup(NamedTuple):
    heading: str
    answers: list[Answer]


def _date(value: datetime.date | None) -> str:
    return long_date(value) if value else ""


def age_on(born: datetime.date | None, on: datetime.date) -> str:
    """A child's age on a day, as the form asks it: years, or months for a baby."""
    if born is None or born > on:
        return ""
    months = (on.year - born.year) * 12 + on.month - born.month - (on.day < born.day)
    if months >= 24:
        return f"{months // 12} years old"
    if months >= 1:
        return f"{months} month{'s' if months != 1 else ''} old"
    days = (on - born).days
    return f"{days} day{'s' if days != 1 else ''} old"


def _child_answers(child: Child, incident_date: datetime.date) -> list[Answer]:
    return [
        Answer("Name", child.name),
        Answer(
            "Date of birth",
            _date(child.date_of_birth),
            "Not recorded: add it to the child's details if it is known.",
        ),
        Answer(
            "Age at the time of the incident",
            age_on(child.date_of_birth, incident_date),
            "Follows from the date of birth, which is not recorded.",
        ),
        Answer("Sex", child.get_sex_display()),
        Answer("Ethnicity", child.ethnicity, "Not recorded."),
        Answer("Disability or special educational needs", child.disability or "None recorded"),
        Answer("Looked after by a local authority", "Yes" if child.looked_after else "No"),
        Answer(
            "Children's social care status",
            child.get_social_care_status_display() if child.social_care_status else "",
            "Not recorded: child protection plan, child in need, previously known or not known.",
        ),
    ]


def statutory_local_authority() -> Agency | None:
    """The local authority among the statutory partners (the first, if several are recorded)."""
    return (
        Agency.objects.filter(
            kind=AgencyKind.LOCAL_AUTHORITY, is_statutory_partner=True, is_active=True
        )
        .order_by("pk")
        .first()
    )


def national_notification(review: Review) -> list[AnswerGroup]:
    """Everything the National Panel's serious incident notification asks, in the form's order,
    from what the review holds (a fixed number of queries)."""
    local_authority = statutory_local_authority()
    yes_no = dict(YesNo.choices)
    groups = [
        AnswerGroup(
            "The local authority and the incident",
            [
                Answer(
                    "Local authority",
                    local_authority.name if local_authority else "",
                    "No local authority is recorded as a statutory partner agency.",
                ),
                Answer("What happened", review.get_trigger_display()),
                Answer("Date of the incident", _date(review.incident_date)),
                Answer("Date the local authority became aware", _date(review.la_aware_date)),
                Answer(
                    "Where it happened",
                    review.incident_location,
                    "Not recorded: add it in the case details.",
                ),
                Answer(
                    "Abuse or neglect of the child is known or suspected",
                    yes_no.get(review.abuse_or_neglect, ""),
                    "Record the criteria check first.",
                ),
                Answer(
                    "The child has died or been seriously harmed",
                    yes_no.get(review.died_or_seriously_harmed, ""),
                    "Record the criteria check first.",
                ),
            ],
        )
    ]
    children = list(review.children.all())
    for number, child in enumerate(children, start=1):
        groups.append(AnswerGroup(f"Child {number}", _child_answers(child, review.incident_date)))
    if not children:
        groups.append(
            AnswerGroup(
                "The child",
                [Answer("Child's details", "", "No child is recorded: add the child first.")],
            )
        )
    agencies = {review.referring_agency.name}
    agencies.update(
        summary.agency.name for summary in review.agency_summaries.select_related("agency")
    )
    proceedings = [
        ", ".join(
            part
            for part in (
                proceeding.get_kind_display(),
                proceeding.description,
                in_sentence(proceeding.get_status_display()),
            )
            if part
        )
        for proceeding in review.proceedings.all()
    ]
    groups.append(
        AnswerGroup(
            "What is known",
            [
                Answer("Other children involved", review.additional_children or "None recorded"),
                Answer("What is known so far", review.what_is_known),
                Answer("Agencies involved", "\n".join(sorted(agencies))),
                Answer(
                    "Parallel proceedings",
                    "\n".join(proceedings) or "None recorded",
                ),
                Answer(
                    "Category of abuse or neglect",
                    "",
                    "The service does not record it: choose it on the national form from what "
                    "is known.",
                ),
            ],
        )
    )
    return groups


class PersonMatch(NamedTuple):
    """One person of this review who may be one recorded on another review, and why (in
    words, with the names and dates compared only for those who may see identities)."""

    ours: Child | Adult
    theirs: Child | Adult
    reasons: list[matching.Reason]
    explained: str

    @property
    def ours_role(self) -> str:
        return _role(self.ours)

    @property
    def theirs_role(self) -> str:
        return _role(self.theirs)


def _role(person: Child | Adult) -> str:
    return in_sentence(person.get_relationship_display()) if isinstance(person, Adult) else "child"


class OtherReview(NamedTuple):
    """Another review that may involve the same child or family, with the matches found."""

    review: Review
    matches: list[PersonMatch]


def _person(record: Child | Adult) -> matching.Person:
    return matching.Person(record.name, record.date_of_birth, record.address)


def adults(review: Review):
    """The adults the review is about, in the order they were recorded."""
    return Adult.objects.filter(review=review).order_by("pk")


class OtherReviews(list):
    """The other reviews found, and whether a search could run at all (`searched`): a match
    needs a date of birth or an address to agree (matching.compare), so a review whose people
    have neither cannot be said to have no match."""

    def __init__(self, found=(), *, searched: bool):
        super().__init__(found)
        self.searched = searched


def other_reviews(review: Review, *, visible, details: bool) -> OtherReviews:
    """Other reviews among `visible` (the reviews the reader may see: reviews_for_user) whose
    children or adults may be this review's, newest first, each match explained. Four queries
    whatever the number of reviews: this review's children and adults, then the candidates of
    each kind fetched by the cheap keys (dates of birth as typed or with a slip, postcode, the
    surname's sound where an address is recorded), scored in Python. `details`: whether the
    explanations name the names and dates compared."""
    ours = [*review.children.all(), *adults(review)]
    if not any(p.date_of_birth or p.address for p in ours):
        return OtherReviews(searched=False)
    surnames = {p.surname_key for p in ours} - {""}
    born = set().union(*(matching.date_variants(p.date_of_birth) for p in ours))
    postcodes = {p.postcode_key for p in ours} - {""}
    # A match needs the date of birth or the address to agree (matching.compare): a surname
    # brings in only those with an address to compare, not every Smith.
    keys = (
        Q(date_of_birth__in=born)
        | Q(postcode_key__in=postcodes)
        | (Q(surname_key__in=surnames) & ~Q(address=""))
    )
    others = visible.exclude(pk=review.pk).values("pk")
    candidates = [
        *Child.objects.filter(keys, review__in=others).select_related("review"),
        *Adult.objects.filter(keys, review__in=others).select_related("review"),
    ]
    found: dict[int, OtherReview] = {}
    for theirs in candidates:
        for mine in ours:
            reasons = matching.compare(_person(mine), _person(theirs))
            if reasons:
                entry = found.setdefault(theirs.review_id, OtherReview(theirs.review, []))
                explained = matching.in_words(reasons, details=details)
                entry.matches.append(PersonMatch(mine, theirs, reasons, explained))
    newest_first = sorted(found.values(), key=lambda other: other.review.created_at, reverse=True)
    return OtherReviews(newest_first, searched=True)
