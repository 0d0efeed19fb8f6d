"""Template helpers for review pages."""

from django import template
from django.utils.html import format_html

from lcspr.core.working_days import describe_countdown

register = template.Library()


@register.filter
def countdown_tag(days):
    """A GOV.UK tag for a working-day countdown: red when overdue, yellow within 2 days."""
    if days is None:
        return ""
    text = describe_countdown(days)
    if days < 0:
        colour = "govuk-tag--red"
    elif days <= 2:
        colour = "govuk-tag--yellow"
    else:
        colour = "govuk-tag--grey"
    return format_html('<strong class="govuk-tag {}">{}</strong>', colour, text)


STAGE_COLOURS = {
    "referral": "govuk-tag--light-blue",
    "rapid_review": "govuk-tag--blue",
    "awaiting_decision": "govuk-tag--purple",
    "lcspr": "govuk-tag--green",
    "other_learning": "govuk-tag--turquoise",
    "national_review": "govuk-tag--orange",
    "closed": "govuk-tag--grey",
}


@register.filter
def stage_tag(review):
    """The review's stage as a coloured GOV.UK tag."""
    return format_html(
        '<strong class="govuk-tag {}">{}</strong>',
        STAGE_COLOURS.get(review.stage, ""),
        review.get_stage_display(),
    )


@register.filter
def may_list_reviews(user):
    from reviews.permissions import may_list_reviews

    return may_list_reviews(user)


@register.filter
def may_browse_reviews(user):
    from reviews.permissions import may_browse_reviews

    return may_browse_reviews(user)


@register.filter
def may_see_yearly_report(user):
    from reviews.permissions import may_see_yearly_report

    return may_see_yearly_report(user)


@register.filter
def may_list_summaries(user):
    from reviews.permissions import may_list_summaries

    return may_list_summaries(user)


@register.inclusion_tag("reviews/review_dashboard.html", takes_context=True)
def review_dashboard(context):
    """The home page's block for review users: open and overdue reviews, or agency summaries."""
    from reviews import selectors
    from reviews.models import Stage
    from reviews.permissions import may_list_reviews, may_list_summaries

    user = context["request"].user
    result = {
        "may_list_reviews": may_list_reviews(user),
        "may_list_summaries": may_list_summaries(user),
    }
    if result["may_list_reviews"]:
        counts = selectors.review_counts(user)
        result["open_count"], result["overdue_count"] = counts["open"], counts["overdue"]
    else:
        # Panel members, authors and the sub-group: the reviews they are part of.
        result["my_reviews"] = selectors.review_list(user, stage_not=Stage.CLOSED)
    return result


# The home page's lists show this many rows a page: a partnership manager's queue across
# hundreds of open reviews runs to thousands of steps, which no one reads on one page.
QUEUE_PAGE_SIZE = 25


def _queue_page(request, items: list, param: str, anchor: str) -> dict:
    """One page of a home page list (`param` in the URL names the page, so the two lists
    page independently), with the links to the pages either side, back at the list."""
    from django.core.paginator import Paginator

    page = Paginator(items, QUEUE_PAGE_SIZE).get_page(request.GET.get(param))

    def link(number):
        query = request.GET.copy()
        query[param] = number
        return f"?{query.urlencode()}#{anchor}"

    return {
        "items": page.object_list,
        "page": page,
        "total": len(items),
        "overdue": sum(1 for item in items if item.countdown is not None and item.countdown < 0),
        "previous_url": link(page.previous_page_number()) if page.has_previous() else "",
        "next_url": link(page.next_page_number()) if page.has_next() else "",
    }


@register.inclusion_tag("reviews/waiting_for_you.html", takes_context=True)
def waiting_for_you(context):
    """The home page's first block: every step waiting for the user, overdue first, a page
    at a time."""
    from reviews.queue import waiting_for_you

    request = context["request"]
    return _queue_page(request, waiting_for_you(request.user), "waiting_page", "waiting-for-you")


@register.inclusion_tag("reviews/waiting_for_others.html", takes_context=True)
def waiting_for_others(context):
    """The home page's block for those who lead: who is late on what, with a reminder each,
    a page at a time."""
    from reviews.queue import waiting_for_others

    request = context["request"]
    items = waiting_for_others(request.user)
    return {
        **_queue_page(request, items, "others_page", "waiting-for-others"),
        "request": request,
    }
