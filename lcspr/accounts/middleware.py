"""Two-factor sign-in: a user who has given the right password but not yet a code from their
authenticator app may only reach the two-factor pages (and sign out, reset a password, the
health check). Everything else sends them to set up an app or to enter a code."""

from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from lcspr.accounts import two_factor

OPEN_WHILE_UNVERIFIED = {
    "accounts:login",
    "accounts:logout",
    "accounts:two_factor_setup",
    "accounts:two_factor_link",
    "accounts:two_factor_link_request",
    "accounts:two_factor_verify",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:password_reset_complete",
    "core:healthz",
}


class TwoFactorRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not settings.TWO_FACTOR_REQUIRED:
            return None
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        match = request.resolver_match
        if match is not None and match.view_name in OPEN_WHILE_UNVERIFIED:
            return None
        url = reverse(two_factor.page_for(user))
        if request.method in ("GET", "HEAD"):
            url += "?" + urlencode({"next": request.get_full_path()})
        return redirect(url)
