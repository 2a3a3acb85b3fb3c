"""One interface for sending email, text messages and letters, shaped on GOV.UK Notify's
(a template id, the address, ``personalisation`` and a reference; Notify answers with an
id). ``SELFDIRECT_NOTIFY_BACKEND`` names the class; the default, ``OutboxBackend``, sends
nothing over a network: the delivery rows are the outbox, which staff and the person read in
the portal. ``GovukNotifyBackend`` calls the Notify client a council installs itself
(docs/notifications.md)."""

from __future__ import annotations

import uuid
from typing import Any, Protocol

from django.conf import settings
from django.utils.module_loading import import_string


class SendFailed(Exception):
    """The backend could not send; the message says why in words staff can act on."""


class NotifyBackend(Protocol):
    def send_email(
        self, *, to: str, template_id: str, personalisation: dict[str, Any], reference: str
    ) -> str: ...

    def send_sms(
        self, *, to: str, template_id: str, personalisation: dict[str, Any], reference: str
    ) -> str: ...

    def send_letter(
        self, *, template_id: str, personalisation: dict[str, Any], reference: str
    ) -> str: ...


class OutboxBackend:
    """Sends nothing: the delivery is recorded, with a made-up id, for the outbox page."""

    def send_email(
        self, *, to: str, template_id: str, personalisation: dict[str, Any], reference: str
    ) -> str:
        return str(uuid.uuid4())

    def send_sms(
        self, *, to: str, template_id: str, personalisation: dict[str, Any], reference: str
    ) -> str:
        return str(uuid.uuid4())

    def send_letter(
        self, *, template_id: str, personalisation: dict[str, Any], reference: str
    ) -> str:
        return str(uuid.uuid4())


class GovukNotifyBackend:
    """GOV.UK Notify through its Python client (``notifications-python-client``, which a
    council installs with its API key in ``SELFDIRECT_NOTIFY_API_KEY``). ``client`` is for
    tests: anything with Notify's three ``send_*_notification`` methods."""

    def __init__(self, client: Any = None) -> None:
        if client is None:
            try:
                module = import_string("notifications_python_client.NotificationsAPIClient")
            except ImportError as missing:
                raise SendFailed(
                    "GOV.UK Notify's client is not installed: pip install "
                    "notifications-python-client"
                ) from missing
            client = module(settings.SELFDIRECT_NOTIFY_API_KEY)
        self.client = client

    def _id(self, response: Any) -> str:
        try:
            return str(response["id"])
        except (KeyError, TypeError) as odd:
            raise SendFailed("GOV.UK Notify did not answer with an id") from odd

    def send_email(
        self, *, to: str, template_id: str, personalisation: dict[str, Any], reference: str
    ) -> str:
        return self._id(
            self.client.send_email_notification(
                email_address=to,
                template_id=template_id,
                personalisation=personalisation,
                reference=reference,
            )
        )

    def send_sms(
        self, *, to: str, template_id: str, personalisation: dict[str, Any], reference: str
    ) -> str:
        return self._id(
            self.client.send_sms_notification(
                phone_number=to,
                template_id=template_id,
                personalisation=personalisation,
                reference=reference,
            )
        )

    def send_letter(
        self, *, template_id: str, personalisation: dict[str, Any], reference: str
    ) -> str:
        return self._id(
            self.client.send_letter_notification(
                template_id=template_id, personalisation=personalisation, reference=reference
            )
        )


def backend() -> NotifyBackend:
    """The backend the settings name."""
    backend_class: type[NotifyBackend] = import_string(settings.SELFDIRECT_NOTIFY_BACKEND)
    return backend_class()
