"""The first API endpoints: districts, GeoJSON, "which district is this point in", places, addresses."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from openapi_spec_validator import validate

from apps.places.models import District

pytestmark = pytest.mark.django_db


def test_openapi_document_is_valid(client: Client) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    validate(document)
    assert "/api/v1/districts/locate" in document["paths"]


def test_interactive_docs_page(client: Client) -> None:
    assert client.get("/api/v1/docs").status_code == 200


def test_districts_are_listed(client: Client) -> None:
    districts = client.get("/api/v1/districts").json()
    assert len(districts) == 25
    assert {"number": 1, "name": "Binnenstad"}.items() <= next(d for d in districts if d["number"] == 1).items()


def test_districts_as_geojson(client: Client) -> None:
    collection = client.get("/api/v1/districts.geojson").json()
    assert collection["type"] == "FeatureCollection"
    assert len(collection["features"]) == 25
    assert all(f["geometry"]["type"] in {"Polygon", "MultiPolygon"} for f in collection["features"])


@pytest.mark.parametrize("number", range(1, 26))
def test_each_districts_interior_point_is_in_that_district(client: Client, number: int) -> None:
    district = District.objects.get(number=number)
    answer = client.get("/api/v1/districts/locate", {"lat": district.interior_lat, "lon": district.interior_lon}).json()
    assert answer["inside_city"] is True
    assert answer["district"]["number"] == number


@pytest.mark.parametrize(("lat", "lon"), [(50.8467, 4.3525), (51.2194, 4.4025), (51.3, 2.9)])
def test_a_point_outside_the_city(client: Client, lat: float, lon: float) -> None:
    answer = client.get("/api/v1/districts/locate", {"lat": lat, "lon": lon}).json()
    assert answer == {"lat": lat, "lon": lon, "inside_city": False, "district": None}


@pytest.mark.parametrize("query", [{"lat": "91", "lon": "3.7"}, {"lat": "abc", "lon": "3.7"}, {"lat": "51"}])
def test_bad_coordinates_get_a_json_error(client: Client, query: dict[str, str]) -> None:
    response = client.get("/api/v1/districts/locate", query)
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"]


def test_unknown_district_is_a_json_404(client: Client) -> None:
    response = client.get("/api/v1/districts/999")
    assert response.status_code == 404
    assert response.json() == {"detail": "Niet gevonden."}
    english = client.get("/api/v1/districts/999", headers={"accept-language": "en"})
    assert english.json() == {"detail": "Not found."}


def test_unknown_api_path_is_json(client: Client) -> None:
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.json() == {"detail": "Niet gevonden."}


def test_address_lookup(client: Client) -> None:
    answer = client.get("/api/v1/addresses/lookup", {"q": "Sint-Pietersnieuwstr 12"}).json()
    assert answer["street"] == "Sint-Pietersnieuwstraat"
    assert answer["house_number"] == "12"
    assert answer["postcode"] == "9000"
    assert answer["district"]["name"]


def test_address_not_found_gives_suggestions(client: Client) -> None:
    response = client.get("/api/v1/addresses/lookup", {"q": "Korenmerkstraatje 5"})
    assert response.status_code == 404
    body = json.loads(response.content)
    assert body["detail"]
    assert isinstance(body["suggestions"], list)


def test_places_of_the_demo(client: Client, demo_city: None) -> None:
    places = client.get("/api/v1/places", {"district": 1}).json()
    assert places and all(p["district_number"] == 1 for p in places)
    assert any(p["rooms"] for p in places)
    place = client.get(f"/api/v1/places/{places[0]['slug']}").json()
    assert place["name"] == places[0]["name"]
    assert client.get("/api/v1/places/no-such-place").status_code == 404
