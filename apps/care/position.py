"""The position helpers are shown of a request, with the city's settings (see ``domain/geo/shown.py``).

Which position each reader uses:

* **shown position** (``CareRequest.shown_lat/shown_lon``): everything a helper sees or can test
  before accepting: whether a request is in their "near me" (page and API), its order there, the
  distance written on its card, the distance on a match proposed to them, counts shown to them.
* **exact position** (``lat/lon``): what no helper sees: the coordinator's pages and suggestions
  (they read the address anyway), the engine's rounds and counts of fitting helpers (a coordinator
  confirms each proposal), and everything after a helper has accepted (they then read the address).
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings

from domain.geo import shown

_RANDOM = secrets.SystemRandom()


def _bounds() -> dict[str, float]:
    return {
        "min_m": float(settings.CARE_SHOWN_OFFSET_MIN_M),
        "max_m": float(settings.CARE_SHOWN_OFFSET_MAX_M),
        "grid_m": float(settings.CARE_SHOWN_GRID_M),
    }


def new_shown_position(lat: float, lon: float) -> tuple[float, float]:
    """A fresh shown position for a house at (lat, lon), from the operating system's random source."""
    return shown.shown_position(lat, lon, rng=_RANDOM, **_bounds())


def shown_for(
    lat: float,
    lon: float,
    *,
    previous: tuple[float, float] | None = None,
    exclude_pk: int | None = None,
    person_id: int | None = None,
) -> tuple[float, float]:
    """The shown position for a request whose house is (now) at (lat, lon).

    * When the address of a request changes and its ``previous`` shown position still fits the new
      house (a correction a few doors further), it stays (``domain.geo.shown.still_fits``).
    * A request at the very same coordinates as another request *of the same person* takes that request's
      shown position, so that one person's requests never give several independent rings around their
      house.  Never another person's: whoever asked for help at a guessed address would then see the same
      shown position as the person living there, and so learn that the guess was right.
    * Otherwise a new one is drawn.
    """
    from .models import CareRequest

    bounds = _bounds()
    if previous is not None and shown.still_fits(lat, lon, *previous, **bounds):
        return previous
    if person_id is None:
        return new_shown_position(lat, lon)
    same_house = CareRequest.objects.filter(lat=lat, lon=lon, person_id=person_id)
    if exclude_pk is not None:
        same_house = same_house.exclude(pk=exclude_pk)
    earlier = same_house.order_by("created_at", "pk").values_list("shown_lat", "shown_lon").first()
    if earlier is not None and shown.still_fits(lat, lon, *earlier, **bounds):
        return earlier
    return new_shown_position(lat, lon)


def shown_distance_km(helper_person: Any, request: Any) -> float | None:
    """The distance a helper is shown: from their home to the request's shown position (None unlocated)."""
    from domain.geo.districts import haversine_km

    if helper_person.lat is None or helper_person.lon is None:
        return None
    return haversine_km(helper_person.lat, helper_person.lon, request.shown_lat, request.shown_lon)


def shown_reach_km() -> float:
    """The farthest a shown position can be from its house (km): the largest offset plus half a cell's diagonal."""
    bounds = _bounds()
    return (bounds["max_m"] + bounds["grid_m"] / 2**0.5) / 1000
