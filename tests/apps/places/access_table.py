"""The places app's rows of the URL × role access table (``tests/apps/access/test_access_table.py``)."""

from __future__ import annotations

from typing import Any

from apps.places.models import District, Place
from tests.apps.access.access_rows import Rows, everyone

ROWS: Rows = {
    "places:district_list": ({}, everyone(200)),
    "places:district_detail": ({"slug": "@district"}, everyone(200)),
    "places:place_detail": ({"slug": "@place"}, everyone(200)),
    "places:address_search": ({}, everyone(200)),
    "api:list_districts": ({}, everyone(200)),
    "api:districts_geojson": ({}, everyone(200)),
    "api:locate": ({}, everyone(422)),  # without coordinates
    "api:get_district": ({"number": 1}, everyone(200)),
    "api:list_places": ({}, everyone(200)),
    "api:get_place": ({"slug": "@place"}, everyone(200)),
    "api:lookup_address": ({}, everyone(422)),  # without a query
}


def samples(district: District, resident: Any) -> dict[str, Any]:
    """The coordinator's district and one of its places."""
    return {
        "@district": district.slug,
        "@place": Place.objects.filter(district=district).first().slug,  # type: ignore[union-attr]
    }
