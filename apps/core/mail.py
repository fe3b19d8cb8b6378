"""Email goes out through the task worker, so a slow or failing mail server
never slows a page down or loses a message: the page queues, the worker sends
and retries.

``EMAIL_BACKEND = "apps.core.mail.QueuedEmailBackend"`` queues; the worker
delivers with ``EMAIL_DELIVERY_BACKEND`` (SMTP in production, console in
development, a folder of files in the service test).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction


def _text_attachments(message: EmailMessage) -> list[list[str]]:
    """The message's attachments given as (filename, content, mimetype) with text content (a calendar invitation,
    a CSV), as JSON can carry them; a ready-made MIME part or binary content is not queued (none is sent yet)."""
    found = []
    for attachment in message.attachments:
        if not isinstance(attachment, tuple):
            raise ValueError("only (filename, content, mimetype) attachments can be queued")
        filename, content, mimetype = attachment
        if isinstance(content, bytes):
            content = content.decode("utf-8")  # a binary file fails here, loudly, rather than arriving broken
        found.append([filename or "", content, mimetype or "text/plain"])
    return found


def serialise(message: EmailMessage) -> dict[str, Any]:
    alternatives = [[content, mimetype] for content, mimetype in getattr(message, "alternatives", [])]
    return {
        "subject": str(message.subject),
        "body": str(message.body),
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "alternatives": alternatives,
        "attachments": _text_attachments(message),
    }


def deserialise(data: dict[str, Any]) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=data["subject"],
        body=data["body"],
        from_email=data["from_email"],
        to=data["to"],
        cc=data["cc"],
        bcc=data["bcc"],
        reply_to=data["reply_to"],
    )
    for content, mimetype in data["alternatives"]:
        message.attach_alternative(content, mimetype)
    for filename, content, mimetype in data.get("attachments", []):  # queued before attachments were carried: none
        message.attach(filename, content, mimetype)
    return message


class QueuedEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        from .tasks import deliver_email

        for message in email_messages:
            data = serialise(message)
            transaction.on_commit(lambda data=data: deliver_email.enqueue(data))
        return len(email_messages)
