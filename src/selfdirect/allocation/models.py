"""RAS versions (immutable once published) and allocations: every allocation keeps its
inputs, the version that produced it and the step-by-step result, so it can be explained
and recomputed to the penny years later."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from selfdirect.access.second_administrator import BackdatedPublication
from selfdirect.money import pounds


class RasVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        RETIRED = "retired", "Retired"

    code = models.SlugField(max_length=60)
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    questionnaire = models.ForeignKey(
        "assessment.Questionnaire", on_delete=models.PROTECT, related_name="ras_versions"
    )
    # The questionnaire version whose sections this RAS prices: publishing either one is
    # refused while a section of the other's would score nothing (docs/admin-guide.md).
    questionnaire_version = models.ForeignKey(
        "assessment.QuestionnaireVersion", on_delete=models.PROTECT, related_name="ras_versions"
    )
    definition = models.JSONField()
    content_hash = models.CharField(max_length=64)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    effective_from = models.DateField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["code", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "number"], name="allocation_rasversion_unique_number"
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(effective_from__isnull=False),
                name="allocation_rasversion_published_has_date",
            ),
            # One version in force per questionnaire and date: which one prices is never a tie.
            models.UniqueConstraint(
                fields=["questionnaire", "effective_from"],
                condition=models.Q(status="published"),
                name="allocation_rasversion_one_per_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} version {self.number}"


class Allocation(models.Model):
    class Status(models.TextChoices):
        AWAITING_SIGN_OFF = "awaiting_sign_off", "Waiting for sign-off"
        AWAITING_PANEL = "awaiting_panel", "Waiting for the panel"
        APPROVED = "approved", "Approved"
        RETURNED = "returned", "Returned for rework"

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="allocations"
    )
    assessment = models.ForeignKey(
        "assessment.Assessment", on_delete=models.PROTECT, related_name="allocations"
    )
    ras_version = models.ForeignKey(
        RasVersion, on_delete=models.PROTECT, related_name="allocations"
    )
    ras_hash = models.CharField(max_length=64)
    inputs = models.JSONField(help_text="user_group, answers (section id -> option id) and flags")
    explanation = models.JSONField(
        help_text="Every step of the calculation, as the engine returned it"
    )
    indicative_weekly_pence = models.PositiveBigIntegerField()
    indicative_annual_pence = models.PositiveBigIntegerField()
    previous_package_weekly_pence = models.PositiveBigIntegerField(null=True, blank=True)
    agreed_weekly_pence = models.PositiveBigIntegerField(null=True, blank=True)
    # For the personal budget statement (Care Act s.26): what the person pays after their
    # financial assessment, and other public money in an integrated budget (such as NHS).
    assessed_contribution_weekly_pence = models.PositiveBigIntegerField(null=True, blank=True)
    other_public_funding_weekly_pence = models.PositiveBigIntegerField(default=0)
    other_public_funding_source = models.CharField(max_length=120, blank=True)
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.AWAITING_SIGN_OFF
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "created_at"], name="allocation_status_created"),
            # Budgets waiting for sign-off or a panel in a team (the home page's counts and
            # the manager's queue), by person, from the index alone (decision record 0027).
            models.Index(
                fields=["status", "person"],
                condition=models.Q(status__in=["awaiting_sign_off", "awaiting_panel"]),
                name="allocation_waiting_by_person",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(agreed_weekly_pence__isnull=True)
                | models.Q(assessed_contribution_weekly_pence__isnull=True)
                | models.Q(assessed_contribution_weekly_pence__lte=models.F("agreed_weekly_pence")),
                name="allocation_contribution_within_budget",
            ),
        ]

    def __str__(self) -> str:
        return f"Indicative budget for {self.person}: {pounds(self.indicative_weekly_pence)} a week"

    @property
    def council_contribution_weekly_pence(self) -> int | None:
        """The council's share: the budget less the person's contribution and other public money."""
        if self.agreed_weekly_pence is None or self.assessed_contribution_weekly_pence is None:
            return None
        return max(
            0,
            self.agreed_weekly_pence
            - self.assessed_contribution_weekly_pence
            - self.other_public_funding_weekly_pence,
        )

    @property
    def personal_budget_weekly_pence(self) -> int | None:
        """The personal budget now: the signed-off amount, or the newest amount decided since
        (an upheld request to look again, an AmountDecision). The agreed amount stays the
        sign-off's, so the history keeps it."""
        if self.agreed_weekly_pence is None:
            return None
        latest = max(
            self.amount_decisions.all(), key=lambda d: (d.effective_from, d.pk), default=None
        )
        return self.agreed_weekly_pence if latest is None else latest.new_weekly_pence

    @property
    def agreed_annual_pence(self) -> int | None:
        from selfdirect.allocation.engine import WEEKS_PER_YEAR

        return (
            None if self.agreed_weekly_pence is None else self.agreed_weekly_pence * WEEKS_PER_YEAR
        )


class SignOff(models.Model):
    """A manager's decision on an allocation: approve, adjust with a reason, or return."""

    class Decision(models.TextChoices):
        APPROVE = "approve", "Approve the indicative amount"
        ADJUST = "adjust", "Approve a different amount"
        RETURN = "return", "Return for rework"

    class Reason(models.TextChoices):
        NONE = "", "No adjustment"
        TRANSITIONAL = "transitional_protection", "Transitional protection of the previous package"
        NEEDS_NOT_CAPTURED = "needs_not_captured", "Needs the questionnaire does not capture"
        COST_OF_MARKET = "local_costs", "Local costs of support are higher or lower"
        OTHER = "other", "Other (explained below)"

    allocation = models.ForeignKey(Allocation, on_delete=models.PROTECT, related_name="sign_offs")
    decision = models.CharField(max_length=10, choices=Decision.choices)
    reason_code = models.CharField(max_length=30, choices=Reason.choices, blank=True)
    reason = models.TextField(blank=True)
    agreed_weekly_pence = models.PositiveBigIntegerField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            # An allocation is decided once: approved, adjusted or returned (rework is a new one).
            models.UniqueConstraint(
                fields=["allocation"], name="allocation_signoff_one_per_allocation"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} by {self.decided_by}"


class PanelReferral(models.Model):
    """A manager sends a budget above their sign-off limit to the panel."""

    allocation = models.OneToOneField(
        Allocation, on_delete=models.PROTECT, related_name="panel_referral"
    )
    reason = models.TextField()
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    referred_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Panel referral of {self.allocation}"


class PanelDecision(models.Model):
    """The panel's decision on a budget: who sat, when, the outcome and the reasons.
    An agreed decision signs the budget off (its ``SignOff`` row); a return sends it back
    for rework."""

    class Outcome(models.TextChoices):
        AGREED = "agreed", "Agreed"
        AGREED_DIFFERENT = "agreed_different", "Agreed at a different amount"
        RETURNED = "returned", "Not agreed: returned for rework"

    allocation = models.OneToOneField(
        Allocation, on_delete=models.PROTECT, related_name="panel_decision"
    )
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+")
    decided_on = models.DateField()
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    agreed_weekly_pence = models.PositiveBigIntegerField(null=True, blank=True)
    reasons = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(outcome="returned", agreed_weekly_pence__isnull=True)
                | (~models.Q(outcome="returned") & models.Q(agreed_weekly_pence__isnull=False)),
                name="allocation_paneldecision_amount_when_agreed",
            ),
        ]

    def __str__(self) -> str:
        return f"Panel decision on {self.allocation}: {self.get_outcome_display().lower()}"


class Challenge(models.Model):
    """A person (or their representative) asks the council to look again at an amount."""

    class Status(models.TextChoices):
        OPEN = "open", "Being looked at"
        DECIDED = "decided", "Decided"

    class Channel(models.TextChoices):
        ONLINE = "online", "Online"
        PHONE = "phone", "By phone"
        LETTER = "letter", "By letter"
        IN_PERSON = "in_person", "In person"

    class Outcome(models.TextChoices):
        UPHELD = "upheld", "Upheld: the amount will change"
        PARTLY = "partly", "Partly upheld"
        NOT_UPHELD = "not_upheld", "Not upheld: the amount stays"

    allocation = models.ForeignKey(Allocation, on_delete=models.PROTECT, related_name="challenges")
    ras_version = models.ForeignKey(RasVersion, on_delete=models.PROTECT, related_name="+")
    contested_weekly_pence = models.PositiveBigIntegerField()
    proposed_weekly_pence = models.PositiveBigIntegerField(null=True, blank=True)
    reasons = models.TextField()
    evidence = models.TextField(blank=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    raised_at = models.DateTimeField(auto_now_add=True)
    # How the request came, and, when staff took it down for the person (phone, letter, in
    # person), who asked: the person, or their representative or someone else by name.
    channel = models.CharField(max_length=12, choices=Channel.choices, default=Channel.ONLINE)
    taken_from = models.CharField(max_length=200, blank=True)
    respond_by = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    outcome = models.CharField(max_length=12, choices=Outcome.choices, blank=True)
    decision_reason = models.TextField(blank=True)
    reassessment_needed = models.BooleanField(default=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["respond_by", "id"]
        indexes = [models.Index(fields=["status", "respond_by"], name="allocation_challenge_due")]
        constraints = [
            models.UniqueConstraint(
                fields=["allocation"],
                condition=models.Q(status="open"),
                name="allocation_challenge_one_open",
            ),
            models.CheckConstraint(
                condition=models.Q(status="open")
                | (
                    ~models.Q(outcome="")
                    & models.Q(decided_by__isnull=False, decided_at__isnull=False)
                ),
                name="allocation_challenge_decided_has_outcome",
            ),
        ]

    def __str__(self) -> str:
        return f"Challenge to {self.allocation} ({self.get_status_display().lower()})"


class AmountDecision(models.Model):
    """A recorded new decision of the personal budget after it was signed off: a request to
    look again that was upheld or partly upheld. The sign-off keeps the first amount, each
    row here the amount before and after, so the history stays whole; the allocation's
    agreed amount is the personal budget from ``effective_from``."""

    allocation = models.ForeignKey(
        Allocation, on_delete=models.PROTECT, related_name="amount_decisions"
    )
    challenge = models.OneToOneField(
        Challenge, on_delete=models.PROTECT, related_name="amount_decision"
    )
    previous_weekly_pence = models.PositiveBigIntegerField()
    new_weekly_pence = models.PositiveBigIntegerField()
    effective_from = models.DateField()
    reason = models.TextField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["effective_from", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(new_weekly_pence=models.F("previous_weekly_pence")),
                name="allocation_amountdecision_changes_amount",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{pounds(self.previous_weekly_pence)} to {pounds(self.new_weekly_pence)} a week "
            f"from {self.effective_from:%d %B %Y}"
        )

    @property
    def previous_annual_pence(self) -> int:
        from selfdirect.allocation.engine import WEEKS_PER_YEAR

        return self.previous_weekly_pence * WEEKS_PER_YEAR

    @property
    def new_annual_pence(self) -> int:
        from selfdirect.allocation.engine import WEEKS_PER_YEAR

        return self.new_weekly_pence * WEEKS_PER_YEAR


class WhatIfScenario(models.Model):
    """A what-if saved by name: what was run (a draft RAS version, or the version in force
    with changed prices and limits), on which caseload and day, and the figures it gave.
    Re-running it over the same allocations and amounts gives the same figures."""

    class Kind(models.TextChoices):
        DRAFT = "draft", "A draft RAS version"
        EDITS = "edits", "Changed prices and limits"

    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    in_force = models.ForeignKey(RasVersion, on_delete=models.PROTECT, related_name="+")
    draft = models.ForeignKey(
        RasVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    edits = models.JSONField(default=dict, blank=True, help_text="Form figures in pence and %")
    data_date = models.DateField(help_text="The day the caseload was read")
    caseload = models.JSONField(help_text="[allocation id, weekly pence compared with] pairs")
    summary = models.JSONField(help_text="The overall figures as shown when it was saved")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["created_by", "name"], name="allocation_whatifscenario_one_name"
            ),
            models.CheckConstraint(
                condition=(models.Q(kind="draft") & models.Q(draft__isnull=False))
                | (models.Q(kind="edits") & models.Q(draft__isnull=True)),
                name="allocation_whatifscenario_kind_matches",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class RasPublication(BackdatedPublication):
    """A request to publish a RAS version from a date in the past."""

    version = models.ForeignKey(
        RasVersion, on_delete=models.PROTECT, related_name="backdated_requests"
    )

    class Meta(BackdatedPublication.Meta):
        constraints = [
            *BackdatedPublication.Meta.constraints,
            models.UniqueConstraint(
                fields=["version"],
                condition=models.Q(status="pending"),
                name="allocation_raspublication_one_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"Publish {self.version} from {self.effective_from:%d %B %Y}"
