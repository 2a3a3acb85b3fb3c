"""Contributions invoiced (decision 0037): the contribution above a direct payment, and the
whole contribution of someone with no direct payment (carried by a budget paid gross), are
charged when the run is prepared and posted as contribution due (the person's contribution
account to council funding) by a job once the run is paid, once each, crash-safe; receipts
are recorded against what is owed; ledger_check stays balanced."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from selfdirect.access.roles import Role
from selfdirect.ledger import services as ledger_services
from selfdirect.ledger.checks import ledger_check
from selfdirect.ledger.models import Account, Transaction
from selfdirect.operations.models import Job
from selfdirect.payments import contributions, jobs, services
from selfdirect.payments.models import ContributionCharge, PaymentLine, PaymentRun
from selfdirect.planning.models import AssessedContribution, PlanLine
from tests.jobs import jobs_run_queued
from tests.payments.helpers import ANCHOR, PAID_FROM, dp_schedule, finance_officers, paid_plan

pytestmark = pytest.mark.django_db


def _pay(council: Any, period: str = "2026-04") -> PaymentRun:
    first, second = finance_officers(council)
    run = services.run_prepare(actor=first, period=period, frequency="four_weekly")
    services.run_approve(actor=second, run=run)
    services.run_execute(run_id=run.pk)
    run.refresh_from_db()
    return run


def _managed_only(council: Any) -> None:
    """Ada's plan held in a council-managed account instead: paid gross, no direct payment."""
    plan = paid_plan(council)
    PlanLine.objects.filter(plan=plan).update(deployment="managed_account")
    services.schedule_set(
        actor=council.users[Role.FINANCE],
        person=council.holder_person,
        deployment="managed_account",
        frequency="four_weekly",
        anchor_date=ANCHOR,
        starts_on=PAID_FROM,
        payee_name="Council managed accounts",
        sort_code="401276",
        account_number="11112222",
    )


def _contribution(council: Any) -> Account:
    return Account.objects.get(kind="contribution", person=council.holder_person)


def test_without_a_direct_payment_the_whole_contribution_is_invoiced_and_posted_once(
    council: Any,
) -> None:
    _managed_only(council)
    run = _pay(council)
    line = PaymentLine.objects.get(run=run)
    # Paid gross: 14 of 28 days of £50.75 a week, and the £250.00 one-off.
    assert (line.amount_pence, line.contribution_deducted_pence) == (35150, 0)
    charge = ContributionCharge.objects.get(run=run)
    assert (charge.amount_pence, charge.deployment, charge.posted) == (
        3000,
        "managed_account",
        None,
    )
    assert Job.objects.filter(kind=jobs.PAYMENT_CONTRIBUTIONS, status="queued").count() == 1
    assert sorted(jobs_run_queued()) == ["done", "done"]  # the files, the contributions
    charge.refresh_from_db()
    due = charge.posted
    assert due is not None and due.kind == "contribution_due"
    legs = {(p.account.kind, p.amount_pence) for p in due.postings.select_related("account")}
    assert legs == {("contribution", -3000), ("council_funding", 3000)}
    assert due.source_reference == charge.reference and due.prepared_by == run.approved_by
    assert _contribution(council).balance_pence == -3000
    assert contributions.contribution_owed(council.holder_person) == 3000
    # The budget account holds what was paid for the budget, untouched by the contribution.
    assert Account.objects.get(kind="budget", person=council.holder_person).balance_pence == 35150
    assert ledger_check().balanced
    # Posting again (a second job, a rerun) posts nothing more.
    assert services.run_contributions_post(run_id=run.pk) == (0, 0)
    assert Transaction.objects.filter(kind="contribution_due").count() == 1


def test_a_direct_payment_is_paid_net_and_only_the_contribution_above_it_is_invoiced(
    council: Any,
) -> None:
    paid_plan(council)
    dp_schedule(council)
    AssessedContribution.objects.filter(person=council.holder_person).update(weekly_pence=8000)
    april = _pay(council)
    # £50.75 a week is all taken by the £80.00 contribution; £29.25 a week is left over.
    assert PaymentLine.objects.get(run=april).amount_pence == 25000  # the one-off only
    assert ContributionCharge.objects.get(run=april).amount_pence == 5850
    # In May nothing is paid, but the contribution above the direct payment is invoiced.
    may = _pay(council, "2026-05")
    assert not PaymentLine.objects.filter(run=may).exists()
    assert ContributionCharge.objects.get(run=may).amount_pence == 2925 * 4
    jobs_run_queued()
    assert _contribution(council).balance_pence == -(5850 + 11700)
    assert ledger_check().balanced


def test_a_direct_payment_at_least_the_contribution_invoices_nothing(council: Any) -> None:
    paid_plan(council)
    dp_schedule(council)
    run = _pay(council)
    assert not ContributionCharge.objects.filter(run=run).exists()
    assert not Job.objects.filter(kind=jobs.PAYMENT_CONTRIBUTIONS).exists()


def test_posting_contributions_that_crashes_part_way_posts_the_rest_once_when_run_again(
    council: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _managed_only(council)
    run = _pay(council)
    may = _pay(council, "2026-05")
    charges = [run.charges.get(), may.charges.get()]
    real = ledger_services.contribution_invoiced_post
    calls: list[int] = []

    def crash_on_second(**kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("killed")
        return real(**kwargs)

    monkeypatch.setattr(ledger_services, "contribution_invoiced_post", crash_on_second)
    # Both runs' charges, as if one run held them: batches of one, the second crashes.
    ContributionCharge.objects.filter(pk=charges[1].pk).update(run=run)
    with pytest.raises(RuntimeError):
        services.run_contributions_post(run_id=run.pk, batch_size=1)
    assert ContributionCharge.objects.filter(posted__isnull=False).count() == 1
    monkeypatch.setattr(ledger_services, "contribution_invoiced_post", real)
    assert services.run_contributions_post(run_id=run.pk, batch_size=1) == (1, 6000)
    assert Transaction.objects.filter(kind="contribution_due").count() == 2
    assert ledger_check().balanced


def test_a_receipt_is_recorded_against_what_is_owed(council: Any) -> None:
    _managed_only(council)
    _pay(council)
    jobs_run_queued()
    finance = council.users[Role.FINANCE]
    person = council.holder_person
    with pytest.raises(contributions.ContributionError, match=r"more than Ada Holder owes \(£30"):
        contributions.contribution_receipt_record(
            actor=finance,
            person=person,
            amount_pence=3001,
            received_on=PAID_FROM,
            reference="R1",
        )
    assert not Transaction.objects.filter(kind="contribution_received").exists()
    contributions.contribution_receipt_record(
        actor=finance, person=person, amount_pence=2000, received_on=PAID_FROM, reference="R1"
    )
    assert contributions.contribution_owed(person) == 1000
    assert Account.objects.get(kind="bank").balance_pence == -2000
    assert ledger_check().balanced
    holder = Client()
    holder.force_login(council.users[Role.HOLDER])
    page = holder.get(reverse("money:person", args=[person.pk])).content.decode()
    assert "Your contribution still to pay: £10.00" in page
    assert "Contribution received from you" in page


def test_finance_records_a_receipt_on_the_page(council: Any) -> None:
    _managed_only(council)
    _pay(council)
    jobs_run_queued()
    client = Client()
    client.force_login(council.users[Role.FINANCE])
    url = reverse("payments:contributions", args=[council.holder_person.pk])
    page = client.get(url).content.decode()
    assert "Owed now: £30.00" in page and "Posted (CC" in page
    wrong = client.post(
        url,
        {
            "amount": "31.00",
            "received_on_day": "20",
            "received_on_month": "4",
            "received_on_year": "2026",
            "reference": "R9",
        },
    )
    assert "more than Ada Holder owes" in wrong.content.decode()
    client.post(
        url,
        {
            "amount": "30.00",
            "received_on_day": "20",
            "received_on_month": "4",
            "received_on_year": "2026",
            "reference": "R9",
        },
    )
    assert contributions.contribution_owed(council.holder_person) == 0
