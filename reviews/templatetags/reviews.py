"""Template helpers for review pages."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

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


@register.simple_tag(takes_context=True)
def review_dashboard(context):
    """The home page's block for review users: open and overdue reviews, or agency summaries
    (kept in the page cache per person and day: lcspr.core.page_cache)."""
    from django.template.loader import render_to_string
    from django.utils import timezone

    from lcspr.core import page_cache

    user, today = context["request"].user, timezone.localdate()
    html = page_cache.kept(
        page_cache.key("review-dashboard", user.pk, today),
        lambda: render_to_string("reviews/review_dashboard.html", _review_dashboard(user, today)),
    )
    return mark_safe(html)  # noqa: S308 - our own render, kept as it was rendered


def _review_dashboard(user, today) -> dict:
    from reviews import selectors
    from reviews.models import Stage
    from reviews.permissions import may_list_reviews, may_list_summaries

    result = {
        "may_list_reviews": may_list_reviews(user),
        "may_list_summaries": may_list_summaries(user),
    }
    if result["may_list_reviews"]:
        counts = selectors.review_counts(user, today=today)
        result["open_count"], result["overdue_count"] = counts["open"], counts["overdue"]
    else:
        # Panel members, authors and the sub-group: the reviews they are part of.
        result["my_reviews"] = selectors.review_list(user, stage_not=Stage.CLOSED, today=today)
    return result


# The home page's lists show this many rows a page: a partnership manager's queue across
# hundreds of open reviews runs to thousands of steps, which no one reads on one page.
QUEUE_PAGE_SIZE = 25
QUEUE_PAGE_PARAMS = ("waiting_page", "others_page")


def _queue_query(request):
    """The home page's list pages asked for: only these, so that a page of a list is kept in
    the page cache once per pair of pages, whatever else the URL holds."""
    from django.http import QueryDict

    query = QueryDict(mutable=True)
    for param in QUEUE_PAGE_PARAMS:
        value = request.GET.get(param, "")[:6]
        if value:
            query[param] = value
    return query


def _queue_page(query, items: list, param: str, anchor: str) -> dict:
    """One page of a home page list (`param` in the URL names the page, so the two lists
    page independently), with the links to the pages either side, back at the list."""
    from django.core.paginator import Paginator

    page = Paginator(items, QUEUE_PAGE_SIZE).get_page(query.get(param))

    def link(number):
        linked = query.copy()
        linked[param] = number
        return f"?{linked.urlencode()}#{anchor}"

    return {
        "items": page.object_list,
        "page": page,
        "total": len(items),
        "overdue": sum(1 for item in items if item.countdown is not None and item.countdown < 0),
        "previous_url": link(page.previous_page_number()) if page.has_previous() else "",
        "next_url": link(page.next_page_number()) if page.has_next() else "",
    }


def _kept_queue(request, part: str, items_of, param: str, anchor: str) -> str:
    """A home page list's page, kept in the page cache per person, day and pages asked for
    (lcspr.core.page_cache)."""
    from django.template.loader import render_to_string
    from django.utils import timezone

    from lcspr.core import page_cache

    user, today, query = request.user, timezone.localdate(), _queue_query(request)
    return page_cache.kept(
        page_cache.key(part, user.pk, today, query.urlencode()),
        lambda: render_to_string(
            f"reviews/{part.replace('-', '_')}.html",
            _queue_page(query, items_of(user, today), param, anchor),
        ),
    )


@register.simple_tag(takes_context=True)
def waiting_for_you(context):
    """The home page's first block: every step waiting for the user, overdue first, a page
    at a time."""
    from reviews.queue import waiting_for_you

    html = _kept_queue(
        context["request"],
        "waiting-for-you",
        lambda user, today: waiting_for_you(user, today=today),
        "waiting_page",
        "waiting-for-you",
    )
    return mark_safe(html)  # noqa: S308 - our own render, kept as it was rendered


@register.simple_tag(takes_context=True)
def waiting_for_others(context):
    """The home page's block for those who lead: who is late on what, with a reminder each,
    a page at a time (kept without its forms' tokens, which are put in for each request)."""
    from lcspr.core.templatetags.form_tokens import with_form_tokens
    from reviews.queue import waiting_for_others

    request = context["request"]
    html = _kept_queue(
        request,
        "waiting-for-others",
        lambda user, today: waiting_for_others(user, today=today),
        "others_page",
        "waiting-for-others",
    )
    return with_form_tokens(html, request)
