"""Published directory records for the search tests, written straight into the live tables.

``search_text`` is filled as ``Service.search_text`` documents it (name, other name, description, organisation
and types of help, normalised), the way the HSDS import and the review fill it.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from datetime import date, time

from django.utils import timezone

from apps.directory.models import (
    Address,
    Attribute,
    Language,
    Location,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    TaxonomyTerm,
)
from apps.organisations.models import Organisation
from apps.places.models import District
from domain.directory.text import normalise

_numbers = itertools.count(1)
KORENMARKT = (51.055273, 3.722657)  # Korenmarkt 1, Binnenstad
SINT_PIETERS = (51.046937, 3.727884)  # Sint-Pietersnieuwstraat 33, Binnenstad
GENTBRUGGE = (51.0390, 3.7755)  # about 4 km east of the Korenmarkt


def organisation(name: str = "Zorgpunt Gent", active: bool = True) -> Organisation:
    return Organisation.objects.create(name=name, slug=f"org-{next(_numbers)}", active=active)


def term(name_nl: str, name_en: str = "", name_fr: str = "", parent: TaxonomyTerm | None = None) -> TaxonomyTerm:
    return TaxonomyTerm.objects.create(name_nl=name_nl, name_en=name_en or name_nl, name_fr=name_fr, parent=parent)


def refresh_text(service: Service) -> None:
    terms = [
        " ".join((a.taxonomy_term.name_nl, a.taxonomy_term.name_en, a.taxonomy_term.name_fr))
        for a in service.attributes.select_related("taxonomy_term")
    ]
    parts = [service.name, service.alternate_name, service.description, service.organisation.name, *terms]
    service.search_text = normalise(" ".join(parts))
    service.save(update_fields=["search_text"])


def service(
    name: str,
    description: str = "",
    *,
    org: Organisation | None = None,
    status: str = Service.Status.ACTIVE,
    terms: Iterable[TaxonomyTerm] = (),
    languages: Iterable[str] = (),
    phone: str = "",
    **fields: object,
) -> Service:
    made = Service.objects.create(
        organisation=org or organisation(), name=name, description=description, status=status,
        published_at=timezone.now(), checked_at=timezone.now(), assured_date=date(2026, 11, 2), **fields,
    )  # fmt: skip
    for each in terms:
        Attribute.objects.create(taxonomy_term=each, service=made)
    for code in languages:
        Language.objects.create(service=made, code=code)
    if phone:
        Phone.objects.create(service=made, number=phone)
    refresh_text(made)
    return made


def place(
    offered: Service,
    point: tuple[float, float] | None = KORENMARKT,
    *,
    district: int | None = 1,
    street: str = "Korenmarkt 1",
    name: str = "",
    languages: Iterable[str] = (),
) -> ServiceAtLocation:
    location = Location.objects.create(
        organisation=offered.organisation, name=name or f"{offered.name} – {street}",
        latitude=point[0] if point else None, longitude=point[1] if point else None,
        district=District.objects.get(number=district) if district else None,
        location_type=Location.Kind.PHYSICAL if point else Location.Kind.VIRTUAL,
    )  # fmt: skip
    if point:
        Address.objects.create(location=location, address_1=street, city="Gent", state_province="Oost-Vlaanderen",
                               postal_code="9000")  # fmt: skip
    for code in languages:
        Language.objects.create(location=location, code=code)
    return ServiceAtLocation.objects.create(service=offered, location=location)


def area(offered: Service, district: int) -> ServiceArea:
    found = District.objects.get(number=district)
    return ServiceArea.objects.create(service=offered, name=found.name, district=found)


def hours(
    days: str = "MO,TU,WE,TH,FR",
    opens: time | None = time(9),
    closes: time | None = time(17),
    *,
    kind: str = Schedule.Kind.HOURS,
    valid_from: date | None = None,
    valid_to: date | None = None,
    **at: object,
) -> Schedule:
    """A schedule of a service (``service=``), a location (``location=``) or a service at a location."""
    return Schedule.objects.create(kind=kind, byday=days, opens_at=opens, closes_at=closes, valid_from=valid_from,
                                   valid_to=valid_to, **at)  # fmt: skip


def closed(valid_from: date, valid_to: date, **at: object) -> Schedule:
    return hours("", None, None, kind=Schedule.Kind.CLOSED, valid_from=valid_from, valid_to=valid_to, **at)


def by_appointment(**at: object) -> Schedule:
    return hours("", None, None, kind=Schedule.Kind.APPOINTMENT, **at)
