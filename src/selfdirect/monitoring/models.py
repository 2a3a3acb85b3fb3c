"""Monitoring how direct payments are spent: the council's tier table (versioned, never
changed once saved), risk records, the quarterly random sample, statements uploaded with
their transactions, the council's keyword rules, and the flags raised on a statement."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from selfdirect.monitoring.matching import CATEGORY_WORDS, FLAG_KINDS
from selfdirect.monitoring.tiers import TierRules

TABLE_IMMUTABLE = "A version of the tier table never changes: add a new version from a later date"


class TierTableImmutable(RuntimeError):
    """An attempt to change a saved version of the tier table."""


class TierTable(models.Model):
    """One version of the monitoring tiers, in force from its date until the next one."""

    effective_from = models.DateField(unique=True)
    light_below_yearly_pence = models.PositiveIntegerField()
    full_from_yearly_pence = models.PositiveIntegerField()
    light_small_item_pence = models.PositiveIntegerField()
    middle_small_item_pence = models.PositiveIntegerField()
    full_small_item_pence = models.PositiveIntegerField()
    source = models.CharField(max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["effective_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    light_below_yearly_pence__lte=models.F("full_from_yearly_pence")
                ),
                name="monitoring_tiertable_light_below_full",
            )
        ]

    def __str__(self) -> str:
        return f"Monitoring tiers from {self.effective_from:%-d %B %Y}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise TierTableImmutable(TABLE_IMMUTABLE)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise TierTableImmutable(TABLE_IMMUTABLE)

    def as_rules(self) -> TierRules:
        return TierRules(
            effective_from=self.effective_from,
            light_below_yearly_pence=self.light_below_yearly_pence,
            full_from_yearly_pence=self.full_from_yearly_pence,
            light_small_item_pence=self.light_small_item_pence,
            middle_small_item_pence=self.middle_small_item_pence,
            full_small_item_pence=self.full_small_item_pence,
            source=self.source,
        )


class RiskRecord(models.Model):
    """A practitioner's or finance officer's judgement that monitoring should be closer (or
    no longer), with the reason; the newest is in force, the earlier ones are history."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="monitoring_risks"
    )
    high_risk = models.BooleanField()
    reason = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at", "-id"]

    def __str__(self) -> str:
        return f"{'High' if self.high_risk else 'Not high'} risk for {self.person_id}"


class QuarterSample(models.Model):
    """The random sample of a quarter: drawn once, with its seed, so it can be drawn again
    from the same seed and the same people and come out the same."""

    quarter = models.CharField(max_length=7, unique=True)  # "2026-Q2"
    seed = models.BigIntegerField()
    size = models.PositiveIntegerField()
    population_count = models.PositiveIntegerField()
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    drawn_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-quarter"]

    def __str__(self) -> str:
        return f"Random sample {self.quarter}"


class SampleMember(models.Model):
    sample = models.ForeignKey(QuarterSample, on_delete=models.PROTECT, related_name="members")
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="monitoring_samples"
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["sample", "person"], name="monitoring_samplemember_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id} in {self.sample}"


class Statement(models.Model):
    class Kind(models.TextChoices):
        CSV = "csv", "CSV"
        OFX = "ofx", "OFX"

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="monitoring_statements"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=3, choices=Kind.choices)
    layout = models.CharField(max_length=20)
    filename = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64)
    period_start = models.DateField()
    period_end = models.DateField()
    balance_pence = models.BigIntegerField(null=True, blank=True)
    balance_on = models.DateField(null=True, blank=True)
    # The budget a week and the tier when it was imported (the flags were worked out on them).
    weekly_pence = models.PositiveIntegerField(default=0)
    tier = models.CharField(max_length=10)
    imported_count = models.PositiveIntegerField(default=0)
    duplicate_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-period_end", "-id"]
        indexes = [
            models.Index(fields=["person", "-period_end"], name="monitoring_statement_person")
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_start__lte=models.F("period_end")),
                name="monitoring_statement_period_in_order",
            )
        ]

    def __str__(self) -> str:
        return f"Statement {self.period_start:%-d %B %Y} to {self.period_end:%-d %B %Y}"


class StatementTransaction(models.Model):
    statement = models.ForeignKey(Statement, on_delete=models.PROTECT, related_name="transactions")
    # The person again, so a transaction is imported once per person whatever the file.
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="monitoring_transactions"
    )
    posted_on = models.DateField()
    amount_pence = models.BigIntegerField()  # money out is negative
    description = models.CharField(max_length=300)
    fitid = models.CharField(max_length=100, blank=True)
    dedupe_key = models.CharField(max_length=400)
    category = models.CharField(max_length=30, blank=True)
    plan_line = models.ForeignKey(
        "planning.PlanLine", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    funding_stream = models.CharField(max_length=30, blank=True)

    class Meta:
        ordering = ["posted_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "dedupe_key"], name="monitoring_transaction_imported_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.posted_on} {self.amount_pence}p {self.description}"

    @property
    def category_words(self) -> str:
        return CATEGORY_WORDS.get(self.category, self.category)


class MatchRule(models.Model):
    """The council's keyword rules: a word in a transaction's description and what it is."""

    keyword = models.CharField(max_length=60, unique=True)
    category = models.CharField(max_length=30, choices=list(CATEGORY_WORDS.items()))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["keyword"]

    def __str__(self) -> str:
        return f"{self.keyword} → {self.category}"


class Flag(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Waiting for your explanation"
        EXPLAINED = "explained", "Explained, waiting for the council"
        CLEARED = "cleared", "Cleared"
        KEPT = "kept", "Kept open by the council"

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="monitoring_flags"
    )
    statement = models.ForeignKey(Statement, on_delete=models.PROTECT, related_name="flags")
    transaction = models.ForeignKey(
        StatementTransaction, null=True, blank=True, on_delete=models.PROTECT, related_name="flags"
    )
    kind = models.CharField(max_length=12, choices=list(FLAG_KINDS.items()))
    words = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    explanation = models.TextField(blank=True)
    explained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    explained_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["person", "status"], name="monitoring_flag_person")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on statement {self.statement_id}"
