"""API tokens for systems: issued once (shown once), kept only as a SHA-256 hash."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from selfdirect.access.models import ApiToken
from selfdirect.audit.models import Action
from selfdirect.audit.services import event_record

TOKEN_BYTES = 32


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, actor: User | None, user: User, name: str = "") -> str:
    """A new token for ``user``; the only time the token itself exists in full."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    record = ApiToken.objects.create(user=user, name=name, key_hash=_hash(token), prefix=token[:8])
    event_record(
        actor=actor,
        action=Action.TOKEN,
        object_type="api_token",
        object_id=record.pk,
        summary=f"Issued API token {record.prefix}… for {user.username}{f' ({name})' if name else ''}",
    )
    return token


@transaction.atomic
def api_token_revoke(*, actor: User | None, token: ApiToken) -> None:
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    event_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="api_token",
        object_id=token.pk,
        summary=f"Revoked API token {token.prefix}… for {token.user.username}",
    )


def api_token_user(token: str) -> User | None:
    """The active user a token belongs to, or None; records when it was last used."""
    if not token:
        return None
    digest = _hash(token)
    record = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=digest, revoked_at__isnull=True)
        .first()
    )
    if (
        record is None
        or not hmac.compare_digest(record.key_hash, digest)
        or not record.user.is_active
    ):
        return None
    ApiToken.objects.filter(pk=record.pk).update(last_used_at=timezone.now())
    return record.user
