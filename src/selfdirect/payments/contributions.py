"""Contributions the council invoices (decision 0037): what a person owes, the charges
behind it, and recording a contribution received (``contribution_received_post``: the
council's bank to the person's contribution account). Who may see the person:
``people.selectors.person_for``."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from selfdirect.ledger.models import Account, Transaction
from selfdirect.ledger.services import contribution_received_post
from selfdirect.money import pounds
from selfdirect.payments.models import ContributionCharge
from selfdirect.people.models import Person
from selfdirect.refusals import Refused

RECEIVED_NOT_POSITIVE = "Enter an amount received of more than £0"
RECEIVED_IN_FUTURE = "The day it was received cannot be in the future"
MORE_THAN_OWED = "The amount is more than {name} owes ({owed})"
REFERENCE_NEEDED = "Enter the reference of the receipt in the council's finance system"


class ContributionError(Refused):
    """A contribution receipt refused by a rule; nothing was written."""


def contribution_owed(person: Person) -> int:
    """What the person owes of their invoiced contribution now (never below nothing)."""
    balance = (
        Account.objects.filter(kind=Account.Kind.CONTRIBUTION, person=person)
        .values_list("balance_pence", flat=True)
        .first()
    )
    return max(0, -(balance or 0))


def charges_of(person: Person, limit: int = 26) -> list[ContributionCharge]:
    return list(
        ContributionCharge.objects.filter(person=person)
        .select_related("run")
        .order_by("-period_starts_on", "-pk")[:limit]
    )


def receipts_of(person: Person, limit: int = 26) -> list[Transaction]:
    return list(
        Transaction.objects.filter(
            kind=Transaction.Kind.CONTRIBUTION_RECEIVED,
            postings__account__kind=Account.Kind.CONTRIBUTION,
            postings__account__person=person,
        )
        .select_related("prepared_by")
        .order_by("-effective_date", "-pk")[:limit]
    )


def contribution_receipt_record(
    *,
    actor: User,
    person: Person,
    amount_pence: int,
    received_on: dt.date,
    reference: str,
    today: dt.date | None = None,
) -> Transaction:
    """Record a contribution the person paid the council: never more than they owe."""
    today = today or timezone.localdate()
    if amount_pence <= 0:
        raise ContributionError(RECEIVED_NOT_POSITIVE, "amount")
    if received_on > today:
        raise ContributionError(RECEIVED_IN_FUTURE, "received_on")
    if not reference.strip():
        raise ContributionError(REFERENCE_NEEDED, "reference")
    with transaction.atomic():
        # Under the contribution account's row lock: two receipts at once see each other.
        account = (
            Account.objects.select_for_update(no_key=True)
            .filter(kind=Account.Kind.CONTRIBUTION, person=person)
            .first()
        )
        owed = max(0, -(account.balance_pence if account else 0))
        if amount_pence > owed:
            raise ContributionError(
                MORE_THAN_OWED.format(name=person.full_name, owed=pounds(owed)), "amount"
            )
        return contribution_received_post(
            actor=actor,
            person=person,
            amount_pence=amount_pence,
            effective_date=received_on,
            source_reference=reference.strip()[:100],
        )
