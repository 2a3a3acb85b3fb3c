"""A person's ledger for finance and the person's team: accounts, balances, transactions."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from selfdirect.access.decorators import requires
from selfdirect.access.selectors import acting_user
from selfdirect.audit.services import look_record
from selfdirect.ledger.selectors import person_ledger_for


@requires("ledger.view")
def person_ledger(request: HttpRequest, person_id: int) -> HttpResponse:
    ledger = person_ledger_for(acting_user(request.user), person_id)
    look_record(
        actor=request.user, record=ledger.person, summary="Ledger accounts and transactions"
    )
    return render(request, "ledger/person.html", {"ledger": ledger, "person": ledger.person})
