"""How a personal budget is held, beyond the way of holding set on each plan line: the
direct payment agreement and its legal checks, the agreements with a provider (Individual
Service Fund) or a support organisation (third-party managed account) and their statements,
budgets pooled for a shared activity, and written notice before a budget is reduced or
stopped. Amounts are whole pence; nothing here is deleted (agreements end, they are not
removed), so the ledger of a later issue can post against these records."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class DirectPaymentAgreement(models.Model):
    """Care Act ss.31-33 and the Direct Payments Regulations 2014: who receives the payment,
    into what account, and the checks the council made before agreeing."""

    class Recipient(models.TextChoices):
        PERSON = "person", "The person"
        NOMINATED = "nominated", "A nominated person (the person has capacity and chose them)"
        AUTHORISED = "authorised", "An authorised person (the person lacks capacity)"

    class Account(models.TextChoices):
        BANK = "bank_account", "A separate bank account"
        JOINT = "joint_account", "A joint bank account"
        PREPAID = "prepaid_card", "A prepaid card"

    class Status(models.TextChoices):
        ACTIVE = "active", "In place"
        ENDED = "ended", "Ended"

    plan = models.ForeignKey(
        "planning.SupportPlan", on_delete=models.PROTECT, related_name="direct_payment_agreements"
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="direct_payment_agreements"
    )
    recipient_type = models.CharField(max_length=12, choices=Recipient.choices)
    # The nominated or authorised person, as their own person record.
    recipient = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    account_type = models.CharField(max_length=14, choices=Account.choices)
    sort_code = models.CharField(max_length=6, blank=True)
    account_number = models.CharField(max_length=8, blank=True)
    second_account_holder = models.CharField(max_length=120, blank=True)
    card_reference = models.CharField(max_length=30, blank=True)
    # Section 31 / 32 conditions, each as the council found it.
    has_capacity = models.BooleanField(help_text="The person has capacity to request the payment")
    recipient_agrees = models.BooleanField(default=False)
    capable_of_managing = models.BooleanField(
        help_text="The recipient can manage the payment, alone or with help available"
    )
    appropriate = models.BooleanField(
        help_text="A direct payment is an appropriate way to meet the needs"
    )
    not_excluded = models.BooleanField(
        help_text="Not excluded by the regulations (criminal justice)"
    )
    best_interests = models.BooleanField(
        default=False, help_text="The authorised person will act in the person's best interests"
    )
    deputy_or_attorney = models.BooleanField(default=False)
    close_family_or_friend = models.BooleanField(default=False)
    dbs_reference = models.CharField("enhanced DBS certificate number", max_length=20, blank=True)
    dbs_checked_on = models.DateField(null=True, blank=True)
    # Regulation 3: paying a close relative living in the same household only if necessary.
    pays_close_relative_in_household = models.BooleanField(default=False)
    necessity_reason = models.TextField(blank=True)
    necessity_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    necessity_decided_on = models.DateField(null=True, blank=True)
    # The person's link person in the direct payments team (a finance officer), if named:
    # shown to the person on 'Your money' with the team's contact details.
    link_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="link person in the direct payments team",
    )
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=6, choices=Status.choices, default=Status.ACTIVE)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(recipient_type="person") | models.Q(recipient__isnull=True),
                name="budgets_dpagreement_person_no_recipient",
            ),
            models.CheckConstraint(
                condition=models.Q(recipient_type="person") | models.Q(recipient__isnull=False),
                name="budgets_dpagreement_other_has_recipient",
            ),
            models.CheckConstraint(
                condition=models.Q(pays_close_relative_in_household=False)
                | models.Q(necessity_decided_by__isnull=False),
                name="budgets_dpagreement_relative_needs_decision",
            ),
            # One agreement in place per plan: a new one ends the old (services.py).
            models.UniqueConstraint(
                fields=["plan"],
                condition=models.Q(status="active"),
                name="budgets_dpagreement_one_active_per_plan",
            ),
        ]

    def __str__(self) -> str:
        return f"Direct payment agreement for {self.person} from {self.starts_on}"


class FundAgreement(models.Model):
    """A budget held for the person by a provider (Individual Service Fund) or by a support
    organisation (third-party managed account): a two-way agreement with a surplus rule."""

    class Kind(models.TextChoices):
        ISF = "isf", "Individual Service Fund held by a provider"
        THIRD_PARTY = "third_party", "Third-party managed account"

    class Surplus(models.TextChoices):
        RETURN = "return", "Return any surplus to the funder at each statement"
        CARRY = "carry", "Carry surplus forward for the person's outcomes, up to a limit"

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Waiting for both sides to agree"
        ACTIVE = "active", "In place"
        ENDED = "ended", "Ended"

    plan = models.ForeignKey(
        "planning.SupportPlan", on_delete=models.PROTECT, related_name="fund_agreements"
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="fund_agreements"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    organisation = models.ForeignKey(
        "providers.Provider", on_delete=models.PROTECT, related_name="fund_agreements"
    )
    surplus_rule = models.CharField(max_length=6, choices=Surplus.choices, default=Surplus.RETURN)
    # With "carry": surplus above this many weeks of the weekly amount goes back to the funder.
    carry_limit_weeks = models.PositiveSmallIntegerField(default=4)
    fee_weekly_pence = models.PositiveIntegerField(
        default=0, help_text="What the organisation charges the budget for holding it"
    )
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    person_agreed_on = models.DateField(null=True, blank=True)
    organisation_agreed_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PROPOSED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="active")
                | (
                    models.Q(person_agreed_on__isnull=False)
                    & models.Q(organisation_agreed_on__isnull=False)
                ),
                name="budgets_fundagreement_active_agreed_by_both",
            ),
            # One agreement of a kind with an organisation on a plan at a time (proposed or in
            # place). The service is stricter (one with an organisation, of either kind); the
            # demo council holds some ISFs and third-party accounts with the same organisation.
            models.UniqueConstraint(
                fields=["plan", "organisation", "kind"],
                condition=~models.Q(status="ended"),
                name="budgets_fundagreement_one_open_per_organisation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} with {self.organisation} for {self.person}"


class FundStatement(models.Model):
    """What the organisation holding the budget received and spent in a period, by funding
    stream, and what happens to the surplus under the agreement's rule."""

    agreement = models.ForeignKey(
        FundAgreement, on_delete=models.PROTECT, related_name="statements"
    )
    period_start = models.DateField()
    period_end = models.DateField()
    note = models.TextField(blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-period_end", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "period_start"], name="budgets_fundstatement_one_per_period"
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="budgets_fundstatement_period_order",
            ),
        ]

    def __str__(self) -> str:
        return f"Statement {self.period_start} to {self.period_end}"


class FundStatementLine(models.Model):
    """One funding stream's figures in a statement. A ring-fenced stream's surplus stays in
    that stream: it is never moved to another silently."""

    statement = models.ForeignKey(FundStatement, on_delete=models.CASCADE, related_name="lines")
    funding_stream = models.CharField(max_length=30)
    received_pence = models.PositiveIntegerField()
    spent_pence = models.PositiveIntegerField()
    carried_pence = models.PositiveIntegerField(default=0)
    returned_pence = models.PositiveIntegerField(default=0)
    overspent_pence = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "funding_stream"], name="budgets_fundstatementline_one_stream"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.funding_stream}: {self.spent_pence} of {self.received_pence}"


class Pool(models.Model):
    """Several holders pooling part of their budgets for a shared activity. Each holder's
    share is their own record; a holder sees the pool's activity and their share, never the
    names of the others."""

    name = models.CharField(max_length=120)
    activity = models.TextField()
    organisation = models.ForeignKey(
        "providers.Provider", null=True, blank=True, on_delete=models.PROTECT, related_name="pools"
    )
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class PoolShare(models.Model):
    pool = models.ForeignKey(Pool, on_delete=models.PROTECT, related_name="shares")
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="pool_shares"
    )
    # The line of the person's own plan that pays their share.
    line = models.ForeignKey(
        "planning.PlanLine", on_delete=models.PROTECT, related_name="pool_shares"
    )
    weekly_pence = models.PositiveIntegerField()
    joined_on = models.DateField()
    left_on = models.DateField(null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["joined_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["pool", "person"],
                condition=models.Q(left_on__isnull=True),
                name="budgets_poolshare_one_current_share",
            ),
            models.CheckConstraint(
                condition=models.Q(weekly_pence__gt=0), name="budgets_poolshare_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person}'s share of {self.pool}"


class ChangeNotice(models.Model):
    """Reasonable notice in writing, with reasons, before a budget or a direct payment is
    reduced or stopped; recorded before it takes effect. The letter is a PDF."""

    class Change(models.TextChoices):
        REDUCE = "reduce", "Reduce"
        STOP = "stop", "Stop"

    class AppliesTo(models.TextChoices):
        BUDGET = "budget", "The personal budget"
        DIRECT_PAYMENT = "direct_payment", "The direct payment"

    class Status(models.TextChoices):
        GIVEN = "given", "Notice given"
        WITHDRAWN = "withdrawn", "Withdrawn"

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="change_notices"
    )
    plan = models.ForeignKey(
        "planning.SupportPlan", on_delete=models.PROTECT, related_name="change_notices"
    )
    review = models.ForeignKey(
        "planning.Review", null=True, blank=True, on_delete=models.PROTECT, related_name="notices"
    )
    # The new version of the plan the reduction brings in: the letter's new figures are its.
    new_plan = models.ForeignKey(
        "planning.SupportPlan",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reduction_notices",
    )
    change = models.CharField(max_length=6, choices=Change.choices)
    applies_to = models.CharField(max_length=14, choices=AppliesTo.choices)
    current_weekly_pence = models.PositiveIntegerField()
    new_weekly_pence = models.PositiveIntegerField()
    reasons = models.TextField()
    given_on = models.DateField()
    takes_effect_on = models.DateField()
    status = models.CharField(max_length=9, choices=Status.choices, default=Status.GIVEN)
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-given_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(takes_effect_on__gt=models.F("given_on")),
                name="budgets_changenotice_effect_after_notice",
            ),
            models.CheckConstraint(
                condition=(models.Q(change="stop") & models.Q(new_weekly_pence=0))
                | (
                    models.Q(change="reduce")
                    & models.Q(new_weekly_pence__lt=models.F("current_weekly_pence"))
                ),
                name="budgets_changenotice_amount_matches_change",
            ),
            # One notice standing for a change to the same money on the same date.
            models.UniqueConstraint(
                fields=["plan", "applies_to", "takes_effect_on"],
                condition=models.Q(status="given"),
                name="budgets_changenotice_one_given_per_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_change_display()} {self.get_applies_to_display().lower()} from {self.takes_effect_on}"
