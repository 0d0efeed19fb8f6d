"""`{% form_token %}`: the one-time token every POST form carries beside `{% csrf_token %}`
(lcspr/core/form_tokens.py). A built-in (settings.TEMPLATES), as csrf_token is."""

from django import template
from django.utils.html import format_html

from lcspr.core import form_tokens

register = template.Library()


@register.simple_tag
def form_token():
    return format_html(
        '<input type="hidden" name="{}" value="{}">', form_tokens.FIELD, form_tokens.new_token()
    )
