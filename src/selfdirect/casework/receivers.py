"""Casework's part in the person page: people sends the signal and casework, built on
people, answers it with the person's latest case notes and contacts (decision 0011)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from selfdirect.access.selectors import AnyUser, user_can
from selfdirect.casework import selectors
from selfdirect.people.models import Person
from selfdirect.people.signals import person_page_shown

LATEST = 3


@receiver(person_page_shown, dispatch_uid="casework.person_page")
def _person_page(sender: Any, *, person: Person, user: AnyUser, **kwargs: Any) -> dict[str, Any]:
    if not user_can(user, "casenote.view"):
        return {}
    return {
        "casework": {
            "notes": list(selectors.case_notes_of(user, person.pk)[:LATEST]),
            "contacts": list(selectors.contacts_visible_to(user).filter(person=person)[:LATEST]),
            "can_write_notes": user_can(user, "casenote.write"),
            "can_record_contact": user_can(user, "contact.record"),
        }
    }
