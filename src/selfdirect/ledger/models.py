"""The double-entry ledger: accounts, transactions and their postings, in integer pence.

Sign convention (one for every account): a posting's ``amount_pence`` is positive for a
debit and negative for a credit, and a movement of money *from* account A *to* account B
credits A and debits B. So an account's balance (the sum of its postings) is the money it
holds now: a budget account's positive balance is money held for the person's budget; a
funding stream's negative balance is what the stream has paid out. Every transaction's
postings sum to zero, so all balances together sum to zero.

Transactions and postings are immutable (refused in ``save``/``delete`` here and by
database triggers, migration 0002); a mistake is corrected by a reversing transaction."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from selfdirect.planning.streams import DEPLOYMENTS, SHIPPED

IMMUTABLE = "Ledger transactions and postings never change: correct them by a reversal"


class LedgerImmutable(RuntimeError):
    """An attempt to change or remove a transaction or posting."""


class Account(models.Model):
    class Kind(models.TextChoices):
        COUNCIL_FUNDING = "council_funding", "Council funding"
        BUDGET = "budget", "Budget account"
        PROVIDER_PAYABLE = "provider_payable", "Owed to a provider"
        CONTRIBUTION = "contribution", "Person's contribution"
        RECOVERIES = "recoveries", "Recovered"
        BANK = "bank", "Bank (clearing control)"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    # The natural key: which fields apply depends on the kind (see the constraints).
    funding_stream = models.CharField(
        max_length=30, blank=True, choices=[(r.code, r.name) for r in SHIPPED]
    )
    person = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ledger_accounts",
    )
    deployment = models.CharField(
        "way of holding", max_length=25, blank=True, choices=list(DEPLOYMENTS.items())
    )
    provider = models.ForeignKey(
        "providers.Provider",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ledger_accounts",
    )
    # The sum of the account's postings, kept by transaction_post in the same database
    # transaction as the postings (under a row lock); ledger_check compares the two.
    balance_pence = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["funding_stream"],
                condition=models.Q(kind="council_funding"),
                name="ledger_account_one_per_stream",
            ),
            models.UniqueConstraint(
                fields=["person", "deployment"],
                condition=models.Q(kind="budget"),
                name="ledger_account_one_budget_per_way",
            ),
            models.UniqueConstraint(
                fields=["provider"],
                condition=models.Q(kind="provider_payable"),
                name="ledger_account_one_payable_per_provider",
            ),
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(kind="contribution"),
                name="ledger_account_one_contribution_per_person",
            ),
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(kind="recoveries"),
                name="ledger_account_one_recoveries_per_person",
            ),
            models.UniqueConstraint(
                fields=["kind"], condition=models.Q(kind="bank"), name="ledger_account_one_bank"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(
                        kind="council_funding",
                        person__isnull=True,
                        provider__isnull=True,
                        deployment="",
                    )
                    & ~models.Q(funding_stream="")
                )
                | models.Q(
                    kind="budget", person__isnull=False, provider__isnull=True, funding_stream=""
                )
                & ~models.Q(deployment="")
                | models.Q(
                    kind="provider_payable",
                    person__isnull=True,
                    provider__isnull=False,
                    funding_stream="",
                    deployment="",
                )
                | models.Q(
                    kind__in=["contribution", "recoveries"],
                    person__isnull=False,
                    provider__isnull=True,
                    funding_stream="",
                    deployment="",
                )
                | models.Q(
                    kind="bank",
                    person__isnull=True,
                    provider__isnull=True,
                    funding_stream="",
                    deployment="",
                ),
                name="ledger_account_key_fits_kind",
            ),
        ]

    def __str__(self) -> str:
        if self.kind == self.Kind.COUNCIL_FUNDING:
            return f"Council funding: {self.get_funding_stream_display()}"
        if self.kind == self.Kind.BUDGET:
            return f"Budget ({self.get_deployment_display()}) for {self.person}"
        if self.kind == self.Kind.PROVIDER_PAYABLE:
            return f"Owed to {self.provider}"
        if self.kind in (self.Kind.CONTRIBUTION, self.Kind.RECOVERIES):
            return f"{self.get_kind_display()}: {self.person}"
        return str(self.get_kind_display())


class Transaction(models.Model):
    class Kind(models.TextChoices):
        PAYMENT = "payment", "Payment of a budget"
        CONTRIBUTION_DUE = "contribution_due", "Contribution due"
        CONTRIBUTION_RECEIVED = "contribution_received", "Contribution received"
        INVOICE = "invoice", "Provider invoice"
        INVOICE_PAYMENT = "invoice_payment", "Payment to a provider"
        SWITCH = "switch", "Switch of the way of holding"
        RECOVERY = "recovery", "Recovery"
        REVERSAL = "reversal", "Reversal"
        ADJUSTMENT = "adjustment", "Adjustment"

    kind = models.CharField(max_length=24, choices=Kind.choices)
    effective_date = models.DateField()
    # For a scheduled payment: the period it pays ("2026-04" or "2026-04-06"), else blank.
    period_key = models.CharField(max_length=20, blank=True)
    # The budget account a payment pays (the no-double-payment rule keys on it).
    # No index of its own (decision 0036): nothing reads transactions by budget account
    # (the claims below keep the no-double-payment rule; ledger_check scans every payment).
    budget_account = models.ForeignKey(
        Account,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    source_reference = models.CharField("source document", max_length=120, blank=True)
    description = models.CharField(max_length=200, blank=True)
    # Who prepared and who approved: shown with the transaction, never searched by, so no
    # index of their own (decision 0036; users are never deleted, which would scan).
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["effective_date", "id"]
        constraints = [
            # A reversal names what it reverses; nothing else does (OneToOne: reversed once).
            models.CheckConstraint(
                condition=models.Q(kind="reversal", reverses__isnull=False)
                | (~models.Q(kind="reversal") & models.Q(reverses__isnull=True)),
                name="ledger_transaction_reversal_names_original",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="payment")
                | (models.Q(budget_account__isnull=False) & ~models.Q(period_key="")),
                name="ledger_transaction_payment_has_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.id} on {self.effective_date:%-d %B %Y}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise LedgerImmutable(IMMUTABLE)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise LedgerImmutable(IMMUTABLE)


class Posting(models.Model):
    """One leg of a transaction: debit positive, credit negative, in pence."""

    transaction = models.ForeignKey(Transaction, on_delete=models.PROTECT, related_name="postings")
    # Read through ``ledger_posting_account_date``, which leads with the account (decision
    # 0036): a second index on the account alone would only slow every insert.
    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="postings", db_index=False
    )
    amount_pence = models.BigIntegerField()
    # The transaction's effective date, copied so a balance on a date reads one index.
    effective_date = models.DateField()

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["account", "effective_date"], name="ledger_posting_account_date")
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(amount_pence=0), name="ledger_posting_not_zero"
            )
        ]

    def __str__(self) -> str:
        return f"{self.amount_pence}p to {self.account}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise LedgerImmutable(IMMUTABLE)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise LedgerImmutable(IMMUTABLE)


class PeriodPayment(models.Model):
    """A budget account's claim on a period: at most one open claim per account and period,
    so no budget is paid twice for a period. Reversing the payment releases its claim (the
    one change this table allows), and the period may then be paid again."""

    # Read only for open claims, through ``ledger_periodpayment_paid_once`` (decision 0036).
    budget_account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    period_key = models.CharField(max_length=20)
    payment = models.OneToOneField(Transaction, on_delete=models.PROTECT, related_name="claim")
    released_by = models.OneToOneField(
        Transaction, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["budget_account", "period_key"],
                condition=models.Q(released_by__isnull=True),
                name="ledger_periodpayment_paid_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.budget_account} paid for {self.period_key}"
