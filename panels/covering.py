"""What the review's panel adds to the final report's covering information
(reviews/publication/covering.py): the independent author and the date they were commissioned."""

from lcspr.core.text import long_date
from panels.models import MemberRole, Membership
from reviews.publication.covering import register_source


def _author(review) -> Membership | None:
    """The author now appointed, else the last one (a report may outlive its author's term)."""
    authors = Membership.objects.filter(review=review, role=MemberRole.AUTHOR).select_related(
        "user"
    )
    return authors.filter(ended_at__isnull=True).first() or authors.order_by("-started_at").first()


def author_name(review) -> str:
    """The independent author's name, or "" when none was appointed."""
    author = _author(review)
    return author.user.full_name if author is not None else ""


def author_commissioned_on(review) -> str:
    """The date the independent author was commissioned, in words, or "" when not recorded."""
    author = _author(review)
    if author is None or author.commissioned_on is None:
        return ""
    return long_date(author.commissioned_on)


register_source("author", author_name)
register_source("commissioned_on", author_commissioned_on)
