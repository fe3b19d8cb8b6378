"""JSON API of districts, places and addresses (``/api/v1/``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status

from . import geo, selectors
from .models import Place
from .schemas import AddressNotFoundOut, AddressOut, DistrictOut, ErrorOut, LocateOut, PlaceOut

router = Router(tags=["districts and places"])

VALIDATION = {422: ErrorOut}


@router.get("/districts", response={200: list[DistrictOut], **VALIDATION})
def list_districts(request: HttpRequest) -> Any:
    """All districts of the city, by name."""
    return list(selectors.district_list())


@router.get("/districts.geojson", response={200: dict[str, Any], **VALIDATION})
def districts_geojson(request: HttpRequest) -> Any:
    """The districts as a GeoJSON FeatureCollection (WGS84), for maps."""
    return geo.feature_collection(list(selectors.district_list()))


@router.get("/districts/locate", response={200: LocateOut, **VALIDATION})
def locate(
    request: HttpRequest,
    lat: float = Query(..., ge=-90, le=90, description="Latitude, WGS84"),
    lon: float = Query(..., ge=-180, le=180, description="Longitude, WGS84"),
) -> Any:
    """Which district is this point in?  ``inside_city`` is false for a point outside every district."""
    district = geo.district_at(lat, lon)
    return {"lat": lat, "lon": lon, "inside_city": district is not None, "district": district}


@router.get("/districts/{number}", response={200: DistrictOut, 404: ErrorOut, **VALIDATION})
def get_district(request: HttpRequest, number: int) -> Any:
    return selectors.district_by_number(number)


def _place_out(place: Place) -> dict[str, Any]:
    return {
        **{field: getattr(place, field) for field in PlaceOut.model_fields if hasattr(place, field)},
        "district_number": place.district.number,
        "opening_hours": list(place.opening_hours.all()),
        "rooms": list(place.rooms.all()),
    }


@router.get("/places", response={200: list[PlaceOut], **VALIDATION})
def list_places(
    request: HttpRequest,
    district: int | None = Query(None, description="Only places in the district with this number"),
    kind: Place.Kind | None = Query(None, description="Only places of this kind"),
) -> Any:
    places = selectors.place_list(district_number=district, kind=kind.value if kind else None)
    return [_place_out(place) for place in places]


@router.get("/places/{slug}", response={200: PlaceOut, 404: ErrorOut, **VALIDATION})
def get_place(request: HttpRequest, slug: str) -> Any:
    return _place_out(selectors.place_by_slug(slug))


@router.get("/addresses/lookup", response={200: AddressOut, 404: AddressNotFoundOut, **VALIDATION})
def lookup_address(
    request: HttpRequest,
    q: str = Query(..., min_length=1, max_length=200, description="Street and house number, optionally postcode"),
) -> Any:
    """Find an address in the city's address register, with its coordinates and district.

    An address that cannot be found gives 404 with the closest street names; it is never guessed silently.
    """
    result = geo.find_address(q)
    if not result.found:
        return Status(404, {"detail": result.message, "suggestions": result.suggestions})
    return result
