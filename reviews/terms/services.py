"""The Terms of Reference's steps: drafting, new versions, sharing, comments and agreement."""

from django.db import transaction
from django.utils import timezone

from lcspr.core.exceptions import WorkflowError
from lcspr.core.services import (
    delete_with_history,
    lock_row,
    save_with_history,
    timeline_event,
)
from lcspr.core.versions import require_version
from reviews.clocks import deadlines
from reviews.models import Review, Stage
from reviews.terms.models import KeyLineOfEnquiry, TermsOfReference, TorComment

TOR_FIELDS = (
    "subject_and_family",
    "period_start",
    "period_end",
    "methodology",
    "practitioner_involvement",
    "family_involvement",
    "timescales",
    "publication_plan",
    "equality_considerations",
)


COPIED_ON_NEW_VERSION = TOR_FIELDS


def current_terms(review: Review) -> TermsOfReference | None:
    """The version being worked on, or else the latest agreed one."""
    versions = list(review.tor_versions.all())
    open_ = [t for t in versions if t.is_editable]
    if open_:
        return open_[0]
    agreed = [t for t in versions if t.status == TermsOfReference.Status.AGREED]
    return agreed[0] if agreed else None


def _lock_terms(terms: TermsOfReference) -> TermsOfReference:
    return TermsOfReference.objects.select_for_update().get(pk=terms.pk)


def _require_editable(terms: TermsOfReference) -> None:
    if not terms.is_editable:
        raise WorkflowError(
            f"Version {terms.version} has been agreed and can no longer change. Start a new "
            "version, with the reason for the change."
        )


@transaction.atomic
def tor_start(*, review: Review, by) -> TermsOfReference:
    """Start the first draft of the Terms of Reference of an LCSPR."""
    review = lock_row(review)
    if review.stage != Stage.LCSPR:
        raise WorkflowError("Terms of Reference are drawn up once the decision is an LCSPR.")
    if review.tor_versions.exists():
        raise WorkflowError("The Terms of Reference have already been started.")
    terms = save_with_history(
        TermsOfReference(
            review=review,
            version=1,
            created_by=by,
            subject_and_family=f"{review.pseudonym} and their family.",
        ),
        by,
    )
    timeline_event(review, by, "tor_started", "Terms of Reference: draft version 1 started")
    return terms


@transaction.atomic
def tor_new_version(*, review: Review, by, reason: str) -> TermsOfReference:
    """A change to agreed Terms of Reference: a new draft copied from the agreed version."""
    review = lock_row(review)
    if review.stage != Stage.LCSPR:
        raise WorkflowError("The review is not an LCSPR in progress.")
    versions = list(review.tor_versions.all())
    if any(t.is_editable for t in versions):
        raise WorkflowError("A new version is already being drafted: change that one.")
    agreed = [t for t in versions if t.status == TermsOfReference.Status.AGREED]
    if not agreed:
        raise WorkflowError("There is no agreed version to change yet.")
    if not reason.strip():
        raise WorkflowError({"reason": "Enter why the Terms of Reference need to change"})
    source = agreed[0]
    terms = TermsOfReference(
        review=review,
        version=max(t.version for t in versions) + 1,
        created_by=by,
        change_reason=reason,
        **{f: getattr(source, f) for f in COPIED_ON_NEW_VERSION},
    )
    save_with_history(terms, by)
    terms.agencies.set(source.agencies.all())
    for kloe in source.kloes.all():
        save_with_history(KeyLineOfEnquiry(terms=terms, number=kloe.number, text=kloe.text), by)
    timeline_event(
        review,
        by,
        "tor_new_version",
        f"Terms of Reference: version {terms.version} started",
        reason=reason,
    )
    return terms


@transaction.atomic
def tor_update(
    *, terms: TermsOfReference, by, agencies=None, version=None, **fields
) -> TermsOfReference:
    """Change the sections of a draft or shared version (refused when read at an older
    `version` and someone has changed them since)."""
    terms = _lock_terms(terms)
    _require_editable(terms)
    require_version(terms, version, fields=(*TOR_FIELDS, "agencies"))
    unknown = set(fields) - set(TOR_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    for field, value in fields.items():
        setattr(terms, field, value)
    if terms.period_start and terms.period_end and terms.period_end < terms.period_start:
        raise WorkflowError({"period_end": "The end of the period must be after its start."})
    save_with_history(terms, by)
    if agencies is not None:
        terms.agencies.set(agencies)
    timeline_event(terms.review, by, "tor_updated", f"Terms of Reference v{terms.version} updated")
    return terms


@transaction.atomic
def kloes_set(*, terms: TermsOfReference, by, texts: list[str]) -> list[KeyLineOfEnquiry]:
    """Replace the key lines of enquiry with `texts`, numbered 1, 2, 3... in that order."""
    terms = _lock_terms(terms)
    _require_editable(terms)
    texts = [t.strip() for t in texts if t.strip()]
    existing = {k.number: k for k in terms.kloes.all()}
    kept = []
    for number, text in enumerate(texts, start=1):
        kloe = existing.pop(number, None) or KeyLineOfEnquiry(terms=terms, number=number)
        if kloe.pk is None or kloe.text != text:
            kloe.text = text
            save_with_history(kloe, by)
        kept.append(kloe)
    for kloe in existing.values():
        delete_with_history(kloe, by)
    timeline_event(
        terms.review,
        by,
        "tor_kloes",
        f"Terms of Reference v{terms.version}: {len(kept)} key lines of enquiry",
    )
    return kept


@transaction.atomic
def tor_share(*, terms: TermsOfReference, by) -> TermsOfReference:
    """Share a draft with the panel for comment."""
    terms = _lock_terms(terms)
    if terms.status != TermsOfReference.Status.DRAFT:
        raise WorkflowError("Only a draft can be shared with the panel.")
    terms.status = TermsOfReference.Status.SHARED
    terms.shared_at = timezone.now()
    save_with_history(terms, by)
    timeline_event(
        terms.review,
        by,
        "tor_shared",
        f"Terms of Reference v{terms.version} shared with the panel for comment",
    )
    return terms


@transaction.atomic
def tor_comment_add(*, terms: TermsOfReference, by, text: str, section: str = "") -> TorComment:
    """A panel member comments on a shared draft."""
    terms = _lock_terms(terms)
    if terms.status != TermsOfReference.Status.SHARED:
        raise WorkflowError("Comments are taken while a draft is shared with the panel.")
    if not text.strip():
        raise WorkflowError({"text": "Enter your comment"})
    comment = save_with_history(TorComment(terms=terms, author=by, text=text, section=section), by)
    timeline_event(
        terms.review, by, "tor_comment", f"Comment on Terms of Reference v{terms.version}"
    )
    return comment


def agreement_problems(terms: TermsOfReference) -> list[str]:
    """What is missing before a version can be agreed, in words for the panel chair."""
    problems = []
    if not (terms.period_start and terms.period_end):
        problems.append("Enter the start and end of the period under review.")
    if not terms.kloes.exists():
        problems.append("Add at least one key line of enquiry.")
    if not terms.agencies.exists():
        problems.append("Choose the agencies in scope.")
    if not terms.methodology.strip():
        problems.append("Describe the methodology.")
    return problems


@transaction.atomic
def tor_agree(*, terms: TermsOfReference, by) -> TermsOfReference:
    """The panel chair agrees a shared version; an earlier agreed version is superseded."""
    terms = _lock_terms(terms)
    if terms.status != TermsOfReference.Status.SHARED:
        raise WorkflowError("Share the draft with the panel for comment before agreeing it.")
    problems = agreement_problems(terms)
    if problems:
        raise WorkflowError(" ".join(problems))
    for earlier in terms.review.tor_versions.filter(status=TermsOfReference.Status.AGREED):
        earlier.status = TermsOfReference.Status.SUPERSEDED
        save_with_history(earlier, by)
    terms.status = TermsOfReference.Status.AGREED
    terms.agreed_by = by
    terms.agreed_at = timezone.now()
    save_with_history(terms, by)
    deadlines.refresh(terms.review, by=by)
    timeline_event(terms.review, by, "tor_agreed", f"Terms of Reference v{terms.version} agreed")
    return terms
