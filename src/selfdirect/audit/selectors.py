"""Reading the audit log."""

from __future__ import annotations

from django.db.models import QuerySet

from selfdirect.audit.models import Event


def person_history(*, person_id: int) -> QuerySet[Event]:
    """Every change to and view of a person's record, newest first."""
    return Event.objects.filter(person_id=person_id).order_by("-at", "-id")
