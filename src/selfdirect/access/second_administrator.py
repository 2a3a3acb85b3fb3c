"""Publishing a questionnaire or RAS version with a date in the past: the administrator gives
a reason and a second administrator confirms or declines it (decision 0010's shape, reused
by decision 0021). The request's fields and the rule; each app keeps its own table of
requests, as a table may only point at versions in its own app or below."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TypeVar

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


def backdated_request_refusal(
    *, effective_from: dt.date, reason: str, already_waiting: bool
) -> tuple[str, str] | None:
    """Why a request to publish from ``effective_from`` may not be made, as (message, field),
    or None if it may (field "" for the whole form). The version's own rules (is it a draft, is the date free) are the
    app's to check as well."""
    if effective_from >= timezone.localdate():
        return NOT_IN_THE_PAST, "effective_from"
    if not reason.strip():
        return REASON_NEEDED, "reason"
    if already_waiting:
        return ALREADY_WAITING, ""
    return None


RequestT = TypeVar("RequestT", bound=BackdatedPublication)


def backdated_decided(
    *, actor: User, request: RequestT, status: str, refused: Callable[[str], Exception]
) -> RequestT:
    """Lock ``request`` and record ``actor``'s decision (``status``), or raise ``refused``
    with the reason the actor may not decide it. Call inside a transaction."""
    locked = type(request)._default_manager.select_for_update().get(pk=request.pk)
    refusal = backdated_decide_refusal(actor, locked)
    if refusal:
        raise refused(refusal)
    locked.status, locked.decided_by, locked.decided_at = status, actor, timezone.now()
    locked.save(update_fields=["status", "decided_by", "decided_at"])
    return locked
