"""A person known to adult social care, their relationships and their consents.

Person fields follow the NHS England Client Level Data specification (see ``codes``).
Changes go through ``people.services``; every change is written to the audit log.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone

from selfdirect.people import codes


class Person(models.Model):
    la_person_id = models.CharField(
        "council person reference",
        max_length=20,
        unique=True,
        help_text="The council's stable identifier for the person (CLD: LA Person Unique Identifier).",
    )
    nhs_number = models.CharField(max_length=10, null=True, blank=True, unique=True)
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    # Lower-case "family given" for fast, case-insensitive prefix search on both engines.
    search_name = models.CharField(max_length=201, db_index=True, editable=False)
    date_of_birth = models.DateField(db_index=True)
    date_of_death = models.DateField(null=True, blank=True)
    gender = models.CharField(
        max_length=2, choices=codes.Gender.choices, default=codes.Gender.NOT_KNOWN
    )
    ethnicity = models.CharField(
        max_length=2, choices=codes.Ethnicity.choices, default=codes.Ethnicity.NOT_KNOWN
    )

    address_line_1 = models.CharField(max_length=120, blank=True)
    address_line_2 = models.CharField(max_length=120, blank=True)
    town = models.CharField(max_length=80, blank=True)
    postcode = models.CharField(max_length=8, blank=True, db_index=True)
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField(blank=True)

    client_type = models.CharField(
        max_length=30, choices=codes.ClientType.choices, default=codes.ClientType.SERVICE_USER
    )
    primary_support_reason = models.CharField(
        max_length=60,
        choices=codes.PrimarySupportReason.choices,
        default=codes.PrimarySupportReason.UNKNOWN,
    )
    user_group = models.CharField(max_length=30, choices=codes.UserGroup.choices, blank=True)
    accommodation_status = models.CharField(
        max_length=120,
        choices=codes.AccommodationStatus.choices,
        default=codes.AccommodationStatus.UNKNOWN,
    )
    employment_status = models.CharField(
        max_length=70,
        choices=codes.EmploymentStatus.choices,
        default=codes.EmploymentStatus.UNKNOWN,
    )
    has_unpaid_carer = models.CharField(
        max_length=1, choices=codes.YesNoUnknown.choices, default=codes.YesNoUnknown.UNKNOWN
    )
    autism = models.CharField(
        "autism spectrum disorder",
        max_length=1,
        choices=codes.YesNoUnknown.choices,
        default=codes.YesNoUnknown.UNKNOWN,
    )
    visual_impairment = models.CharField(
        max_length=1, choices=codes.YesNoUnknown.choices, default=codes.YesNoUnknown.UNKNOWN
    )
    hearing_impairment = models.CharField(
        max_length=1, choices=codes.YesNoUnknown.choices, default=codes.YesNoUnknown.UNKNOWN
    )
    dementia = models.CharField(
        max_length=1, choices=codes.YesNoUnknown.choices, default=codes.YesNoUnknown.UNKNOWN
    )

    # Accessible Information Standard: communication needs, flagged on every page about the person.
    needs_easy_read = models.BooleanField("easy read", default=False)
    needs_large_print = models.BooleanField("large print", default=False)
    needs_bsl = models.BooleanField("British Sign Language interpreter", default=False)
    interpreter_language = models.CharField(
        "spoken language interpreter", max_length=60, blank=True
    )
    preferred_contact_method = models.CharField(
        max_length=20, choices=codes.ContactMethod.choices, default=codes.ContactMethod.LETTER
    )
    communication_notes = models.TextField(blank=True)

    team = models.ForeignKey(
        "access.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="caseload"
    )
    # The practitioner who holds the person's case now (history: NamedWorkerAllocation).
    named_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="named_people",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["search_name", "id"]
        indexes = [
            models.Index(fields=["team", "search_name"], name="people_person_team_name"),
            # A team's people's ids from the index alone (an index-only scan): where every
            # caseload list starts (decision record 0018).
            models.Index(fields=["team", "id"], name="people_person_team_id"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(date_of_death__isnull=True)
                | models.Q(date_of_death__gte=models.F("date_of_birth")),
                name="people_person_death_after_birth",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def nhs_number_display(self) -> str:
        n = self.nhs_number or ""
        return f"{n[:3]} {n[3:6]} {n[6:]}" if len(n) == 10 else ""

    @property
    def communication_needs(self) -> list[str]:
        """The person's communication needs in words, for the flag on every page about them."""
        needs = []
        if self.needs_easy_read:
            needs.append("Easy read")
        if self.needs_large_print:
            needs.append("Large print")
        if self.needs_bsl:
            needs.append("British Sign Language interpreter")
        if self.interpreter_language:
            needs.append(f"Interpreter: {self.interpreter_language}")
        return needs


def relationship_current_on(on: dt.date, prefix: str = "") -> models.Q:
    """The one rule for a current relationship (docs/access.md): it has started on or before
    ``on`` and has not ended on or before ``on``. The end date is the first day it no longer
    applies, so a relationship ended today stops today. ``prefix`` reaches it through a
    relation, e.g. ``"related_to__"``."""
    return models.Q(**{f"{prefix}start_date__lte": on}) & (
        models.Q(**{f"{prefix}end_date__isnull": True}) | models.Q(**{f"{prefix}end_date__gt": on})
    )


class RelationshipQuerySet(models.QuerySet["Relationship"]):
    def current(self, on: dt.date | None = None) -> RelationshipQuerySet:
        """Relationships in force on ``on`` (by default today, the council's local date)."""
        return self.filter(relationship_current_on(on or timezone.localdate()))


class Relationship(models.Model):
    """Someone in the person's life with a role in their support: a carer or a representative."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relationships")
    related_person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="related_to")
    kind = models.CharField(max_length=30, choices=codes.RelationshipKind.choices)
    legal_basis = models.CharField(max_length=30, choices=codes.LegalBasis.choices, blank=True)
    description = models.CharField("relationship to the person", max_length=80, blank=True)
    is_main_carer = models.BooleanField(default=False)
    shares_household = models.BooleanField(default=False)
    # The person's consent (or a best-interests decision) to let this person see their record.
    can_see_record = models.BooleanField(default=False)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)

    objects = RelationshipQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(person=models.F("related_person")),
                name="people_relationship_not_self",
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="people_relationship_end_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["related_person", "kind"], name="people_rel_related_kind"),
            # "People with a carer but no decision on sharing" on a caseworker's home page:
            # the carers by person, read from a small index alone (decision record 0027).
            models.Index(
                fields=["person"],
                condition=models.Q(kind="unpaid_carer"),
                name="people_rel_unpaid_carer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.related_person} ({self.get_kind_display()}) for {self.person}"

    def is_current_on(self, on: dt.date) -> bool:
        """``relationship_current_on`` for one relationship already loaded."""
        return self.start_date <= on and (self.end_date is None or self.end_date > on)

    @property
    def is_current(self) -> bool:
        return self.is_current_on(timezone.localdate())

    @property
    def has_ended(self) -> bool:
        """Ended by today (a past relationship); one starting later has not ended."""
        return self.end_date is not None and self.end_date <= timezone.localdate()


class Consent(models.Model):
    """A consent decision the person (or their representative) made, kept as history."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(max_length=30, choices=codes.ConsentPurpose.choices)
    status = models.CharField(max_length=10, choices=codes.ConsentStatus.choices)
    decided_on = models.DateField()
    given_by = models.CharField(
        max_length=120, blank=True, help_text="Who gave it, if not the person."
    )
    notes = models.CharField(max_length=300, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_on", "-id"]
        indexes = [
            # The same home page list: who has a decision on sharing with carers, by person,
            # from the index alone (decision record 0027).
            models.Index(
                fields=["person"],
                condition=models.Q(purpose="share_with_carers"),
                name="people_consent_share_carers",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()}: {self.get_status_display()} ({self.decided_on})"


class NamedWorkerAllocation(models.Model):
    """One spell of a practitioner as a person's named worker: from ``start_date`` until
    ``end_date`` (the first day it no longer applies; blank while it lasts)."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="named_worker_allocations"
    )
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey("access.Team", on_delete=models.PROTECT, related_name="+")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    reason = models.TextField()
    end_reason = models.CharField(max_length=300, blank=True)
    allocated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    allocated_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start_date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(end_date__isnull=True),
                name="people_namedworker_one_current",
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="people_namedworker_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.worker} named worker for {self.person} from {self.start_date}"
