"""The directory of services people can choose from, shaped on Open Referral UK 3.0
(docs/directory.md, "How it maps to Open Referral UK"): services of organisations
(providers.Provider), their locations, areas, opening times, costs, languages, contacts and
taxonomy terms; postcode centroids for distances; searches that found little; reviews by
the people who used a service; and changes a provider proposes to its own listing."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class _Row(models.Model):
    """A row named by its key in the admin and in messages."""

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return str(self.pk)


class Taxonomy(models.Model):
    """A vocabulary of terms (what a service does, who it is for)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    uri = models.URLField(blank=True)
    version = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TaxonomyTerm(models.Model):
    """One term; ``synonyms`` are the plain-English words a person might search with
    ("help getting up, getting out of bed"), one phrase per line or comma."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    taxonomy = models.ForeignKey(
        Taxonomy, on_delete=models.PROTECT, null=True, blank=True, related_name="terms"
    )
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    code = models.CharField(max_length=100, blank=True)  # ORUK ``term``
    term_uri = models.URLField(blank=True)
    synonyms = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Service(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "Open"
        INACTIVE = "inactive", "Not taking people"
        DEFUNCT = "defunct", "Closed"
        TEMPORARILY_CLOSED = "temporarily closed", "Closed for now"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    organization = models.ForeignKey(
        "providers.Provider", on_delete=models.PROTECT, related_name="services"
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    url = models.URLField(blank=True)
    email = models.EmailField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    accreditations = models.TextField(blank=True)
    minimum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    maximum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    assured_date = models.DateField(null=True, blank=True)
    assurer_email = models.EmailField(blank=True)
    alert = models.TextField(blank=True)
    last_modified = models.DateTimeField()
    terms = models.ManyToManyField(TaxonomyTerm, blank=True, related_name="services")

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["status", "name"], name="directory_service_status")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(minimum_age__isnull=True)
                | models.Q(maximum_age__isnull=True)
                | models.Q(minimum_age__lte=models.F("maximum_age")),
                name="directory_service_ages_in_order",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Location(models.Model):
    """Where a service is given. Registration (the CQC location ID and its rating) is kept
    current by the council."""

    class Rating(models.TextChoices):
        OUTSTANDING = "Outstanding", "Outstanding"
        GOOD = "Good", "Good"
        REQUIRES_IMPROVEMENT = "Requires improvement", "Requires improvement"
        INADEQUATE = "Inadequate", "Inadequate"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    location_type = models.CharField(max_length=20, default="physical")
    name = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    latitude = models.DecimalField(max_digits=8, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    address_id = models.UUIDField(default=uuid.uuid4)
    address_1 = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    state_province = models.CharField(max_length=100, blank=True)
    postal_code = models.CharField(max_length=10, blank=True)
    country = models.CharField(max_length=2, default="GB")
    accessibility = models.TextField(blank=True)
    cqc_location_id = models.CharField("CQC location ID", max_length=20, blank=True)
    cqc_rating = models.CharField(max_length=30, choices=Rating.choices, blank=True)

    def __str__(self) -> str:
        return self.name or self.address_1 or str(self.id)


class ServiceAtLocation(_Row):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="at_locations")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="services_at")


class ServiceArea(_Row):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="areas")
    name = models.CharField(max_length=200)
    extent = models.TextField(blank=True)
    extent_type = models.CharField(max_length=40, blank=True)
    uri = models.URLField(blank=True)


class CostOption(_Row):
    """A price: ``amount_pence`` (0: free; None: ask the provider) for
    ``amount_description`` ("per hour")."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="cost_options")
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    option = models.CharField(max_length=200, blank=True)
    amount_pence = models.PositiveIntegerField(null=True, blank=True)
    amount_description = models.CharField(max_length=200, blank=True)


class Language(_Row):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="languages")
    name = models.CharField(max_length=100)
    code = models.CharField(max_length=12, blank=True)  # ISO 639


class Schedule(_Row):
    """Opening times as an RFC 5545 rule: WEEKLY on ``byday`` (MO,TU,…) from ``opens_at``
    to ``closes_at``."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="schedules")
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    freq = models.CharField(max_length=10, default="WEEKLY")
    interval = models.PositiveSmallIntegerField(default=1)
    byday = models.CharField(max_length=40, blank=True)
    opens_at = models.TimeField(null=True, blank=True)
    closes_at = models.TimeField(null=True, blank=True)
    description = models.TextField(blank=True)


class Contact(_Row):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=200, blank=True)
    title = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)


class Phone(_Row):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="phones")
    number = models.CharField(max_length=40)
    description = models.CharField(max_length=200, blank=True)


class Postcode(_Row):
    """A postcode's centroid, from the ONS postcode directory (``manage.py load_postcodes``).
    ``postcode`` is upper case without spaces ("DM12AB")."""

    postcode = models.CharField(max_length=8, primary_key=True)
    latitude = models.DecimalField(max_digits=8, decimal_places=6)
    longitude = models.DecimalField(max_digits=9, decimal_places=6)


class NeedSearch(_Row):
    """A search that found few services (for the gaps dashboard): what was looked for and
    where, never who looked (the postcode's outward part only)."""

    searched_on = models.DateField()
    need = models.CharField(max_length=100)
    terms = models.CharField(max_length=400, blank=True)  # matched term names, "; "-joined
    area = models.CharField(max_length=4, blank=True)  # "DM1": a postcode's outward code
    within_miles = models.PositiveSmallIntegerField(null=True, blank=True)
    results = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["searched_on"], name="directory_needsearch_on")]


class ServiceReview(_Row):
    """A holder's rating and words about a service they used; published once council staff
    have moderated it; the provider may reply."""

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting to be checked"
        PUBLISHED = "published", "Published"
        REJECTED = "rejected", "Not published"

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="reviews")
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="service_reviews"
    )
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    written_at = models.DateTimeField()
    rating = models.PositiveSmallIntegerField()
    text = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True)
    reply = models.TextField(blank=True)
    replied_at = models.DateTimeField(null=True)

    class Meta:
        ordering = ["-written_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__gte=1, rating__lte=5),
                name="directory_review_rating_1_to_5",
            )
        ]


class ListingChange(_Row):
    """A provider's change to its own listing, waiting for the council when
    SELFDIRECT_DIRECTORY_APPROVE_CHANGES is on (``changes``: field -> [before, after])."""

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting for the council"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Not approved"

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="changes")
    changes = models.JSONField()
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True)

    class Meta:
        ordering = ["proposed_at", "pk"]
