"""Questionnaires (versioned data), assessments with three values per answer, referrals
raised by trigger questions, and eligibility decisions."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from selfdirect.access.second_administrator import BackdatedPublication
from selfdirect.assessment.questionnaire import TRIGGER_NAMES, Definition, definition_parse


class Questionnaire(models.Model):
    class Kind(models.TextChoices):
        SELF = "self", "Self-assessment"
        CARER = "carer", "Carer's assessment"

    code = models.SlugField(max_length=60, unique=True)
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=Kind.choices)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class QuestionnaireVersion(models.Model):
    """One version of a questionnaire. Drafts may change; once published it never does."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        RETIRED = "retired", "Retired"

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField()
    definition = models.JSONField()
    content_hash = models.CharField(max_length=64)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    effective_from = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["questionnaire", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "number"], name="assessment_qversion_unique_number"
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(effective_from__isnull=False),
                name="assessment_qversion_published_has_date",
            ),
            # One version in force per questionnaire and date: which one applies is never a tie.
            models.UniqueConstraint(
                fields=["questionnaire", "effective_from"],
                condition=models.Q(status="published"),
                name="assessment_qversion_one_per_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire} version {self.number} ({self.get_status_display().lower()})"

    @property
    def parsed(self) -> Definition:
        cached: Definition | None = getattr(self, "_parsed", None)
        if cached is None:
            cached = definition_parse(self.definition)
            self._parsed = cached
        return cached


class Assessment(models.Model):
    class Mode(models.TextChoices):
        SELF = "self", "Self-assessment by the person"
        SUPPORTED = "supported", "Supported self-assessment"
        PRACTITIONER = "practitioner", "Completed by a practitioner"

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", "In progress"
        SUBMITTED = "submitted", "Submitted"
        AGREED = "agreed", "Agreed"

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="assessments"
    )
    # For a carer's assessment: ``person`` is the carer, ``cared_for`` the person they care for.
    cared_for = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="carer_assessments",
    )
    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.PROTECT, related_name="assessments"
    )
    mode = models.CharField(max_length=20, choices=Mode.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.IN_PROGRESS)
    user_group = models.CharField(max_length=30, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    agreed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [
            models.Index(fields=["person", "status"], name="assessment_person_status"),
            # Carers' assessments by the person cared for: few rows, so the carer half of a
            # team's lists reads this small index, not every assessment (decision 0018).
            models.Index(
                fields=["cared_for", "id"],
                name="assessment_carers_partial",
                condition=models.Q(cared_for__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.version.questionnaire} for {self.person} ({self.get_status_display().lower()})"
        )

    @property
    def is_carers(self) -> bool:
        return self.version.questionnaire.kind == Questionnaire.Kind.CARER


class Answer(models.Model):
    """One section's answer, three ways: the person's view, the worker's view, and what was agreed."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    section_id = models.CharField(max_length=40)
    person_option = models.CharField(max_length=40, blank=True)
    worker_option = models.CharField(max_length=40, blank=True)
    agreed_option = models.CharField(max_length=40, blank=True)
    person_answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    worker_answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "section_id"], name="assessment_answer_one_per_section"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.section_id}: {self.agreed_option or self.person_option or '-'}"

    @property
    def differs(self) -> bool:
        """The person and the worker gave different answers."""
        return bool(
            self.person_option and self.worker_option and self.person_option != self.worker_option
        )


class Referral(models.Model):
    """A referral raised by a trigger question (Supporting People, Access to Work, ...).
    It is re-checked whenever an answer to a question with its trigger changes: withdrawn
    when no answer calls for it any more, raised again when one does. A worker acts on it:
    sent (to whom, when) or declined (why)."""

    class Status(models.TextChoices):
        OPEN = "open", "To do"
        SENT = "sent", "Referred"
        NOT_NEEDED = "not_needed", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn: the answer changed"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="referrals")
    trigger = models.CharField(max_length=30, choices=list(TRIGGER_NAMES.items()))
    section_id = models.CharField(max_length=40)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_to = models.CharField(max_length=200, blank=True)
    sent_on = models.DateField(null=True, blank=True)
    reason = models.TextField(blank=True)
    acted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    acted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "trigger"], name="assessment_referral_one_per_trigger"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="sent")
                | (~models.Q(sent_to="") & models.Q(sent_on__isnull=False)),
                name="assessment_referral_sent_says_where_and_when",
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=["not_needed", "withdrawn"]) | ~models.Q(reason=""),
                name="assessment_referral_closed_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_trigger_display()} for {self.assessment.person}"


class EligibilityDecision(models.Model):
    """The council's decision on eligibility, against an effective-dated set of criteria."""

    assessment = models.OneToOneField(
        Assessment, on_delete=models.PROTECT, related_name="eligibility"
    )
    criteria_code = models.CharField(max_length=60)
    findings = models.JSONField()
    eligible = models.BooleanField()
    reasons = models.JSONField()
    facs_band = models.CharField("FACS band (historic records)", max_length=12, blank=True)
    notes = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_on = models.DateField()
    recorded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{'Eligible' if self.eligible else 'Not eligible'} ({self.criteria_code})"

    @property
    def criteria_name(self) -> str:
        """The criteria in words (pages and letters never show the code)."""
        from selfdirect.assessment.eligibility import criteria_name

        return criteria_name(self.criteria_code)

    @property
    def reasons_in_words(self) -> list[str]:
        from selfdirect.assessment.eligibility import reason_in_words

        return [reason_in_words(r) for r in self.reasons]


class QuestionnairePublication(BackdatedPublication):
    """A request to publish a questionnaire version from a date in the past."""

    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.PROTECT, related_name="backdated_requests"
    )

    class Meta(BackdatedPublication.Meta):
        constraints = [
            *BackdatedPublication.Meta.constraints,
            models.UniqueConstraint(
                fields=["version"],
                condition=models.Q(status="pending"),
                name="assessment_questionnairepublication_one_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"Publish {self.version} from {self.effective_from:%d %B %Y}"
