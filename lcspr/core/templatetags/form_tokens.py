"""`{% form_token %}`: the one-time token every POST form carries beside `{% csrf_token %}`
(lcspr/core/form_tokens.py). A built-in (settings.TEMPLATES), as csrf_token is."""

from django import template
from django.middleware.csrf import get_token
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from lcspr.core import form_tokens

register = template.Library()


@register.simple_tag
def form_token():
    return format_html(
        '<input type="hidden" name="{}" value="{}">', form_tokens.FIELD, form_tokens.new_token()
    )


# A part of a page kept in the page cache (lcspr.core.page_cache) must hold no token: its forms
# carry `{% form_tokens_slot %}` instead, and `with_form_tokens` puts a CSRF token and a fresh
# form token in each slot of the part for the request that shows it.
SLOT = "<!--form-tokens-->"


@register.simple_tag
def form_tokens_slot():
    return mark_safe(SLOT)  # noqa: S308 - a constant


def with_form_tokens(html: str, request) -> str:
    """`html` with the CSRF token and a fresh form token in each of its slots."""
    csrf = format_html(
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request)
    )
    parts = html.split(SLOT)
    filled = [parts[0]]
    for part in parts[1:]:
        filled.extend((csrf, form_token(), part))
    return mark_safe("".join(filled))  # noqa: S308 - our own render and escaped inputs
