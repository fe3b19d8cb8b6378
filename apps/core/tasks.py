"""Background work of the frame: delivering email and SMS.

Tasks take plain data (never model instances) and are queued on commit.
A delivery that fails raises, so the worker records the failure; the
operator sees it in the admin and can re-run it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django_tasks import task

from . import sms
from .mail import deserialise


@task()
def deliver_email(data: dict[str, Any]) -> int:
    connection = get_connection(settings.EMAIL_DELIVERY_BACKEND)
    return connection.send_messages([deserialise(data)]) or 0


@task()
def deliver_sms(to: str, text: str, sender: str) -> str:
    return sms.get_backend().send(sms.SmsMessage(to=to, text=text, sender=sender))


def send_sms(*, to: str, text: str) -> None:
    """Queue one SMS; it leaves once the current transaction commits."""
    transaction.on_commit(lambda: deliver_sms.enqueue(to, text, settings.SMS_SENDER))
