"""Seeded generators of matching problems in the spec's JSON form (standard library only).

- :func:`small_problem`: 2–8 requests and 2–8 helpers within a few km of Ghent, built to hit the
  boundaries of the rules often: windows that touch exactly, helper windows whose overlap with a request
  window is exactly the duration (or one minute less), helpers at the very point of a request with radius 0,
  radii equal (or a micrometre off) to the distance of a request, capacities 0–3, priorities 1–5, preferred
  and excluded helpers (sometimes absent, sometimes naming unknown helpers), vetting.
- :func:`dense_problem`: a medium instance, hundreds of requests and helpers in one district.
"""

from __future__ import annotations

import math
import random
from datetime import datetime, timedelta
from typing import Any

from tests.domain.matching.checker import EARTH_RADIUS_KM, haversine_km

GHENT = (51.05, 3.72)
BASE = datetime(2026, 11, 24, 0, 0)
CATEGORIES = ("shopping", "company", "transport", "paperwork")
LANGUAGES = ("nl", "fr", "en", "ar", "tr")


def at(minutes: int) -> str:
    """A local time ``minutes`` after 2026-11-24 00:00, to the minute, as the spec writes it."""
    return (BASE + timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M")


def moved(lat: float, lon: float, north_km: float, east_km: float) -> tuple[float, float]:
    """A point about ``north_km`` north and ``east_km`` east of (lat, lon) (flat-earth, fine at a few km;
    near a pole only roughly, but always a valid point: over the pole, and across the antimeridian)."""
    lat2 = lat + math.degrees(north_km / EARTH_RADIUS_KM)
    lon2 = lon + math.degrees(east_km / (EARTH_RADIUS_KM * max(math.cos(math.radians(lat)), 1e-6)))
    if lat2 > 90:
        lat2, lon2 = 180 - lat2, lon2 + 180
    elif lat2 < -90:
        lat2, lon2 = -180 - lat2, lon2 + 180
    lon2 = (lon2 + 180) % 360 - 180
    return lat2, lon2


def distance_variants(lat1: float, lon1: float, lat2: float, lon2: float) -> set[float]:
    """The spec's haversine, written in the few ways an implementation may legitimately write it."""
    out = set()
    for dphi in (math.radians(lat2) - math.radians(lat1), math.radians(lat2 - lat1)):
        for dlam in (math.radians(lon2) - math.radians(lon1), math.radians(lon2 - lon1)):
            for square in (lambda x: x**2, lambda x: x * x):
                phi1, phi2 = math.radians(lat1), math.radians(lat2)
                a = square(math.sin(dphi / 2)) + math.cos(phi1) * math.cos(phi2) * square(math.sin(dlam / 2))
                out.add(2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a)))
    return out


def exact_radius(lat1: float, lon1: float, lat2: float, lon2: float) -> float | None:
    """The distance, when every way of writing the formula gives the same float (else None)."""
    variants = distance_variants(lat1, lon1, lat2, lon2)
    return variants.pop() if len(variants) == 1 else None


def _sample(rng: random.Random, items: tuple[str, ...], low: int, high: int) -> list[str]:
    return sorted(rng.sample(items, rng.randint(low, min(high, len(items)))))


def small_problem(seed: int, centre: tuple[float, float] = GHENT) -> dict[str, Any]:
    """A small random problem around ``centre`` (Ghent by default), deterministic in ``seed``."""
    rng = random.Random(seed)
    n_r, n_h = rng.randint(2, 8), rng.randint(2, 8)
    categories = CATEGORIES[: rng.randint(1, 3)]
    languages = LANGUAGES[: rng.randint(2, 4)]
    helper_ids = [f"h{j + 1}" for j in range(n_h)]
    spread = rng.choice((0.5, 1.0, 2.0))

    requests: list[dict[str, Any]] = []
    plain_windows: list[list[tuple[int, int]]] = []  # minutes, for building helper windows against them
    for i in range(n_r):
        lat, lon = moved(*centre, rng.uniform(-spread, spread), rng.uniform(-spread, spread))
        duration = rng.choice((15, 30, 45, 60, 90, 120))
        windows = []
        for _ in range(rng.choice((1, 1, 2))):
            start = 8 * 60 + 15 * rng.randint(0, 32) + (24 * 60 if rng.random() < 0.15 else 0)
            windows.append((start, start + duration + rng.choice((0, 0, 15, 30, 60, 180))))
        plain_windows.append(windows)
        request: dict[str, Any] = {
            "id": f"r{i + 1}",
            "lat": lat,
            "lon": lon,
            "category": rng.choice(categories),
            "duration_minutes": duration,
            "windows": [[at(a), at(b)] for a, b in windows],
            "languages": [] if rng.random() < 0.35 else _sample(rng, languages, 1, 2),
            "priority": rng.randint(1, 5),
            "requires_vetted": rng.random() < 0.25,
        }
        pool = [*helper_ids, "h99"]  # preferences may name helpers that are not in the problem
        if rng.random() < 0.7:
            request["preferred_helpers"] = rng.sample(pool, rng.choice((0, 1, 1, 2)))
        if rng.random() < 0.7:
            request["excluded_helpers"] = rng.sample(pool, rng.choice((0, 0, 1, 2)))
        requests.append(request)

    helpers: list[dict[str, Any]] = []
    for j in range(n_h):
        target = rng.randrange(n_r)  # the request this helper is built "against", for boundary cases
        req = requests[target]
        placement = rng.random()
        if placement < 0.15:
            lat, lon = req["lat"], req["lon"]
        elif placement < 0.25 and helpers:
            lat, lon = helpers[-1]["lat"], helpers[-1]["lon"]  # two helpers at one point: ties in score
        else:
            lat, lon = moved(*centre, rng.uniform(-spread, spread), rng.uniform(-spread, spread))

        windows = []
        if rng.random() < 0.8:  # a long stretch of the first day
            a = 7 * 60 + 15 * rng.randint(0, 12)
            windows.append((a, a + 60 * rng.randint(6, 11)))
        for _ in range(rng.choice((0, 1, 1, 2))):
            start, end = rng.choice(plain_windows[target])
            duration = req["duration_minutes"]
            kind = rng.random()
            if kind < 0.2:  # touches the request window from after: [end, ...)
                windows.append((end, end + rng.choice((30, 120))))
            elif kind < 0.3:  # touches it from before: [..., start)
                windows.append((start - rng.choice((30, 120)), start))
            elif kind < 0.5:  # overlap exactly the duration
                windows.append((end - duration, end + rng.choice((0, 60))))
            elif kind < 0.6:  # overlap one minute short (at this window)
                windows.append((end - duration + 1, end + 60))
            elif kind < 0.7:  # overlap exactly the duration, at the start
                windows.append((start - 30, start + duration))
            else:
                a = 7 * 60 + 15 * rng.randint(0, 48) + (24 * 60 if rng.random() < 0.2 else 0)
                windows.append((a, a + rng.choice((60, 120, 240, 600))))

        radius_kind = rng.random()
        d = haversine_km(req["lat"], req["lon"], lat, lon)
        if radius_kind < 0.15:
            exact = exact_radius(req["lat"], req["lon"], lat, lon)
            radius = exact if exact is not None else d + 1e-9
        elif radius_kind < 0.22:
            radius = max(0.0, d - 1e-9)  # a micrometre short
        elif radius_kind < 0.27:
            radius = 0.0
        elif radius_kind < 0.4:
            radius = 10.0
        else:
            radius = round(rng.uniform(0.5, 5.0), 2)

        helpers.append(
            {
                "id": helper_ids[j],
                "lat": lat,
                "lon": lon,
                "categories": _sample(rng, categories, 1, 3) if rng.random() < 0.9 else [],
                "windows": [[at(a), at(b)] for a, b in windows],
                "languages": _sample(rng, languages, 0 if rng.random() < 0.1 else 1, 3),
                "max_distance_km": radius,
                "capacity": rng.choice((0, 1, 1, 1, 2, 2, 3)),
                "vetted": rng.random() < 0.6,
            }
        )
    return {"version": 1, "requests": requests, "helpers": helpers}


def dense_problem(
    seed: int,
    n_requests: int,
    n_helpers: int,
    *,
    radius_km: float = 1.5,
    capacities: tuple[int, ...] = (0, 1, 1, 2, 3),
    preferred_rate: float = 0.2,
    stacked_rate: float = 0.0,
) -> dict[str, Any]:
    """Many requests and helpers within ``radius_km`` of one point of Ghent (one district), over two days.

    ``stacked_rate`` of the helpers stand at the very point of an earlier helper (ties in distance)."""
    rng = random.Random(seed)
    centre = (51.0543, 3.7174)

    def point() -> tuple[float, float]:
        r = radius_km * math.sqrt(rng.random())
        angle = rng.uniform(0, 2 * math.pi)
        return moved(*centre, r * math.cos(angle), r * math.sin(angle))

    def window(length: int) -> list[str]:
        start = 24 * 60 * rng.randint(0, 1) + 8 * 60 + 30 * rng.randint(0, 20)
        return [at(start), at(start + length)]

    requests = []
    for i in range(n_requests):
        lat, lon = point()
        duration = rng.choice((30, 60, 90, 120))
        request: dict[str, Any] = {
            "id": f"r{i}",
            "lat": lat,
            "lon": lon,
            "category": rng.choice(CATEGORIES),
            "duration_minutes": duration,
            "windows": [window(duration + rng.choice((0, 60, 120, 240))) for _ in range(rng.randint(1, 2))],
            "languages": [] if rng.random() < 0.3 else _sample(rng, LANGUAGES, 1, 2),
            "priority": rng.randint(1, 5),
            "requires_vetted": rng.random() < 0.2,
        }
        if rng.random() < preferred_rate:
            request["preferred_helpers"] = [f"h{rng.randrange(n_helpers)}" for _ in range(rng.randint(1, 3))]
        if rng.random() < 0.1:
            request["excluded_helpers"] = [f"h{rng.randrange(n_helpers)}"]
        requests.append(request)
    helpers = []
    for j in range(n_helpers):
        lat, lon = point()
        if helpers and rng.random() < stacked_rate:
            twin = rng.choice(helpers)
            lat, lon = twin["lat"], twin["lon"]
        helpers.append(
            {
                "id": f"h{j}",
                "lat": lat,
                "lon": lon,
                "categories": _sample(rng, CATEGORIES, 1, 3),
                "windows": [window(rng.choice((120, 240, 480))) for _ in range(rng.randint(1, 3))],
                "languages": _sample(rng, LANGUAGES, 1, 3),
                "max_distance_km": round(rng.uniform(0.5, 3.0), 3),
                "capacity": rng.choice(capacities),
                "vetted": rng.random() < 0.7,
            }
        )
    return {"version": 1, "requests": requests, "helpers": helpers}


# ----------------------------------------------------------------------------------------------------------
# regimes: scarce helpers, clustered demand, plentiful helpers (issue 15)

MEDIUM_REQUESTS = 300
"""Requests in the medium instances of each regime (checked against the LP optimum)."""


def _regime_request(
    rng: random.Random, i: int, lat: float, lon: float, helper_ids: list[str], categories: tuple[str, ...]
) -> dict[str, Any]:
    """A request of the regime generators: one day, broad windows, few categories and languages, so that
    most requests near a helper are eligible for it and compete for it."""
    duration = rng.choice((30, 60, 60, 90, 120))
    windows = []
    for _ in range(rng.choice((1, 1, 2))):
        start = 8 * 60 + 30 * rng.randint(0, 18)
        windows.append((start, start + duration + rng.choice((0, 60, 120, 240))))
    request: dict[str, Any] = {
        "id": f"r{i}",
        "lat": lat,
        "lon": lon,
        "category": rng.choice(categories),
        "duration_minutes": duration,
        "windows": [[at(a), at(b)] for a, b in windows],
        "languages": [] if rng.random() < 0.4 else _sample(rng, LANGUAGES[:3], 1, 2),
        "priority": rng.randint(1, 5),
        "requires_vetted": rng.random() < 0.2,
    }
    pool = [*helper_ids, "h999"]  # preferences may name a helper that is not in the problem
    if rng.random() < 0.35:
        request["preferred_helpers"] = rng.sample(pool, min(len(pool), rng.randint(1, 2)))
    if rng.random() < 0.15:
        request["excluded_helpers"] = rng.sample(pool, 1)
    return request


def _regime_helper(
    rng: random.Random, j: int, lat: float, lon: float, radius_km: float, categories: tuple[str, ...]
) -> dict[str, Any]:
    """A helper of the regime generators: capacity 0–3 (mostly 1–3), a long day or two shorter stretches."""
    if rng.random() < 0.75:
        a = 7 * 60 + 30 * rng.randint(0, 6)
        windows = [(a, a + 60 * rng.randint(7, 11))]
    else:
        windows = []
        for _ in range(2):
            a = 8 * 60 + 30 * rng.randint(0, 16)
            windows.append((a, a + rng.choice((120, 180, 240))))
    return {
        "id": f"h{j}",
        "lat": lat,
        "lon": lon,
        "categories": _sample(rng, categories, 1, len(categories)) if rng.random() < 0.9 else list(categories),
        "windows": [[at(a), at(b)] for a, b in windows],
        "languages": _sample(rng, LANGUAGES[:3], 1, 3),
        "max_distance_km": radius_km,
        "capacity": rng.choice((0, 1, 1, 1, 2, 2, 3)),
        "vetted": rng.random() < 0.7,
    }


def _in_disc(rng: random.Random, centre: tuple[float, float], radius_km: float) -> tuple[float, float]:
    r = radius_km * math.sqrt(rng.random())
    angle = rng.uniform(0, 2 * math.pi)
    return moved(*centre, r * math.cos(angle), r * math.sin(angle))


def scarce_problem(seed: int, ratio: float = 0.33, n_requests: int | None = None) -> dict[str, Any]:
    """Few helpers for many requests: ``ratio`` helpers per request (at least one), all in one district.

    Requests lie within 2 km of a point of Ghent; helpers too, with radii of 1.5–5 km, so each helper is
    eligible for a good share of all requests and many requests compete for the same few helpers.  A
    tenth of the requests stand at the very point of an earlier one, a tenth of the helpers at the point of
    an earlier one (ties in score).  ``n_requests`` defaults to 20–60 (small enough for ``milp``); give
    :data:`MEDIUM_REQUESTS` for the LP-bound size.  With ``ratio`` >= 1 the same generator gives the
    plentiful regime (see :func:`plentiful_problem`)."""
    rng = random.Random(seed)
    centre = (51.0543, 3.7174)
    n_r = n_requests if n_requests is not None else rng.randint(20, 60)
    n_h = max(1, round(ratio * n_r))
    categories = CATEGORIES[: rng.randint(1, 3)]
    helper_ids = [f"h{j}" for j in range(n_h)]
    requests: list[dict[str, Any]] = []
    for i in range(n_r):
        if requests and rng.random() < 0.1:
            twin = rng.choice(requests)
            lat, lon = twin["lat"], twin["lon"]
        else:
            lat, lon = _in_disc(rng, centre, 2.0)
        requests.append(_regime_request(rng, i, lat, lon, helper_ids, categories))
    helpers: list[dict[str, Any]] = []
    for j in range(n_h):
        if helpers and rng.random() < 0.1:
            twin = rng.choice(helpers)
            lat, lon = twin["lat"], twin["lon"]
        else:
            lat, lon = _in_disc(rng, centre, 2.0)
        helpers.append(_regime_helper(rng, j, lat, lon, round(rng.uniform(1.5, 5.0), 3), categories))
    return {"version": 1, "requests": requests, "helpers": helpers}


def plentiful_problem(seed: int, ratio: float = 4.0, n_requests: int | None = None) -> dict[str, Any]:
    """The contrast to the scarce regime: ``ratio`` (4) helpers per request, otherwise alike."""
    return scarce_problem(seed, ratio, n_requests)


def clustered_problem(
    seed: int,
    clusters: int | None = None,
    n_requests: int | None = None,
    *,
    ratio: float = 0.6,
    clustered_share: float = 0.85,
    side_km: float = 6.0,
) -> dict[str, Any]:
    """Demand packed in ``clusters`` (1–3, drawn when None) small clusters, helpers spread evenly.

    ``clustered_share`` of the requests lie within 300 m of a cluster centre (the centres in the middle
    half of a ``side_km`` square, 6 km by default); the rest are spread over the square.  The helpers
    (``ratio`` per request) stand on a jittered grid over the whole square with radii of 0.5–2.5 km, so
    only the few helpers near a cluster can serve it and they are contested by the cluster's many
    requests, while helpers far from the clusters idle.  ``n_requests`` defaults to 20–60; give
    :data:`MEDIUM_REQUESTS` for the LP-bound size."""
    rng = random.Random(seed)
    n_clusters = clusters if clusters is not None else rng.randint(1, 3)
    n_r = n_requests if n_requests is not None else rng.randint(20, 60)
    n_h = max(1, round(ratio * n_r))
    categories = CATEGORIES[: rng.randint(1, 3)]
    helper_ids = [f"h{j}" for j in range(n_h)]
    south_west = (51.03, 3.68)
    low, high = side_km / 4, 3 * side_km / 4
    centres = [moved(*south_west, rng.uniform(low, high), rng.uniform(low, high)) for _ in range(n_clusters)]
    requests: list[dict[str, Any]] = []
    for i in range(n_r):
        if rng.random() < clustered_share:
            lat, lon = _in_disc(rng, rng.choice(centres), 0.3)
        else:
            lat, lon = moved(*south_west, rng.uniform(0, side_km), rng.uniform(0, side_km))
        requests.append(_regime_request(rng, i, lat, lon, helper_ids, categories))
    side = max(1, math.ceil(math.sqrt(n_h)))
    step = side_km / side
    helpers: list[dict[str, Any]] = []
    for j in range(n_h):
        row, col = divmod(j, side)
        north = (row + 0.5) * step + rng.uniform(-0.3, 0.3) * step
        east = (col + 0.5) * step + rng.uniform(-0.3, 0.3) * step
        lat, lon = moved(*south_west, north, east)
        helpers.append(_regime_helper(rng, j, lat, lon, round(rng.uniform(0.5, 2.5), 3), categories))
    return {"version": 1, "requests": requests, "helpers": helpers}
