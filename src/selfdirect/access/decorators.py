"""View guards: sign-in plus a capability from ``access.rules``."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from selfdirect.access.selectors import user_can
from selfdirect.audit.models import Action, Event
from selfdirect.audit.services import event_record

View = Callable[..., HttpResponse]


def requires(capability: str) -> Callable[[View], View]:
    """Only users with ``capability`` reach the view; others get 403 (signed out: sign-in page)."""

    def decorate(view: View) -> View:
        @wraps(view)
        @login_required
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not user_can(request.user, capability):
                capability_refused(request, capability, kwargs)
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return guarded

    return decorate


def capability_refused(request: HttpRequest, capability: str, ids: dict[str, Any]) -> None:
    """A role without the capability asked for a record's page: recorded as refused, naming
    the record's ids from the address (and the person, when the address names one)."""
    if not ids:
        return  # a page about no one record: nothing of anyone's was asked for
    match = request.resolver_match
    person_id = _person_id(ids.get("person_id"))
    event_record(
        actor=request.user,
        action=Action.DENIED,
        object_type=(match.view_name if match else "")[:60],
        object_id=",".join(f"{k}={v}" for k, v in ids.items())[:40],
        person_id=person_id,
        summary=f"Refused: the role does not allow {capability}",
    )


def _person_id(value: Any) -> int | None:
    """The person named in the address, if there is such a person."""
    # The audit event's own relation names the person model (access builds under people).
    person_model = Event._meta.get_field("person").related_model
    if not str(value).isdigit() or len(str(value)) > 18:
        return None
    found: int | None = (
        person_model._default_manager.filter(pk=int(value)).values_list("pk", flat=True).first()
    )
    return found
