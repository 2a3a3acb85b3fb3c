"""The front door (a contact, its triage and the assessment it leads to) and case notes."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Contact(models.Model):
    """Someone got in touch with the council about a person: who, how, what about, how
    urgent; then a worker's triage decision."""

    class MadeBy(models.TextChoices):
        SELF = "self", "The person themselves"
        RELATIVE = "relative", "A relative or friend"
        PROFESSIONAL = "professional", "A professional (GP, hospital, police, housing)"
        OTHER = "other", "Someone else"

    class Channel(models.TextChoices):
        PHONE = "phone", "Phone"
        EMAIL = "email", "Email"
        LETTER = "letter", "Letter"
        IN_PERSON = "in_person", "In person"
        ONLINE = "online", "Online form"

    class Reason(models.TextChoices):
        NEW_NEED = "new_need", "Needs care and support for the first time"
        CHANGE = "change", "Needs have changed"
        CARER = "carer", "A carer needs support"
        HOSPITAL = "hospital", "Leaving hospital"
        SAFEGUARDING = "safeguarding", "Worried about someone's safety"
        INFORMATION = "information", "Wants information or advice"
        OTHER = "other", "Something else"

    class Urgency(models.TextChoices):
        ROUTINE = "routine", "Routine"
        URGENT = "urgent", "Urgent"

    class Decision(models.TextChoices):
        UNTRIAGED = "", "Not yet triaged"
        ADVICE = "advice", "Information and advice given"
        ASSESS = "assess", "Refer for an assessment"
        URGENT = "urgent", "Urgent: act now"

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="contacts")
    received_on = models.DateField()
    made_by = models.CharField(max_length=20, choices=MadeBy.choices)
    made_by_name = models.CharField(max_length=120, blank=True)
    made_by_relationship = models.CharField(max_length=120, blank=True)
    channel = models.CharField(max_length=20, choices=Channel.choices)
    reason = models.CharField(max_length=20, choices=Reason.choices)
    about = models.TextField()
    urgency = models.CharField(max_length=10, choices=Urgency.choices, default=Urgency.ROUTINE)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    decision = models.CharField(max_length=10, choices=Decision.choices, blank=True, default="")
    decision_notes = models.TextField(blank=True)
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    triaged_at = models.DateTimeField(null=True, blank=True)
    assessment = models.OneToOneField(
        "assessment.Assessment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="front_door_contact",
    )

    class Meta:
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["decision", "urgency"], name="casework_contact_queue")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(decision="") | models.Q(triaged_at__isnull=False),
                name="casework_contact_triage_dated",
            ),
            models.CheckConstraint(
                condition=models.Q(assessment__isnull=True) | models.Q(decision="assess"),
                name="casework_contact_assessment_only_when_referred",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} for {self.person} ({self.received_on:%d %B %Y})"

    @property
    def who(self) -> str:
        """Who made the contact, in words."""
        if self.made_by == self.MadeBy.SELF:
            return self.get_made_by_display()
        name = self.made_by_name
        if self.made_by_relationship:
            name = f"{name} ({self.made_by_relationship})"
        return name or self.get_made_by_display()


class CaseNote(models.Model):
    """A worker's note on a person: what happened on a date, by whom; staff only unless the
    worker shares it with the person (docs/practitioner-guide.md, decision 0023)."""

    class Kind(models.TextChoices):
        VISIT = "visit", "Visit"
        PHONE_CALL = "phone_call", "Phone call"
        EMAIL = "email", "Email"
        MEETING = "meeting", "Meeting"
        OTHER = "other", "Other"

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="case_notes")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    happened_on = models.DateField()
    text = models.TextField()
    shared_with_person = models.BooleanField(default=False)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    written_at = models.DateTimeField(auto_now_add=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-happened_on", "-id"]
        indexes = [models.Index(fields=["person", "happened_on"], name="casework_note_person")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.happened_on:%d %B %Y}"
