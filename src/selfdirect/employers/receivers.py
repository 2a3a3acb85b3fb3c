"""The PA employer's part in the person page: people sends the signal while it builds the
page, and this app, above it, answers with how many PAs the person employs, for those who
may see PA records (decision 0011)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver
from django.utils import timezone

from selfdirect.access.selectors import AnyUser, user_can
from selfdirect.employers.selectors import assistants_employed, employers_visible_to
from selfdirect.people.models import Person
from selfdirect.people.signals import person_page_shown


@receiver(person_page_shown, dispatch_uid="employers.person_page")
def _person_page(sender: Any, *, person: Person, user: AnyUser, **kwargs: Any) -> dict[str, Any]:
    if (
        not user_can(user, "pa.view")
        or not employers_visible_to(user).filter(pk=person.pk).exists()
    ):
        return {}
    return {"pa_employer": {"employed": assistants_employed(person, on=timezone.localdate())}}
