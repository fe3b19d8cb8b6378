"""The district map of the coordination view as server-side SVG: no tiles, no JavaScript.

The district's outline (``domain.geo.svg``'s projection), initiatives as squares, events as circles, and each
overlap as a dashed line between its two markers with a diamond that carries the finding's number: shape, not only
colour, tells them apart.  The SVG is an image (``role="img"``) with a ``<title>`` and a ``<desc>`` in words; the
list of findings on the page is its text alternative.  Every text is escaped, so the result is well-formed XML.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from domain.geo.svg import Projection

from . import Point

OUTLINE = "#1f3a5f"
FILL = "#f2f5f8"
INITIATIVE = "#005a9c"  # 6.7:1 on the fill
EVENT = "#7a3b00"  # 8.4:1 on the fill
OVERLAP = "#a8001c"  # 7.2:1 on the fill


@dataclass(frozen=True)
class Marker:
    kind: str  # "initiative" or "event"
    point: Point
    label: str


@dataclass(frozen=True)
class Pair:
    number: int
    first: Point
    second: Point
    label: str


def _n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def draw(
    geometry: dict[str, Any], markers: Sequence[Marker], pairs: Sequence[Pair], *, title: str, desc: str,
    width: float = 480, title_id: str = "district-map-title", desc_id: str = "district-map-desc",
) -> str:  # fmt: skip
    """The map as one ``<svg>`` element (a string of well-formed XML)."""
    projection = Projection.fit([geometry], width=width, margin=12)
    size = projection.width / 80
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="coordination-map" viewBox="{projection.view_box}" '
        f'role="img" aria-labelledby="{title_id} {desc_id}">',
        f'<title id="{title_id}">{escape(title)}</title>',
        f'<desc id="{desc_id}">{escape(desc)}</desc>',
        f'<path d="{projection.path(geometry)}" fill="{FILL}" stroke="{OUTLINE}" stroke-width="2" '
        f'fill-rule="evenodd"/>',
    ]
    for pair in pairs:
        x1, y1 = projection.point(pair.first.lat, pair.first.lon)
        x2, y2 = projection.point(pair.second.lat, pair.second.lon)
        parts.append(
            f'<line class="map-overlap" x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}" stroke="{OVERLAP}" '
            f'stroke-width="{_n(size / 2)}" stroke-dasharray="{_n(size)} {_n(size / 2)}"/>'
        )
    for marker in markers:
        x, y = projection.point(marker.point.lat, marker.point.lon)
        label = f"<title>{escape(marker.label)}</title>"
        if marker.kind == "initiative":
            parts.append(
                f'<rect class="map-initiative" x="{_n(x - size)}" y="{_n(y - size)}" width="{_n(2 * size)}" '
                f'height="{_n(2 * size)}" fill="{INITIATIVE}" stroke="#ffffff" stroke-width="1">{label}</rect>'
            )
        else:
            parts.append(
                f'<circle class="map-event" cx="{_n(x)}" cy="{_n(y)}" r="{_n(size)}" fill="{EVENT}" '
                f'stroke="#ffffff" stroke-width="1">{label}</circle>'
            )
    for pair in pairs:
        x1, y1 = projection.point(pair.first.lat, pair.first.lon)
        x2, y2 = projection.point(pair.second.lat, pair.second.lon)
        x, y = (x1 + x2) / 2, (y1 + y2) / 2
        d = size * 1.8
        points = f"{_n(x)},{_n(y - d)} {_n(x + d)},{_n(y)} {_n(x)},{_n(y + d)} {_n(x - d)},{_n(y)}"
        parts.append(
            f'<g class="map-overlap-mark"><title>{escape(pair.label)}</title>'
            f'<polygon points="{points}" fill="{OVERLAP}" stroke="#ffffff" stroke-width="1"/>'
            f'<text x="{_n(x)}" y="{_n(y + size * 0.6)}" text-anchor="middle" font-size="{_n(size * 1.7)}" '
            f'fill="#ffffff" font-weight="bold">{pair.number}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)
