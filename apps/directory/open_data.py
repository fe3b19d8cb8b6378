"""The directory's open data (``Capability.open_data``): the published services, where they are and how to reach them.

What an organisation publishes in the directory is public by nature (its services, buildings, phone lines
and websites), so the whole published directory is a dataset, under CC0 like the places.  Only what city
staff published: never a change waiting for review, never a referral, a consent or anything else about a
person, and no contact person's name or email (a contact may be a staff member's own).

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula, and an organisation
types its own texts: every such text cell of the CSV starts with an apostrophe instead (OWASP's advice for
CSV injection).  Phone numbers are written as residents read them ("09 000 20 01"), so they do not start
with a "+".
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core import formats
from apps.core.capabilities import OpenDataset
from apps.core.open_data import csv_text, neutralise

from .models import Attribute, Location, Phone, Service, ServiceAtLocation

CSV_HEADER = [
    "service_id", "service", "organisation", "types_of_help", "status", "phone", "website", "location_id",
    "location", "address", "postcode", "city", "latitude", "longitude", "district_number", "district",
    "last_checked",
]  # fmt: skip


def published_services() -> QuerySet[Service]:
    """The published services that still run, with what the files show, in a fixed number of queries."""
    places = ServiceAtLocation.objects.select_related("location__district").prefetch_related(
        "location__addresses", Prefetch("location__phones", queryset=Phone.objects.order_by("number"))
    )
    return (
        Service.objects.filter(published_at__isnull=False, organisation__active=True)
        .exclude(status__in=[Service.Status.DEFUNCT, Service.Status.INACTIVE])
        .select_related("organisation")
        .prefetch_related(
            Prefetch("attributes", queryset=Attribute.objects.select_related("taxonomy_term")),
            Prefetch("phones", queryset=Phone.objects.order_by("number")),
            Prefetch("service_at_locations", queryset=places.order_by("location__name", "id")),
        )
        .order_by("name", "id")
    )


def _types_of_help(service: Service) -> list[str]:
    return sorted({attribute.taxonomy_term.name_nl for attribute in service.attributes.all()})


def _phone(phones: Any) -> str:
    first = next(iter(phones.all()), None)
    return formats.phone(first.number) if first is not None else ""


def _location(location: Location) -> dict[str, Any]:
    address = next(iter(location.addresses.all()), None)
    district = location.district
    return {
        "id": str(location.id),
        "name": location.name,
        "kind": location.location_type,
        "address": address.address_1 if address else "",
        "postcode": address.postal_code if address else "",
        "city": address.city if address else "",
        "latitude": location.latitude,
        "longitude": location.longitude,
        "district_number": district.number if district else None,
        "district": district.name if district else "",
        "phone": _phone(location.phones),
        "website": location.url,
    }


def _service(service: Service) -> dict[str, Any]:
    checked = service.checked_at or service.published_at
    return {
        "id": str(service.id),
        "name": service.name,
        "organisation": service.organisation.name,
        "types_of_help": _types_of_help(service),
        "status": service.status,
        "description": service.description,
        "phone": _phone(service.phones),
        "website": service.url,
        "last_checked": timezone.localdate(checked).isoformat() if checked else None,
        "locations": [_location(sal.location) for sal in service.service_at_locations.all()],
    }


def services_json() -> str:
    """Every published service with its organisation, types of help, phone, website and locations."""
    return json.dumps({"services": [_service(s) for s in published_services()]}, ensure_ascii=False, indent=1)


def _rows() -> Iterator[list[Any]]:
    """One row per service and location (a service offered by phone only has one row without an address)."""
    for service in published_services():
        data = _service(service)
        common = [data["id"], data["name"], data["organisation"], "; ".join(data["types_of_help"]), data["status"]]
        places = data["locations"] or [None]
        for place in places:
            phone = data["phone"] or (place or {}).get("phone")
            where = [
                place.get(key) if place else None
                for key in ("id", "name", "address", "postcode", "city", "latitude", "longitude")
            ]
            district = [place["district_number"], place["district"]] if place else [None, None]
            yield [*common, phone, data["website"], *where, *district, data["last_checked"]]


def services_csv() -> str:
    """The same, one row per service and location, text cells safe to open in a spreadsheet."""
    return csv_text(CSV_HEADER, ([neutralise(value) for value in row] for row in _rows()))


DATASETS = (
    OpenDataset(
        slug="services",
        title=_("Care and welfare services"),
        description=_(
            "The services in the directory, as the organisations published them: name, organisation, types of "
            "help, phone, website, and the locations where they are offered (address, coordinates in WGS84, "
            "district), with the date they were last checked. The CSV has one row per service and location; "
            "the JSON has one entry per service with its locations."
        ),
        formats={"csv": services_csv, "json": services_json},
        licence="CC0-1.0",
        source=_("City of People: the service directory, kept up to date by the organisations."),
    ),
)
