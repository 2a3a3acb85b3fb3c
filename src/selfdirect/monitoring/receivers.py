"""Monitoring's part in the person page: people sends the signal and monitoring, built on
people, answers with the statements' count, the flags to look at and links (decision
0011), for those who may see the person's statements."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from selfdirect.access.selectors import AnyUser, user_can
from selfdirect.monitoring.models import Flag
from selfdirect.people.models import Person
from selfdirect.people.signals import person_page_shown


@receiver(person_page_shown, dispatch_uid="monitoring.person_page")
def _person_page(sender: Any, *, person: Person, user: AnyUser, **kwargs: Any) -> dict[str, Any]:
    if not user_can(user, "statement.view"):
        return {}
    return {
        "monitoring": {
            "statements": person.monitoring_statements.count(),
            "open_flags": person.monitoring_flags.filter(
                status__in=[Flag.Status.OPEN, Flag.Status.EXPLAINED]
            ).count(),
            "can_see_monitoring": user_can(user, "monitoring.view"),
        }
    }
