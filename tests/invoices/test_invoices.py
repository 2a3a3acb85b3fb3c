"""Provider invoices (issue 12): checked against the person's plan lines and rates when
sent, approved by finance (never by whoever entered it), paid through the ledger with the
invoice as the source document and the approver named; a provider sees only its own."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from selfdirect.access.roles import Role
from selfdirect.audit.models import Action, Event
from selfdirect.invoices import checks
from selfdirect.invoices import services as S
from selfdirect.invoices.models import Invoice
from selfdirect.ledger import services as ledger
from selfdirect.ledger.models import Transaction
from selfdirect.planning.models import PlanLine, SupportPlan
from tests.budgets.test_holding import _plan
from tests.factories import ProviderClientFactory, ProviderFactory, make_user, second_user

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()
START = TODAY - dt.timedelta(days=27)  # four weeks, today included


def _line(plan: SupportPlan, description: str) -> PlanLine:
    return plan.lines.get(description=description)


def _submit(council: Any, plan: SupportPlan, **overrides: Any) -> Invoice:
    home_care = _line(plan, "Home care")  # £20 a week, 1 a week, an ISF with Acme Care
    fields: dict[str, Any] = {
        "actor": council.users[Role.PROVIDER],
        "provider": council.users[Role.PROVIDER].profile.provider,
        "person": plan.person,
        "period_start": START,
        "period_end": TODAY,
        "reference": "ACME-1",
        "lines": [S.LineIn(home_care.pk, 400, 2000)],
        **overrides,
    }
    return S.invoice_submit(**fields)


def _failed(invoice: Invoice) -> set[str]:
    return {c["check"] for line in invoice.lines.all() for c in line.checks if not c["ok"]}


def test_an_invoice_within_the_plan_is_approved_then_paid_through_the_ledger(
    council: Any,
) -> None:
    plan = _plan(council)
    invoice = _submit(council, plan)
    assert (invoice.status, invoice.total_pence, invoice.exceptions) == ("checked", 8000, 0)
    assert _failed(invoice) == set()
    finance, payer = council.users[Role.FINANCE], second_user(council, Role.FINANCE)
    S.invoice_approve(actor=finance, invoice=invoice)
    invoice.refresh_from_db()
    assert invoice.status == "approved" and invoice.decided_by == finance
    acme = invoice.provider
    assert ledger.payable_account(acme).balance_pence == 8000
    assert ledger.budget_account(plan.person, "isf").balance_pence == -8000
    posted = Transaction.objects.get(kind=Transaction.Kind.INVOICE)
    assert posted.approved_by == finance and posted.prepared_by == invoice.entered_by
    assert f"Invoice {invoice.pk}" in posted.source_reference
    assert "ACME-1" in posted.source_reference
    S.invoice_pay(actor=payer, invoice=invoice, paid_on=TODAY)
    invoice.refresh_from_db()
    assert invoice.status == "paid"
    assert ledger.payable_account(acme).balance_pence == 0
    assert ledger.bank_account().balance_pence == 8000
    paid = Transaction.objects.get(kind=Transaction.Kind.INVOICE_PAYMENT)
    assert paid.approved_by == finance and paid.prepared_by == payer
    assert f"Invoice {invoice.pk}" in paid.source_reference
    assert set(invoice.transactions.all()) == {posted, paid}
    summaries = list(
        Event.objects.filter(object_type="invoice", object_id=str(invoice.pk))
        .order_by("pk")
        .values_list("summary", flat=True)
    )
    assert summaries[0].startswith("Invoice ACME-1 from Acme Care: £80.00")
    assert summaries[1].startswith("Approved invoice ACME-1")
    assert summaries[2].startswith("Paid invoice ACME-1")


def test_the_checks_flag_rate_units_lines_not_held_and_duplicates(council: Any) -> None:
    plan = _plan(council)
    home_care, taxi = _line(plan, "Home care"), _line(plan, "Taxi to the lunch club")
    # £25 is above the plan's £20; 5 units is above the 4 the plan provides in four weeks.
    over = _submit(council, plan, lines=[S.LineIn(home_care.pk, 500, 2500)])
    assert _failed(over) == {checks.RATE, checks.UNITS}
    line = over.lines.get()
    assert "The rate, £25.00, is above the plan's £20.00" in str(line.checks)
    assert "5 units is more than the 4 the plan provides in the period" in str(line.checks)
    # The taxi is in a third-party account no agreement gives Acme Care.
    taxi_invoice = _submit(council, plan, reference="ACME-2", lines=[S.LineIn(taxi.pk, 100, 500)])
    assert _failed(taxi_invoice) == {checks.HELD}
    # The same line for an overlapping period again: a duplicate.
    again = _submit(
        council,
        plan,
        reference="ACME-3",
        period_start=TODAY - dt.timedelta(days=6),
        lines=[S.LineIn(home_care.pk, 100, 2000)],
    )
    assert _failed(again) == {checks.DUPLICATE}
    assert "Invoice ACME-1 already covers this line" in str(again.lines.get().checks)
    # A rejected invoice no longer counts as a duplicate.
    S.invoice_reject(actor=council.users[Role.FINANCE], invoice=over, reason="Wrong rate")
    fresh = _submit(council, plan, reference="ACME-4", period_start=START + dt.timedelta(days=7))
    assert checks.DUPLICATE in _failed(fresh)  # ACME-3 still covers part of it
    assert Invoice.objects.filter(exceptions__gt=0).count() == 4


def test_what_a_submission_refuses_and_that_it_records_nothing(council: Any) -> None:
    plan = _plan(council)
    cases = [
        ({"period_end": TODAY + dt.timedelta(days=1)}, S.PERIOD_IN_FUTURE, "period_end"),
        ({"period_end": START - dt.timedelta(days=1)}, S.PERIOD_BACKWARDS, "period_end"),
        ({"reference": "  "}, S.REFERENCE_NEEDED, "reference"),
        ({"lines": []}, S.NO_LINES, "lines"),
    ]
    for overrides, message, field in cases:
        with pytest.raises(S.InvoiceError) as refused:
            _submit(council, plan, **overrides)
        assert (str(refused.value), refused.value.field) == (message, field)
    # Another person's plan line.
    other = PlanLine.objects.exclude(plan__person=plan.person).first()
    if other is not None:
        with pytest.raises(S.InvoiceError, match="is not a line of Ada Holder's plan"):
            _submit(council, plan, lines=[S.LineIn(other.pk, 100, 100)])
    # A provider for a person it does not support, and for another organisation.
    brightside = ProviderFactory(name="Brightside")
    stranger = make_user("brightside-staff", [Role.PROVIDER], provider=brightside)
    with pytest.raises(S.InvoiceError, match="Ada Holder is not supported by Brightside"):
        _submit(council, plan, actor=stranger, provider=brightside)
    with pytest.raises(S.InvoiceError, match="You can only send invoices for Acme Care"):
        _submit(council, plan, actor=stranger)
    assert not Invoice.objects.exists()
    _submit(council, plan)
    with pytest.raises(S.InvoiceError, match="You have already sent invoice ACME-1"):
        _submit(council, plan)
    assert Invoice.objects.count() == 1


def test_who_entered_it_cannot_approve_it_and_who_approved_cannot_pay(council: Any) -> None:
    plan = _plan(council)
    finance = council.users[Role.FINANCE]
    # Finance entering a paper invoice on the council's side.
    entered = _submit(council, plan, actor=finance)
    with pytest.raises(S.InvoiceError, match="another finance officer must approve it"):
        S.invoice_approve(actor=finance, invoice=entered)
    second = second_user(council, Role.FINANCE)
    S.invoice_approve(actor=second, invoice=entered)
    with pytest.raises(S.InvoiceError, match="another finance officer must record its payment"):
        S.invoice_pay(actor=second, invoice=entered, paid_on=TODAY)
    with pytest.raises(S.InvoiceError, match="is not waiting for a decision"):
        S.invoice_reject(actor=second, invoice=entered, reason="late")
    assert Transaction.objects.filter(kind=Transaction.Kind.INVOICE_PAYMENT).count() == 0


def test_failed_checks_need_a_reason_to_approve_and_rejection_a_reason(council: Any) -> None:
    plan = _plan(council)
    over = _submit(council, plan, lines=[S.LineIn(_line(plan, "Home care").pk, 500, 2500)])
    finance = council.users[Role.FINANCE]
    with pytest.raises(S.InvoiceError) as refused:
        S.invoice_approve(actor=finance, invoice=over)
    assert str(refused.value) == "Say why you approve this invoice though 2 of its checks failed"
    with pytest.raises(S.InvoiceError, match=S.REJECT_REASON_NEEDED):
        S.invoice_reject(actor=finance, invoice=over, reason=" ")
    assert not Transaction.objects.exists()
    S.invoice_approve(actor=finance, invoice=over, reason="Extra hour agreed by phone")
    over.refresh_from_db()
    assert over.decision_reason == "Extra hour agreed by phone"
    assert ledger.payable_account(over.provider).balance_pence == 12500


def test_a_provider_sees_only_its_own_invoices(client: Any, council: Any) -> None:
    plan = _plan(council)
    invoice = _submit(council, plan)
    brightside = ProviderFactory(name="Brightside")
    ProviderClientFactory(provider=brightside, person=plan.person)
    stranger = make_user("brightside-staff", [Role.PROVIDER], provider=brightside)
    client.force_login(stranger)
    assert client.get(f"/invoices/{invoice.pk}/").status_code == 404
    assert Event.objects.filter(action=Action.DENIED, person=plan.person).exists()
    assert "ACME-1" not in client.get("/invoices/").content.decode()
    client.force_login(council.users[Role.PROVIDER])
    page = client.get(f"/invoices/{invoice.pk}/").content.decode()
    assert "Every check passed" in page and "Approve" not in page
    assert "ACME-1" in client.get("/invoices/").content.decode()
