"""Users' roles, teams, the organisations users work for, API tokens and work items."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone

from selfdirect.access.roles import Role


class Team(models.Model):
    """A social work team holding a caseload (or a brokerage team of support planners)."""

    name = models.CharField(max_length=120, unique=True)
    code = models.SlugField(max_length=40, unique=True)
    area = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Profile(models.Model):
    """What Selfdirect knows about a user beyond Django's account: their roles and links.

    A user can hold several roles (an administrator may also be a practitioner).
    ``person`` links a holder, representative or carer to their own person record;
    ``provider`` links a provider's staff to their organisation.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    roles = models.JSONField(default=list, help_text="Role codes; see access.roles.Role.")
    person = models.OneToOneField(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="user_profile",
    )
    provider = models.ForeignKey(
        "providers.Provider", null=True, blank=True, on_delete=models.PROTECT, related_name="staff"
    )
    job_title = models.CharField(max_length=120, blank=True)
    # The largest weekly budget this user may sign off; blank means no limit (the panel).
    sign_off_limit_weekly_pence = models.PositiveBigIntegerField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.user} ({', '.join(self.roles)})"

    def has_role(self, role: Role | str) -> bool:
        return str(role) in self.roles


class TeamMembership(models.Model):
    """A practitioner, planner or manager working in a team. Managers manage their teams."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="team_memberships"
    )
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    is_manager = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "team"], name="access_teammembership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.team}{' (manager)' if self.is_manager else ''}"


class ApiToken(models.Model):
    """A bearer token for a system calling the API as a user. Only a hash is kept.

    It works until ``expires_at`` or until revoked, whichever is first. ``last_used_at`` is
    to the minute at best: it is written at most once a minute per token.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=80, blank=True)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"API token {self.prefix}… for {self.user}"

    def is_active(self, now: dt.datetime) -> bool:
        return self.revoked_at is None and self.expires_at > now


class RoleChange(models.Model):
    """A role given to or taken from a user by an administrator.

    Taking a role away, and giving one that opens no one's personal data, applies at once
    (``applied``). Giving a role in ``roles.SECOND_ADMINISTRATOR_ROLES`` waits (``pending``)
    until a different administrator confirms or refuses it; until then the user does not
    have the role. No one changes their own roles.
    """

    class Kind(models.TextChoices):
        GRANT = "grant", "Given"
        REMOVE = "remove", "Taken away"

    class Status(models.TextChoices):
        APPLIED = "applied", "Applied"
        PENDING = "pending", "Waiting for a second administrator"
        CONFIRMED = "confirmed", "Confirmed"
        REFUSED = "refused", "Refused"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="role_changes"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            # The rule itself, in the database too: never your own roles, and the one who
            # decides a request is never the one who asked.
            models.CheckConstraint(
                condition=~models.Q(user=models.F("requested_by")),
                name="access_rolechange_not_own",
            ),
            models.CheckConstraint(
                condition=models.Q(decided_by__isnull=True)
                | (
                    ~models.Q(decided_by=models.F("requested_by"))
                    & ~models.Q(decided_by=models.F("user"))
                ),
                name="access_rolechange_second_admin",
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=models.Q(status="pending"),
                name="access_rolechange_one_pending",
            ),
        ]
        indexes = [models.Index(fields=["user", "requested_at"], name="access_rolechange_user")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.role} for {self.user} ({self.status})"

    @property
    def happened_at(self) -> dt.datetime:
        return self.decided_at or self.requested_at


class WorkItem(models.Model):
    """A piece of work waiting for a team or a user, shown on their home page."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"

    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=40)
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.CASCADE, related_name="work_items"
    )
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.CASCADE)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    for_role = models.CharField(max_length=20, choices=Role.choices)
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["for_role", "status", "team"], name="access_workitem_queue"),
        ]
        ordering = ["due_date", "id"]

    def __str__(self) -> str:
        return self.title
