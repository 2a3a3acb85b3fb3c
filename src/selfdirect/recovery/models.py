"""A case to recover a direct payment surplus, with due process (docs/recovery.md): the
balance found and how the surplus above the contingency allowance was worked out, the rule
the person agreed to, then each dated step (letter, explanation, reasonable adjustments,
decision, recovery plan, appeal) on the case, and the instalments the plan sets, each
posted to the ledger only when it falls due and only after a recorded decision."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class RecoveryCase(models.Model):
    class Source(models.TextChoices):
        LEDGER = "ledger", "The ledger balance of the direct payment account"
        STATEMENT = "statement", "A bank or prepaid card statement"
        TYPED = "typed", "An amount typed by finance"

    class Status(models.TextChoices):
        OPENED = "opened", "Opened"
        LETTER_SENT = "letter_sent", "Letter sent: waiting for the person's explanation"
        EXPLAINED = "explained", "The person has explained"
        DECIDED = "decided", "Decided"
        RECOVERING = "recovering", "Recovering"
        APPEALED = "appealed", "Appealed: collection paused"
        CLOSED = "closed", "Closed"

    class Explanation(models.TextChoices):
        HOLIDAY = "holiday", "Saving for a planned holiday or short break"
        ANNUAL_COSTS = "annual_costs", "Saving for annual costs (such as a PA's holiday pay)"
        OTHER = "other", "Something else"

    class Decision(models.TextChoices):
        ALL = "all", "Recover all of the surplus"
        PART = "part", "Recover part of the surplus"
        NOTHING = "nothing", "Recover nothing"

    class PlanKind(models.TextChoices):
        ONE_SUM = "one_sum", "One sum"
        REDUCED_PAYMENTS = "reduced_payments", "Reduced payments, every four weeks"
        INSTALMENTS = "instalments", "Monthly instalments"

    class AppealOutcome(models.TextChoices):
        UPHELD = "upheld", "Upheld: nothing more is recovered and what was recovered is returned"
        DISMISSED = "dismissed", "Dismissed: the recovery goes ahead"

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="recovery_cases"
    )
    agreement = models.ForeignKey(
        "budgets.DirectPaymentAgreement", on_delete=models.PROTECT, related_name="+"
    )
    # What was found, and how the surplus was worked out (kept as shown in the letter).
    balance_pence = models.BigIntegerField()
    balance_on = models.DateField()
    source = models.CharField(max_length=10, choices=Source.choices)
    source_reference = models.CharField(max_length=120, blank=True)
    weekly_pence = models.BigIntegerField()
    contingency_weeks = models.PositiveSmallIntegerField()
    allowance_pence = models.BigIntegerField()
    surplus_pence = models.BigIntegerField()
    working = models.JSONField(default=list)  # [[words, pence], ...]
    rule_wording = models.TextField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPENED)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    # The letter and the time to explain.
    letter_sent_on = models.DateField(null=True, blank=True)
    explain_by = models.DateField(null=True, blank=True)
    # The person's explanation, in their words (or taken down by finance for them).
    explanation_kind = models.CharField(max_length=12, choices=Explanation.choices, blank=True)
    explanation = models.TextField(blank=True)
    evidence_note = models.TextField(blank=True)
    explained_on = models.DateField(null=True, blank=True)
    explained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Reasonable adjustments (Equality Act 2010) made for the person.
    adjustments = models.TextField(blank=True)
    adjustments_on = models.DateField(null=True, blank=True)
    adjustments_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The decision, by someone other than the officer who opened the case.
    decision = models.CharField(max_length=8, choices=Decision.choices, blank=True)
    decided_pence = models.BigIntegerField(null=True, blank=True)
    decision_reasons = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_on = models.DateField(null=True, blank=True)
    # The recovery plan.
    plan_kind = models.CharField(max_length=17, choices=PlanKind.choices, blank=True)
    plan_set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    plan_set_on = models.DateField(null=True, blank=True)
    # The appeal, in the person's words, and a manager's decision on it.
    appeal = models.TextField(blank=True)
    appealed_on = models.DateField(null=True, blank=True)
    appealed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status_before_appeal = models.CharField(max_length=12, choices=Status.choices, blank=True)
    appeal_outcome = models.CharField(max_length=9, choices=AppealOutcome.choices, blank=True)
    appeal_reasons = models.TextField(blank=True)
    appeal_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    appeal_decided_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(surplus_pence__gt=0)
                & models.Q(allowance_pence__gte=0)
                & models.Q(weekly_pence__gte=0),
                name="recovery_case_surplus_positive",
            ),
            models.CheckConstraint(
                condition=models.Q(decided_pence__isnull=True)
                | models.Q(decided_pence__gte=0, decided_pence__lte=models.F("surplus_pence")),
                name="recovery_case_decided_within_surplus",
            ),
            # Decision 0007: nobody decides on their own work.
            models.CheckConstraint(
                condition=models.Q(decided_by__isnull=True)
                | ~models.Q(decided_by=models.F("opened_by")),
                name="recovery_case_decider_not_opener",
            ),
            models.CheckConstraint(
                condition=models.Q(decided_by__isnull=True) | ~models.Q(decision=""),
                name="recovery_case_decision_recorded",
            ),
            # One case at a time for a direct payment.
            models.UniqueConstraint(
                fields=["agreement"],
                condition=~models.Q(status="closed"),
                name="recovery_case_one_open_per_agreement",
            ),
        ]

    def __str__(self) -> str:
        return f"Recovery case {self.pk} for {self.person}"


class RecoveryInstalment(models.Model):
    """One amount of the recovery plan, due on a date; posted to the ledger (once) when it
    falls due, and returned by a reversing entry if an appeal is upheld."""

    case = models.ForeignKey(RecoveryCase, on_delete=models.PROTECT, related_name="instalments")
    number = models.PositiveSmallIntegerField()
    due_on = models.DateField()
    amount_pence = models.BigIntegerField()
    posting = models.OneToOneField(
        "ledger.Transaction", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    collected_on = models.DateField(null=True, blank=True)
    returned_by = models.OneToOneField(
        "ledger.Transaction", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cancelled_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["case", "number"]
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="recovery_instalment_number"),
            models.CheckConstraint(
                condition=models.Q(amount_pence__gt=0), name="recovery_instalment_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"Instalment {self.number} of recovery case {self.case_id}"
