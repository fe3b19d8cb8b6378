"""A small world for the wellbeing tests: the coordinator of district 1 (Binnenstad), the coordinator of district 3
(Macharius - Heirnis), a helper and a resident of district 1, each with an account."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import count
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from apps.core import sms
from apps.people.models import Consent, Person, Purpose, Role, RoleAssignment
from apps.places.models import District

_numbers = count(1)


def make_person(first_name: str, district: District, role: str | None = None) -> Person:
    n = next(_numbers)
    email = f"{first_name.lower()}.{n}@wellbeing.example"
    user = get_user_model().objects.create_user(username=email, email=email, password="not-used-here-123")
    person = Person.objects.create(
        user=user, first_name=first_name, last_name=f"Test{n}", email=email, street="Korenmarkt",
        house_number=str(n), postcode="9000", lat=district.interior_lat, lon=district.interior_lon,
        district=district, languages=["nl"],
    )  # fmt: skip
    if role is not None:
        RoleAssignment.objects.create(person=person, role=role, district=district if role != Role.RESIDENT else None)
    return person


def client_for(person: Person | None) -> Client:
    """A client signed in as the person (staff with the second factor they must have); ``None``: a visitor."""
    client = Client()
    if person is None:
        return client
    staff = RoleAssignment.objects.filter(person=person, role__in=settings.STAFF_MFA_ROLES).exists()
    if staff and not Authenticator.objects.filter(user=person.user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(person.user, "JBSWY3DPEHPK3PXP")
    client.force_login(person.user)
    return client


def consent_of(person: Person) -> Consent:
    """The person's consent for the wellbeing purpose (cases and screenings), given now by phone."""
    return Consent.objects.create(
        person=person, purpose=Purpose.WELLBEING_SCREENING, method="phone", text_version="2026-12",
        given_at=timezone.now(),
    )  # fmt: skip


@dataclass
class World:
    district: District
    other_district: District
    coordinator: Person
    other_coordinator: Person
    helper: Person
    resident: Person

    def client(self, who: str) -> Client:
        return client_for(None if who == "anonymous" else getattr(self, who))


@pytest.fixture
def world(db: None) -> World:
    if not District.objects.exists():  # a test with transaction=True before this one emptied every table
        call_command("load_districts", verbosity=0)
    binnenstad, macharius = District.objects.get(number=1), District.objects.get(number=3)
    return World(
        district=binnenstad, other_district=macharius,
        coordinator=make_person("Tine", binnenstad, Role.COORDINATOR),
        other_coordinator=make_person("Omar", macharius, Role.COORDINATOR),
        helper=make_person("Hanne", binnenstad, Role.HELPER),
        resident=make_person("Rik", binnenstad, Role.RESIDENT),
    )  # fmt: skip


@pytest.fixture(autouse=True)
def empty_sms_outbox() -> Iterator[None]:
    sms.MemorySmsBackend.outbox.clear()
    yield
    sms.MemorySmsBackend.outbox.clear()


GOOD: dict[str, Any] = {
    "address": "Sint-Pietersnieuwstraat 33",
    "signs": ["mail", "curtains"],
    "noticed": "De brievenbus puilt uit sinds een week.",
}
"""A report about an address in district 1 (Binnenstad), by an anonymous neighbour."""


@pytest.fixture
def post_report() -> Callable[..., Any]:
    def post(client: Client | None = None, language: str = "nl", **fields: Any) -> Any:
        data = {**GOOD, **fields}
        data = {key: value for key, value in data.items() if value is not None}
        return (client or Client()).post(f"/{language}/wellbeing/worried/", data)

    return post
