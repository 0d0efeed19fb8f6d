"""The idle-timeout warning: settings handed to static/app/js/session-timeout.mjs through
data- attributes on <body> (no inline script), and the dialog it opens."""

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.html import format_html

register = template.Library()


def _applies(context) -> bool:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    # A user still to give their code is not "signed in" yet: nothing to keep alive.
    return not settings.TWO_FACTOR_REQUIRED or user.is_verified()


@register.simple_tag(takes_context=True)
def session_timeout_attributes(context):
    if not _applies(context):
        return ""
    return format_html(
        ' data-session-timeout="{}" data-session-warning="{}" data-session-extend-url="{}"',
        settings.SESSION_COOKIE_AGE,
        min(settings.SESSION_WARNING_SECONDS, settings.SESSION_COOKIE_AGE),
        reverse("accounts:session_extend"),
    )


@register.inclusion_tag("accounts/_session_timeout.html", takes_context=True)
def session_timeout_dialog(context):
    return {
        "show": _applies(context),
        "csrf_token": context.get("csrf_token"),
        "minutes": settings.SESSION_COOKIE_AGE // 60,
    }
