"""Requests to change who provides a plan line or how it is held, asked by the person (or
for them) and decided by their named worker's team; and a provider marked as closing, with
the work it makes for each affected person's practitioner (issues 13 and 14)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from selfdirect.planning.streams import DEPLOYMENTS


class ChangeRequest(models.Model):
    """A request, not a review: the person asks for one line of their plan in force to be
    provided by someone else or held another way, from a date, with their reasons. The
    decision (or, for a small change the council lets through, the change at once) is made
    by the existing line switch (planning.services.line_switch)."""

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting for a decision"
        APPROVED = "approved", "Agreed"
        REFUSED = "refused", "Not agreed"
        MADE = "made", "Made at once (no approval needed)"

    class AskedAs(models.TextChoices):
        PERSON = "person", "The person"
        REPRESENTATIVE = "representative", "Their representative"
        STAFF = "staff", "Their worker, for them"

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="change_requests"
    )
    line = models.ForeignKey(
        "planning.PlanLine", on_delete=models.PROTECT, related_name="change_requests"
    )
    to_deployment = models.CharField(max_length=25, choices=list(DEPLOYMENTS.items()))
    to_provider = models.ForeignKey(
        "providers.Provider", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_provided_by = models.CharField(max_length=120, blank=True)
    # A new provider's cost of each unit, where the person knows it (empty: the same).
    to_unit_cost_pence = models.PositiveIntegerField(null=True, blank=True)
    # Pick-list A codes (planning.streams.SWITCH_REASONS) and the person's own words.
    reasons = models.JSONField(default=list)
    in_their_words = models.TextField(blank=True)
    wanted_from = models.DateField()
    # The notice the current provider needs, in weeks (0: none or not known).
    notice_weeks = models.PositiveSmallIntegerField(default=0)
    asked_as = models.CharField(max_length=16, choices=AskedAs.choices)
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    asked_at = models.DateTimeField(auto_now_add=True)
    # The date by which the named worker decides (a target time, holders-experience REQ-14).
    decide_by = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reasons = models.TextField(blank=True)
    # The named worker's task to decide it (done once decided).
    work_item = models.ForeignKey(
        "access.WorkItem", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    switch = models.OneToOneField(
        "planning.LineSwitch",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="change_request",
    )

    class Meta:
        ordering = ["-asked_at", "-id"]
        indexes = [
            models.Index(
                fields=["person"],
                condition=models.Q(status="waiting"),
                name="changes_request_waiting",
            )
        ]
        constraints = [
            # A decided request says who decided it; a change made says which switch.
            models.CheckConstraint(
                condition=models.Q(status="waiting")
                | models.Q(decided_by__isnull=False, decided_at__isnull=False),
                name="changes_request_decided_says_by_whom",
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=["approved", "made"])
                | models.Q(switch__isnull=False),
                name="changes_request_made_has_switch",
            ),
        ]

    def __str__(self) -> str:
        return f"Request to change {self.line} for {self.person}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.WAITING


class ProviderClosure(models.Model):
    """A provider leaving the market (closing, failing or withdrawing), marked once by a
    council officer: the date it stops and why."""

    provider = models.OneToOneField(
        "providers.Provider", on_delete=models.PROTECT, related_name="closure"
    )
    closes_on = models.DateField()
    reason = models.TextField()
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    marked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["closes_on", "id"]

    def __str__(self) -> str:
        return f"{self.provider} closing on {self.closes_on:%-d %B %Y}"


class ClosureTask(models.Model):
    """The task a closure made for one affected person's practitioner: once per person, so
    marking the provider again makes no second task."""

    closure = models.ForeignKey(ProviderClosure, on_delete=models.CASCADE, related_name="tasks")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    work_item = models.ForeignKey(
        "access.WorkItem", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["closure", "person"], name="changes_closuretask_once_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.closure}: task for {self.person}"
