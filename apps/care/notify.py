"""Telling people what happened to their request or match: in the app always, and by email or SMS as
each person prefers and has consented to.

Every message is written in the platform's default language (Dutch) unless the person's account
chose another; texts are short and plain, and never carry care details in an email or SMS (those
channels leave the platform): they say *that* something changed and where to look, not *what* the
need is.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.utils import translation

from apps.core.tasks import send_sms
from apps.people.models import Person, Purpose

from .models import Message


def _consents(person: Person, purpose: str) -> bool:
    return person.consents.filter(purpose=purpose, withdrawn_at__isnull=True).exists()


def channels_for(person: Person) -> list[str]:
    """The outside channels a message may take: the person's preference, if they consented to it."""
    preference = person.contact_preference
    if preference == Person.ContactPreference.EMAIL and person.email and _consents(person, Purpose.CONTACT_EMAIL):
        return ["email"]
    if preference == Person.ContactPreference.SMS and person.phone and _consents(person, Purpose.CONTACT_SMS):
        return ["sms"]
    return []


def notify(person: Person, text: str, link: str = "") -> Message:
    """An in-app message, plus an email or SMS by the person's preference and consent (queued on commit).

    ``text`` is already translated by the caller (inside :func:`for_person`).
    """
    message = Message.objects.create(person=person, text=text[:500], link=link)
    for channel in channels_for(person):
        if channel == "email":
            send_mail(
                subject=text[:70],
                message=f"{text}\n\n{settings.SITE_URL.rstrip('/')}{link}" if link else text,
                from_email=None,
                recipient_list=[person.email],
            )
        else:
            send_sms(to=person.phone, text=text[:300])
    return message


def for_person(person: Person) -> translation.override:
    """Translate the texts of a message in the person's language (the account's, else the default)."""
    language = getattr(getattr(person, "user", None), "language", None) or settings.LANGUAGE_CODE
    return translation.override(language)
