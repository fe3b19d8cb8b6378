"""Writes for districts and places.  Each is one transaction: a failure changes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.db.models import ProtectedError
from django.utils.text import slugify

from apps.core.inputs import find_unstorable
from domain.geo import districts as geo_districts

from .models import District


class DistrictLoadError(Exception):
    """The file cannot be loaded; the message is one line for a person to read."""


@dataclass(frozen=True)
class DistrictLoadReport:
    created: int
    updated: int
    removed: int


def districts_load(
    *,
    path: Path,
    number_property: str = "wijknr",
    name_property: str = "wijk",
    area_property: str | None = "naam",
    source: str = "",
) -> DistrictLoadReport:
    """Replace the city's districts with those of a GeoJSON file.

    Districts are matched on their number, so places and people keep their
    district when a corrected file is loaded again.  A district that is no
    longer in the file is removed, unless something still refers to it.
    """
    try:
        shapes = geo_districts.load_districts(path, number_property=number_property, name_property=name_property)
    except geo_districts.DistrictFileError as error:
        raise DistrictLoadError(str(error)) from error
    for shape in shapes:  # a name with a NUL or a coordinate NaN: a clear refusal, nothing loaded
        area = shape.properties.get(area_property, "") if area_property else ""
        values = [shape.number, shape.name, str(area), shape.geojson, shape.area_km2, list(shape.interior_point)]
        found = find_unstorable(values)
        if found is not None:
            raise DistrictLoadError(f"district {shape.number} ({shape.name!r}): {found[1]}")
    created = updated = 0
    with transaction.atomic():
        for shape in shapes:
            interior = shape.interior_point
            _, was_created = District.objects.update_or_create(
                number=shape.number,
                defaults={
                    "name": shape.name,
                    "slug": slugify(f"{shape.name}") or str(shape.number),
                    "area_name": str(shape.properties.get(area_property, "")) if area_property else "",
                    "geometry": shape.geojson,
                    "area_km2": round(shape.area_km2, 4),
                    "interior_lat": interior[0],
                    "interior_lon": interior[1],
                    "source": source or path.name,
                },
            )
            created += was_created
            updated += not was_created
        stale = District.objects.exclude(number__in=[shape.number for shape in shapes])
        removed = stale.count()
        try:
            stale.delete()
        except ProtectedError as error:
            raise DistrictLoadError(
                "Some districts that are not in the new file still have places or people; move them first."
            ) from error
    return DistrictLoadReport(created=created, updated=updated, removed=removed)
