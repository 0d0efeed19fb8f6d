"""Sign-in lockout (django-axes) shared by every step that checks a secret: the password, the
code from an authenticator app and the "confirm it's you" page. Failures of all three count
towards one limit per account, so knowing the password does not give unlimited code guesses.

`AXES_RESET_ON_SUCCESS` is off on purpose: a correct password alone must not clear the count
while the code is still to come. `sign_in_succeeded` clears it once a sign-in is complete."""

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from axes.utils import reset
from django.contrib.auth import logout
from django.contrib.auth.signals import user_login_failed


def normalised_username(request, credentials=None) -> str | None:
    """The one key axes counts failures under, whatever form checked the password (the
    service's sign-in, "confirm it's you", the technical administration site): the e-mail
    address trimmed and lower-cased, as accounts are matched (`get_by_natural_key` ignores
    letter case), so "Morgan@..." and "morgan@..." share one counter and one lockout."""
    if credentials:
        value = credentials.get("username")
    else:
        value = getattr(request, "POST", {}).get("username")
    return value.strip().lower() if isinstance(value, str) and value.strip() else None


def credentials_for(user) -> dict:
    # The same key the sign-in form gives axes: the lower-cased e-mail address.
    return {"username": user.email.lower()}


def is_locked(request, user) -> bool:
    return AxesProxyHandler.is_locked(request, credentials_for(user))


def record_failure(request, user) -> bool:
    """Count a wrong code (or password) for `user`; True when the account is now locked."""
    user_login_failed.send(sender=__name__, credentials=credentials_for(user), request=request)
    return is_locked(request, user)


def sign_out_locked(request, user):
    """End the session of an account that has just been locked and show the lockout page."""
    credentials = credentials_for(user)
    logout(request)
    request.axes_locked_out = True
    request.axes_credentials = credentials
    return get_lockout_response(request, None, credentials)


def sign_in_succeeded(user) -> None:
    """A full sign-in (password, and code when required) clears the account's failures."""
    reset(username=credentials_for(user)["username"])
