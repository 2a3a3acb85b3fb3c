"""Invoices and statements from the providers and support organisations that hold part of
a person's budget (an ISF, a third-party or council-managed account) or are commissioned
for it: what they charge for a period, line by line against the person's plan lines.

An invoice is checked automatically when it is submitted (the results are stored with it),
then approved or rejected by finance, then paid; approval and payment post to the ledger
(``ledger.services.invoice_post`` and ``invoice_payment_post``). Nothing is deleted: a
mistaken invoice is rejected with a reason. Amounts are whole pence."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Invoice(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Submitted"
        CHECKED = "checked", "Waiting for approval"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        PAID = "paid", "Paid"

    class Source(models.TextChoices):
        PAGE = "page", "Entered on the page"
        CSV = "csv", "Uploaded as CSV"
        API = "api", "Sent through the API"

    provider = models.ForeignKey(
        "providers.Provider", on_delete=models.PROTECT, related_name="invoices"
    )
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="invoices")
    period_start = models.DateField()
    period_end = models.DateField()
    # The provider's own reference (its invoice number): one per provider, unless rejected.
    reference = models.CharField(max_length=60)
    source = models.CharField(max_length=4, choices=Source.choices, default=Source.PAGE)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    total_pence = models.PositiveIntegerField(default=0)
    # The automatic checks' results: how many lines failed one (0: none to review).
    exceptions = models.PositiveIntegerField(default=0)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # Why it was rejected, or why it was approved though a check failed.
    decision_reason = models.TextField(blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    paid_on = models.DateField(null=True, blank=True)
    # The ledger transactions that approval and payment posted (the invoice is their source).
    transactions = models.ManyToManyField("ledger.Transaction", related_name="+", blank=True)

    class Meta:
        ordering = ["-entered_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="invoices_invoice_period_in_order",
            ),
            models.UniqueConstraint(
                fields=["provider", "reference"],
                condition=~models.Q(status="rejected"),
                name="invoices_invoice_one_reference_per_provider",
            ),
        ]
        indexes = [models.Index(fields=["status", "entered_at"], name="invoices_queue")]

    def __str__(self) -> str:
        return f"Invoice {self.reference} from {self.provider}"


class InvoiceLine(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    plan_line = models.ForeignKey(
        "planning.PlanLine", on_delete=models.PROTECT, related_name="invoice_lines"
    )
    # Units in hundredths (7.5 hours = 750), as on plan lines.
    units_hundredths = models.PositiveIntegerField()
    unit_rate_pence = models.PositiveIntegerField()
    amount_pence = models.PositiveIntegerField()
    # The way of holding the line was in for the period: the budget account it is paid from.
    deployment = models.CharField(max_length=25)
    # [{"check": code, "ok": bool, "message": text}], from invoices.checks.
    checks = models.JSONField(default=list)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.plan_line} on {self.invoice}"

    @property
    def units_text(self) -> str:
        """The units as people write them: 750 hundredths is "7.5"."""
        whole, part = divmod(self.units_hundredths, 100)
        return str(whole) if part == 0 else f"{whole}.{part:02d}".rstrip("0")

    @property
    def failed(self) -> list[dict[str, object]]:
        return [c for c in self.checks if not c.get("ok")]
