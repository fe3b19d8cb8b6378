"""Seeded care-matching instances inside Ghent's districts, at city or region scale.

    .venv/bin/python bench/matching/generate.py --scale ghent --seed 1 -o /tmp/ghent.json
    .venv/bin/python bench/matching/generate.py --scale region --seed 1 -o /tmp/region.json

Points are drawn inside the shipped district polygons (``data/gent/stadswijken-gent.geojson``), each
district weighted by its population (``data/gent/districts-population.csv``).

* ``ghent``: 3,000 open requests and 12,000 helpers over the city.
* ``region``: the same density over an area the size of Flanders: 50 copies of the city (10 × 5, side by
  side, each drawn afresh), 150,000 requests and 600,000 helpers over about 190 × 115 km.

Everything else follows what a Ghent volunteer service sees: nine categories with realistic shares,
windows over one week (Monday 23 to Sunday 29 November 2026), languages nl/fr/en/ar/tr/es/pl/bg,
priorities 1–5, 20 % of requests needing a vetted helper, helpers' radii 0.5–5 km and capacities 1–3,
some preferred and excluded helpers among each request's neighbours.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import shapely

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from domain.geo.districts import load_districts  # noqa: E402
from domain.matching.shares import (  # noqa: E402
    CAPACITIES,
    CATEGORY_SHARES,
    DURATIONS,
    HELPER_LANGUAGES,
    PRIORITIES,
    REQUEST_LANGUAGES,
    SLOT_PATTERNS,
)

DATA = ROOT / "data" / "gent"

SCALES = {
    "ghent": {"tiles": (1, 1), "requests": 3000, "helpers": 12000},
    "region": {"tiles": (10, 5), "requests": 3000, "helpers": 12000},  # per tile
    "tiny": {"tiles": (1, 1), "requests": 300, "helpers": 1200},
}

WEEK = [f"2026-11-{day:02d}" for day in range(23, 30)]


def _districts() -> tuple[list[Any], np.ndarray]:
    districts = load_districts(DATA / "stadswijken-gent.geojson")
    population: dict[int, float] = {}
    with (DATA / "districts-population.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            population[int(row["district_nr"])] = float(row["population_est_2024"])
    weights = np.array([population[d.number] for d in districts])
    return [d.geometry for d in districts], weights / weights.sum()


def _points(rng: np.random.Generator, n: int, geometries: list[Any], weights: np.ndarray) -> np.ndarray:
    """n (lat, lon) points: district by population, then uniform inside its polygon (rejection)."""
    counts = rng.multinomial(n, weights)
    out = np.empty((n, 2))
    at = 0
    for geometry, count in zip(geometries, counts, strict=True):
        x0, y0, x1, y1 = geometry.bounds
        got: list[np.ndarray] = []
        need = int(count)
        while need > 0:
            xs = rng.uniform(x0, x1, need * 3 + 16)
            ys = rng.uniform(y0, y1, need * 3 + 16)
            inside = shapely.contains_xy(geometry, xs, ys)
            pts = np.stack([ys[inside], xs[inside]], axis=1)[:need]
            got.append(pts)
            need -= len(pts)
        block = np.concatenate(got) if got else np.empty((0, 2))
        out[at : at + count] = block
        at += count
    rng.shuffle(out)
    return out


def _time(day: str, minutes: int) -> str:
    return f"{day}T{minutes // 60:02d}:{minutes % 60:02d}"


def generate(scale: str, seed: int, ratio: float | None = None, clustered: bool = False) -> dict[str, Any]:
    """One instance.  ``ratio``: helpers per request (default: the scale's own, 4); ``clustered``: most
    requests (80 %) in three districts, the rest over the city by population."""
    spec = SCALES[scale]
    rng = np.random.default_rng(seed)
    geometries, weights = _districts()
    request_weights = weights
    if clustered:
        hot = np.argsort(-weights)[:3]
        request_weights = 0.2 * weights
        request_weights[hot] += 0.8 / 3
        request_weights = request_weights / request_weights.sum()
    union = shapely.union_all(geometries)
    lon0, lat0, lon1, lat1 = union.bounds
    tiles_x, tiles_y = spec["tiles"]  # type: ignore[misc]
    per_r, per_h = int(spec["requests"]), int(spec["helpers"])  # type: ignore[call-overload]
    if ratio is not None:
        per_h = max(1, round(per_r * ratio))
    req_pts, help_pts = [], []
    for j in range(tiles_y):
        for i in range(tiles_x):
            shift = np.array([j * (lat1 - lat0), i * (lon1 - lon0)])
            req_pts.append(_points(rng, per_r, geometries, request_weights) + shift)
            help_pts.append(_points(rng, per_h, geometries, weights) + shift)
    rp, hp = np.concatenate(req_pts), np.concatenate(help_pts)
    n_r, n_h = len(rp), len(hp)
    cats, cat_w = list(CATEGORY_SHARES), np.array(list(CATEGORY_SHARES.values()))
    cat_w = cat_w / cat_w.sum()

    # ---- helpers
    h_ncat = rng.choice([1, 2, 3], size=n_h, p=[0.35, 0.40, 0.25])
    h_rad = np.round(rng.uniform(0.5, 5.0, n_h), 1)
    h_cap = rng.choice(CAPACITIES[0], size=n_h, p=CAPACITIES[1])
    h_vet = rng.random(n_h) < 0.45
    h_nwin = rng.choice([1, 2, 3, 4, 5], size=n_h, p=[0.15, 0.3, 0.25, 0.2, 0.1])
    lang_names = list(HELPER_LANGUAGES)
    lang_p = np.array(list(HELPER_LANGUAGES.values()))
    h_lang = rng.random((n_h, len(lang_names))) < lang_p
    helpers: list[dict[str, Any]] = []
    for j in range(n_h):
        categories = list(rng.choice(cats, size=int(h_ncat[j]), replace=False, p=cat_w))
        languages = [lang_names[k] for k in np.flatnonzero(h_lang[j])] or ["nl"]
        days = rng.choice(7, size=int(h_nwin[j]), replace=False)
        windows = []
        for day in sorted(days.tolist()):
            a, b = SLOT_PATTERNS[int(rng.integers(len(SLOT_PATTERNS)))]
            windows.append([_time(WEEK[day], a * 60), _time(WEEK[day], b * 60)])
        helpers.append(
            {
                "id": f"h{j + 1}",
                "lat": round(float(hp[j, 0]), 6),
                "lon": round(float(hp[j, 1]), 6),
                "categories": [str(c) for c in categories],
                "windows": windows,
                "languages": languages,
                "max_distance_km": float(h_rad[j]),
                "capacity": int(h_cap[j]),
                "vetted": bool(h_vet[j]),
            }
        )

    # ---- neighbours for preferred / excluded helpers (a coarse grid, only for these few requests)
    special = rng.random(n_r)
    wants_pref = np.flatnonzero(special < 0.08)
    wants_excl = np.flatnonzero((special >= 0.08) & (special < 0.11))
    cell = 0.01
    grid: dict[tuple[int, int], list[int]] = {}
    for j, (la, lo) in enumerate(hp.tolist()):
        grid.setdefault((int(la / cell), int(lo / cell)), []).append(j)

    def near(i: int) -> list[int]:
        la, lo = rp[i]
        found: list[int] = []
        for da in (-1, 0, 1):
            for do in (-1, 0, 1):
                found.extend(grid.get((int(la / cell) + da, int(lo / cell) + do), []))
        return found

    preferred: dict[int, list[str]] = {}
    excluded: dict[int, list[str]] = {}
    for i in wants_pref.tolist():
        pool = near(i)
        if pool:
            picks = rng.choice(pool, size=min(len(pool), int(rng.integers(1, 3))), replace=False)
            preferred[i] = [f"h{int(k) + 1}" for k in picks]
    for i in wants_excl.tolist():
        pool = near(i)
        if pool:
            excluded[i] = [f"h{int(rng.choice(pool)) + 1}"]

    # ---- requests
    r_cat = rng.choice(cats, size=n_r, p=cat_w)
    lang_sets, lang_sw = [x for x, _ in REQUEST_LANGUAGES], np.array([w for _, w in REQUEST_LANGUAGES])
    r_lang = rng.choice(len(lang_sets), size=n_r, p=lang_sw / lang_sw.sum())
    r_prio = rng.choice(PRIORITIES[0], size=n_r, p=PRIORITIES[1])
    r_vet = rng.random(n_r) < 0.20
    r_dur = rng.choice(DURATIONS[0], size=n_r, p=DURATIONS[1])
    r_nwin = rng.choice([1, 2, 3], size=n_r, p=[0.45, 0.35, 0.2])
    requests: list[dict[str, Any]] = []
    for i in range(n_r):
        duration = int(r_dur[i])
        days = rng.choice(7, size=int(r_nwin[i]), replace=False)
        windows = []
        for day in sorted(days.tolist()):
            length = max(duration, int(rng.choice([60, 90, 120, 180, 240])))
            start = int(rng.integers(16, 40)) * 30  # 08:00 .. 19:30
            end = min(start + length, 22 * 60)
            start = end - length
            windows.append([_time(WEEK[day], start), _time(WEEK[day], end)])
        record: dict[str, Any] = {
            "id": f"r{i + 1}",
            "lat": round(float(rp[i, 0]), 6),
            "lon": round(float(rp[i, 1]), 6),
            "category": str(r_cat[i]),
            "duration_minutes": duration,
            "windows": windows,
            "languages": list(lang_sets[int(r_lang[i])]),
            "priority": int(r_prio[i]),
            "requires_vetted": bool(r_vet[i]),
        }
        if i in preferred:
            record["preferred_helpers"] = preferred[i]
        if i in excluded:
            record["excluded_helpers"] = excluded[i]
        requests.append(record)
    return {"version": 1, "requests": requests, "helpers": helpers}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="ghent")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--ratio", type=float, help="helpers per request (default 4)")
    parser.add_argument("--clustered", action="store_true", help="80 %% of the requests in three districts")
    parser.add_argument("-o", "--output", type=Path, required=True)
    args = parser.parse_args()
    started = time.perf_counter()
    problem = generate(args.scale, args.seed, args.ratio, args.clustered)
    with args.output.open("w", encoding="utf-8") as handle:
        json.dump(problem, handle, separators=(",", ":"))
    size = args.output.stat().st_size
    print(
        f"{args.output}: {len(problem['requests'])} requests, {len(problem['helpers'])} helpers, "
        f"{size / 1e6:.1f} MB, {time.perf_counter() - started:.1f} s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
