"""A small world for the referral tests, without the demo city.

District 1 holds Rosalie (a resident with an account, phone, address, date of birth), her coordinator
Tamara, and two organisations: "Thuiszorg Noord" (staff Ingrid) with a published home-nursing service at one
location, and "Dienstencentrum Zuid" (staff Jef) with a published meals service.  A coordinator of district 2
(Otto) coordinates nobody here.  Everyone has an account, so the same people act through the services and
through the pages.

Imported by the referral tests (``from .referral_world import *``): pytest finds the fixtures by name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from itertools import count
from typing import Any
from unittest import mock

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from apps.access.actors import Actor, actor_for_user
from apps.directory import referrals as services
from apps.directory.hsds import refresh_search_text
from apps.directory.models import Address as ServiceAddress
from apps.directory.models import Location, Phone, Referral, ReferralEvent, Service, ServiceAtLocation
from apps.organisations.models import Organisation
from apps.people.models import Person, Role, RoleAssignment
from apps.places.models import District

_numbers = count(1)


def actor(person: Person) -> Actor:
    return actor_for_user(person.user)


def make_person(first_name: str, district: District, **fields: Any) -> Person:
    n = next(_numbers)
    email = fields.pop("email", f"{first_name.lower()}.{n}@referral.example")
    user = get_user_model().objects.create_user(username=email, email=email, password="not-used-here-123")
    return Person.objects.create(
        user=user, first_name=first_name, last_name=f"Test{n}", email=email, street=f"{first_name}straat",
        house_number=str(n), postcode="9000", lat=district.interior_lat, lon=district.interior_lon,
        district=district, languages=["nl"], **fields,
    )  # fmt: skip


def grant(person: Person, role: str, *, district: District | None = None, organisation: Organisation | None = None
          ) -> None:  # fmt: skip
    RoleAssignment.objects.create(person=person, role=role, district=district, organisation=organisation)


def make_service(organisation: Organisation, name: str, district: District, *, phone: str = "") -> Service:
    now = timezone.now()
    service = Service.objects.create(organisation=organisation, name=name, published_at=now, checked_at=now,
                                     description=f"{name} voor ouderen.")  # fmt: skip
    location = Location.objects.create(organisation=organisation, name=f"{organisation.name} {district.name}",
                                       district=district, published_at=now)  # fmt: skip
    ServiceAddress.objects.create(location=location, address_1="Zorgstraat 1", city="Gent",
                                  state_province="Oost-Vlaanderen", postal_code="9000")  # fmt: skip
    place = ServiceAtLocation.objects.create(service=service, location=location)
    if phone:
        Phone.objects.create(service_at_location=place, number=phone)
    refresh_search_text(service)  # what the search looks in, as a publication writes it
    return service


@dataclass
class ReferralWorld:
    district: District
    other_district: District
    resident: Person
    coordinator: Person
    other_coordinator: Person
    organisation: Organisation
    other_organisation: Organisation
    staff: Person
    other_staff: Person
    service: Service
    other_service: Service

    @property
    def place(self) -> ServiceAtLocation:
        return self.service.service_at_locations.get()

    def refer(self, **changes: Any) -> Referral:
        """Tamara refers Rosalie to home nursing (name, phone and need passed on; consent by phone)."""
        arguments: dict[str, Any] = {
            "actor_person": actor(self.coordinator), "person": self.resident, "service": self.service,
            "service_at_location": self.place, "need": "Wondzorg na een operatie aan de heup.",
            "shared_fields": ["name", "phone", "need"], "consent_method": "phone",
        }  # fmt: skip
        arguments.update(changes)
        return services.referral_create(**arguments)


@pytest.fixture
def referral_world(db: None) -> ReferralWorld:
    if not District.objects.exists():
        call_command("load_districts", verbosity=0)
    district, other = list(District.objects.order_by("number")[:2])
    organisation = Organisation.objects.create(name="Thuiszorg Noord", slug="thuiszorg-noord", phone="092251234")
    other_organisation = Organisation.objects.create(name="Dienstencentrum Zuid", slug="dienstencentrum-zuid")
    resident = make_person("Rosalie", district, phone="+32477503067", birth_date=date(1944, 3, 2),
                           contact_preference=Person.ContactPreference.PHONE)  # fmt: skip
    grant(resident, Role.RESIDENT)
    coordinator = make_person("Tamara", district)
    grant(coordinator, Role.COORDINATOR, district=district)
    other_coordinator = make_person("Otto", other)
    grant(other_coordinator, Role.COORDINATOR, district=other)
    staff = make_person("Ingrid", district)
    grant(staff, Role.ORGANISATION_STAFF, organisation=organisation)
    other_staff = make_person("Jef", other)
    grant(other_staff, Role.ORGANISATION_STAFF, organisation=other_organisation)
    return ReferralWorld(
        district=district, other_district=other, resident=resident, coordinator=coordinator,
        other_coordinator=other_coordinator, organisation=organisation, other_organisation=other_organisation,
        staff=staff, other_staff=other_staff,
        service=make_service(organisation, "Thuisverpleging Noord", district, phone="092251234"),
        other_service=make_service(other_organisation, "Maaltijden aan huis", district),
    )  # fmt: skip


@pytest.fixture
def client_for() -> Callable[[Person], Client]:
    def make(person: Person) -> Client:
        staff = RoleAssignment.objects.filter(person=person, role__in=settings.STAFF_MFA_ROLES).exists()
        if staff and not Authenticator.objects.filter(user=person.user, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(person.user, "JBSWY3DPEHPK3PXP")
        client = Client()
        client.force_login(person.user)
        return client

    return make


@contextmanager
def clock(moment: datetime) -> Iterator[None]:
    """Pretend it is ``moment`` (``timezone.now`` and ``timezone.localdate`` follow it)."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def snapshot() -> dict[str, list[dict[str, Any]]]:
    """Every row a referral write could change, to prove that bad input changed nothing."""
    from apps.care.models import Referral as CareReferral
    from apps.people.models import Consent

    return {
        "referrals": list(Referral.objects.order_by("pk").values()),
        "events": list(ReferralEvent.objects.order_by("pk").values()),
        "consents": list(Consent.objects.order_by("pk").values()),
        "care": list(CareReferral.objects.order_by("pk").values()),
    }


def text_of(response: Any) -> str:
    """The page's visible text, with its whitespace folded (for "the user sees" assertions)."""
    import re
    from html import unescape

    html = response.content.decode()
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()
