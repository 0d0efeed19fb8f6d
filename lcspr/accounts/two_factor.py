"""Reading a user's authenticator app (TOTP, django-otp) for the sign-in pages."""

from base64 import b32encode

import segno
from django.utils.safestring import mark_safe
from django_otp.plugins.otp_totp.models import TOTPDevice

QR_LABEL = "QR code to add this service to your authenticator app"


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()


def has_device(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def page_for(user) -> str:
    """The two-factor page a user who has given their password goes to next."""
    return "accounts:two_factor_verify" if has_device(user) else "accounts:two_factor_setup"


def secret_in_groups(device: TOTPDevice) -> str:
    """The key as an authenticator app asks for it when typed: base32, in groups of 4."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_svg(device: TOTPDevice) -> str:
    """The setup link as an inline SVG QR code (no style attributes, so the page's
    Content-Security-Policy allows it)."""
    svg = segno.make(device.config_url, error="m").svg_inline(
        scale=5, border=4, dark="#0b0c0c", light="#ffffff", svgclass="app-qr-code", omitsize=False
    )
    # segno's output is our own markup (paths from the key), never user input.
    return mark_safe(f'<svg role="img" aria-label="{QR_LABEL}" focusable="false"{svg[4:]}')  # noqa: S308


def users_with_device(users) -> list[int]:
    """Ids of those of `users` who have set up an authenticator app (one query)."""
    return list(
        TOTPDevice.objects.filter(user__in=users, confirmed=True).values_list("user_id", flat=True)
    )
