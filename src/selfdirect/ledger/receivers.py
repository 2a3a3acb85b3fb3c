"""The ledger's part in the person page: people sends the signal and the ledger, built on
people, answers with the person's account balances and a link to their ledger (decision
0011), for those who may see it."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from selfdirect.access.selectors import AnyUser, user_can
from selfdirect.ledger.selectors import person_accounts
from selfdirect.people.models import Person
from selfdirect.people.signals import person_page_shown


@receiver(person_page_shown, dispatch_uid="ledger.person_page")
def _person_page(sender: Any, *, person: Person, user: AnyUser, **kwargs: Any) -> dict[str, Any]:
    if not user_can(user, "ledger.view"):
        return {}
    return {"ledger": {"accounts": list(person_accounts(person))}}
