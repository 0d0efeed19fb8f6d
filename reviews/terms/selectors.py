"""What the Terms of Reference pages read: a version with its sections, the versions so far,
the review's parallel proceedings and the clock for agreeing them."""

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from lcspr.core.working_days import calendar
from reviews.clocks import deadlines
from reviews.clocks.models import DeadlineKind
from reviews.models import Review
from reviews.publication.selectors import proceedings_for
from reviews.terms import services
from reviews.terms.models import TermsOfReference, TorComment


def _with_sections(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("agreed_by", "created_by", "review").prefetch_related(
        "kloes",
        # The review's one record of proceedings, the same that publication reads: a version
        # shows them as they stand now (their changes are in the record's history).
        Prefetch("review__proceedings", queryset=proceedings_for(None), to_attr="proceeding_list"),
        Prefetch("agencies", to_attr="agency_list"),
        Prefetch("comments", queryset=TorComment.objects.select_related("author")),
    )


def terms_current(review: Review) -> TermsOfReference | None:
    """The version being worked on, else the latest agreed one, with its sections loaded."""
    terms = services.current_terms(review)
    return _with_sections(TermsOfReference.objects).get(pk=terms.pk) if terms else None


def terms_open(review: Review) -> TermsOfReference | None:
    """The draft or shared version, which the editing pages change; None if there is none."""
    terms = terms_current(review)
    return terms if terms is not None and terms.is_editable else None


def terms_started(review: Review) -> bool:
    """Whether any version of the Terms of Reference exists."""
    return review.tor_versions.exists()


def terms_versions(review: Review) -> QuerySet:
    """Every version of the review's Terms of Reference, the latest first."""
    return review.tor_versions.select_related("agreed_by").order_by("-version")


def terms_versions_with_sections(review: Review) -> QuerySet:
    """The review's versions with their sections loaded, to pick one version from."""
    return _with_sections(review.tor_versions)


def parallel_processes_for(review: Review) -> QuerySet:
    """The review's parallel proceedings, which the Terms of Reference list and change."""
    return proceedings_for(review)


def terms_clock(review: Review):
    """The review's clock for agreeing the Terms of Reference with its countdown, or None."""
    clock = review.deadlines.filter(kind=DeadlineKind.TOR_AGREEMENT).first()
    if clock is not None:
        today, cal = timezone.localdate(), calendar()
        clock.countdown = deadlines.countdown(clock.due_date, today, cal)
    return clock


def child_names(review: Review) -> list[str]:
    """The real names of the review's children, which the Terms of Reference must not hold."""
    return list(review.children.values_list("name", flat=True))
