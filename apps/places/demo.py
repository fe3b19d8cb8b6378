"""Demo places: fictitious neighbourhood centres and venues on real Ghent addresses.

No open file of the city's neighbourhood centres exists (see data/gent/SOURCE.md),
so names are invented; the addresses are real points of the address register.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from datetime import time
from functools import cache

from django.conf import settings
from django.utils.text import slugify

from .models import District, OpeningHours, Place, Room


@dataclass(frozen=True)
class AddressPoint:
    street: str
    house_number: str
    postcode: str
    lat: float
    lon: float
    district_number: int


@cache
def addresses_by_district() -> dict[int, list[AddressPoint]]:
    """All address points of the register, grouped by district number (read once)."""
    grouped: dict[int, list[AddressPoint]] = {}
    with open(settings.ADDRESSES_FILE, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if not row["district_nr"]:
                continue
            point = AddressPoint(
                row["street"],
                row["housenumber"],
                row["postcode"],
                float(row["lat"]),
                float(row["lon"]),
                int(row["district_nr"]),
            )
            grouped.setdefault(point.district_number, []).append(point)
    return grouped


def random_address(generator: random.Random, district_number: int) -> AddressPoint:
    return generator.choice(addresses_by_district()[district_number])


CENTRE_NAMES = ["De Buurtkamer", "Het Trefpunt", "De Ontmoeting", "Den Hoek", "De Vonk", "Het Pleintje", "De Linde"]
ROOMS = [
    ("Grote zaal", 80, "projector, geluidsinstallatie"),
    ("Vergaderzaal", 16, "scherm"),
    ("Keuken", 12, "kookeilanden"),
    ("Atelier", 20, "werktafels"),
    ("Praatcafé", 30, ""),
]
KIND_ROOMS = {Place.Kind.NEIGHBOURHOOD_CENTRE: 3, Place.Kind.SERVICE_CENTRE: 2, Place.Kind.LIBRARY: 1}


def _place(generator: random.Random, district: District, kind: Place.Kind, name: str) -> Place:
    point = random_address(generator, district.number)
    place, _ = Place.objects.update_or_create(
        slug=slugify(name)[:200],
        defaults={
            "name": name,
            "kind": kind,
            "district": district,
            "street": point.street,
            "house_number": point.house_number,
            "postcode": point.postcode,
            "lat": point.lat,
            "lon": point.lon,
            "phone": f"+32 9 {generator.randint(200, 299)} {generator.randint(10, 99)} {generator.randint(10, 99)}",
            "wheelchair_accessible": generator.random() < 0.8,
            "description": "Fictieve plaats voor de demo, op een echt adres.",
        },
    )
    for weekday in range(5):
        OpeningHours.objects.get_or_create(place=place, weekday=weekday, opens=time(9), defaults={"closes": time(17)})
    for room_name, capacity, equipment in generator.sample(ROOMS, KIND_ROOMS.get(kind, 1)):
        Room.objects.get_or_create(
            place=place,
            name=room_name,
            defaults={
                "capacity": capacity,
                "equipment": equipment,
                "wheelchair_accessible": place.wheelchair_accessible,
            },
        )
    return place


def load_population() -> None:
    """Population estimates per district (Gent in cijfers 2024), used to spread demo residents."""
    with open(settings.GEO_DATA_DIR / "districts-population.csv", newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            District.objects.filter(number=int(row["district_nr"])).update(population=int(row["population_est_2024"]))


def load(generator: random.Random) -> int:
    """One neighbourhood centre per district, a service centre in every other one, a few libraries."""
    load_population()
    count = 0
    for index, district in enumerate(District.objects.order_by("number")):
        centre_name = f"Buurtcentrum {CENTRE_NAMES[index % len(CENTRE_NAMES)]} {district.name}"
        _place(generator, district, Place.Kind.NEIGHBOURHOOD_CENTRE, centre_name)
        count += 1
        if index % 2 == 0:
            _place(generator, district, Place.Kind.SERVICE_CENTRE, f"Lokaal dienstencentrum {district.name}")
            count += 1
        if index % 5 == 0:
            _place(generator, district, Place.Kind.LIBRARY, f"Bibliotheekfiliaal {district.name}")
            count += 1
    return count
