"""District polygons: reading a city's GeoJSON file and finding the district of a point.

Another city brings its own file: only the names of the two properties that
hold the district's number and name differ.  A bad file raises one
``DistrictFileError`` whose message is a single line naming the feature and
the problem, so a command can print it as it is.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry

EARTH_RADIUS_KM = 6371.0088


class DistrictFileError(ValueError):
    """The district file cannot be used; the message says why in one line."""


@dataclass(frozen=True)
class DistrictShape:
    number: int
    name: str
    geojson: dict[str, Any]
    geometry: BaseGeometry = field(repr=False, compare=False)
    properties: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def area_km2(self) -> float:
        """Area on a local equirectangular plane: within 0.1 % of the geodesic area at city scale."""
        km_per_degree = math.pi / 180 * EARTH_RADIUS_KM
        x_scale = km_per_degree * math.cos(math.radians(self.geometry.centroid.y))
        projected = shapely.transform(self.geometry, lambda coordinates: coordinates * [x_scale, km_per_degree])
        return float(projected.area)

    @property
    def interior_point(self) -> tuple[float, float]:
        """(lat, lon) of a point guaranteed to lie inside the district (unlike the centroid)."""
        point = self.geometry.representative_point()
        return float(point.y), float(point.x)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi, d_lambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def district_from_geometry(number: int, name: str, geojson: dict[str, Any]) -> DistrictShape:
    geometry = shape(geojson)
    return DistrictShape(number=number, name=name, geojson=geojson, geometry=geometry)


def _read(source: Path | dict[str, Any]) -> dict[str, Any]:
    if isinstance(source, dict):
        return source
    try:
        data = json.loads(Path(source).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DistrictFileError("file not found") from None
    except (OSError, UnicodeDecodeError) as error:
        raise DistrictFileError(f"cannot read the file: {error}") from None
    except json.JSONDecodeError as error:
        raise DistrictFileError(f"not JSON (line {error.lineno}, column {error.colno}: {error.msg})") from None
    if not isinstance(data, dict):
        raise DistrictFileError("not GeoJSON: expected a FeatureCollection object")
    return data


def _feature(index: int, feature: Any, number_property: str, name_property: str) -> DistrictShape:
    where = f"feature {index + 1}"
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        raise DistrictFileError(f"{where}: not a GeoJSON Feature")
    properties = feature.get("properties") or {}
    geojson = feature.get("geometry") or {}
    if not isinstance(geojson, dict) or geojson.get("type") not in {"Polygon", "MultiPolygon"}:
        raise DistrictFileError(f"{where}: the geometry is not a Polygon or MultiPolygon")
    name = properties.get(name_property)
    if not isinstance(name, str) or not name.strip():
        raise DistrictFileError(f"{where}: the name property {name_property!r} is missing or empty")
    raw_number = properties.get(number_property)
    try:
        if isinstance(raw_number, bool) or not isinstance(raw_number, int | str | float):
            raise TypeError(raw_number)
        number = int(raw_number)
    except (TypeError, ValueError):
        raise DistrictFileError(
            f"{where} ({name}): the number property {number_property!r} is missing or not a whole number"
        ) from None
    try:
        geometry = shape(geojson)
    except (ValueError, TypeError, AttributeError, IndexError, shapely.errors.GEOSException) as error:
        raise DistrictFileError(f"{where} ({name}): broken coordinates ({error})") from None
    if geometry.is_empty or not geometry.is_valid:
        reason = shapely.is_valid_reason(geometry)
        raise DistrictFileError(f"{where} ({name}): the polygon is empty or invalid ({reason})")
    return DistrictShape(number=number, name=name.strip(), geojson=geojson, geometry=geometry, properties=properties)


def load_districts(
    source: Path | dict[str, Any], *, number_property: str = "wijknr", name_property: str = "wijk"
) -> list[DistrictShape]:
    """Read and check a GeoJSON FeatureCollection of district polygons."""
    data = _read(source)
    if data.get("type") != "FeatureCollection" or not isinstance(data.get("features"), list):
        raise DistrictFileError("not a GeoJSON FeatureCollection")
    if not data["features"]:
        raise DistrictFileError("the FeatureCollection has no features, so no districts")
    districts = [_feature(i, f, number_property, name_property) for i, f in enumerate(data["features"])]
    seen: dict[int, str] = {}
    for district in districts:
        if district.number in seen:
            raise DistrictFileError(
                f"district number {district.number} is used twice ({seen[district.number]}, {district.name})"
            )
        seen[district.number] = district.name
    return districts


class DistrictIndex:
    """Point → district with an STRtree over the polygons: exact containment, fast for any number of districts."""

    def __init__(self, districts: Sequence[DistrictShape]) -> None:
        self.districts = list(districts)
        geometries = [district.geometry for district in self.districts]
        for geometry in geometries:
            shapely.prepare(geometry)
        self.tree = shapely.STRtree(geometries)

    def lookup(self, lat: float, lon: float) -> DistrictShape | None:
        """The district containing the point; on a shared border the lowest number wins; None outside."""
        hits = self.tree.query(Point(lon, lat), predicate="intersects")
        if len(hits) == 0:
            return None
        return min((self.districts[int(i)] for i in hits), key=lambda district: district.number)
