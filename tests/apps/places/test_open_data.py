"""The places app's open data: the districts (GeoJSON and CSV) and the public places (CSV).

Each file parses, holds one row per district or place with what the public pages show, and nothing about
a person: no resident's name, email or phone, and no place's phone or email (it may be a volunteer's).
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from django.test import Client

from apps.people.models import Person
from apps.places.models import District, Place

pytestmark = pytest.mark.django_db


def download(client: Client, name: str) -> str:
    response = client.get(f"/open-data/places/{name}")
    assert response.status_code == 200
    return response.content.decode("utf-8")


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_the_districts_as_geojson_hold_every_polygon_with_its_number_name_and_population(
    client: Client, demo_city: None
) -> None:
    collection: dict[str, Any] = json.loads(download(client, "districts.geojson"))
    assert collection["type"] == "FeatureCollection"
    features = collection["features"]
    assert [f["properties"]["number"] for f in features] == list(range(1, 26))
    for feature in features:
        district = District.objects.get(number=feature["properties"]["number"])
        assert feature["geometry"] == district.geometry
        assert feature["geometry"]["type"] in {"Polygon", "MultiPolygon"}
        assert feature["properties"]["name"] == district.name
        assert feature["properties"]["population_estimate"] == district.population
        assert district.population is not None, "the demo loads the estimates"


def test_the_districts_as_csv_hold_number_name_area_and_population(client: Client, demo_city: None) -> None:
    text = download(client, "districts.csv")
    assert text.splitlines()[0] == "number,name,part_of_city,area_km2,population_estimate"
    found = rows(text)
    assert len(found) == 25
    for row in found:
        district = District.objects.get(number=int(row["number"]))
        assert row["name"] == district.name and row["part_of_city"] == district.area_name
        assert float(row["area_km2"]) == pytest.approx(district.area_km2, abs=0.001)
        assert int(row["population_estimate"]) == district.population


def test_a_population_nobody_estimated_is_left_empty(client: Client) -> None:
    """Without the demo's estimates (a real deployment that loaded only the polygons) the cell is empty."""
    assert not District.objects.filter(population__isnull=False).exists()
    assert {row["population_estimate"] for row in rows(download(client, "districts.csv"))} == {""}
    features = json.loads(download(client, "districts.geojson"))["features"]
    assert {f["properties"]["population_estimate"] for f in features} == {None}


def test_the_places_csv_holds_every_place_with_name_kind_address_and_district(client: Client, demo_city: None) -> None:
    text = download(client, "places.csv")
    assert text.splitlines()[0] == "name,kind,address,district_number,district"
    found = rows(text)
    places = Place.objects.select_related("district")
    assert len(found) == places.count() > 25
    expected = {(p.name, p.kind, p.address, str(p.district.number), p.district.name) for p in places}
    assert {(r["name"], r["kind"], r["address"], r["district_number"], r["district"]) for r in found} == expected
    assert {r["kind"] for r in found} <= set(Place.Kind.values)


def test_no_file_holds_anything_about_a_person(client: Client, demo_city: None) -> None:
    files = "\n".join(download(client, name) for name in ("districts.geojson", "districts.csv", "places.csv"))
    people = Person.objects.select_related("user")
    assert people.count() > 200
    for person in people:
        assert f"{person.first_name} {person.last_name}" not in files
        for value in (person.email, person.phone, person.user.email if person.user else ""):
            assert not value or value not in files, value
    for place in Place.objects.exclude(phone=""):
        assert place.phone not in files, "a place's phone number may be a volunteer's own"
    assert "@" not in files
