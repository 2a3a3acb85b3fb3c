"""Payment schedules (when a budget is paid, and to whom), payment runs (a period's
payments, prepared, approved by a second finance officer and executed) and their lines
(who, how much, why). The money itself moves only in the ledger (``ledger.services``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from selfdirect.payments.dues import FOUR_WEEKLY, MONTHLY
from selfdirect.planning.streams import DEPLOYMENTS

# The ways of holding a budget that a payment run pays: money to the person (a direct
# payment) or to the organisation holding it. Council-arranged services are paid to
# providers on their invoices instead.
PAID_WAYS = {
    "direct_payment": "Direct payment",
    "managed_account": "Council-managed account",
    "isf": "Individual Service Fund",
    "third_party": "Third-party managed account",
}
FREQUENCIES = [(FOUR_WEEKLY, "Every four weeks"), (MONTHLY, "Monthly")]


class PaymentSchedule(models.Model):
    """How one budget (a person and a way of holding it) is paid: in advance, every four
    weeks or monthly from an anchor date, into one bank account."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="payment_schedules"
    )
    deployment = models.CharField("way of holding", max_length=25, choices=list(PAID_WAYS.items()))
    frequency = models.CharField(max_length=12, choices=FREQUENCIES)
    # The first day of the first period; later periods follow it (28 days, or a month).
    anchor_date = models.DateField()
    # The first and last days paid for (a pro-rata first and last period).
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    # Paid to: the direct payment recipient's account, or the organisation's.
    agreement = models.ForeignKey(
        "budgets.DirectPaymentAgreement",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="payment_schedules",
    )
    organisation = models.ForeignKey(
        "providers.Provider",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="payment_schedules",
    )
    payee_name = models.CharField(max_length=120)
    sort_code = models.CharField(max_length=6)
    account_number = models.CharField(max_length=8)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["person_id", "deployment"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "deployment"], name="payments_schedule_one_per_budget"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="payments_schedule_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_frequency_display()} {PAID_WAYS[self.deployment].lower()} for {self.person}"
        )


class PaymentRun(models.Model):
    """One period's payments for one frequency: keyed by (period, frequency), so a run is
    prepared once; who prepared it cannot approve it."""

    class Status(models.TextChoices):
        PREPARED = "prepared", "Prepared, waiting for approval"
        APPROVED = "approved", "Approved, waiting to be paid"
        EXECUTING = "executing", "Being paid"
        PAID = "paid", "Paid"

    period = models.CharField(max_length=7)  # "2026-04": the month the periods start in
    frequency = models.CharField(max_length=12, choices=FREQUENCIES)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PREPARED)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    prepared_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    job = models.ForeignKey(
        "operations.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    paid_at = models.DateTimeField(null=True, blank=True)
    line_count = models.PositiveIntegerField(default=0)
    total_pence = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["-period", "frequency"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "frequency"], name="payments_run_one_per_key"
            ),
            models.CheckConstraint(
                condition=models.Q(approved_by__isnull=True)
                | ~models.Q(approved_by=models.F("prepared_by")),
                name="payments_run_two_officers",
            ),
        ]

    def __str__(self) -> str:
        return f"Payment run {self.period} ({self.get_frequency_display().lower()})"

    @property
    def reference(self) -> str:
        """The source document every posting of the run names."""
        return f"PR{self.pk}-{self.period}-{self.frequency}"


class PaymentLine(models.Model):
    """One budget's payment for one period in a run, with its working. Whether it has been
    paid is the ledger's claim on the period (``ledger.PeriodPayment``), never a flag here."""

    run = models.ForeignKey(PaymentRun, on_delete=models.CASCADE, related_name="lines")
    schedule = models.ForeignKey(PaymentSchedule, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    deployment = models.CharField(max_length=25, choices=list(PAID_WAYS.items()))
    budget_account = models.ForeignKey("ledger.Account", on_delete=models.PROTECT, related_name="+")
    period_key = models.CharField(max_length=20)
    period_starts_on = models.DateField()
    period_ends_on = models.DateField()
    amount_pence = models.BigIntegerField()
    one_off_pence = models.BigIntegerField(default=0)
    by_stream = models.JSONField(default=dict)  # stream -> pence (amount and one-off)
    contribution_deducted_pence = models.BigIntegerField(default=0)
    contribution_invoiced_pence = models.BigIntegerField(default=0)
    working = models.JSONField(default=list)
    payee_name = models.CharField(max_length=120)
    sort_code = models.CharField(max_length=6)
    account_number = models.CharField(max_length=8)
    organisation = models.ForeignKey(
        "providers.Provider", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # A period the bank sent back, paid again by this run (one run picks a return up: the
    # one-to-one is the guarantee). The ledger's claim on the period still keeps it paid once.
    repays = models.OneToOneField(
        "PaymentProblem",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="repaid_line",
    )

    class Meta:
        ordering = ["run", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "budget_account", "period_key"], name="payments_line_once_per_run"
            ),
            models.CheckConstraint(
                condition=models.Q(amount_pence__gt=0), name="payments_line_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.amount_pence}p to {self.payee_name} for {self.period_key}"


class PaymentFile(models.Model):
    """A paid run's bank payment file, made once by a background job and kept: what is
    downloaded (and sent to the bank) is these bytes, whatever happens to the run's
    payments afterwards (a bank return reverses one in the ledger, not in the file sent).
    ``sha256`` is the checksum of ``content`` encoded as the file is served."""

    class Kind(models.TextChoices):
        CSV = "csv", "Bank payment file (CSV)"
        BACS = "bacs", "Bank payment file (BACS Standard 18)"

    run = models.ForeignKey(PaymentRun, on_delete=models.PROTECT, related_name="files")
    kind = models.CharField(max_length=4, choices=Kind.choices)
    name = models.CharField(max_length=120)
    content = models.TextField()
    sha256 = models.CharField(max_length=64)
    payment_count = models.PositiveIntegerField()
    total_pence = models.BigIntegerField()
    job = models.ForeignKey(
        "operations.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    made_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["run", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["run", "kind"], name="payments_file_once_per_run"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.run}"


# Why a bank sent a payment back: the reasons Selfdirect knows, with the codes commonly used
# on Bacs ARUCS (automated return of unapplied credits) reports; docs/payments.md.
RETURN_REASONS = {
    "0": "The bank asked us to contact the account holder",
    "2": "The account holder has died",
    "3": "The account has moved to another bank or branch",
    "5": "There is no account with these details",
    "B": "The account is closed",
    "F": "The account cannot take this payment",
    "G": "The bank would not accept the payment",
    "X": "Another reason (see the notes)",
}
# Reasons that mean the bank details are wrong: paying again needs new details first.
DETAILS_WRONG = frozenset({"3", "5", "B", "F"})


class PaymentProblem(models.Model):
    """A payment in a run that did not reach the payee (a bank return). Recording it
    reverses the payment in the ledger, which releases the budget's claim on the period so
    it can be paid again, once; paying it again is approved by a second finance officer."""

    class Status(models.TextChoices):
        RETURNED = "returned", "Returned by the bank, not paid again yet"
        PAID_AGAIN = "paid_again", "Paid again"
        STOPPED = "stopped", "Not to be paid again"

    line = models.OneToOneField(PaymentLine, on_delete=models.PROTECT, related_name="problem")
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="payment_problems"
    )
    reason = models.CharField(max_length=1, choices=list(RETURN_REASONS.items()))
    returned_on = models.DateField()
    amount_pence = models.BigIntegerField()
    bank_reference = models.CharField(max_length=40, blank=True)
    notes = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RETURNED)
    payment = models.ForeignKey("ledger.Transaction", on_delete=models.PROTECT, related_name="+")
    reversal = models.ForeignKey("ledger.Transaction", on_delete=models.PROTECT, related_name="+")
    work_item = models.ForeignKey(
        "access.WorkItem", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    # Paying it again: into these details (the schedule's when paid again).
    repayment = models.ForeignKey(
        "ledger.Transaction", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    repaid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    repaid_at = models.DateTimeField(null=True, blank=True)
    repaid_payee_name = models.CharField(max_length=120, blank=True)
    repaid_sort_code = models.CharField(max_length=6, blank=True)
    repaid_account_number = models.CharField(max_length=8, blank=True)
    # The bank files of the payment made again (one payment each), made and kept when it
    # is approved: kind ("csv", "bacs") -> {"name", "content", "sha256"}.
    repaid_files = models.JSONField(default=dict, blank=True)
    # Marked "do not pay again" (the account is closed for good, the person has no claim):
    # no payment run picks it up, and "pay again" is refused.
    stopped_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    stopped_at = models.DateTimeField(null=True, blank=True)
    stop_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-returned_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(repaid_by__isnull=True)
                | ~models.Q(repaid_by=models.F("recorded_by")),
                name="payments_problem_two_officers",
            ),
            models.CheckConstraint(
                condition=models.Q(amount_pence__gt=0), name="payments_problem_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"Returned payment of {self.amount_pence}p for {self.line.period_key}"

    @property
    def reference(self) -> str:
        """The source document of the reversal and of the payment made again."""
        return f"PP{self.pk}"


class ContributionCharge(models.Model):
    """The part of a person's assessed contribution the council invoices them for one period
    of a budget's schedule: the contribution above a direct payment, or, for someone with no
    direct payment, the whole contribution, carried by one of their paid budgets. Someone
    with no payment schedule at all (only council-commissioned services) is charged by
    calendar month, with no schedule (decision 0055). Made when the run is prepared; posted
    to the ledger as contribution due (the person's contribution account to council
    funding) once the run is paid (decision 0037)."""

    run = models.ForeignKey(PaymentRun, on_delete=models.CASCADE, related_name="charges")
    schedule = models.ForeignKey(
        PaymentSchedule, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="contribution_charges"
    )
    deployment = models.CharField(max_length=25, choices=list(DEPLOYMENTS.items()))
    period_key = models.CharField(max_length=20)
    period_starts_on = models.DateField()
    period_ends_on = models.DateField()
    amount_pence = models.BigIntegerField()
    posted = models.ForeignKey(
        "ledger.Transaction", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["run", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["schedule", "period_key"], name="payments_charge_once_per_period"
            ),
            # Without a schedule (council-commissioned services only): once a month a person.
            models.UniqueConstraint(
                fields=["person", "period_key"],
                condition=models.Q(schedule__isnull=True),
                name="payments_charge_unscheduled_once_per_period",
            ),
            models.CheckConstraint(
                condition=models.Q(amount_pence__gt=0), name="payments_charge_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"Contribution of {self.amount_pence}p for {self.period_key}"

    @property
    def reference(self) -> str:
        return f"CC{self.pk}-{self.period_key}"
