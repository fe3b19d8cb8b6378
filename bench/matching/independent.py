"""An independent, straightforward exact pipeline: the yardstick the matching engine is measured against.

    .venv/bin/python bench/matching/independent.py PROBLEM.json -o SOLUTION.json
    .venv/bin/python bench/matching/independent.py PROBLEM.json --estimate 2000   # pair count, from a sample

Written from the spec (``/work/shared/specs/matching-problem.md``) alone and imports nothing from
``domain/``: it reads the JSON with the standard ``json`` module into NumPy arrays itself, applies the
six eligibility rules and the score itself, lists every eligible pair with a positive score (a SciPy
``cKDTree`` on 3-D unit vectors with the largest helper radius as a chord, then the rules vectorised in
NumPy, the cheap ones first, requests in chunks to bound memory) and solves the maximum-weight
b-matching over all of them with OR-Tools' ``SimpleMinCostFlow``:

* source → request, capacity 1, cost 0;
* request → helper, capacity 1, cost ``-round(score · 1e6)``, one arc per eligible pair;
* helper → sink, capacity = the helper's capacity, cost 0;
* source → sink, capacity = number of requests, cost 0 (leaving a request out costs nothing).

Writes the spec's solution JSON (score recomputed with ``math.fsum``, ``"optimal": true``) and prints on
stderr ``independent: N eligible pairs; seconds: read X, pairs Y, flow Z, total T`` (total: the whole
run, writing included).  Since it shares no code with the engine, equal optima on the same instance
are a real cross-check, and its time and memory show what the engine saves.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
from ortools.graph.python import min_cost_flow
from scipy.spatial import cKDTree

EARTH_RADIUS_KM = 6371.0088
PREFERRED_BONUS = 5.0
COST_SCALE = 10**6
"""Integer cost units per score point (OR-Tools' min-cost flow takes integer costs)."""
CHUNK = 256
"""Requests per KD-tree query: bounds the memory of one batch's candidate pairs (about 2 M at Ghent density,
ratio 4); small batches also stay in cache (faster than 2,000 at a time)."""
EPOCH = datetime(1970, 1, 1)


class Arrays:
    """The problem as flat NumPy arrays (index = position in the file)."""

    def __init__(self, data: dict[str, Any]) -> None:
        requests, helpers = data["requests"], data["helpers"]
        self.r_ids = [str(r["id"]) for r in requests]
        self.h_ids = [str(h["id"]) for h in helpers]
        self.n_r, self.n_h = len(requests), len(helpers)
        h_index = {hid: j for j, hid in enumerate(self.h_ids)}
        moments: dict[str, float] = {}

        def seconds(text: str) -> float:
            value = moments.get(text)
            if value is None:
                value = moments[text] = (datetime.fromisoformat(text) - EPOCH).total_seconds()
            return value

        def windows(records: list[dict[str, Any]]) -> tuple[np.ndarray, np.ndarray]:
            # padded to the largest count; a padding window [+inf, -inf) overlaps nothing
            width = max((len(x["windows"]) for x in records), default=0) or 1
            starts = np.full((len(records), width), np.inf)
            ends = np.full((len(records), width), -np.inf)
            for i, record in enumerate(records):
                for k, (start, end) in enumerate(record["windows"]):
                    starts[i, k], ends[i, k] = seconds(start), seconds(end)
            return starts, ends

        # categories and languages: one bit per distinct code, in as many 64-bit words as needed
        categories: dict[str, int] = {}
        languages: dict[str, int] = {}
        for r in requests:
            categories.setdefault(r["category"], len(categories))
            for code in r["languages"]:
                languages.setdefault(code, len(languages))
        for h in helpers:
            for name in h["categories"]:
                categories.setdefault(name, len(categories))
            for code in h["languages"]:
                languages.setdefault(code, len(languages))

        def masks(sets: list[list[str]], codes: dict[str, int]) -> np.ndarray:
            out = np.zeros((len(sets), len(codes) // 64 + 1), dtype=np.uint64)
            for i, names in enumerate(sets):
                for name in names:
                    bit = codes[name]
                    out[i, bit // 64] |= np.uint64(1 << (bit % 64))
            return out

        # requests
        self.r_lat = np.array([float(r["lat"]) for r in requests], dtype=np.float64)
        self.r_lon = np.array([float(r["lon"]) for r in requests], dtype=np.float64)
        r_cat = np.array([categories[r["category"]] for r in requests], dtype=np.int64)
        self.r_cat_word = r_cat // 64
        self.r_cat_mask = np.left_shift(np.uint64(1), (r_cat % 64).astype(np.uint64))
        self.r_lang = masks([r["languages"] for r in requests], languages)
        self.r_any_lang = np.array([not r["languages"] for r in requests], dtype=bool)
        self.r_prio = np.array([int(r["priority"]) for r in requests], dtype=np.float64)
        self.r_vet = np.array([bool(r["requires_vetted"]) for r in requests], dtype=bool)
        self.r_dur = np.array([float(r["duration_minutes"]) * 60 for r in requests], dtype=np.float64)
        self.r_start, self.r_end = windows(requests)

        # helpers
        self.h_lat = np.array([float(h["lat"]) for h in helpers], dtype=np.float64)
        self.h_lon = np.array([float(h["lon"]) for h in helpers], dtype=np.float64)
        self.h_cat = masks([h["categories"] for h in helpers], categories)
        self.h_lang = masks([h["languages"] for h in helpers], languages)
        self.h_rad = np.array([float(h["max_distance_km"]) for h in helpers], dtype=np.float64)
        self.h_cap = np.array([int(h["capacity"]) for h in helpers], dtype=np.int64)
        self.h_vet = np.array([bool(h["vetted"]) for h in helpers], dtype=bool)
        self.h_start, self.h_end = windows(helpers)

        # preferred and excluded helpers as sorted pair keys r * n_h + h (unknown ids name nobody)
        def keys(field: str) -> np.ndarray:
            found = [
                i * self.n_h + h_index[hid]
                for i, r in enumerate(requests)
                for hid in r.get(field) or ()
                if hid in h_index
            ]
            return np.unique(np.array(found, dtype=np.int64))

        self.preferred, self.excluded = keys("preferred_helpers"), keys("excluded_helpers")

        # haversine parts per point (the pair's formula only needs differences)
        self.r_phi, self.h_phi = np.radians(self.r_lat), np.radians(self.h_lat)
        self.r_cos, self.h_cos = np.cos(self.r_phi), np.cos(self.h_phi)


def unit_vectors(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    phi, lam = np.radians(lat), np.radians(lon)
    return np.stack([np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), np.sin(phi)], axis=1)


def member(keys: np.ndarray, table: np.ndarray) -> np.ndarray:
    """Whether each key is in the sorted array ``table``."""
    if len(table) == 0:
        return np.zeros(len(keys), dtype=bool)
    at = np.minimum(np.searchsorted(table, keys), len(table) - 1)
    found: np.ndarray = table[at] == keys
    return found


def eligible_pairs(a: Arrays, requests: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every eligible pair with a positive score: request indices, helper indices, scores (of the given
    request indices only, when given)."""
    chosen = np.arange(a.n_r) if requests is None else np.asarray(requests, dtype=np.int64)
    empty = (np.empty(0, np.int32), np.empty(0, np.int32), np.empty(0, np.float64))
    if len(chosen) == 0 or a.n_h == 0:
        return empty
    served = np.flatnonzero(a.h_cap > 0)  # a helper of capacity 0 serves nobody
    if len(served) == 0:
        return empty
    tree = cKDTree(unit_vectors(a.h_lat[served], a.h_lon[served]))
    r_xyz = unit_vectors(a.r_lat[chosen], a.r_lon[chosen])
    largest = float(a.h_rad[served].max())
    # the chord of the largest radius, a hair wider so that a pair exactly at the radius is still listed
    chord = 2 * math.sin(min(largest / (2 * EARTH_RADIUS_KM), math.pi / 2)) * (1 + 1e-9) + 1e-12
    parts_r, parts_h, parts_s = [], [], []
    every_helper = len(served) == a.n_h
    for first in range(0, len(chosen), CHUNK):
        rows = chosen[first : first + CHUNK]
        near = cKDTree(r_xyz[first : first + CHUNK]).sparse_distance_matrix(tree, chord, output_type="ndarray")
        ri = rows[near["i"]] if requests is not None else near["i"] + first
        hi = near["j"] if every_helper else served[near["j"]]
        del near
        # 1 category, 4 vetting (bit masks and booleans)
        if a.h_cat.shape[1] == 1:
            ok = (a.h_cat[:, 0][hi] & a.r_cat_mask[ri]) != 0
        else:
            ok = (a.h_cat[hi, a.r_cat_word[ri]] & a.r_cat_mask[ri]) != 0
        ok &= ~a.r_vet[ri] | a.h_vet[hi]
        ri, hi = ri[ok], hi[ok]
        # 3 language: the request's list is empty, or it shares a code with the helper's
        if a.r_lang.shape[1] == 1:
            ok = a.r_any_lang[ri] | ((a.r_lang[:, 0][ri] & a.h_lang[:, 0][hi]) != 0)
        else:
            ok = a.r_any_lang[ri] | ((a.r_lang[ri] & a.h_lang[hi]) != 0).any(axis=1)
        ri, hi = ri[ok], hi[ok]
        # 5 not excluded
        if len(a.excluded):
            ok = ~member(ri.astype(np.int64) * a.n_h + hi, a.excluded)
            ri, hi = ri[ok], hi[ok]
        # 2 distance: the spec's haversine, as written there
        dphi = a.h_phi[hi] - a.r_phi[ri]
        dlam = np.radians(a.h_lon[hi] - a.r_lon[ri])
        hav = np.sin(dphi / 2) ** 2 + a.r_cos[ri] * a.h_cos[hi] * np.sin(dlam / 2) ** 2
        dist = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.minimum(1.0, hav)))
        ok = dist <= a.h_rad[hi]
        ri, hi, dist = ri[ok], hi[ok], dist[ok]
        # 6 time: some pair of half-open windows overlaps by >= duration, and by more than nothing
        best = np.full(len(ri), -np.inf)
        h_start, h_end = a.h_start[hi], a.h_end[hi]
        for k in range(a.r_start.shape[1]):
            rs, re_ = a.r_start[ri, k][:, None], a.r_end[ri, k][:, None]
            overlap = np.minimum(re_, h_end) - np.maximum(rs, h_start)
            np.maximum(best, overlap.max(axis=1), out=best)
        del h_start, h_end
        ok = (best > 0) & (best >= a.r_dur[ri])
        ri, hi, dist = ri[ok], hi[ok], dist[ok]
        # score; only positive scores can raise the sum
        score = 100.0 * a.r_prio[ri] - dist
        if len(a.preferred):
            score += PREFERRED_BONUS * member(ri.astype(np.int64) * a.n_h + hi, a.preferred)
        ok = score > 0
        parts_r.append(ri[ok].astype(np.int32))
        parts_h.append(hi[ok].astype(np.int32))
        parts_s.append(score[ok])
    return np.concatenate(parts_r), np.concatenate(parts_h), np.concatenate(parts_s)


def solve_flow(a: Arrays, ri: np.ndarray, hi: np.ndarray, score: np.ndarray) -> np.ndarray:
    """The maximum-weight b-matching as a min-cost flow; the positions of the chosen pairs."""
    n_r, n_h = a.n_r, a.n_h
    source, sink = n_r + n_h, n_r + n_h + 1
    flow = min_cost_flow.SimpleMinCostFlow()
    zeros_r = np.zeros(n_r, dtype=np.int64)
    flow.add_arcs_with_capacity_and_unit_cost(
        np.full(n_r, source, dtype=np.int32), np.arange(n_r, dtype=np.int32), zeros_r + 1, zeros_r
    )
    cost = -np.rint(score * COST_SCALE).astype(np.int64)
    pair_arcs = flow.add_arcs_with_capacity_and_unit_cost(
        ri, (hi + n_r).astype(np.int32), np.ones(len(ri), dtype=np.int64), cost
    )
    del cost
    flow.add_arcs_with_capacity_and_unit_cost(
        np.arange(n_r, n_r + n_h, dtype=np.int32),
        np.full(n_h, sink, dtype=np.int32),
        a.h_cap.astype(np.int64),
        np.zeros(n_h, dtype=np.int64),
    )
    flow.add_arc_with_capacity_and_unit_cost(source, sink, n_r, 0)
    flow.set_node_supply(source, n_r)
    flow.set_node_supply(sink, -n_r)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise SystemExit(f"independent: min-cost flow did not solve (status {status})")
    used: np.ndarray = np.flatnonzero(flow.flows(pair_arcs) > 0)
    return used


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("problem", type=Path)
    parser.add_argument("-o", "--output", type=Path)
    parser.add_argument(
        "--estimate",
        type=int,
        metavar="SAMPLE",
        help="only estimate the number of eligible pairs from SAMPLE random requests, print it, solve nothing",
    )
    args = parser.parse_args()
    if args.output is None and args.estimate is None:
        parser.error("-o SOLUTION.json is required (or --estimate SAMPLE)")
    started = time.perf_counter()
    with args.problem.open(encoding="utf-8") as handle:
        arrays = Arrays(json.load(handle))
    read = time.perf_counter()
    if args.estimate is not None:
        sample = min(arrays.n_r, max(1, args.estimate))
        if sample == 0:
            print("independent: estimated 0 eligible pairs (0 in 0)")
            return 0
        rows = np.sort(np.random.default_rng(0).choice(arrays.n_r, size=sample, replace=False))
        found = len(eligible_pairs(arrays, rows)[0])
        print(f"independent: estimated {round(found * arrays.n_r / sample)} eligible pairs ({found} in {sample})")
        return 0
    ri, hi, score = eligible_pairs(arrays)
    listed = time.perf_counter()
    used = solve_flow(arrays, ri, hi, score)
    solved = time.perf_counter()
    order = used[np.argsort(ri[used], kind="stable")]
    assignments = [
        {"request": arrays.r_ids[r], "helper": arrays.h_ids[h]}
        for r, h in zip(ri[order].tolist(), hi[order].tolist(), strict=True)
    ]
    total = math.fsum(score[order].tolist())
    args.output.write_text(json.dumps({"assignments": assignments, "score": total, "optimal": True}, indent=1))
    done = time.perf_counter()
    print(
        f"independent: {len(ri)} eligible pairs; seconds: read {read - started:.3f}, "
        f"pairs {listed - read:.3f}, flow {solved - listed:.3f}, total {done - started:.3f}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
