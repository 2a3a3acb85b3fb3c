"""Providers of care and support (the Open Referral UK ``organization`` shape) and
which people each provider supports; a provider sees only its own clients."""

from __future__ import annotations

import uuid

from django.db import models


class Provider(models.Model):
    oruk_id = models.UUIDField("Open Referral UK ID", unique=True, default=uuid.uuid4)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    email = models.EmailField(blank=True)
    url = models.URLField(blank=True)
    cqc_location_id = models.CharField("CQC location ID", max_length=20, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ProviderClient(models.Model):
    """A provider supporting a person from a date (and perhaps to a date)."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="clients")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="providers")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["provider", "end_date"], name="providers_client_current")]

    def __str__(self) -> str:
        return f"{self.provider} supports {self.person}"
