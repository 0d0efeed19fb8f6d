"""`{% navigation_items %}`: the service navigation's items after Home (which apps add to
through templates/includes/navigation_items.html), kept in the page cache per person and page
(lcspr.core.page_cache): they ask whether the person leads, owns or is part of anything, which
costs a query or more on every page."""

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from lcspr.core import page_cache

register = template.Library()


@register.simple_tag(takes_context=True)
def navigation_items(context):
    request = context["request"]
    match = request.resolver_match
    current, page = (match.namespace, match.url_name) if match else ("", "")
    html = page_cache.kept(
        page_cache.key("navigation", request.user.pk, current, page),
        lambda: render_to_string(
            "includes/navigation_items.html",
            {"user": request.user, "request": request, "current": current, "page": page},
        ),
    )
    return mark_safe(html)  # noqa: S308 - our own render, kept as it was rendered
