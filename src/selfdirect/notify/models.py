"""What the council tells a person when something happens: a message in their portal and,
by their preferred way of contact, an email, a text or a letter sent through one interface
(``notify.backends``). Nothing here is deleted; a message is only marked read."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Message(models.Model):
    """One message to one reader (the person, or someone who acts for them) about a person."""

    class Kind(models.TextChoices):
        DECISION = "decision", "A decision"
        REQUEST_ANSWERED = "request_answered", "A request answered"
        REVIEW_DUE = "review_due", "A review is due"
        NOTICE = "notice", "Notice of a change"
        PAYMENT_PROBLEM = "payment_problem", "A problem with a payment"
        PLAN = "plan", "Your support plan"
        RECOVERY = "recovery", "Money that may be taken back"
        STATEMENT = "statement", "A question about a statement"
        CHARGE = "charge", "What you pay towards your care"
        SURVEY = "survey", "A survey to answer"

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="messages")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="messages"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    subject = models.CharField(max_length=150)
    body = models.TextField()
    # Where in the portal the person can see more (a path, never another site).
    link = models.CharField(max_length=200, blank=True)
    # Sending the same news twice (a retried job, a second click) makes one message.
    key = models.CharField(max_length=120)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The unread count in every page's menu reads only this index.
            models.Index(fields=["recipient", "read_at"], name="notify_message_unread"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="notify_message_once"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} to {self.recipient}"


class Delivery(models.Model):
    """A message sent outside the portal (email, text or letter) through the backend."""

    class Channel(models.TextChoices):
        EMAIL = "email", "Email"
        TEXT = "text", "Text message"
        LETTER = "letter", "Letter"

    class Status(models.TextChoices):
        SENT = "sent", "Sent"
        FAILED = "failed", "Could not be sent"
        NO_ADDRESS = "no_address", "Not sent: no address recorded"

    message = models.ForeignKey(Message, on_delete=models.PROTECT, related_name="deliveries")
    channel = models.CharField(max_length=6, choices=Channel.choices)
    to = models.CharField(max_length=254, blank=True)
    template_id = models.CharField(max_length=64)
    personalisation = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=Status.choices)
    reason = models.CharField(max_length=200, blank=True)
    backend_reference = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} for {self.message}"
