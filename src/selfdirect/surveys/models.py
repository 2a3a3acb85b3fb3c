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
