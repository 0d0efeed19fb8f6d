"""Re-authentication before sensitive actions: decisions, approvals, sign-offs, overrides and
exports of a whole chronology ask for the password (and a code) again when the last sign-in or
confirmation is older than REAUTHENTICATE_AFTER_MINUTES."""

from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from lcspr.core import form_tokens

SESSION_KEY = "lcspr_authenticated_at"


def mark_authenticated(request) -> None:
    """Record that the user has just proved who they are (password, and code when required)."""
    request.session[SESSION_KEY] = timezone.now().timestamp()


@receiver(user_logged_in, dispatch_uid="lcspr.accounts.reauth.mark_authenticated")
def _mark_on_sign_in(sender, request, user, **kwargs):
    # Every login() counts as fresh, including `client.force_login` in tests.
    if request is not None and hasattr(request, "session"):
        mark_authenticated(request)


def is_recent(request) -> bool:
    confirmed_at = request.session.get(SESSION_KEY)
    if confirmed_at is None:
        return False
    age = timezone.now().timestamp() - float(confirmed_at)
    return age <= settings.REAUTHENTICATE_AFTER_MINUTES * 60


def safe_next(request, value: str | None, default: str = "") -> str:
    """`value` if it is a path on this site, otherwise `default` (or the home page)."""
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return default or reverse(settings.LOGIN_REDIRECT_URL)


def _page_to_return_to(request) -> str:
    if request.method in ("GET", "HEAD"):
        return request.get_full_path()
    # Never replay a POST: go back to the page the form was on (or this URL's own page), so
    # the user repeats the action knowingly once they have confirmed who they are.
    return safe_next(request, request.META.get("HTTP_REFERER"), default=request.path)


def confirm_url(next_url: str) -> str:
    return f"{reverse('accounts:confirm_password')}?{urlencode({'next': next_url})}"


def recent_authentication_required(view):
    """View decorator: send a user whose last sign-in or confirmation is too old to the
    "confirm it's you" page first. Put it below @login_required and the method decorator."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.user.is_authenticated and not is_recent(request):
            form_tokens.not_saved(request)
            return redirect(confirm_url(_page_to_return_to(request)))
        return view(request, *args, **kwargs)

    return wrapped
