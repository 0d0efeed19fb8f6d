"""Shared by the sign-in tests: an authenticator app in code, and an old sign-in."""

import re
import time

from django.conf import settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from lcspr.accounts.reauth import SESSION_KEY


def add_authenticator(user, *, confirmed=True) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=confirmed)


def code_for(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The code the user's app shows now (or `steps_ahead` steps of 30 seconds later: a code
    the server still accepts, within its tolerance of one step, once `now` has been used)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def wrong_code(device: TOTPDevice) -> str:
    right = {code_for(device, steps_ahead=s) for s in (-1, 0, 1, 2)}
    return next(c for c in ("000000", "111111", "222222", "333333", "444444") if c not in right)


def make_sign_in_old(client, minutes: int = 16) -> None:
    """Pretend the user signed in (or last confirmed who they are) `minutes` ago."""
    session = client.session
    session[SESSION_KEY] = session[SESSION_KEY] - minutes * 60
    session.save()


def setup_link_path(user, by=None) -> str:
    """Send `user` a link to set up an authenticator app (as a manager's reset or their own
    request does) and return its path, read from the e-mail in the outbox."""
    from lcspr.accounts import services
    from lcspr.core.models import OutboundEmail

    services.two_factor_link_send(user=user, by=by)
    body = OutboundEmail.objects.filter(recipient=user, kind="two_factor_link").latest("pk")
    url = re.search(r"\S+/two-factor/set-up/link/\S+/", body.body_text).group(0)
    return url.replace(settings.SITE_URL, "")
