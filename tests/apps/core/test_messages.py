"""Email and SMS leave through the task worker, never from inside a page."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings

from apps.core import sms
from apps.core.tasks import send_sms

# the worker commits and closes its connection, as it does in production
pytestmark = pytest.mark.django_db(transaction=True)


def test_email_is_queued_then_delivered_by_the_worker() -> None:
    with override_settings(EMAIL_BACKEND="apps.core.mail.QueuedEmailBackend"):
        mail.send_mail("Bevestiging", "Uw aanvraag is ontvangen.", None, ["rosa@example.org"])
    assert mail.outbox == [], "nothing is sent before the worker runs"
    call_command("db_worker", "--batch", verbosity=0)
    assert [m.subject for m in mail.outbox] == ["Bevestiging"]
    assert mail.outbox[0].to == ["rosa@example.org"]


def test_sms_is_queued_then_delivered_by_the_worker() -> None:
    sms.MemorySmsBackend.outbox.clear()
    send_sms(to="+32470123456", text="Uw bezoek is morgen om 10 uur.")
    assert sms.MemorySmsBackend.outbox == []
    call_command("db_worker", "--batch", verbosity=0)
    assert sms.MemorySmsBackend.outbox == [
        sms.SmsMessage(to="+32470123456", text="Uw bezoek is morgen om 10 uur.", sender="CityofPeople")
    ]
