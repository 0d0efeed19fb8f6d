"""One-time form tokens: a form sent twice (a double click, a reload of the answer, a retry over
a slow connection) changes things once.

Every POST form a signed-in person sees carries a fresh random `form_token` (the `{% form_token %}`
tag, beside `{% csrf_token %}`). FormTokenMiddleware records the token, in a transaction of its
own, before the view runs. A form that is saved (the view redirects) keeps its token with where
the person was sent: the same token sent again is not given to the view, and the person is sent
to the same place with a message. A form shown again with its errors, a refusal (a view that
redirects after lcspr.core.steps.refuse, or anything else that calls `not_saved`), a failure or a
detour to "confirm it's you" gives the token back, so the corrected form can be sent with it. A
second sending that arrives while the first is still being saved waits for it, briefly."""

import re
import secrets
import time
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from lcspr.core.models import UsedFormToken

FIELD = "form_token"
ALREADY_SAVED = "This was already saved. It has not been saved twice."
KEPT_FOR = timedelta(days=1)
_SHAPE = re.compile(r"[A-Za-z0-9_-]{20,64}")
_POLL_SECONDS = 0.1
_NOT_SAVED = "_form_token_not_saved"


def new_token() -> str:
    """A fresh token for one form on one page."""
    return secrets.token_urlsafe(24)


def posted_token(request) -> str | None:
    """The token a signed-in person's POST carries, if it carries a well-formed one."""
    if request.method != "POST" or not request.user.is_authenticated:
        return None
    token = request.POST.get(FIELD, "")
    return token if _SHAPE.fullmatch(token) else None


def not_saved(request) -> None:
    """Say that this request saved nothing: a step refused (see lcspr.core.steps.refuse) or a
    detour (to "confirm it's you" first), so that its form can be sent again with the same
    token."""
    setattr(request, _NOT_SAVED, True)


def _try_claim(*, user, token: str, path: str) -> tuple[bool, UsedFormToken | None]:
    """(True, the new row) when this request now holds the token; (False, the earlier row)
    when an earlier sending holds it; (False, None) when that one gave it back meanwhile."""
    try:
        with transaction.atomic():
            row = UsedFormToken.objects.create(user=user, token=token, path=path[:500])
    except IntegrityError:
        return False, UsedFormToken.objects.filter(user=user, token=token).first()
    UsedFormToken.objects.filter(user=user, created_at__lt=timezone.now() - KEPT_FOR).delete()
    return True, row


def claim(*, user, token: str, path: str) -> tuple[bool, UsedFormToken | None]:
    """Record that `user` is sending the form with `token`. Returns (True, row) when the view
    may run; otherwise (False, the earlier sending's row): saved, or still being saved after
    FORM_TOKEN_WAIT_SECONDS of waiting for it."""
    deadline = time.monotonic() + settings.FORM_TOKEN_WAIT_SECONDS
    while True:
        claimed, row = _try_claim(user=user, token=token, path=path)
        if claimed:
            return True, row
        if row is not None and (
            row.status == UsedFormToken.Status.DONE or time.monotonic() >= deadline
        ):
            return False, row
        if row is not None:
            time.sleep(_POLL_SECONDS)


def _saved_location(request, response) -> str | None:
    """Where a saved form sent the person; None when nothing was saved."""
    if not 300 <= response.status_code < 400 or getattr(request, _NOT_SAVED, False):
        return None
    return response.get("Location")


def finish(request, response, row: UsedFormToken) -> None:
    """Keep the token with where the person was sent once the form is saved; otherwise give
    it back."""
    location = _saved_location(request, response) if response is not None else None
    if location:
        UsedFormToken.objects.filter(pk=row.pk).update(
            status=UsedFormToken.Status.DONE, redirect_to=location[:2000]
        )
    else:
        UsedFormToken.objects.filter(pk=row.pk).delete()
