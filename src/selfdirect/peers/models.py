"""Peer support (issue 14, "Peer support and information"): budget buddies, where an
experienced holder offers to help, a holder or carer asks for help, staff match the two and
each side agrees before anything is shared; and referrals to support and user-led
organisations listed in the directory, which accept or decline them (decision 0052)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AskedAs(models.TextChoices):
    PERSON = "person", "The person"
    REPRESENTATIVE = "representative", "Their representative"
    STAFF = "staff", "Their worker, for them"


class BuddyOffer(models.Model):
    """An experienced holder's offer to be a budget buddy: what they can help with, how
    they like to be contacted and where. Nobody outside the peer support coordinators sees
    it until a person they are matched with has agreed, and they have too."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        WITHDRAWN = "withdrawn", "Withdrawn"

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    help_with = models.TextField()
    contact_how = models.TextField()
    areas = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    made_as = models.CharField(max_length=16, choices=AskedAs.choices)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    made_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-made_at", "-id"]

    def __str__(self) -> str:
        return f"Buddy offer {self.pk}"


class BuddyRequest(models.Model):
    """A holder's or carer's request for a budget buddy, in their words, with how they like
    to be contacted (shared with the buddy only once both have agreed)."""

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting for a match"
        MATCHED = "matched", "Matched"
        WITHDRAWN = "withdrawn", "Withdrawn"

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    help_wanted = models.TextField()
    contact_how = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    asked_as = models.CharField(max_length=16, choices=AskedAs.choices)
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    asked_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["asked_at", "id"]

    def __str__(self) -> str:
        return f"Buddy request {self.pk}"


class BuddyLink(models.Model):
    """A match made by staff between a request and an offer. It is ``proposed`` until both
    sides agree (then ``active``: each sees the other's name and contact), and ``ended``
    when either side says no or withdraws; nothing more is shared after that."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Waiting for both to agree"
        ACTIVE = "active", "Both agreed"
        ENDED = "ended", "Ended"

    class Side(models.TextChoices):
        BUDDY = "buddy", "The buddy"
        SEEKER = "seeker", "The person who asked"
        STAFF = "staff", "The council"

    request = models.ForeignKey(BuddyRequest, on_delete=models.PROTECT, related_name="links")
    offer = models.ForeignKey(BuddyOffer, on_delete=models.PROTECT, related_name="links")
    # Denormalised from the request and the offer, so who-can-see reads one row.
    seeker = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    buddy = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    matched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    matched_at = models.DateTimeField(auto_now_add=True)
    seeker_agreed_at = models.DateTimeField(null=True, blank=True)
    buddy_agreed_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by_side = models.CharField(max_length=10, choices=Side.choices, blank=True)

    class Meta:
        ordering = ["-matched_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="active")
                | models.Q(seeker_agreed_at__isnull=False, buddy_agreed_at__isnull=False),
                name="peers_buddylink_active_needs_both",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="ended") | models.Q(ended_at__isnull=False),
                name="peers_buddylink_ended_has_date",
            ),
            models.CheckConstraint(
                condition=~models.Q(seeker=models.F("buddy")),
                name="peers_buddylink_not_self",
            ),
            # One live match per request at a time.
            models.UniqueConstraint(
                fields=["request"],
                condition=models.Q(status__in=["proposed", "active"]),
                name="peers_buddylink_one_live_per_request",
            ),
        ]

    def __str__(self) -> str:
        return f"Buddy link {self.pk}"

    @property
    def is_live(self) -> bool:
        return self.status in (self.Status.PROPOSED, self.Status.ACTIVE)


class Referral(models.Model):
    """ "Ask them to contact me": a person (or staff for them) asks a support organisation in
    the directory to get in touch, sharing only the named details they agreed to share."""

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting for the organisation"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    service = models.ForeignKey("directory.Service", on_delete=models.PROTECT, related_name="+")
    provider = models.ForeignKey("providers.Provider", on_delete=models.PROTECT, related_name="+")
    # The named fields the person agreed to share (peers.rules.SHAREABLE), and their values
    # as they were when the referral was made: the organisation sees only these.
    shared = models.JSONField(default=dict)
    help_wanted = models.TextField()
    asked_as = models.CharField(max_length=16, choices=AskedAs.choices)
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    asked_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-asked_at", "-id"]
        indexes = [models.Index(fields=["provider", "status"], name="peers_referral_provider")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="waiting")
                | models.Q(decided_by__isnull=False, decided_at__isnull=False),
                name="peers_referral_decided_says_by_whom",
            ),
        ]

    def __str__(self) -> str:
        return f"Referral {self.pk}"
