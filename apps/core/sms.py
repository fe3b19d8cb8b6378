"""Sending SMS behind a small, pluggable interface.

Many older residents and newcomers have a mobile phone but no email
address, so SMS is a first-class channel.  The platform never talks to a
provider directly: it calls ``send_sms`` which queues the delivery as a
background task; the task calls the configured backend (``SMS_BACKEND``).

Writing an adapter for a real provider means subclassing ``SmsBackend`` and
implementing ``send``; see ``HttpSmsBackend`` for the expected shape.
"""

from __future__ import annotations

import json
import logging
import urllib.request
from dataclasses import dataclass
from typing import ClassVar

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SmsMessage:
    to: str  # E.164, e.g. +32470123456
    text: str
    sender: str


class SmsDeliveryError(RuntimeError):
    """The provider refused or could not be reached; the task will retry."""


class SmsBackend:
    """Base class: one method, ``send``, which raises ``SmsDeliveryError`` on failure."""

    def send(self, message: SmsMessage) -> str:
        """Deliver one message and return the provider's message id."""
        raise NotImplementedError


class ConsoleSmsBackend(SmsBackend):
    """Development: print the message instead of sending it."""

    def send(self, message: SmsMessage) -> str:
        logger.info("SMS to %s from %s: %s", message.to, message.sender, message.text)
        print(f"--- SMS to {message.to} from {message.sender} ---\n{message.text}\n---", flush=True)  # noqa: T201
        return "console"


class MemorySmsBackend(SmsBackend):
    """Tests: keep sent messages in a list, like Django's locmem email backend."""

    outbox: ClassVar[list[SmsMessage]] = []

    def send(self, message: SmsMessage) -> str:
        self.outbox.append(message)
        return f"memory-{len(self.outbox)}"


class HttpSmsBackend(SmsBackend):
    """The shape of a real provider adapter: a JSON POST with a bearer token.

    Configure with ``COP_SMS_BACKEND=apps.core.sms.HttpSmsBackend`` plus
    ``SMS_HTTP_URL`` and ``SMS_HTTP_TOKEN`` settings.  Providers differ in
    field names; subclass and override ``payload`` and ``message_id``.
    """

    timeout_seconds = 10

    def payload(self, message: SmsMessage) -> dict[str, str]:
        return {"to": message.to, "from": message.sender, "text": message.text}

    def message_id(self, response_body: bytes) -> str:
        return str(json.loads(response_body).get("id", ""))

    def send(self, message: SmsMessage) -> str:
        request = urllib.request.Request(  # noqa: S310 - the URL is the operator's own setting
            settings.SMS_HTTP_URL,
            data=json.dumps(self.payload(message)).encode(),
            headers={"Authorization": f"Bearer {settings.SMS_HTTP_TOKEN}", "Content-Type": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_seconds) as response:  # noqa: S310
                return self.message_id(response.read())
        except OSError as error:
            raise SmsDeliveryError(str(error)) from error


def get_backend() -> SmsBackend:
    backend_class: type[SmsBackend] = import_string(settings.SMS_BACKEND)
    return backend_class()
