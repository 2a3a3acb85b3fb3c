"""The unread count beside "Messages" in every page's menu, for those who get messages."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

from selfdirect.access.selectors import user_can
from selfdirect.notify.selectors import unread_count


def messages(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", AnonymousUser())
    if not user_can(user, "messages.read"):
        return {"can_read_messages": False}
    return {"can_read_messages": True, "unread_messages": unread_count(user)}
