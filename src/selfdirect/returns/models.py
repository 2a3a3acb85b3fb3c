"""The Client Level Data returns made for a period and kept: what was downloaded (and sent to
NHS England) is these bytes, with their checksum, whatever changes in the records afterwards.
A period is made once; making it again (asked for on purpose) keeps a new version beside the
old one, so every file ever sent can still be read."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q


class CldExport(models.Model):
    """One CLD return for a period, with its validation report (docs/cld.md)."""

    period_start = models.DateField()
    period_end = models.DateField()
    # 1 for the first return of the period; each "make it again" adds the next number.
    version = models.PositiveSmallIntegerField(default=1)
    content = models.TextField()  # the return, CSV (UTF-8)
    report = models.TextField()  # the validation report, CSV (UTF-8)
    sha256 = models.CharField(max_length=64)  # of ``content`` encoded as served
    report_sha256 = models.CharField(max_length=64)
    row_count = models.PositiveIntegerField()
    people_count = models.PositiveIntegerField()
    problem_count = models.PositiveIntegerField()
    spec_version = models.CharField(max_length=120)
    # The people in the return (ids): each download is recorded as a look at each of them.
    person_ids = models.JSONField(default=list, blank=True)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    job = models.ForeignKey(
        "operations.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    made_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-period_end", "-period_start", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["period_start", "period_end", "version"],
                name="returns_cldexport_one_per_period_version",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="returns_cldexport_period_forwards",
            ),
        ]

    def __str__(self) -> str:
        return f"CLD return {self.period_start:%Y-%m-%d}:{self.period_end:%Y-%m-%d} v{self.version}"

    @property
    def period_text(self) -> str:
        return f"{self.period_start:%Y-%m-%d}:{self.period_end:%Y-%m-%d}"

    @property
    def file_name(self) -> str:
        suffix = f"-v{self.version}" if self.version > 1 else ""
        return f"cld-{self.period_start:%Y%m%d}-{self.period_end:%Y%m%d}{suffix}.csv"

    @property
    def report_name(self) -> str:
        return self.file_name.replace("cld-", "cld-validation-", 1)
