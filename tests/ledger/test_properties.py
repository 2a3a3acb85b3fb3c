"""Hypothesis: for any sequence of payments, contributions, invoices and their payments,
switches, recoveries and reversals, every transaction balances, every cached balance equals
its postings, all balances add up to zero, no budget is paid twice for a period, and the
ledger agrees with a plain model of the same rules (same balances, same refusals)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db import transaction
from django.db.models import Count, Sum
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from selfdirect.access.roles import Role
from selfdirect.ledger import services as ledger
from selfdirect.ledger.checks import ledger_check
from selfdirect.ledger.models import Account, Posting, Transaction
from selfdirect.ledger.selectors import account_balance
from selfdirect.providers.models import Provider

ASC = "adult_social_care"
WAYS = ("direct_payment", "managed_account", "isf")
PERIODS = ("2026-04", "2026-05", "2026-06")
DAY = dt.date(2026, 4, 6)

people = st.integers(0, 1)
ways = st.sampled_from(WAYS)
amounts = st.integers(1, 200_000)
# Moves out of a budget are smaller, so that they often find the money there.
parts = st.integers(1, 40_000)
payments = st.tuples(st.just("pay"), people, ways, st.sampled_from(PERIODS), amounts)
operations = st.one_of(
    payments,
    payments,
    st.tuples(st.just("contribution_due"), people, ways, amounts),
    st.tuples(st.just("contribution_received"), people, amounts),
    st.tuples(st.just("invoice"), people, ways, amounts),
    st.tuples(st.just("pay_provider"), parts),
    st.tuples(st.just("switch"), people, ways, ways, st.none() | parts),
    st.tuples(st.just("recover"), people, ways, parts),
    # Counted back from the newest transaction, so recent ones are often reversed.
    st.tuples(st.just("reverse"), st.integers(0, 5)),
    # Pay the most recently paid budget and period again (after a reversal, or not).
    st.tuples(st.just("repay"), amounts),
    st.tuples(st.just("repay"), amounts),
)


def _concrete(ops: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """Each "repay" made into the "pay" of the last paid budget and period."""
    concrete, last = [], None
    for op in ops:
        if op[0] == "repay":
            if last is None:
                continue
            op = ("pay", *last, op[1])
        if op[0] == "pay":
            last = op[1:4]
        concrete.append(op)
    return concrete


Key = tuple[Any, ...]


class Model:
    """The same rules over plain dicts: what each movement should do, or refuse."""

    def __init__(self) -> None:
        self.balances: dict[Key, int] = defaultdict(int)
        self.entries: list[dict[str, Any]] = []  # legs, kind, claim, reversed
        self.claims: set[tuple[Key, str]] = set()

    def post(self, kind: str, legs: dict[Key, int], claim: Any = None) -> str:
        for key, amount in legs.items():
            self.balances[key] += amount
        self.entries.append({"kind": kind, "legs": legs, "claim": claim, "reversed": False})
        return "posted"

    def apply(self, op: tuple[Any, ...]) -> str:
        name = op[0]
        if name == "pay":
            _, p, way, period, amount = op
            claim = (("budget", p, way), period)
            if claim in self.claims:
                return "PAID_ALREADY"
            self.claims.add(claim)
            return self.post("payment", {("funding",): -amount, ("budget", p, way): amount}, claim)
        if name == "contribution_due":
            _, p, way, amount = op
            return self.post("due", {("contribution", p): -amount, ("budget", p, way): amount})
        if name == "contribution_received":
            _, p, amount = op
            return self.post("received", {("bank",): -amount, ("contribution", p): amount})
        if name == "invoice":
            _, p, way, amount = op
            return self.post("invoice", {("budget", p, way): -amount, ("payable",): amount})
        if name == "pay_provider":
            (_, amount) = op
            if amount > self.balances[("payable",)]:
                return "MORE_THAN_OWED"
            return self.post("invoice_payment", {("payable",): -amount, ("bank",): amount})
        if name == "switch":
            _, p, source, target, amount = op
            if source == target:
                return "SAME_WAY"
            held = self.balances[("budget", p, source)]
            if amount is None:
                if held <= 0:
                    return "NOTHING_HELD"
                amount = held
            elif amount > held:
                return "MORE_THAN_HELD"
            return self.post(
                "switch", {("budget", p, source): -amount, ("budget", p, target): amount}
            )
        if name == "recover":
            _, p, way, amount = op
            if amount > self.balances[("budget", p, way)]:
                return "MORE_THAN_HELD"
            return self.post("recovery", {("budget", p, way): -amount, ("recoveries", p): amount})
        (_, pick) = op
        if not self.entries:
            return "nothing"
        original = self.entries[-1 - pick % len(self.entries)]
        if original["kind"] == "reversal":
            return "REVERSAL_OF_REVERSAL"
        if original["reversed"]:
            return "REVERSED_ALREADY"
        original["reversed"] = True
        if original["claim"] is not None:
            self.claims.discard(original["claim"])
        return self.post("reversal", {k: -v for k, v in original["legs"].items()})


def _run(council: Any, op: tuple[Any, ...], entries: list[Transaction]) -> str:
    finance = council.users[Role.FINANCE]
    persons = [council.holder_person, council.other_person]
    provider = Provider.objects.get(name="Acme Care")
    name = op[0]
    try:
        if name == "pay":
            _, p, way, period, amount = op
            entry = ledger.budget_payment_post(
                actor=finance,
                person=persons[p],
                deployment=way,
                funding_stream=ASC,
                period_key=period,
                amount_pence=amount,
                effective_date=DAY,
            )
        elif name == "contribution_due":
            _, p, way, amount = op
            entry = ledger.contribution_due_post(
                actor=finance,
                person=persons[p],
                deployment=way,
                amount_pence=amount,
                effective_date=DAY,
            )
        elif name == "contribution_received":
            _, p, amount = op
            entry = ledger.contribution_received_post(
                actor=finance, person=persons[p], amount_pence=amount, effective_date=DAY
            )
        elif name == "invoice":
            _, p, way, amount = op
            entry = ledger.invoice_post(
                actor=finance,
                person=persons[p],
                deployment=way,
                provider=provider,
                amount_pence=amount,
                effective_date=DAY,
            )
        elif name == "pay_provider":
            (_, amount) = op
            entry = ledger.invoice_payment_post(
                actor=finance, provider=provider, amount_pence=amount, effective_date=DAY
            )
        elif name == "switch":
            _, p, source, target, amount = op
            entry = ledger.holding_switch_post(
                actor=finance,
                person=persons[p],
                from_deployment=source,
                to_deployment=target,
                amount_pence=amount,
                effective_date=DAY,
            )
        elif name == "recover":
            _, p, way, amount = op
            entry = ledger.recovery_post(
                actor=finance,
                person=persons[p],
                deployment=way,
                amount_pence=amount,
                effective_date=DAY,
            )
        else:
            if not entries:
                return "nothing"
            entry = ledger.transaction_reverse(
                actor=finance, original=entries[-1 - op[1] % len(entries)], effective_date=DAY
            )
    except ledger.LedgerError as refused:
        return next(
            constant
            for constant in (
                "PAID_ALREADY",
                "MORE_THAN_OWED",
                "SAME_WAY",
                "NOTHING_HELD",
                "MORE_THAN_HELD",
                "REVERSAL_OF_REVERSAL",
                "REVERSED_ALREADY",
            )
            if str(refused).startswith(getattr(ledger, constant).split("{")[0])
        )
    entries.append(entry)
    return "posted"


def _key(account: Account, council: Any) -> Key:
    index = {council.holder_person.pk: 0, council.other_person.pk: 1}
    if account.kind == Account.Kind.BUDGET:
        return ("budget", index[account.person_id], account.deployment)
    if account.kind in (Account.Kind.CONTRIBUTION, Account.Kind.RECOVERIES):
        return (account.kind, index[account.person_id])
    return {"council_funding": ("funding",), "provider_payable": ("payable",), "bank": ("bank",)}[
        account.kind
    ]


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=st.lists(operations, min_size=8, max_size=30))
def test_the_ledger_always_balances_and_follows_the_rules(council: Any, ops: list[Any]) -> None:
    with transaction.atomic():
        model, entries = Model(), []
        for op in _concrete(ops):
            outcome = model.apply(op)
            event(f"{op[0]}: {outcome}")
            assert _run(council, op, entries) == outcome, op

        # Every transaction balances.
        sums = Posting.objects.values("transaction").annotate(total=Sum("amount_pence"))
        assert all(row["total"] == 0 for row in sums)
        assert len(sums) == Transaction.objects.count() == len(model.entries)
        # Balances equal postings, and agree with the model; together they add up to zero.
        accounts = list(Account.objects.all())
        for account in accounts:
            assert account.balance_pence == account_balance(account)
            assert account.balance_pence == model.balances[_key(account, council)]
        assert sum(a.balance_pence for a in accounts) == 0
        assert all(
            v == 0
            for k, v in model.balances.items()
            if k not in {_key(a, council) for a in accounts}
        )
        # No budget is paid twice for a period.
        paid = (
            Transaction.objects.filter(kind=Transaction.Kind.PAYMENT, reversed_by__isnull=True)
            .values("budget_account", "period_key")
            .annotate(n=Count("id"))
        )
        assert all(row["n"] == 1 for row in paid)
        report = ledger_check()
        assert report.balanced, report.problems
        assert report.total_paid_pence == sum(
            e["legs"][k]
            for e in model.entries
            if e["kind"] == "payment" and not e["reversed"]
            for k in e["legs"]
            if k[0] == "budget"
        )
        transaction.set_rollback(True)
