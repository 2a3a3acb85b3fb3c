"""The append-only audit log: every change (who, when, what before and after) and every
view of a person's record. The database refuses updates and deletes (see migration 0002),
and each event carries the hash of the one before it (see ``chain``), so a change made
behind the database's back is found by ``manage.py audit_verify``.

A list look (search results, a queue) is one chained event naming everyone shown in its
hashed ``changes``, plus one slim ``Listed`` row per person so each person's log finds it
by index (decision 0056); ``audit_verify`` checks the rows against the hashed ids."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Action(models.TextChoices):
    CREATE = "create", "Created"
    UPDATE = "update", "Changed"
    DELETE = "delete", "Removed"
    VIEW = "view", "Viewed"
    IMPORT = "import", "Imported"
    SIGN_IN = "sign_in", "Signed in"
    SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
    SIGN_OUT = "sign_out", "Signed out"
    TOKEN = "token", "API token issued"
    DENIED = "denied", "Access refused"
    EXPORT = "export", "Audit trail exported"


class Event(models.Model):
    # Stamped when the event is chained (audit.chain), just before the insert: the hash
    # covers it, so it is set in Python rather than by auto_now_add at INSERT time.
    at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_username = models.CharField(max_length=150, blank=True)
    actor_roles = models.CharField(max_length=200, blank=True)
    # The actor's teams when it happened, so "by role and team" stays true after staff move.
    # Nullable so SQLite adds the column in place (a table rebuild would drop the
    # append-only triggers); null means "recorded before teams were kept".
    actor_teams = models.CharField(max_length=300, null=True, blank=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=40, blank=True)
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    summary = models.CharField(max_length=300)
    # {"field label": [before, after]} for changes; {} for views.
    changes = models.JSONField(default=dict, blank=True)
    channel = models.CharField(max_length=10, default="web")  # web, api, command
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    # The hash chain (hex SHA-256). Nullable so SQLite adds the columns in place (see
    # actor_teams); migration 0004 fills them for the events written before.
    prev_hash = models.CharField(max_length=64, null=True, blank=True, editable=False)
    hash = models.CharField(max_length=64, null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["person", "-at"], name="audit_event_person_at"),
            models.Index(fields=["actor", "-at"], name="audit_event_actor_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_username} {self.action} {self.object_type}"


# ``object_type`` of a list look: one event for the whole list (decision 0056).
LIST = "list"
# The key of ``changes`` naming the people shown in a list look (sorted person ids).
LISTED_KEY = "people"


class Listed(models.Model):
    """One person shown in a list look: the slim, unchained index of a ``LIST`` event by
    person. The event's hashed ``changes`` name the same people, and ``audit_verify``
    checks the two agree, so a row added, removed or changed behind the database's back is
    found. Append-only like ``Event`` (migration 0005's triggers; a table rebuild on SQLite
    would drop them, so change this table only by adding nullable columns)."""

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="+", db_index=False)
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="+", db_index=False
    )

    class Meta:
        constraints = [
            # Also the index audit_verify reads a chunk of events' rows by.
            models.UniqueConstraint(fields=["event", "person"], name="audit_listed_event_person")
        ]
        indexes = [models.Index(fields=["person", "event"], name="audit_listed_person_event")]

    def __str__(self) -> str:
        return f"event {self.event_id} listed person {self.person_id}"
