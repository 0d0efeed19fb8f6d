"""Template helpers for retention and legal hold."""

from django import template

from reviews.retention.services import hold_in_force

register = template.Library()


@register.simple_tag
def legal_hold_in_force(review):
    """The legal hold on `review` now, or None (one query)."""
    return hold_in_force(review)
