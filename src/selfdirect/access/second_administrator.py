"""Publishing a questionnaire or RAS version with a date in the past: the administrator gives
a reason and a second administrator confirms or declines it (decision 0010's shape, reused
by decision 0021). The request's fields and the rule; each app keeps its own table of
requests, as a table may only point at versions in its own app or below."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth.models import User
from django.db import models
from django.utils import timezone

from selfdirect.access.roles import Role
from selfdirect.access.selectors import roles_of

PAST_DATE_NEEDS_REASON = (
    "The date it takes effect is in the past: say why, and a second administrator must confirm it"
)
REASON_NEEDED = "Say why it must take effect from a date in the past"
NOT_IN_THE_PAST = "The date is not in the past: publish it without a second administrator"
ALREADY_WAITING = "There is already a request waiting for a second administrator to publish this"
ONLY_ADMINISTRATORS_DECIDE = "Only an administrator can confirm or decline publishing"
CANNOT_DECIDE_OWN = "You asked for this, so another administrator must confirm or decline it"
ALREADY_DECIDED = "This request has already been confirmed or declined"
WAITING = "A second administrator must now confirm publishing {version} from {on}"


class BackdatedPublication(models.Model):
    """A request to publish a version from a date in the past, waiting for, or decided by,
    a second administrator."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for a second administrator"
        CONFIRMED = "confirmed", "Confirmed and published"
        DECLINED = "declined", "Declined"

    effective_from = models.DateField()
    reason = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-requested_at", "-id"]
        constraints = [
            # The rule in the database too: the one who decides is never the one who asked.
            models.CheckConstraint(
                condition=models.Q(decided_by__isnull=True)
                | ~models.Q(decided_by=models.F("requested_by")),
                name="%(app_label)s_%(class)s_second_admin",
            ),
            models.CheckConstraint(
                condition=models.Q(status="pending")
                | models.Q(decided_by__isnull=False, decided_at__isnull=False),
                name="%(app_label)s_%(class)s_decided_by_someone",
            ),
        ]


def backdated_decide_refusal(actor: User, request: BackdatedPublication) -> str:
    """Why ``actor`` may not confirm or decline ``request`` ("" if they may)."""
    if Role.ADMIN not in roles_of(actor):
        return ONLY_ADMINISTRATORS_DECIDE
    if request.status != BackdatedPublication.Status.PENDING:
        return ALREADY_DECIDED
    if request.requested_by_id == actor.pk:
        return CANNOT_DECIDE_OWN
    return ""


def backdated_reason_field() -> forms.CharField:
    """The publish forms' reason, needed only when the date is in the past."""
    return forms.CharField(
        label="If the date is in the past, why",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="A date in the past needs a reason, and a second administrator confirms it "
        "before the version is published.",
    )
