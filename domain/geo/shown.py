"""The position a helper is shown of a care request: fixed per request, coarse, never the house.

A helper who may not yet read a request's address must not be able to find the house by asking
"near me" again and again from other places or with other radii.  So everything a helper sees before
accepting is computed from a *shown position*, drawn once when the request gets its address and
stored with it:

1. an offset with a uniformly random direction and a length between ``min_m`` and ``max_m`` metres,
   uniform over that ring's area, drawn from a secure random source (never from the request's id);
2. the house moved by that offset, then snapped to the centre of a square grid cell of ``grid_m``.

An attacker who learns the shown position exactly (the best any amount of probing can give) learns
only that the house lies in a ring around it: at least ``min_m − grid_m/√2`` metres away, at most
``max_m + grid_m/√2``.  For any point the attacker then picks, the chance that it lies within ``d``
metres of the house is at most ``d² / (max_m² − min_m²)`` (the density of the house's position given
the shown one is at most one over the ring's area; see :func:`hit_probability_bound`).

Plain Python, no Django: the care app calls it with the city's settings and ``secrets.SystemRandom``.
"""

from __future__ import annotations

import math
import random

METRES_PER_DEGREE = 111_320.0
"""Metres in one degree of latitude (and of longitude at the equator), as a local flat projection."""


def draw_offset(rng: random.Random, min_m: float, max_m: float) -> tuple[float, float]:
    """A random (east, north) offset in metres, uniform over the ring between ``min_m`` and ``max_m``."""
    if not 0 <= min_m <= max_m:
        raise ValueError("need 0 <= min_m <= max_m")
    angle = rng.uniform(0.0, 2.0 * math.pi)
    # uniform over the ring's area: the radius's square is uniform between the two squares
    radius = math.sqrt(rng.uniform(min_m * min_m, max_m * max_m))
    return radius * math.cos(angle), radius * math.sin(angle)


def snap(lat: float, lon: float, grid_m: float) -> tuple[float, float]:
    """The centre of the grid cell of ``grid_m`` metres that holds (lat, lon).

    Rows are ``grid_m`` of latitude; within a row the columns are ``grid_m`` of longitude at the row's
    middle, so a cell is a square of ``grid_m`` on the ground to within a fraction of a millimetre at
    city scale.  ``grid_m`` 0 leaves the point as it is.
    """
    if grid_m <= 0:
        return lat, lon
    dlat = grid_m / METRES_PER_DEGREE
    row = math.floor(lat / dlat)
    centre_lat = (row + 0.5) * dlat
    dlon = grid_m / (METRES_PER_DEGREE * math.cos(math.radians(centre_lat)))
    column = math.floor(lon / dlon)
    return centre_lat, (column + 0.5) * dlon


def shift(lat: float, lon: float, east_m: float, north_m: float) -> tuple[float, float]:
    """(lat, lon) moved ``east_m`` metres east and ``north_m`` metres north (flat at city scale)."""
    new_lat = lat + north_m / METRES_PER_DEGREE
    return new_lat, lon + east_m / (METRES_PER_DEGREE * math.cos(math.radians(lat)))


def ground_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The distance in metres between two points a few kilometres apart (flat projection)."""
    mid = math.radians((lat1 + lat2) / 2)
    north = (lat2 - lat1) * METRES_PER_DEGREE
    east = (lon2 - lon1) * METRES_PER_DEGREE * math.cos(mid)
    return math.hypot(east, north)


def shown_position(
    lat: float, lon: float, *, rng: random.Random, min_m: float, max_m: float, grid_m: float
) -> tuple[float, float]:
    """A new shown position for a house at (lat, lon): moved by a random offset, then snapped."""
    east, north = draw_offset(rng, min_m, max_m)
    moved = shift(lat, lon, east, north)
    return snap(moved[0], moved[1], grid_m)


def still_fits(
    lat: float, lon: float, shown_lat: float, shown_lon: float, *, min_m: float, max_m: float, grid_m: float
) -> bool:
    """Whether a shown position drawn earlier may stay for a house now at (lat, lon).

    When an address is corrected (a house number, a few doors further), drawing again would give the
    prober a second, independent ring around nearly the same house; where the two rings cross, the house
    is.  So the shown position stays as long as it is still within the ring's bounds from the new
    house, and nothing new is told.
    """
    half_diagonal = grid_m / math.sqrt(2)
    distance = ground_m(lat, lon, shown_lat, shown_lon)
    return max(0.0, min_m - half_diagonal) <= distance <= max_m + half_diagonal


def guaranteed_distance_m(min_m: float, grid_m: float) -> float:
    """The least distance, with certainty, between a house and its shown position."""
    return max(0.0, min_m - grid_m / math.sqrt(2))


def hit_probability_bound(d_m: float, min_m: float, max_m: float) -> float:
    """An upper bound on the chance that any estimate made from the shown position is within ``d_m``.

    Given the shown cell, the house is at the cell's point minus (offset + snapping error).  For a
    prior that is flat at the scale of the ring, the house's density is at most ``1 / A`` with ``A``
    the ring's area ``π (max_m² − min_m²)``, so a disc of radius ``d_m`` around any estimate holds it
    with probability at most ``π d_m² / A``.
    """
    area = max_m * max_m - min_m * min_m
    if area <= 0:
        return 1.0
    return min(1.0, d_m * d_m / area)
