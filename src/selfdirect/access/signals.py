"""Sign-ins and failed sign-ins go to the audit log (Django reports them as signals)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from selfdirect.audit.models import Action
from selfdirect.audit.services import event_record


@receiver(user_logged_in)
def _signed_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    event_record(
        actor=user,
        action=Action.SIGN_IN,
        object_type="user",
        object_id=user.pk,
        summary="Signed in",
    )


@receiver(user_login_failed)
def _sign_in_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    username = str(credentials.get("username", ""))[:100]
    event_record(
        actor=None,
        action=Action.SIGN_IN_FAILED,
        object_type="user",
        object_id=username,
        summary=f"Failed sign-in for {username}",
    )
