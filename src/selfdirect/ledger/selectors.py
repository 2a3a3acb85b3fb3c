"""Reading the ledger: balances derived from postings, and a person's accounts."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet, Sum

from selfdirect.ledger.models import Account, Posting, Transaction
from selfdirect.people.models import Person


def account_balance(account: Account, on: dt.date | None = None) -> int:
    """The account's balance in pence from its postings (to the end of ``on`` if given)."""
    postings = Posting.objects.filter(account=account)
    if on is not None:
        postings = postings.filter(effective_date__lte=on)
    return int(postings.aggregate(total=Sum("amount_pence"))["total"] or 0)


def person_accounts(person: Person) -> QuerySet[Account]:
    """The person's own accounts: budget accounts by way of holding, contribution, recoveries."""
    return Account.objects.filter(person=person).order_by("kind", "deployment", "id")


def person_transactions(person: Person) -> QuerySet[Transaction]:
    """Every transaction touching one of the person's accounts, with all its postings."""
    return (
        Transaction.objects.filter(postings__account__person=person)
        .distinct()
        .select_related("prepared_by", "approved_by", "reverses")
        .prefetch_related("postings__account__person", "postings__account__provider")
        .order_by("effective_date", "id")
    )
