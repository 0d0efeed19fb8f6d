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


@register.inclusion_tag("reviews/waiting_for_you.html", takes_context=True)
def waiting_for_you(context):
    """The home page's first block: every step waiting for the user, overdue first."""
    from reviews.queue import waiting_for_you

    return {"items": waiting_for_you(context["request"].user)}


@register.inclusion_tag("reviews/waiting_for_others.html", takes_context=True)
def waiting_for_others(context):
    """The home page's block for those who lead: who is late on what, with a reminder each."""
    from reviews.queue import waiting_for_others

    return {"items": waiting_for_others(context["request"].user), "request": context["request"]}
