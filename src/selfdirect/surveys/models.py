"""Survey instruments as versioned data (POET, GHQ-12, ASCOT and the IBSEN single items),
and the responses to them. A published instrument is never edited: a change is a new
version (decision 0044)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

PUBLISHED_INSTRUMENT_IS_FROZEN = (
    "This instrument is published; make a new version to change its questions"
)

# Instruments whose wording is licensed by others: they ship with codes only, and are asked
# only in a version carrying the wording a council loaded (``survey_wording_load``).
LICENSED_WORDING = ("ascot", "ghq-12")


class InstrumentFrozen(Exception):
    """Raised when something tries to change a published or retired instrument's content."""


class Instrument(models.Model):
    """One version of a survey instrument. Its scales and items belong to this version."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        RETIRED = "retired", "Retired"

    class Population(models.TextChoices):
        HOLDER = "holder", "People with a personal budget"
        CARER = "carer", "Carers"
        ANY = "any", "Anyone receiving support"

    code = models.SlugField(max_length=60)
    version = models.PositiveIntegerField()
    name = models.CharField(max_length=200)
    population = models.CharField(max_length=10, choices=Population.choices)
    description = models.TextField(blank=True)
    # Who holds the rights to the wording, when it is not the council's (ASCOT, GHQ-12).
    licence_note = models.TextField(blank=True)
    # Set on a version made by ``survey_wording_load``: its items and answers carry the
    # wording a council loaded, under the licence named here (ASCOT, GHQ-12 ship codes only).
    wording_loaded = models.BooleanField(default=False)
    wording_licence = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="surveys_instrument_version"),
            # One version in use per instrument: which one a new response answers is never a tie.
            models.UniqueConstraint(
                fields=["code"],
                condition=models.Q(status="published"),
                name="surveys_instrument_one_published",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} version {self.version} ({self.get_status_display().lower()})"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class _FrozenWithInstrument(models.Model):
    """Scales and items change only while their instrument is a draft."""

    instrument: Any
    instrument_id: int

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        status = Instrument.objects.filter(pk=self.instrument_id).values_list("status", flat=True)
        if status and status[0] != Instrument.Status.DRAFT:
            raise InstrumentFrozen(PUBLISHED_INSTRUMENT_IS_FROZEN)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if not self.instrument.is_draft:
            raise InstrumentFrozen(PUBLISHED_INSTRUMENT_IS_FROZEN)
        return super().delete(*args, **kwargs)


class Scale(_FrozenWithInstrument):
    """The answers an item may take: ``options`` is a list of {"code", "label"} (plus an
    optional "easy_read" label), in the order they are shown."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="scales")
    code = models.SlugField(max_length=60)
    name = models.CharField(max_length=200)
    options = models.JSONField()

    class Meta:
        ordering = ["instrument", "code"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "code"], name="surveys_scale_code"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def codes(self) -> list[str]:
        return [str(o["code"]) for o in self.options]


class Item(_FrozenWithInstrument):
    class Kind(models.TextChoices):
        CHOICE = "choice", "One answer from the scale"
        MULTI = "multi", "Any number of answers from the scale"
        NUMBER = "number", "A whole number"
        TEXT = "text", "Free text"

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="items")
    code = models.SlugField(max_length=60)
    position = models.PositiveIntegerField()
    # Which part of the instrument: "outcomes", "process", "budget", "factors", ...
    group = models.SlugField(max_length=40)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.CHOICE)
    text = models.CharField(max_length=500)
    easy_read_text = models.CharField(max_length=500, blank=True)
    # RESTRICT, not PROTECT: a draft instrument deleted whole takes its items and scales.
    scale = models.ForeignKey(
        Scale, null=True, blank=True, on_delete=models.RESTRICT, related_name="items"
    )
    # The column label the analysis uses (e.g. the POET table row label).
    label = models.CharField(max_length=200, blank=True)
    minimum = models.IntegerField(null=True, blank=True)
    maximum = models.IntegerField(null=True, blank=True)

    class Meta:
        ordering = ["instrument", "position"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "code"], name="surveys_item_code"),
            models.CheckConstraint(
                condition=models.Q(kind__in=["number", "text"]) | models.Q(scale__isnull=False),
                name="surveys_item_choice_has_scale",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.text}"


class Response(models.Model):
    """One completed survey. ``person`` is empty for an anonymous response, and stays so."""

    class AnsweredBy(models.TextChoices):
        SELF = "self", "The person on their own"
        WITH_HELP = "with_help", "The person with help from someone else"
        PROXY = "proxy", "Someone else on the person's behalf"

    class Channel(models.TextChoices):
        PORTAL = "portal", "Online in the portal"
        PAPER = "paper", "Paper form keyed in by staff"
        IMPORT = "import", "Imported from a file"

    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="responses")
    # The campaign that asked for it, if any (an anonymous campaign's responses have no person).
    campaign = models.ForeignKey(
        "Campaign", null=True, blank=True, on_delete=models.PROTECT, related_name="responses"
    )
    person = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="survey_responses",
    )
    answered_by = models.CharField(max_length=10, choices=AnsweredBy.choices)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    # The reference printed on a paper form or carried by an imported row.
    reference = models.CharField(max_length=40, blank=True)
    # POET counts only those who agreed their answers may be used in reports.
    consent_to_report = models.BooleanField(default=True)
    submitted_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["instrument", "id"]
        constraints = [
            # A paper form or an imported row is keyed in once.
            models.UniqueConstraint(
                fields=["instrument", "reference"],
                condition=~models.Q(reference=""),
                name="surveys_response_reference_once",
            ),
        ]
        indexes = [models.Index(fields=["person", "instrument"], name="surveys_response_person")]

    def __str__(self) -> str:
        return f"Response {self.pk} to {self.instrument}"


class Answer(models.Model):
    """One answer: a scale code, a number or text in ``value``. A multi-answer item has
    one row per code chosen."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="answers")
    value = models.CharField(max_length=1000)

    class Meta:
        ordering = ["response", "item__position", "value"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "item", "value"], name="surveys_answer_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item.code}={self.value}"


class Campaign(models.Model):
    """A round of asking people to answer a published instrument: who is asked (everyone
    whose review falls in a period, or a stratified random sample drawn with a recorded
    seed), how they are invited, the consent wording and whether answers are anonymous."""

    class Selection(models.TextChoices):
        REVIEWED = "reviewed", "Everyone whose review falls in the period"
        SAMPLE = "sample", "A random sample by user group and way of holding"

    class InviteBy(models.TextChoices):
        MESSAGE = "message", "A message in the portal (and by email where that is how they hear)"
        LETTER = "letter", "A printed letter with a reference for a paper return"

    class Status(models.TextChoices):
        INVITING = "inviting", "Invitations being made"
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    name = models.CharField(max_length=200)
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="campaigns")
    selection = models.CharField(max_length=10, choices=Selection.choices)
    period_start = models.DateField()
    period_end = models.DateField()
    # The sample: how many to draw and the seed, so the draw can be made again exactly.
    sample_size = models.PositiveIntegerField(null=True, blank=True)
    seed = models.BigIntegerField(null=True, blank=True)
    # What was drawn: [{"group", "holding", "population", "drawn"}] for each stratum.
    draw = models.JSONField(default=list, blank=True)
    invite_by = models.CharField(max_length=10, choices=InviteBy.choices)
    consent_wording = models.TextField()
    anonymous = models.BooleanField(default=False)
    reminder_days = models.PositiveSmallIntegerField(default=14)
    closes_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.INVITING)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="surveys_campaign_period_order",
            ),
            models.CheckConstraint(
                condition=~models.Q(selection="sample")
                | (models.Q(sample_size__gt=0) & models.Q(seed__isnull=False)),
                name="surveys_campaign_sample_has_size_and_seed",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Invitation(models.Model):
    """One person asked to answer a campaign's survey. Its reference is printed on a letter
    and keys in a paper return. For an anonymous campaign nothing links the invitation to
    the response: only its status changes."""

    class Status(models.TextChoices):
        INVITED = "invited", "Invited"
        STARTED = "started", "Started"
        ANSWERED = "answered", "Answered"
        DECLINED = "declined", "Declined"

    class Channel(models.TextChoices):
        MESSAGE = "message", "Portal message"
        LETTER = "letter", "Letter"

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="invitations")
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="survey_invitations"
    )
    reference = models.CharField(max_length=20, unique=True)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    # The stratum the person was drawn from (for the response rate by group).
    user_group = models.CharField(max_length=80)
    holding = models.CharField(max_length=25)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.INVITED)
    # Answers saved so far (save and resume), cleared when the response is recorded.
    draft_answers = models.JSONField(default=dict, blank=True)
    draft_answered_by = models.CharField(max_length=10, blank=True)
    invited_at = models.DateTimeField(auto_now_add=True)
    # When the invitation letter was first printed (a team manager's letters PDF): the date
    # a reminder letter says "we wrote to you on", and where its interval counts from.
    letter_printed_at = models.DateTimeField(null=True, blank=True)
    # The last reminder: a message sent, or a reminder letter printed in a LetterBatch.
    reminded_at = models.DateTimeField(null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["campaign", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "person"], name="surveys_invitation_once_per_person"
            ),
        ]
        indexes = [models.Index(fields=["person", "status"], name="surveys_invitation_person")]

    def __str__(self) -> str:
        return f"Invitation {self.reference}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.ANSWERED, self.Status.DECLINED)


class LetterBatch(models.Model):
    """Reminder letters a team manager printed at once, for the people in their teams
    invited by letter who had not answered. Each letter counted as a reminder sent when the
    batch was made; printing the batch again prints the same letters, with the same date,
    and counts nothing again."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="letter_batches")
    invitations = models.ManyToManyField(Invitation, related_name="letter_batches")
    printed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    printed_at = models.DateTimeField()
    letters = models.PositiveIntegerField()

    class Meta:
        ordering = ["-printed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.letters} reminder letters for {self.campaign}"
