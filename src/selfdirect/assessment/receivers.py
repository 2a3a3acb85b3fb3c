"""Assessment's part in the person page: people sends the signal and assessment, which
builds on people, answers it (decision 0011)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from selfdirect.access.selectors import AnyUser, user_can
from selfdirect.assessment.selectors import assessments_of
from selfdirect.people.models import Person
from selfdirect.people.signals import person_page_shown


@receiver(person_page_shown, dispatch_uid="assessment.person_page")
def _person_page(sender: Any, *, person: Person, user: AnyUser, **kwargs: Any) -> dict[str, Any]:
    return {
        "assessments": list(assessments_of(user, person.pk))
        if user_can(user, "assessment.view")
        else [],
    }
