"""Draw GeoJSON polygons as SVG paths on the server: no map tiles, nothing fetched at run time.

A local equirectangular projection (longitude scaled by cos(latitude) of the
drawing's centre) is exact enough at city scale and keeps shapes true.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

Ring = Sequence[Sequence[float]]


def _rings(geometry: dict[str, Any]) -> list[Ring]:
    kind = geometry.get("type")
    if kind == "Polygon":
        return list(geometry["coordinates"])
    if kind == "MultiPolygon":
        return [ring for polygon in geometry["coordinates"] for ring in polygon]
    raise ValueError(f"cannot draw a {kind!r} geometry")


@dataclass(frozen=True)
class Projection:
    """Maps (lon, lat) to SVG user units inside ``0 0 width height``."""

    west: float
    north: float
    scale: float
    x_factor: float
    width: float
    height: float

    @classmethod
    def fit(cls, geometries: Iterable[dict[str, Any]], width: float = 600, margin: float = 4) -> Projection:
        points = [point for geometry in geometries for ring in _rings(geometry) for point in ring]
        if not points:
            raise ValueError("nothing to draw")
        lons = [float(p[0]) for p in points]
        lats = [float(p[1]) for p in points]
        west, east, south, north = min(lons), max(lons), min(lats), max(lats)
        x_factor = math.cos(math.radians((south + north) / 2))
        span_x = max((east - west) * x_factor, 1e-9)
        span_y = max(north - south, 1e-9)
        scale = (width - 2 * margin) / span_x
        height = span_y * scale + 2 * margin
        return cls(west - margin / scale / x_factor, north + margin / scale, scale, x_factor, width, height)

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width:.0f} {self.height:.0f}"

    def point(self, lat: float, lon: float) -> tuple[float, float]:
        x = (lon - self.west) * self.x_factor * self.scale
        y = (self.north - lat) * self.scale
        return round(x, 1), round(y, 1)

    def path(self, geometry: dict[str, Any]) -> str:
        """One SVG path ``d`` for a Polygon or MultiPolygon (holes drawn with the even-odd rule)."""
        parts = []
        for ring in _rings(geometry):
            coordinates = [self.point(float(lat), float(lon)) for lon, lat, *_ in ring]
            parts.append("M" + "L".join(f"{x:g} {y:g}" for x, y in coordinates) + "Z")
        return "".join(parts)
