"""The person's messages, and what was sent about a person for their staff."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from selfdirect.access.decorators import requires
from selfdirect.access.selectors import acting_user
from selfdirect.audit.services import look_record, looks_record
from selfdirect.notify.selectors import message_for, messages_about, messages_for
from selfdirect.notify.services import message_read


@requires("messages.read")
def inbox(request: HttpRequest) -> HttpResponse:
    messages = list(messages_for(acting_user(request.user)))
    looks_record(actor=request.user, people=[m.person_id for m in messages], summary="Messages")
    return render(request, "notify/inbox.html", {"inbox": messages, "nav": "messages"})


@requires("messages.read")
def message(request: HttpRequest, message_id: int) -> HttpResponse:
    shown = message_for(acting_user(request.user), message_id)
    look_record(actor=request.user, record=shown.person, summary=f"Message: {shown.subject}")
    message_read(user=acting_user(request.user), message=shown)
    return render(request, "notify/message.html", {"message": shown, "nav": "messages"})


@requires("messages.view")
def person_messages(request: HttpRequest, person_id: int) -> HttpResponse:
    person, sent = messages_about(acting_user(request.user), person_id)
    look_record(actor=request.user, record=person, summary="Messages sent to the person")
    return render(request, "notify/person.html", {"person": person, "sent": sent})
