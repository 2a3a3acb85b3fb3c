"""``contribution_invoiced_post`` (decision 0037): a contribution the council invoices is owed
by the person (their contribution account, credited) towards what council funding paid (the
stream's account, debited); no budget account moves; a receipt then clears it; refusals
change nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from selfdirect.access.roles import Role
from selfdirect.audit.models import Event
from selfdirect.ledger import services as ledger
from selfdirect.ledger.checks import ledger_check
from selfdirect.ledger.models import Account, Transaction

pytestmark = pytest.mark.django_db
APRIL = dt.date(2026, 4, 6)


def test_an_invoiced_contribution_is_owed_towards_council_funding(council: Any) -> None:
    finance, person = council.users[Role.FINANCE], council.holder_person
    entry = ledger.contribution_invoiced_post(
        actor=finance,
        person=person,
        amount_pence=6000,
        effective_date=APRIL,
        source_reference="CC1",
    )
    assert entry.kind == Transaction.Kind.CONTRIBUTION_DUE and entry.source_reference == "CC1"
    balances = {a.kind: a.balance_pence for a in Account.objects.all()}
    assert balances == {"contribution": -6000, "council_funding": 6000}
    assert Event.objects.filter(object_type="ledger_transaction", object_id=str(entry.pk)).exists()
    ledger.contribution_received_post(
        actor=finance, person=person, amount_pence=6000, effective_date=APRIL
    )
    assert Account.objects.get(kind="contribution").balance_pence == 0
    assert Account.objects.get(kind="bank").balance_pence == -6000
    report = ledger_check()
    assert report.balanced and report.total_paid_pence == 0  # no budget was paid


@pytest.mark.parametrize(("amount", "stream"), [(0, "adult_social_care"), (100, "lottery")])
def test_a_refused_invoiced_contribution_writes_nothing(
    council: Any, amount: int, stream: str
) -> None:
    with pytest.raises(ledger.LedgerError):
        ledger.contribution_invoiced_post(
            actor=council.users[Role.FINANCE],
            person=council.holder_person,
            amount_pence=amount,
            effective_date=APRIL,
            funding_stream=stream,
        )
    assert not Transaction.objects.exists()
