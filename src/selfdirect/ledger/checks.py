"""The ledger's self-check (``manage.py ledger_check``): every transaction balances, every
cached balance equals its postings, and no budget is paid twice for a period. It reads the
tables directly, so it also catches rows changed or added behind the services' back."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from django.db.models import Count, F, IntegerField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from selfdirect.ledger.models import Account, Posting, Transaction


@dataclass(frozen=True)
class Problem:
    kind: str  # unbalanced, empty, balance_mismatch, paid_twice
    id: int | None
    detail: str


@dataclass
class LedgerReport:
    balanced: bool
    total_paid_pence: int
    transactions: int
    postings: int
    accounts: int
    problem_count: int
    problems: list[Problem] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def ledger_check(*, limit: int = 20) -> LedgerReport:
    """Check the whole ledger; ``problems`` lists the first ``limit`` found."""
    problems: list[Problem] = []
    count = 0

    unbalanced = (
        Posting.objects.values("transaction_id")
        .annotate(total=Sum("amount_pence"))
        .exclude(total=0)
        .order_by("transaction_id")
    )
    for row in unbalanced.iterator():
        count += 1
        if len(problems) < limit:
            problems.append(
                Problem(
                    "unbalanced",
                    row["transaction_id"],
                    f"Transaction {row['transaction_id']}: postings add up to "
                    f"{row['total']}p, not 0",
                )
            )

    empty = Transaction.objects.annotate(n=Count("postings")).filter(n__lt=2).order_by("id")
    for entry_id, n in empty.values_list("id", "n").iterator():
        count += 1
        if len(problems) < limit:
            problems.append(
                Problem("empty", entry_id, f"Transaction {entry_id} has {n} posting(s)")
            )

    posted = Subquery(
        Posting.objects.filter(account=OuterRef("pk"))
        .values("account")
        .annotate(total=Sum("amount_pence"))
        .values("total"),
        output_field=IntegerField(),
    )
    mismatched = (
        Account.objects.annotate(posted=Coalesce(posted, Value(0)))
        .exclude(balance_pence=F("posted"))
        .order_by("id")
    )
    for account_id, cached, total in mismatched.values_list(
        "id", "balance_pence", "posted"
    ).iterator():
        count += 1
        if len(problems) < limit:
            problems.append(
                Problem(
                    "balance_mismatch",
                    account_id,
                    f"Account {account_id}: cached balance {cached}p, postings {total}p",
                )
            )

    twice = (
        Transaction.objects.filter(kind=Transaction.Kind.PAYMENT, reversed_by__isnull=True)
        .values("budget_account_id", "period_key")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .order_by("budget_account_id", "period_key")
    )
    for pair in twice.iterator():
        count += 1
        if len(problems) < limit:
            problems.append(
                Problem(
                    "paid_twice",
                    pair["budget_account_id"],
                    f"Account {pair['budget_account_id']} paid {pair['n']} times for "
                    f"{pair['period_key']}",
                )
            )

    total_paid = Posting.objects.filter(
        transaction__kind=Transaction.Kind.PAYMENT,
        transaction__reversed_by__isnull=True,
        amount_pence__gt=0,
    ).aggregate(total=Sum("amount_pence"))["total"]
    return LedgerReport(
        balanced=count == 0,
        total_paid_pence=int(total_paid or 0),
        transactions=Transaction.objects.count(),
        postings=Posting.objects.count(),
        accounts=Account.objects.count(),
        problem_count=count,
        problems=problems,
    )
