"""Issuing and revoking API tokens (the partnership manager's), and recognising one."""

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from lcspr.accounts.models import Role
from lcspr.api.models import ApiToken
from lcspr.core.exceptions import WorkflowError
from lcspr.core.services import save_with_history

TOKEN_PREFIX = "lcspr_"


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _require_manager(by) -> None:
    if not by.has_role(Role.PARTNERSHIP_MANAGER):
        raise WorkflowError("Only the partnership manager issues and revokes API tokens.")


@transaction.atomic
def token_issue(*, user, name: str, by) -> tuple[ApiToken, str]:
    """A new token for `user`; returns the record and the token itself, which is never stored
    and never shown again."""
    _require_manager(by)
    if not user.is_active:
        raise WorkflowError({"user": f"{user.full_name} cannot sign in: they cannot have a token."})
    name = name.strip()
    if not name:
        raise WorkflowError({"name": "Enter what the token is for"})
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = save_with_history(
        ApiToken(
            user=user,
            name=name,
            token_hash=_hash(raw),
            prefix=raw[len(TOKEN_PREFIX) : len(TOKEN_PREFIX) + 6],
            created_by=by,
        ),
        by,
    )
    return token, raw


@transaction.atomic
def token_revoke(*, token: ApiToken, by) -> ApiToken:
    """Stop a token working at once (kept, with who revoked it and when)."""
    _require_manager(by)
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        raise WorkflowError("This token has already been revoked.")
    token.revoked_at = timezone.now()
    token.revoked_by = by
    return save_with_history(token, by)


def token_user(raw: str):
    """The active token and its person for a token as sent, or None."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=_hash(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token
