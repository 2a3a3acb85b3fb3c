"""Reading the ledger: balances derived from postings, and a person's accounts and
transactions for the pages (who may see whom: ``people.selectors.person_for``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet, Sum

from selfdirect.access.selectors import AnyUser
from selfdirect.ledger.models import Account, Posting, Transaction
from selfdirect.people.models import Person
from selfdirect.people.selectors import person_for


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
    """Every transaction touching one of the person's accounts, with all its postings.

    The person's transaction ids are read first, by their accounts (a few), then the
    transactions by primary key: as one query with ``pk IN (postings joined to accounts)``,
    PostgreSQL's plan followed the tables' statistics, and after other work had changed
    them it once read every posting for every transaction (a test's 200-person council
    took over 20 minutes for one holder's page)."""
    accounts = list(Account.objects.filter(person=person).values_list("pk", flat=True))
    ids = sorted(
        set(
            Posting.objects.filter(account_id__in=accounts).values_list("transaction_id", flat=True)
        )
    )
    return (
        Transaction.objects.filter(pk__in=ids)
        .annotate(is_reversed=Exists(Transaction.objects.filter(reverses=OuterRef("pk"))))
        .select_related("prepared_by", "approved_by", "reverses")
        .prefetch_related("postings__account__person", "postings__account__provider")
        .order_by("effective_date", "id")
    )


@dataclass(frozen=True)
class PersonLedger:
    person: Person
    accounts: list[Account]
    transactions: list[Transaction]


def person_ledger_for(user: AnyUser, person_id: int) -> PersonLedger:
    """The person's accounts and transactions, if the user may see the person (finance:
    everyone; staff: their teams' people); otherwise 404, recorded as refused."""
    person = person_for(user, person_id)
    return PersonLedger(
        person=person,
        accounts=list(person_accounts(person)),
        transactions=list(person_transactions(person)),
    )
