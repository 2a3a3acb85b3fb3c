"""Support plans: the person's outcomes in their own words and the costed lines that meet
them, each funded by a stream whose rules say what it may pay for. Approved versions never
change; a change is a new version."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from selfdirect.planning.streams import CATEGORIES, DEPLOYMENTS, SHIPPED


class SupportPlan(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Being written"
        AWAITING_SIGN_OFF = "awaiting_sign_off", "Waiting for sign-off"
        APPROVED = "approved", "Approved"
        SUPERSEDED = "superseded", "Replaced by a later version"

    class Kind(models.TextChoices):
        STANDARD = "standard", "Support plan"
        FAST_TRACK = "fast_track", "Fast-track (interim) plan"
        TEMPORARY = "temporary", "Temporary plan"

    class LedBy(models.TextChoices):
        PERSON = "person", "The person"
        CARER = "carer", "Their carer"
        REPRESENTATIVE = "representative", "Their representative"
        PLANNER = "planner", "A support planner or broker"
        PRACTITIONER = "practitioner", "Their social worker"

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="support_plans"
    )
    allocation = models.ForeignKey(
        "allocation.Allocation", on_delete=models.PROTECT, related_name="support_plans"
    )
    version = models.PositiveIntegerField(default=1)
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.STANDARD)
    led_by = models.CharField(max_length=16, choices=LedBy.choices)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    contingency = models.TextField(
        blank=True, help_text="What happens if a personal assistant is ill or a provider fails"
    )
    risks_to_person = models.TextField(
        blank=True, help_text="Risks agreed with the person, including positive risk-taking"
    )
    financial_risks = models.TextField(blank=True)
    # Why the plan costs more (or less) than the budget, given when it is sent for sign-off.
    variance_reason = models.TextField(blank=True)
    # A review (or a decided challenge) that changes the budget starts a new version written
    # against the new amount: this version's personal budget, and why it changed.
    budget_weekly_pence = models.PositiveIntegerField(null=True, blank=True)
    budget_change_reason = models.TextField(blank=True)
    from_review = models.ForeignKey(
        "Review", null=True, blank=True, on_delete=models.PROTECT, related_name="new_versions"
    )
    # Every way of holding was offered (holders-experience REQ-13): which, and who chose.
    holding_options_offered = models.JSONField(default=list, blank=True)
    safeguarding_concern = models.BooleanField(default=False)
    safeguarding_note = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    # Who sent this version for sign-off: one of its writers, who may not approve it.
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # A team's plans from its people without reading the plans (an index-only scan;
            # decision record 0018).
            models.Index(fields=["person", "id"], name="planning_plan_person_id"),
            # The plans waiting for sign-off in a team (the home page's count and the
            # manager's queue): a few rows, not a probe per person (decision record 0027).
            models.Index(
                fields=["person"],
                condition=models.Q(status="awaiting_sign_off"),
                name="planning_plan_awaiting_by_pers",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "version"], name="planning_supportplan_unique_version"
            ),
            # An approved version is made into a new version once (the new one replaces it).
            models.UniqueConstraint(fields=["previous"], name="planning_supportplan_one_revision"),
            models.CheckConstraint(
                condition=models.Q(kind="standard") | models.Q(ends_on__isnull=False),
                name="planning_supportplan_interim_has_end",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.person}, version {self.version}"


class PlanDocument(models.Model):
    """The PDF of an approved version, made once and kept, so it reads the same years later."""

    plan = models.OneToOneField(SupportPlan, on_delete=models.PROTECT, related_name="document")
    pdf = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"PDF of {self.plan}"


class PlanOutcome(models.Model):
    plan = models.ForeignKey(SupportPlan, on_delete=models.CASCADE, related_name="outcomes")
    # The outcome of the previous version this one carries over (its writer wrote that one).
    copied_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="copies"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Whoever last changed it in this version (a writer of the version, decision 0007).
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    in_their_words = models.TextField()
    eligibility_outcome = models.CharField(max_length=4, blank=True)
    how_met = models.TextField(blank=True)
    informal_support = models.TextField(
        blank=True, help_text="Support from family, friends and the community that costs nothing"
    )

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.in_their_words[:60]

    @property
    def eligibility_outcome_words(self) -> str:
        """The eligibility outcome this meets, in the 2015 Regulations' words."""
        from selfdirect.assessment.eligibility import ADULT_OUTCOMES, CARER_OUTCOMES

        return {**ADULT_OUTCOMES, **CARER_OUTCOMES}.get(self.eligibility_outcome, "")


def line_cost_pence(unit_cost_pence: int, quantity_hundredths: int) -> int:
    """Units (in hundredths) at a unit cost, in whole pence; halves round up."""
    return (unit_cost_pence * quantity_hundredths + 50) // 100


class PlanLine(models.Model):
    class Unit(models.TextChoices):
        HOUR = "hour", "an hour"
        SESSION = "session", "a session"
        DAY = "day", "a day"
        WEEK = "week", "a week"
        ITEM = "item", "once (one-off)"

    plan = models.ForeignKey(SupportPlan, on_delete=models.CASCADE, related_name="lines")
    # The line of the previous version this one carries over (pool shares follow it).
    copied_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="copies"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Whoever last changed it in this version (a writer of the version, decision 0007).
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.ForeignKey(
        PlanOutcome, null=True, blank=True, on_delete=models.SET_NULL, related_name="lines"
    )
    description = models.CharField(max_length=200)
    category = models.CharField(max_length=30, choices=list(CATEGORIES.items()))
    provider = models.ForeignKey(
        "providers.Provider", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    provided_by = models.CharField(
        max_length=120,
        blank=True,
        help_text="A personal assistant or universal service, if not a provider",
    )
    unit = models.CharField(max_length=10, choices=Unit.choices)
    unit_cost_pence = models.PositiveIntegerField()
    # Units a week in hundredths (7.5 hours = 750); for a one-off item, the number of items.
    quantity_hundredths = models.PositiveIntegerField()
    funding_stream = models.CharField(max_length=30, choices=[(r.code, r.name) for r in SHIPPED])
    provisional = models.BooleanField(
        default=False, help_text="Waiting for an award, such as Access to Work"
    )
    deployment = models.CharField(
        "way of holding",
        max_length=25,
        choices=list(DEPLOYMENTS.items()),
        default="council_commissioned",
    )

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.description

    @property
    def is_one_off(self) -> bool:
        return self.unit == self.Unit.ITEM

    @property
    def weekly_cost_pence(self) -> int:
        """Cost a week in whole pence (halves round up); one-off lines cost nothing a week."""
        if self.is_one_off:
            return 0
        return line_cost_pence(self.unit_cost_pence, self.quantity_hundredths)

    @property
    def one_off_cost_pence(self) -> int:
        if not self.is_one_off:
            return 0
        return line_cost_pence(self.unit_cost_pence, self.quantity_hundredths)

    @property
    def yearly_cost_pence(self) -> int:
        """A year of the line: 52 weeks of a weekly line, or a one-off line's cost once."""
        from selfdirect.allocation.engine import WEEKS_PER_YEAR

        if self.is_one_off:
            return self.one_off_cost_pence
        return self.weekly_cost_pence * WEEKS_PER_YEAR

    @property
    def cost_words(self) -> str:
        """The line's cost as every page, PDF and API says it: a one-off line is never
        "£0.00 a week"."""
        from selfdirect.money import pounds

        if self.is_one_off:
            return f"{pounds(self.one_off_cost_pence)} one-off ({pounds(self.yearly_cost_pence)} in the year)"
        return f"{pounds(self.weekly_cost_pence)} a week ({pounds(self.yearly_cost_pence)} a year)"


class LineSwitch(models.Model):
    """A change of provider or of the way a line is held, from a date, with the reasons.
    Nothing else about the line is re-entered; the history stays with the line."""

    line = models.ForeignKey(PlanLine, on_delete=models.CASCADE, related_name="switches")
    effective_date = models.DateField()
    from_deployment = models.CharField(max_length=25, choices=list(DEPLOYMENTS.items()))
    to_deployment = models.CharField(max_length=25, choices=list(DEPLOYMENTS.items()))
    from_provider = models.ForeignKey(
        "providers.Provider", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_provider = models.ForeignKey(
        "providers.Provider", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    from_provided_by = models.CharField(max_length=120, blank=True)
    to_provided_by = models.CharField(max_length=120, blank=True)
    reasons = models.JSONField(default=list)
    note = models.TextField(blank=True)
    # The week of the switch, shared by days: what the old arrangement and the new one are due.
    old_part_pence = models.PositiveIntegerField()
    new_part_pence = models.PositiveIntegerField()
    # A new provider may charge a different unit cost: the cost of a unit from the switch
    # date (the line's own cost before it). Empty when the cost does not change.
    from_unit_cost_pence = models.PositiveIntegerField(null=True, blank=True)
    to_unit_cost_pence = models.PositiveIntegerField(null=True, blank=True)
    switched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    switched_at = models.DateTimeField(auto_now_add=True)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["effective_date", "id"]
        constraints = [
            # One switch of a line takes effect on a date (an undone one no longer counts).
            models.UniqueConstraint(
                fields=["line", "effective_date"],
                condition=models.Q(undone_at__isnull=True),
                name="planning_lineswitch_one_per_date",
            ),
            models.CheckConstraint(
                condition=models.Q(undone_at__isnull=True, undone_by__isnull=True)
                | models.Q(undone_at__isnull=False, undone_by__isnull=False),
                name="planning_lineswitch_undone_says_by_whom",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.line} from {self.effective_date}"


class Review(models.Model):
    """A review of a support plan: scheduled on statutory and local timescales, or triggered."""

    class Kind(models.TextChoices):
        LIGHT_TOUCH = "light_touch", "Light-touch review after the plan starts"
        DIRECT_PAYMENT = "direct_payment", "First review of a direct payment"
        ANNUAL = "annual", "Annual review"
        REQUESTED = "requested", "Requested by the person"
        CHANGE = "change", "Change of circumstances"
        SAFEGUARDING = "safeguarding", "Safeguarding concern"
        MONITORING = "monitoring", "Monitoring flag (under- or over-spend)"

    class Method(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        PHONE = "phone", "By phone"
        VIDEO = "video", "By video call"

    class Status(models.TextChoices):
        DUE = "due", "Due"
        DONE = "done", "Done"
        REPLACED = "replaced", "Replaced by a review of a later plan"

    class AskedAs(models.TextChoices):
        PERSON = "person", "the person"
        REPRESENTATIVE = "representative", "their representative"
        CARER = "carer", "their carer"
        STAFF = "staff", "their team"

    plan = models.ForeignKey(SupportPlan, on_delete=models.PROTECT, related_name="reviews")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # Who asked for a triggered review, and as whom (issue 13: the holder, representative or
    # carer, not staff categories); blank for a scheduled review.
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    asked_as = models.CharField(max_length=16, choices=AskedAs.choices, blank=True)
    # The reason they chose, in their words (planning.reasons; blank when staff asked).
    asked_reason = models.CharField(max_length=20, blank=True)
    due_date = models.DateField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.DUE)
    # A plan review that is also the direct payment's review (the two are aligned).
    covers_direct_payment = models.BooleanField(default=False)
    reason = models.TextField(blank=True)
    outcomes_met = models.JSONField(
        default=dict, help_text="Plan outcome id -> met, partly or not met"
    )
    changes = models.TextField(blank=True)
    # Recorded in full (issue 11): how it was held, who took part, and what they said.
    method = models.CharField(max_length=10, choices=Method.choices, blank=True)
    attendees = models.JSONField(default=list, blank=True, help_text="[{name, role}, ...]")
    person_views = models.TextField(blank=True)
    carer_views = models.TextField(blank=True)
    outcome_comments = models.JSONField(
        default=dict, blank=True, help_text="Plan outcome id -> comment"
    )
    next_review_on = models.DateField(null=True, blank=True)
    # The personal budget the review found right, when it changes it (a new plan version).
    new_budget_weekly_pence = models.PositiveIntegerField(null=True, blank=True)
    reassessment_needed = models.BooleanField(default=False)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    completed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [
            models.Index(fields=["status", "due_date"], name="planning_review_due"),
            # The due reviews of a team's plans, read from the plans (decision record 0018),
            # from the index alone: it carries the review's id too (decision record 0027).
            models.Index(
                fields=["plan"],
                include=["due_date", "id"],
                condition=models.Q(status="due"),
                name="planning_review_due_by_plan",
            ),
        ]
        constraints = [
            # A plan's scheduled reviews are made once, when it is approved: never twice.
            models.UniqueConstraint(
                fields=["plan", "kind", "due_date"],
                condition=models.Q(kind__in=["light_touch", "direct_payment", "annual"]),
                name="planning_review_one_scheduled",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.plan.person}, due {self.due_date}"

    @property
    def asked_reason_words(self) -> str:
        """The reason the person, representative or carer chose, as they read it."""
        from selfdirect.planning.reasons import reason_words

        return reason_words(self.asked_reason, self.asked_as, self.plan.person.given_name)


class AssessedContribution(models.Model):
    """What the person pays a week towards their care and support, from a date, as the
    council's financial assessment found it. Entered by finance or a worker (the financial
    assessment itself is a later piece of work); read only through
    ``planning.figures.contribution_on``. Nothing is deleted: a new figure starts a new row."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="assessed_contributions"
    )
    weekly_pence = models.PositiveIntegerField()
    effective_from = models.DateField()
    # The financial assessment's reference in the council's finance system.
    source_reference = models.CharField(max_length=120)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-effective_from", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "effective_from"],
                name="planning_assessedcontribution_one_per_date",
            ),
        ]

    def __str__(self) -> str:
        return f"Assessed contribution for {self.person} from {self.effective_from}"


class PlanProposal(models.Model):
    """Something the person (or whoever speaks for them) suggests for their draft plan, in
    their own words: an outcome, or support and what it costs (issue 13, co-producing the
    plan; decision 0039). Their worker accepts it into the plan (as written or changed, through
    the plan's own services) or answers it with a reason; what they wrote is never changed."""

    class Kind(models.TextChoices):
        OUTCOME = "outcome", "Something to achieve"
        SUPPORT = "support", "Support and what it costs"

    class Status(models.TextChoices):
        OPEN = "open", "Waiting for the worker"
        ACCEPTED = "accepted", "Added to the plan as suggested"
        CHANGED = "changed", "Added to the plan with changes"
        ANSWERED = "answered", "Not added: the worker answered"

    class ProposedAs(models.TextChoices):
        PERSON = "person", "the person"
        REPRESENTATIVE = "representative", "their representative"

    plan = models.ForeignKey(SupportPlan, on_delete=models.CASCADE, related_name="proposals")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_as = models.CharField(max_length=16, choices=ProposedAs.choices)
    # An outcome, in their words (kind "outcome").
    in_their_words = models.TextField(blank=True)
    how_met = models.TextField(blank=True)
    informal_support = models.TextField(blank=True)
    # Support (kind "support"): what it is, who would give it, and what they think it costs.
    description = models.CharField(max_length=200, blank=True)
    provided_by = models.CharField(max_length=120, blank=True)
    outcome = models.ForeignKey(
        PlanOutcome, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    unit = models.CharField(max_length=10, choices=PlanLine.Unit.choices, blank=True)
    unit_cost_pence = models.PositiveIntegerField(null=True, blank=True)
    quantity_hundredths = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    answer = models.TextField(blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    # What it became in the plan (the worker may later change or remove it there).
    made_outcome = models.ForeignKey(
        PlanOutcome, null=True, blank=True, on_delete=models.SET_NULL, related_name="proposals"
    )
    made_line = models.ForeignKey(
        PlanLine, null=True, blank=True, on_delete=models.SET_NULL, related_name="proposals"
    )

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="open", answered_at__isnull=True)
                | (~models.Q(status="open") & models.Q(answered_at__isnull=False)),
                name="planning_proposal_answered_when_not_open",
            ),
        ]

    def __str__(self) -> str:
        return (self.in_their_words or self.description)[:60]

    @property
    def words(self) -> str:
        return self.in_their_words if self.kind == self.Kind.OUTCOME else self.description

    @property
    def cost_pence(self) -> int | None:
        """What they think it costs (a week, or once for a one-off), if they said."""
        if self.unit_cost_pence is None or self.quantity_hundredths is None:
            return None
        return line_cost_pence(self.unit_cost_pence, self.quantity_hundredths)
