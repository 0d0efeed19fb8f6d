"""Template helpers of the action-plan dashboard: the navigation entry, the home page's card,
and links that keep the dashboard's filters while changing one of them or a page."""

from django import template
from django.core.paginator import Paginator

register = template.Library()

# A filter or a list's page changed: every list goes back to its first page.
PAGE_PARAMS = ("page", "overdue_page", "stale_page")


@register.filter
def may_see_action_dashboard(user):
    from actions.permissions import may_see_dashboard

    return may_see_dashboard(user)


@register.simple_tag(takes_context=True)
def filter_query(context, key, value):
    """The current query with filter `key` set to `value` and the lists back on page one."""
    params = context["request"].GET.copy()
    for param in PAGE_PARAMS:
        params.pop(param, None)
    params[key] = value
    return "?" + params.urlencode()


@register.simple_tag(takes_context=True)
def page_query(context, param, number):
    """The current query with the list's page `param` set to `number`."""
    params = context["request"].GET.copy()
    params[param] = number
    return "?" + params.urlencode()


@register.simple_tag
def elided_pages(page):
    """Page numbers with ellipses, as GOV.UK pagination shows them."""
    return list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))


@register.simple_tag
def ellipsis():
    return Paginator.ELLIPSIS


@register.inclusion_tag("actions/dashboard_home_card.html", takes_context=True)
def action_plans_card(context):
    """The home page's link to the dashboard, for those who monitor or read action plans."""
    from actions.permissions import may_see_dashboard

    return {"show": may_see_dashboard(context["request"].user)}
