"""District and place pages, drawn on the server: no tiles, nothing fetched by the browser."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from apps.places.models import District, Place

pytestmark = pytest.mark.django_db


def test_district_list_shows_every_district_with_a_map(client: Client) -> None:
    html = client.get("/nl/districts/").content.decode()
    for name in District.objects.values_list("name", flat=True):
        assert name in html
    svg = re.search(r"<svg class=\"district-map\".*?</svg>", html, re.S)
    assert svg is not None
    assert svg.group(0).count("<path") == 25
    assert 'role="group"' in svg.group(0), "a map of links is a group"


def test_district_page_shows_its_shape_and_places(client: Client, demo_city: None) -> None:
    district = District.objects.get(number=1)
    html = client.get(f"/nl/districts/{district.slug}/").content.decode()
    assert f"<h1>{district.name}</h1>" in html
    path = re.search(r'<path d="(M[^"]+)"', html)
    assert path is not None and "NaN" not in path.group(1)
    for place in Place.objects.filter(district=district):
        assert place.name in html
    assert html.count("<circle") == Place.objects.filter(district=district).count()


def test_place_page_shows_rooms_and_opening_hours(client: Client, demo_city: None) -> None:
    place = Place.objects.filter(rooms__isnull=False).first()
    assert place is not None
    html = client.get(f"/en/districts/places/{place.slug}/").content.decode()
    assert place.name in html
    for room in place.rooms.all():
        assert room.name in html
    assert "Monday" in html


def test_unknown_district_is_404(client: Client) -> None:
    assert client.get("/nl/districts/atlantis/").status_code == 404


def test_address_search_without_javascript(client: Client) -> None:
    html = client.get("/nl/districts/address/", {"address": "Sint-Pietersnieuwstr 12"}).content.decode()
    assert "Sint-Pietersnieuwstraat 12, 9000" in html


def test_address_search_with_htmx_returns_only_the_finder(client: Client) -> None:
    response = client.get("/nl/districts/address/", {"address": "Korenmarkt 1"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html
    assert 'id="address-finder"' in html


def test_address_search_empty_input_is_a_clear_message(client: Client) -> None:
    html = client.get("/nl/districts/address/", {"address": ""}).content.decode()
    assert 'aria-invalid="true"' in html


def test_unknown_address_explains_and_suggests(client: Client) -> None:
    html = client.get("/nl/districts/address/", {"address": "Korenmarktstraatje 3"}).content.decode()
    assert "Adres niet gevonden" in html


def test_an_addresss_coordinates_read_as_two_numbers_with_decimal_commas(client: Client) -> None:
    """"51,04313, 3,72298": with the Belgian decimal comma, a comma between the two numbers reads as four numbers."""
    html = client.get("/nl/districts/address/", {"address": "Korenmarkt 1"}).content.decode()
    coordinates = re.search(r"<dt>Coördinaten</dt><dd>([^<]+)</dd>", html)
    assert coordinates is not None
    assert re.fullmatch(r"\d+,\d{5}° N, \d+,\d{5}° O", coordinates.group(1)), coordinates.group(1)
