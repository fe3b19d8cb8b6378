"""People, organisations and published records for the tests of "Our services" and the city's review."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from apps.directory.models import Address, Location, Service, TaxonomyTerm
from apps.organisations.models import Organisation
from apps.people.models import Person, Role, RoleAssignment
from apps.places.models import District

_numbers = itertools.count(1)
LONG_AGO = timedelta(days=400)


def organisation(name: str) -> Organisation:
    return Organisation.objects.create(name=name, slug=f"records-org-{next(_numbers)}")


def person(first_name: str, role: str, organisation: Organisation | None = None, email: str | None = None) -> Person:
    n = next(_numbers)
    email = email if email is not None else f"{first_name.lower()}.{n}@records.example"
    user = get_user_model().objects.create_user(
        username=f"{first_name}{n}@u.example", email=email, password="x-Y-z-123456"
    )
    found = Person.objects.create(user=user, first_name=first_name, last_name=f"Test{n}", email=email)
    RoleAssignment.objects.create(person=found, role=role, organisation=organisation)
    return found


def client_for(who: Person) -> Client:
    client = Client()
    client.force_login(who.user)
    return client


def term(name_nl: str, name_en: str) -> TaxonomyTerm:
    return TaxonomyTerm.objects.create(name_nl=name_nl, name_en=name_en, name_fr=name_en)


def published_location(
    org: Organisation, name: str = "Dienstencentrum Sint-Pieters", *, checked_ago: timedelta = timedelta(0)
) -> Location:
    when = timezone.now() - checked_ago
    location = Location.objects.create(
        organisation=org, name=name, latitude=51.046937, longitude=3.727884,
        district=District.objects.get(number=1), published_at=when, checked_at=when,
    )  # fmt: skip
    Address.objects.create(location=location, address_1="Sint-Pietersnieuwstraat 33", city="Gent",
                           state_province="Oost-Vlaanderen", postal_code="9000")  # fmt: skip
    return location


def published_service(
    org: Organisation, name: str = "Warme maaltijden", *, checked_ago: timedelta = timedelta(0)
) -> Service:
    when = timezone.now() - checked_ago
    return Service.objects.create(organisation=org, name=name, published_at=when, checked_at=when)


@dataclass
class World:
    """Two organisations, a staff member of each, a reviewer, a type of help and a published location."""

    org: Organisation
    other_org: Organisation
    staff: Person
    other_staff: Person
    reviewer: Person
    meals: TaxonomyTerm
    location: Location


def world() -> World:
    org = organisation("Buurtzorg Sint-Pieters")
    other = organisation("Andere Dienst")
    return World(
        org=org, other_org=other, staff=person("Ingrid", Role.ORGANISATION_STAFF, org),
        other_staff=person("Omar", Role.ORGANISATION_STAFF, other), reviewer=person("Chris", Role.CITY_STAFF),
        meals=term("Maaltijden aan huis", "Meals at home"), location=published_location(org),
    )  # fmt: skip


def service_post(org: Organisation, location: Location | None = None, **changes: object) -> dict[str, object]:
    """The service form as a person fills it in: a name, costs, one row of opening hours."""
    data: dict[str, object] = {
        "organisation": org.pk, "name": "Warme maaltijden aan huis", "status": "active",
        "description": "Elke middag een warme maaltijd.",
        "eligibility_description": "Mensen ouder dan 65", "minimum_age": "65", "maximum_age": "",
        "cost": "amount", "amount": "7.50", "fees_description": "Per maaltijd", "application_process": "Bel ons",
        "documents": "Identiteitskaart\nKlevertje van het ziekenfonds", "languages": ["nl", "fr"],
        "phone": "09 225 12 34", "email": "maaltijden@example.org", "url": "https://example.org/maaltijden",
        "appointment_note": "",
        "hours-TOTAL_FORMS": "2", "hours-INITIAL_FORMS": "0", "hours-MIN_NUM_FORMS": "0", "hours-MAX_NUM_FORMS": "30",
        "closures-TOTAL_FORMS": "2", "closures-INITIAL_FORMS": "0", "closures-MIN_NUM_FORMS": "0",
        "closures-MAX_NUM_FORMS": "30",
    }  # fmt: skip
    if location is not None:
        data.update({
            "locations": [str(location.pk)], "hours-0-location": str(location.pk), "hours-0-days": ["MO", "WE"],
            "hours-0-opens_at": "11:30", "hours-0-closes_at": "13:00",
        })  # fmt: skip
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}
