"""System checks for sign-in security, run by `manage.py check --deploy`."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def two_factor_required_check(app_configs, **kwargs):
    if settings.DEBUG or getattr(settings, "TWO_FACTOR_REQUIRED", False):
        return []
    return [
        Warning(
            "Two-factor sign-in is off (TWO_FACTOR_REQUIRED=false) with DEBUG off.",
            hint="Only the local demo may turn two-factor sign-in off. Unset "
            "TWO_FACTOR_REQUIRED or set it to true in production.",
            id="accounts.W001",
        )
    ]
