"""Two finance officers deciding one invoice at once, and one invoice number sent twice at
once (PostgreSQL, real concurrent transactions): one wins, the other is told, and the
ledger is posted once (decision 0007: the invoice row is locked)."""

from __future__ import annotations

from typing import Any

import pytest

from selfdirect.access.roles import Role
from selfdirect.invoices import services as S
from selfdirect.invoices.models import Invoice
from selfdirect.ledger.models import Transaction
from tests.budgets.test_holding import _plan
from tests.concurrency import one_success_one_refusal, race
from tests.factories import second_user
from tests.invoices.test_invoices import _submit


@pytest.mark.postgres
def test_two_officers_approving_at_once_post_once(committed_council: Any) -> None:
    council = committed_council
    invoice = _submit(council, _plan(council))
    officers = [council.users[Role.FINANCE], second_user(council, Role.FINANCE)]
    outcomes = race(
        lambda _i: Invoice.objects.get(pk=invoice.pk),
        lambda i, loaded: S.invoice_approve(actor=officers[i], invoice=loaded),
    )
    refused = one_success_one_refusal(outcomes, S.InvoiceError)
    assert str(refused) == S.NOT_WAITING
    assert Transaction.objects.filter(kind=Transaction.Kind.INVOICE).count() == 1


@pytest.mark.postgres
def test_one_invoice_number_sent_twice_at_once_is_recorded_once(committed_council: Any) -> None:
    council = committed_council
    plan = _plan(council)
    outcomes = race(lambda _i: None, lambda _i, _loaded: _submit(council, plan))
    refused = one_success_one_refusal(outcomes, S.InvoiceError)
    assert str(refused) == S.REFERENCE_USED.format(reference="ACME-1")
    assert Invoice.objects.filter(reference="ACME-1").count() == 1
