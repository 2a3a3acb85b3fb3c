"""Personal-assistant employers (docs/pa-employers.md, decision 0043): the PAs a person
employs with their direct payment, their checks and training, the employer's liability
insurance, timesheets for payroll, and the effective-dated rates the true cost uses.
Money in integer pence; hours in hundredths (7.5 hours = 750)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from selfdirect.employers import rules


class EmployerCostRates(models.Model):
    """The figures of a tax year for the true cost calculator, from its first day. Shipped
    for 2025/26 and 2026/27 by a data migration; a later year is a new row."""

    effective_from = models.DateField(unique=True)
    tax_year = models.CharField(max_length=9)  # "2025/26"
    employer_ni_rate_bp = models.PositiveIntegerField()  # 1500 = 15%
    secondary_threshold_year_pence = models.PositiveIntegerField()
    employment_allowance_year_pence = models.PositiveIntegerField()
    holiday_weeks_tenths = models.PositiveIntegerField(default=56)
    pension_lower_year_pence = models.PositiveIntegerField()
    pension_upper_year_pence = models.PositiveIntegerField()
    pension_trigger_year_pence = models.PositiveIntegerField()
    pension_employer_rate_bp = models.PositiveIntegerField(default=300)
    national_living_wage_pence = models.PositiveIntegerField()
    # The council's estimates, used until the employer records their own figures.
    insurance_year_pence = models.PositiveIntegerField()
    payroll_fee_year_pence = models.PositiveIntegerField()
    # Where each figure comes from, and which could not be checked ("" when all were).
    source = models.TextField()
    not_yet_checked = models.TextField(blank=True)

    class Meta:
        ordering = ["-effective_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    pension_lower_year_pence__lte=models.F("pension_upper_year_pence")
                ),
                name="employers_employercostrates_pension_band_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"Employer cost rates {self.tax_year}"

    def as_rates(self) -> rules.CostRates:
        return rules.CostRates(
            tax_year=self.tax_year,
            employer_ni_rate_bp=self.employer_ni_rate_bp,
            secondary_threshold_year_pence=self.secondary_threshold_year_pence,
            employment_allowance_year_pence=self.employment_allowance_year_pence,
            holiday_weeks_tenths=self.holiday_weeks_tenths,
            pension_lower_year_pence=self.pension_lower_year_pence,
            pension_upper_year_pence=self.pension_upper_year_pence,
            pension_trigger_year_pence=self.pension_trigger_year_pence,
            pension_employer_rate_bp=self.pension_employer_rate_bp,
            national_living_wage_pence=self.national_living_wage_pence,
            insurance_year_pence=self.insurance_year_pence,
            payroll_fee_year_pence=self.payroll_fee_year_pence,
        )


class PersonalAssistant(models.Model):
    """A PA the person employs: who, the role, hours and pay, and the employer's checks."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="personal_assistants"
    )
    name = models.CharField(max_length=120)
    role = models.CharField(max_length=120)
    hours_hundredths = models.PositiveIntegerField()  # a week
    hourly_rate_pence = models.PositiveIntegerField()
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    dbs_checked_on = models.DateField(null=True, blank=True)
    right_to_work_checked_on = models.DateField(null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="employers_personalassistant_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def hours(self) -> str:
        return rules.hours_text(self.hours_hundredths)

    def as_assistant(self) -> rules.Assistant:
        return rules.Assistant(
            name=self.name,
            hourly_rate_pence=self.hourly_rate_pence,
            hours_hundredths=self.hours_hundredths,
        )


class Training(models.Model):
    """A course a PA did (moving and handling, first aid, medication), and until when."""

    assistant = models.ForeignKey(
        PersonalAssistant, on_delete=models.CASCADE, related_name="training"
    )
    course = models.CharField(max_length=120)
    completed_on = models.DateField()
    renew_by = models.DateField(null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-completed_on", "id"]

    def __str__(self) -> str:
        return f"{self.course} ({self.completed_on})"


class EmployerInsurance(models.Model):
    """The employer's liability insurance policy the person holds as an employer. A renewal
    is a new row; the reminder before a policy's expiry is sent once (``reminded_at``)."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="employer_insurances"
    )
    insurer = models.CharField(max_length=120)
    policy_number = models.CharField(max_length=60)
    expires_on = models.DateField()
    premium_year_pence = models.PositiveIntegerField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-expires_on", "-id"]

    def __str__(self) -> str:
        return f"{self.insurer} {self.policy_number} to {self.expires_on}"


class PaLink(models.Model):
    """A PA's own private link for entering their timesheets without an account (decision
    0054). Made by the person or their representative for one PA; only a SHA-256 hash of
    the random token is kept. It works until it expires, is revoked, or is locked after too
    many bad submissions in a row; a new link for the same PA revokes the one before."""

    assistant = models.ForeignKey(PersonalAssistant, on_delete=models.PROTECT, related_name="links")
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    failures = models.PositiveIntegerField(default=0)  # bad submissions in a row
    locked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Timesheet link {self.pk} for {self.assistant_id}"


class Timesheet(models.Model):
    """The hours a PA worked in a week, entered by the person or their representative, or
    by the PA through their link (``entered_via``), then approved by the person or their
    representative, or sent back with a reason; approved timesheets go to the payroll
    service (CSV) and show as expected spend on 'Your money'. The rate is the PA's when
    entered. A timesheet sent back stays on record, and the week may be entered again."""

    class Status(models.TextChoices):
        ENTERED = "entered", "Waiting for approval"
        APPROVED = "approved", "Approved"
        RETURNED = "returned", "Sent back"

    assistant = models.ForeignKey(
        PersonalAssistant, on_delete=models.PROTECT, related_name="timesheets"
    )
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="timesheets")
    week_starting = models.DateField()
    hours_hundredths = models.PositiveIntegerField()
    hourly_rate_pence = models.PositiveIntegerField()
    amount_pence = models.PositiveIntegerField()
    note = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ENTERED)
    # Who entered it: a user, or the PA through their link (then no user).
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    entered_via = models.ForeignKey(
        PaLink, on_delete=models.PROTECT, related_name="timesheets", null=True, blank=True
    )
    entered_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    returned_at = models.DateTimeField(null=True, blank=True)
    returned_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-week_starting", "assistant__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assistant", "week_starting"],
                condition=~models.Q(status="returned"),
                name="employers_timesheet_one_per_week",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="approved") | models.Q(approved_at__isnull=False),
                name="employers_timesheet_approved_has_when",
            ),
            models.CheckConstraint(
                condition=models.Q(entered_by__isnull=False) | models.Q(entered_via__isnull=False),
                name="employers_timesheet_entered_by_someone",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="returned") | ~models.Q(returned_reason=""),
                name="employers_timesheet_returned_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Timesheet {self.week_starting}"

    @property
    def hours(self) -> str:
        return rules.hours_text(self.hours_hundredths)

    @property
    def by_the_pa(self) -> bool:
        return self.entered_via_id is not None
