"""The places app's open data (``Capability.open_data``): the districts and the public places.

A district's number, name, shape, area and estimated population; a place's name, kind, address and
district.  A place's phone number and email address stay out of the bulk file although its page shows them
(one place at a time, to someone who wants to go there): some are a volunteer's own, and a list of every
contact of the city's places is what mailing lists are harvested from.  Whether the place page and the API
should show them at all is a question for the places app, not settled here.
"""

from __future__ import annotations

import json

from django.utils.translation import gettext_lazy as _

from apps.core.capabilities import OpenDataset
from apps.core.open_data import csv_text

from . import geo
from .models import District, Place


def districts_geojson() -> str:
    """The districts' polygons (WGS84) with their number, name, part of the city, area and population."""
    districts = list(District.objects.order_by("number"))
    collection = geo.feature_collection(districts)
    for feature, district in zip(collection["features"], districts, strict=True):
        feature["properties"]["population_estimate"] = district.population
    return json.dumps(collection, ensure_ascii=False)


def districts_csv() -> str:
    rows = District.objects.order_by("number").values_list("number", "name", "area_name", "area_km2", "population")
    header = ["number", "name", "part_of_city", "area_km2", "population_estimate"]
    return csv_text(header, ([n, name, part, round(area, 3), population] for n, name, part, area, population in rows))


def places_csv() -> str:
    places = Place.objects.select_related("district").order_by("district__number", "name")
    header = ["name", "kind", "address", "district_number", "district"]
    return csv_text(header, ([p.name, p.kind, p.address, p.district.number, p.district.name] for p in places))


DATASETS = (
    OpenDataset(
        slug="districts",
        title=_("Districts"),
        description=_(
            "The districts of the city: number, name, part of the city, area in km² and the estimated number "
            "of residents (an estimate, not an official figure; empty where unknown). GeoJSON with the "
            "boundaries (WGS84), or CSV without them."
        ),
        formats={"geojson": districts_geojson, "csv": districts_csv},
        licence=_("Model Licence for Free Reuse v1.0 (Modellicentie Gratis Hergebruik)"),
        source=_(
            "Boundaries: Stad Gent open data, dataset “stadswijken-gent”. Residents: estimates based on Gent "
            "in cijfers (2024)."
        ),
    ),
    OpenDataset(
        slug="places",
        title=_("Public places"),
        description=_(
            "Neighbourhood centres, service centres, libraries and other public places: name, kind, address "
            "and district."
        ),
        formats={"csv": places_csv},
        source=_("City of People: the places the city registered."),
    ),
)
