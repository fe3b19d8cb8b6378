"""The bridge between the database and the plain geography package ``domain.geo``.

Views, the API and other apps call these functions; only this module knows
how ``domain.geo`` is shaped.  The district index and the address finder are
built once per process and cached: 25 polygons and 99,278 address points fit
easily in memory, and lookups then take microseconds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from domain.geo import addresses
from domain.geo import districts as geo_districts
from domain.geo import svg as geo_svg

from .models import District, Place


@dataclass
class MapShape:
    path: str
    label: str
    url: str = ""
    current: bool = False


@dataclass
class MapMarker:
    x: float
    y: float
    label: str


@dataclass
class SvgMap:
    view_box: str
    title: str
    shapes: list[MapShape]
    markers: list[MapMarker] = field(default_factory=list)
    marker_radius: float = 4.0

    @property
    def has_links(self) -> bool:
        """A map with links is a group of links for assistive technology, not a single image."""
        return any(shape.url for shape in self.shapes)


@dataclass
class AddressLookup:
    """What the address finder answers, ready for a page or the API."""

    found: bool
    outside: bool = False
    """The address lies in another municipality (not merely unknown)."""
    message: str = ""
    suggestions: list[str] = field(default_factory=list)
    street: str = ""
    house_number: str = ""
    postcode: str = ""
    lat: float = 0.0
    lon: float = 0.0
    understood: str | None = None
    note: str | None = None
    district: District | None = None


# --- districts ----------------------------------------------------------------------------------


def _districts_version() -> tuple[int, str]:
    latest = District.objects.order_by("-updated_at").values_list("updated_at", flat=True).first()
    return District.objects.count(), str(latest)


@lru_cache(maxsize=2)
def _index_for(version: tuple[int, str]) -> geo_districts.DistrictIndex:
    shapes = [
        geo_districts.district_from_geometry(number, name, geometry)
        for number, name, geometry in District.objects.values_list("number", "name", "geometry")
    ]
    return geo_districts.DistrictIndex(shapes)


def district_index() -> geo_districts.DistrictIndex:
    """The point-in-district index, rebuilt only when the districts in the database change."""
    return _index_for(_districts_version())


def district_at(lat: float, lon: float) -> District | None:
    """The district containing this point, or None when it lies outside the city."""
    found = district_index().lookup(lat, lon)
    if found is None:
        return None
    return District.objects.filter(number=found.number).first()


def feature_collection(districts: list[District]) -> dict[str, Any]:
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": district.number,
                "geometry": district.geometry,
                "properties": {
                    "number": district.number,
                    "name": district.name,
                    "slug": district.slug,
                    "area_name": district.area_name,
                    "area_km2": district.area_km2,
                },
            }
            for district in districts
        ],
    }


# --- maps drawn on the server -------------------------------------------------------------------


def city_map(districts: list[District]) -> SvgMap | None:
    """All districts in one inline SVG, each a link to its page."""
    if not districts:
        return None
    projection = geo_svg.Projection.fit([d.geometry for d in districts], width=600)
    shapes = [
        MapShape(
            path=projection.path(district.geometry),
            label=district.name,
            url=reverse("places:district_detail", args=[district.slug]),
        )
        for district in districts
    ]
    return SvgMap(view_box=projection.view_box, title=_("Map of the districts"), shapes=shapes)


def district_map(district: District, places: list[Place]) -> SvgMap:
    """One district's shape, with its places as dots."""
    projection = geo_svg.Projection.fit([district.geometry], width=400)
    markers = [MapMarker(*projection.point(place.lat, place.lon), label=place.name) for place in places]
    return SvgMap(
        view_box=projection.view_box,
        title=_("Map of %(district)s with its places") % {"district": district.name},
        shapes=[MapShape(path=projection.path(district.geometry), label=district.name, current=True)],
        markers=markers,
        marker_radius=projection.width / 100,
    )


# --- addresses ----------------------------------------------------------------------------------


class Geocoder:
    """The interface the platform uses; a deployment can plug in another register (``GEOCODER`` setting)."""

    def find(self, query: str) -> AddressLookup:
        raise NotImplementedError


class OfflineGeocoder(Geocoder):
    """The city's address register from a CSV file, searched in memory, no network."""

    def __init__(self) -> None:
        self.finder = addresses.CrabGeocoder.from_csv(settings.ADDRESSES_FILE)

    def find(self, query: str) -> AddressLookup:
        return lookup_from_result(self.finder.find(query))


def _reason_message(reason: addresses.Reason | None) -> str:
    messages = {
        addresses.Reason.EMPTY: _("Type a street and a house number."),
        addresses.Reason.NO_HOUSE_NUMBER: _("Add the house number after the street name."),
        addresses.Reason.UNKNOWN_STREET: _("We do not know this street in the city."),
        addresses.Reason.UNKNOWN_NUMBER: _("This house number is not in the address register for this street."),
        addresses.Reason.STREET_NOT_IN_POSTCODE: _("This street does not lie in that postcode."),
        addresses.Reason.AMBIGUOUS: _("This address exists more than once. Add the postcode."),
        addresses.Reason.OUTSIDE_AREA: _("This address lies outside the city: its postcode is not one of the city's."),
    }
    return messages.get(reason, _("Address not found.")) if reason else ""


def _note_message(note: addresses.Note | None) -> str | None:
    if note is None:
        return None
    if note.kind is addresses.NoteKind.BOX:
        return _("Box %(box)s is kept as you typed it; the register knows only the building.") % {"box": note.typed}
    if note.kind is addresses.NoteKind.LETTER_FALLBACK:
        return _("Number %(typed)s is not in the register; we show number %(used)s.") % {
            "typed": note.typed,
            "used": note.used,
        }
    return _(
        "Number %(typed)s is not in the address register of 2014; its place is estimated between numbers "
        "%(lower)s and %(upper)s."
    ) % {"typed": note.typed, "lower": note.lower, "upper": note.upper}


def lookup_from_result(result: addresses.GeocodeResult) -> AddressLookup:
    """Turn the finder's answer into what pages and the API show, in the person's language."""
    if result.address is None:
        return AddressLookup(
            found=False,
            outside=result.reason is addresses.Reason.OUTSIDE_AREA,
            message=_reason_message(result.reason),
            suggestions=result.suggestions,
            understood=result.understood,
        )
    point = result.address
    return AddressLookup(
        found=True,
        street=point.street,
        house_number=point.house_number,
        postcode=point.postcode,
        lat=point.lat,
        lon=point.lon,
        understood=result.understood,
        note=_note_message(result.note),
        district=district_at(point.lat, point.lon),
    )


@cache
def geocoder() -> Geocoder:
    geocoder_class: type[Geocoder] = import_string(settings.GEOCODER)
    return geocoder_class()


def find_address(query: str) -> AddressLookup:
    return geocoder().find(query)
