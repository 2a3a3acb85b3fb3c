"""Financial assessments under the Care Act charging rules, and the council's table of
charging rates they use (docs/charging.md, decision 0028). Money in integer pence."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from selfdirect.charging import rules


class ChargingRates(models.Model):
    """The charging rates from a date (the capital limits, the tariff, the minimum income
    guarantee's amounts), as the council keeps them. Never changed once an assessment has
    used them: new rates are a new row from a later date (charging.services.rates_add)."""

    effective_from = models.DateField(unique=True)
    upper_capital_pence = models.PositiveBigIntegerField()
    lower_capital_pence = models.PositiveBigIntegerField()
    tariff_step_pence = models.PositiveIntegerField(default=25_000)
    tariff_weekly_pence = models.PositiveIntegerField(default=100)
    # The minimum income guarantee, a week (reg 7): base amounts by age and circumstance...
    mig_single_18_24_pence = models.PositiveIntegerField()
    mig_single_25_pension_pence = models.PositiveIntegerField()
    mig_single_pension_age_pence = models.PositiveIntegerField()
    mig_lone_parent_pence = models.PositiveIntegerField()
    mig_couple_18_pence = models.PositiveIntegerField()
    mig_couple_pension_age_pence = models.PositiveIntegerField()
    # ...and the premiums and the amount for each dependent child.
    disability_premium_single_pence = models.PositiveIntegerField()
    disability_premium_couple_pence = models.PositiveIntegerField()
    enhanced_disability_single_pence = models.PositiveIntegerField()
    enhanced_disability_couple_pence = models.PositiveIntegerField()
    carer_premium_pence = models.PositiveIntegerField()
    dependent_child_pence = models.PositiveIntegerField()
    # Where the figures come from (the circular, the regulations), and anything unverified.
    source = models.TextField()
    source_url = models.URLField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,  # the shipped national figures came with the software
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-effective_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(lower_capital_pence__lte=models.F("upper_capital_pence")),
                name="charging_chargingrates_lower_not_above_upper",
            ),
            models.CheckConstraint(
                condition=models.Q(tariff_step_pence__gt=0),
                name="charging_chargingrates_tariff_step_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"Charging rates from {self.effective_from}"

    def as_rates(self) -> rules.Rates:
        return rules.Rates(
            upper_capital_pence=self.upper_capital_pence,
            lower_capital_pence=self.lower_capital_pence,
            tariff_step_pence=self.tariff_step_pence,
            tariff_weekly_pence=self.tariff_weekly_pence,
            mig_pence={band: getattr(self, f"mig_{band}_pence") for band in rules.BANDS},
            disability_premium_single_pence=self.disability_premium_single_pence,
            disability_premium_couple_pence=self.disability_premium_couple_pence,
            enhanced_disability_single_pence=self.enhanced_disability_single_pence,
            enhanced_disability_couple_pence=self.enhanced_disability_couple_pence,
            carer_premium_pence=self.carer_premium_pence,
            dependent_child_pence=self.dependent_child_pence,
        )


class FinancialAssessment(models.Model):
    """One financial assessment of a person: started, filled in, then deferred, recorded as
    light-touch, or completed with its working and the assessed contribution it recorded."""

    class Status(models.TextChoices):
        OUTSTANDING = "outstanding", "Outstanding"
        DEFERRED = "deferred", "Deferred"
        LIGHT_TOUCH = "light_touch", "Light-touch"
        COMPLETED = "completed", "Completed"

    class LightTouch(models.TextChoices):
        PAYS_FULL_COST = "pays_full_cost", "The person chooses to pay the full cost of care"
        CAPITAL_ABOVE_LIMIT = (
            "capital_above_limit",
            "The person clearly has capital above the upper limit",
        )

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="financial_assessments"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OUTSTANDING)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(auto_now_add=True)
    # The person's circumstances for the minimum income guarantee.
    band = models.CharField(max_length=20, choices=list(rules.BANDS.items()), blank=True)
    disability_premium = models.BooleanField(default=False)
    enhanced_disability_premium = models.BooleanField(default=False)
    carer_premium = models.BooleanField(default=False)
    dependent_children = models.PositiveSmallIntegerField(default=0)
    # Deferred: why, and until when.
    deferred_reason = models.TextField(blank=True)
    deferred_until = models.DateField(null=True, blank=True)
    light_touch = models.CharField(max_length=20, choices=LightTouch.choices, blank=True)
    # The decision: who, when, with which rates, for which cost of care, from when.
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    rates = models.ForeignKey(
        ChargingRates,
        on_delete=models.PROTECT,
        related_name="assessments",
        null=True,
        blank=True,
    )
    weekly_cost_pence = models.PositiveIntegerField(null=True, blank=True)
    weekly_charge_pence = models.PositiveIntegerField(null=True, blank=True)
    charge_from = models.DateField(null=True, blank=True)
    # The working, step by step: [{"words": ..., "pence": ..., "total": ...}, ...].
    working = models.JSONField(default=list, blank=True)
    contribution = models.OneToOneField(
        "planning.AssessedContribution",
        on_delete=models.PROTECT,
        related_name="financial_assessment",
        null=True,
        blank=True,
    )

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="completed")
                | models.Q(weekly_charge_pence__isnull=False, rates__isnull=False),
                name="charging_financialassessment_completed_has_result",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="light_touch") | ~models.Q(light_touch=""),
                name="charging_financialassessment_light_touch_has_choice",
            ),
            # One unfinished assessment per person at a time (the service locks the person
            # too, and refuses with a message; this holds if two starts race).
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(status__in=["outstanding", "deferred"]),
                name="charging_financialassessment_one_open",
            ),
        ]

    def __str__(self) -> str:
        return f"Financial assessment FA-{self.pk} of {self.person}"

    @property
    def reference(self) -> str:
        return f"FA-{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.OUTSTANDING, self.Status.DEFERRED)


class AssessmentItem(models.Model):
    """One amount the assessment takes into account: a kind of capital (in total), income,
    disability-related expenditure or housing cost (a week). Kinds: charging.rules."""

    class Section(models.TextChoices):
        CAPITAL = "capital", "Capital"
        INCOME = "income", "Income"
        DRE = "dre", "Disability-related expenditure"
        HOUSING = "housing", "Housing costs"

    assessment = models.ForeignKey(
        FinancialAssessment, on_delete=models.CASCADE, related_name="items"
    )
    section = models.CharField(max_length=10, choices=Section.choices)
    kind = models.CharField(max_length=30)
    amount_pence = models.PositiveBigIntegerField()

    class Meta:
        ordering = ["section", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "section", "kind"],
                name="charging_assessmentitem_one_per_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.section} {self.kind}: {self.amount_pence}"
