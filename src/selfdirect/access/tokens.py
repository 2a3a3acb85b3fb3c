"""API tokens for systems: issued once (shown once), kept only as a SHA-256 hash.

A token has a name (what it is for), an expiry and a last-used time. Its owner lists and
revokes their own tokens; administrators list and revoke anyone's. An expired or revoked
token is refused (401 on the API).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from selfdirect.access.models import ApiToken
from selfdirect.access.roles import Role
from selfdirect.access.selectors import roles_of
from selfdirect.audit.models import Action
from selfdirect.audit.services import event_record
from selfdirect.refusals import Refused

TOKEN_BYTES = 32
DEFAULT_TOKEN_DAYS = 90
MAX_TOKEN_DAYS = 365
NAME_MAX_LENGTH = 80
# How stale "last used" may be: writing it on every request would make each API call a write.
LAST_USED_EVERY = dt.timedelta(minutes=1)

ENTER_TOKEN_NAME = "Enter a name for the token, such as the system that will use it"  # noqa: S105
TOKEN_NAME_TOO_LONG = f"The name must be {NAME_MAX_LENGTH} characters or fewer"
TOKEN_DAYS_OUT_OF_RANGE = f"A token must last between 1 and {MAX_TOKEN_DAYS} days"
TOKEN_ALREADY_REVOKED = "This token has already been revoked"  # noqa: S105


class TokenError(Refused):
    """A token change refused; ``field`` is ``name`` or ``days`` where it is about one."""


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def api_token_problems(*, name: str, days: int) -> list[tuple[str, str]]:
    problems = []
    if not name.strip():
        problems.append(("name", ENTER_TOKEN_NAME))
    elif len(name.strip()) > NAME_MAX_LENGTH:
        problems.append(("name", TOKEN_NAME_TOO_LONG))
    if not 1 <= days <= MAX_TOKEN_DAYS:
        problems.append(("days", TOKEN_DAYS_OUT_OF_RANGE))
    return problems


@transaction.atomic
def api_token_create(
    *, actor: User | None, user: User, name: str, days: int = DEFAULT_TOKEN_DAYS
) -> str:
    """A new token for ``user`` lasting ``days``; the only time the token exists in full."""
    problems = api_token_problems(name=name, days=days)
    if problems:
        field, message = problems[0]
        raise TokenError(message, field=field)
    name = name.strip()
    token = secrets.token_urlsafe(TOKEN_BYTES)
    record = ApiToken.objects.create(
        user=user,
        name=name,
        key_hash=_hash(token),
        prefix=token[:8],
        expires_at=timezone.now() + dt.timedelta(days=days),
    )
    event_record(
        actor=actor,
        action=Action.TOKEN,
        object_type="api_token",
        object_id=record.pk,
        summary=(
            f"Issued API token {record.prefix}… for {user.username} ({name}), "
            f"expiring {timezone.localtime(record.expires_at):%-d %B %Y}"
        ),
    )
    return token


@transaction.atomic
def api_token_revoke(*, actor: User | None, token: ApiToken) -> ApiToken:
    """The token stops working at once. Revoking twice is refused (nothing changes)."""
    locked = ApiToken.objects.select_for_update().select_related("user").get(pk=token.pk)
    if locked.revoked_at is not None:
        raise TokenError(TOKEN_ALREADY_REVOKED)
    locked.revoked_at = timezone.now()
    locked.save(update_fields=["revoked_at"])
    event_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="api_token",
        object_id=locked.pk,
        summary=f"Revoked API token {locked.prefix}… ({locked.name}) for {locked.user.username}",
    )
    return locked


def api_token_list(user: User | AnonymousUser, *, everyone: bool = False) -> QuerySet[ApiToken]:
    """The tokens ``user`` may see: their own; with ``everyone``, an administrator sees all."""
    if not isinstance(user, User):
        return ApiToken.objects.none()
    tokens = ApiToken.objects.select_related("user").order_by("-created_at", "-id")
    if everyone and Role.ADMIN in roles_of(user):
        return tokens
    return tokens.filter(user=user)


def api_token_get(user: User | AnonymousUser, token_id: int) -> ApiToken:
    """A token ``user`` may revoke (their own, or any for an administrator); else 404."""
    try:
        return api_token_list(user, everyone=True).get(pk=token_id)
    except ApiToken.DoesNotExist as missing:
        raise Http404("No such token") from missing


def api_token_user(token: str) -> User | None:
    """The active user a current token belongs to, or None; notes when it was last used."""
    if not token:
        return None
    digest = _hash(token)
    now = timezone.now()
    record = (
        ApiToken.objects.select_related("user__profile")
        .filter(key_hash=digest, revoked_at__isnull=True, expires_at__gt=now)
        .first()
    )
    if (
        record is None
        or not hmac.compare_digest(record.key_hash, digest)
        or not record.user.is_active
    ):
        return None
    stale = now - LAST_USED_EVERY
    if record.last_used_at is None or record.last_used_at <= stale:
        # Conditional, so simultaneous requests write once between them.
        ApiToken.objects.filter(pk=record.pk).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lte=stale)
        ).update(last_used_at=now)
    return record.user
