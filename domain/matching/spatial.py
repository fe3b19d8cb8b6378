"""Finding the eligible helpers of many requests at once: a latitude/longitude grid over helper partitions.

Helpers (with capacity > 0) are filed under *partitions* ``(category, language or any, vetted-only)``
and, inside a partition, under a grid cell.  A request looks only in the partitions of its *plan*
(its category; its languages, or "any"; vetted helpers only when it requires vetting), and only in the
cells that a circle of the search radius can reach.  The cell bounds are proven on the sphere:

* latitude: a great-circle distance ``d`` changes latitude by at most ``d / R``;
* longitude: from the haversine formula, ``hav(dλ) <= hav(d/R) / (cos φ1 cos φ2)`` with
  ``cos φ2 >= cos(|φ1| + d/R)``; near a pole or across the date line all columns are searched.

So the index never misses a helper within the radius.  Whether a found pair is *eligible* is decided
by :func:`domain.matching.compiled.eligible`, the one definition of the rules.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .compiled import F64, I64, U64, Bool, Compiled, distances, eligible
from .model import EARTH_RADIUS_KM, PRIORITY_WEIGHT

ANY = -1
_SAFETY = 1e-9
CHUNK_PAIRS = 1 << 18
"""Pairs examined per vectorised step: bounds the memory of a search (about 100 bytes a pair; larger steps
were no faster on the benchmark, and took twice the memory of an independent pipeline at region scale)."""


@dataclass(eq=False)
class Plan:
    """Where a group of requests looks: partition ids, and for each a language mask of helpers to skip
    (those already found in an earlier partition of the same plan)."""

    parts: I64
    skip: U64  # shape (len(parts), words)
    has_skip: bool
    rmax: float


def _expand(counts: I64) -> tuple[I64, I64]:
    """For segments of the given lengths: (segment of each item, position of each item in its segment)."""
    total = int(counts.sum())
    segment = np.repeat(np.arange(len(counts), dtype=np.int64), counts)
    starts = np.zeros(len(counts), dtype=np.int64)
    if len(counts) > 1:
        np.cumsum(counts[:-1], out=starts[1:])
    position = np.arange(total, dtype=np.int64) - starts[segment]
    return segment, position


def chord2(km: F64) -> F64:
    """Squared chord on the unit sphere of a great-circle distance, slightly enlarged (never too small)."""
    half = np.minimum(np.asarray(km, dtype=np.float64) / (2 * EARTH_RADIUS_KM), math.pi / 2)
    result: F64 = 4.0 * np.sin(half) ** 2 * (1 + 1e-7) + 1e-15
    return result


class Grid:
    """A latitude/longitude grid over a set of points, and the cells a circle can reach (proven on the sphere).

    Longitudes are measured from the points' mean direction (``center``), so a set that straddles the date
    line is still one block of columns.  Cells are about ``cell_km`` wide at the points' widest latitude.
    """

    def __init__(self, phi: F64, lam: F64, *, min_cell_km: float) -> None:
        if len(phi):
            center = math.atan2(float(np.sin(lam).mean()), float(np.cos(lam).mean()))
        else:
            phi = lam = np.zeros(1)
            center = 0.0
        self.center = center
        lam_w = self.wrap(lam)
        self.phi0, self.lam0 = float(phi.min()), float(lam_w.min())
        phi_span, lam_span = float(phi.max()) - self.phi0, float(lam_w.max()) - self.lam0
        cos_ref = max(math.cos(float(np.abs(phi).max())), 0.05)
        area = max(phi_span * EARTH_RADIUS_KM, 1e-6) * max(lam_span * EARTH_RADIUS_KM * cos_ref, 1e-6)
        g = max(2.0 * math.sqrt(area / max(len(phi), 1)), min_cell_km)
        rows = int(phi_span / (g / EARTH_RADIUS_KM)) + 1
        cols = int(lam_span / (g / EARTH_RADIUS_KM / cos_ref)) + 1
        while rows * cols > (1 << 40):
            g *= 2.0
            rows = int(phi_span / (g / EARTH_RADIUS_KM)) + 1
            cols = int(lam_span / (g / EARTH_RADIUS_KM / cos_ref)) + 1
        self.cell_km = g
        self.area_km2 = area
        self.g_phi = g / EARTH_RADIUS_KM
        self.g_lam = g / EARTH_RADIUS_KM / cos_ref
        self.rows, self.cols = rows, cols

    def wrap(self, lam: F64) -> F64:
        result: F64 = (lam - self.center + math.pi) % (2 * math.pi) - math.pi
        return result

    def keys(self, part: I64, phi: F64, lon_degrees: F64) -> I64:
        """The sort key (partition, row, column) of points."""
        row = np.clip(np.floor((phi - self.phi0) / self.g_phi), 0, self.rows - 1).astype(np.int64)
        lam_w = self.wrap(np.radians(lon_degrees))
        col = np.clip(np.floor((lam_w - self.lam0) / self.g_lam), 0, self.cols - 1).astype(np.int64)
        result: I64 = (part * self.rows + row) * self.cols + col
        return result

    def ranges(self, phi: F64, lon_degrees: F64, radius: F64) -> tuple[I64, I64, I64, I64]:
        """Rows and columns (inclusive) that circles of ``radius`` km around the points can reach.

        Latitude: a great-circle distance ``d`` changes latitude by at most ``d / R``.  Longitude: from the
        haversine formula, ``hav(dλ) <= hav(d/R) / (cos φ1 cos φ2)`` with ``cos φ2 >= cos(|φ1| + d/R)``;
        near a pole or across the date line every column is searched.
        """
        ang = radius / EARTH_RADIUS_KM * (1 + _SAFETY) + 1e-15
        row_lo = np.floor((phi - ang - self.phi0) / self.g_phi)
        row_hi = np.floor((phi + ang - self.phi0) / self.g_phi)
        lam_w = self.wrap(np.radians(lon_degrees))
        far = np.abs(phi) + ang
        denominator = np.cos(phi) * np.cos(np.minimum(far, math.pi / 2))
        with np.errstate(divide="ignore", invalid="ignore"):
            arg = np.sin(np.minimum(ang, math.pi) / 2) / np.sqrt(denominator)
        full = (far >= math.pi / 2) | ~(arg < 1.0)
        d_lam = 2 * np.arcsin(np.where(full, 0.0, arg)) * (1 + _SAFETY) + 1e-15
        full |= (lam_w - d_lam < -math.pi) | (lam_w + d_lam >= math.pi)
        col_lo = np.where(full, 0, np.floor((lam_w - d_lam - self.lam0) / self.g_lam))
        col_hi = np.where(full, self.cols - 1, np.floor((lam_w + d_lam - self.lam0) / self.g_lam))
        return (
            np.maximum(row_lo, 0).astype(np.int64),
            np.minimum(row_hi, self.rows - 1).astype(np.int64),
            np.maximum(col_lo, 0).astype(np.int64),
            np.minimum(col_hi, self.cols - 1).astype(np.int64),
        )


class HelperIndex:
    """The helpers of a compiled problem, partitioned and gridded for radius searches."""

    def __init__(self, cp: Compiled) -> None:
        self.cp = cp
        n_langs = len(cp.languages)
        self.words = cp.h_lang.shape[1]
        active = cp.h_cap > 0
        # ---- grid geometry
        h_ids = np.flatnonzero(active)
        rmax = float(cp.h_rad[h_ids].max()) if len(h_ids) else 0.0
        self.grid = Grid(cp.h_phi[h_ids], np.radians(cp.h_lon[h_ids]), min_cell_km=max(rmax / 48.0, 0.01))
        self.cell_km = self.grid.cell_km
        self.rows, self.cols = self.grid.rows, self.grid.cols

        # ---- request plans (grouped by category, language set, vetting)
        # partition raw id: ((category * (n_langs + 1)) + (language + 1)) * 2 + vetted_only
        stride = n_langs + 1
        h_cat_n = cp.h_cat_ptr[1:] - cp.h_cat_ptr[:-1]
        h_lang_n = cp.h_lang_ptr[1:] - cp.h_lang_ptr[:-1]
        # helper × category (active helpers only)
        hc_h, hc_k = _expand(np.where(active, h_cat_n, 0))
        hc_c = cp.h_cat_codes[cp.h_cat_ptr[hc_h] + hc_k]
        # helper × category × language
        combos = np.where(active, h_cat_n * h_lang_n, 0)
        hcl_h, hcl_k = _expand(combos)
        ln = h_lang_n[hcl_h]
        hcl_c = cp.h_cat_codes[cp.h_cat_ptr[hcl_h] + hcl_k // np.maximum(ln, 1)]
        hcl_l = cp.h_lang_codes[cp.h_lang_ptr[hcl_h] + hcl_k % np.maximum(ln, 1)]
        ent_h = np.concatenate([hc_h, hcl_h])
        ent_raw = np.concatenate([hc_c * stride, hcl_c * stride + hcl_l + 1]) * 2
        vet = cp.h_vet[ent_h]
        ent_h = np.concatenate([ent_h, ent_h[vet]])
        ent_raw = np.concatenate([ent_raw, ent_raw[vet] + 1])
        raw_ids, raw_counts = np.unique(ent_raw, return_counts=True)
        size = dict(zip(raw_ids.tolist(), raw_counts.tolist(), strict=True))

        plan_of_key: dict[tuple[int, tuple[int, ...], bool], int] = {}
        plan_raw: list[list[int]] = []
        plan_skip: list[list[list[int]]] = []
        request_plan = np.empty(cp.n_r, dtype=np.int64)
        r_lang_ptr, r_lang_codes = cp.r_lang_ptr.tolist(), cp.r_lang_codes.tolist()
        r_cat, r_vet = cp.r_cat.tolist(), cp.r_vet.tolist()
        for r in range(cp.n_r):
            langs = tuple(sorted(set(r_lang_codes[r_lang_ptr[r] : r_lang_ptr[r + 1]])))
            key = (r_cat[r], langs, r_vet[r])
            plan = plan_of_key.get(key)
            if plan is None:
                plan = plan_of_key[key] = len(plan_raw)
                c, v = key[0], int(key[2])
                any_raw = (c * stride) * 2 + v
                lang_raw = [(c * stride + lang + 1) * 2 + v for lang in langs]
                union = sum(size.get(x, 0) for x in lang_raw)
                if langs and (len(langs) == 1 or union <= size.get(any_raw, 0)):
                    plan_raw.append(lang_raw)
                    plan_skip.append([list(langs[:k]) for k in range(len(langs))])
                else:
                    plan_raw.append([any_raw])
                    plan_skip.append([[]])
            request_plan[r] = plan
        self.request_plan = request_plan

        # ---- keep the entries of partitions that some plan uses; compact ids
        needed = np.unique(np.array([x for raws in plan_raw for x in raws], dtype=np.int64))
        keep = np.isin(ent_raw, needed)
        ent_h, ent_raw = ent_h[keep], ent_raw[keep]
        ent_part = np.searchsorted(needed, ent_raw)
        self.n_parts = len(needed)
        part_rmax = np.full(max(self.n_parts, 1), -1.0)
        if len(ent_h):
            np.maximum.at(part_rmax, ent_part, cp.h_rad[ent_h])
        self.plans: list[Plan] = []
        for raws, skips in zip(plan_raw, plan_skip, strict=True):
            parts = np.searchsorted(needed, np.array(raws, dtype=np.int64))
            skip = np.zeros((len(raws), self.words), dtype=np.uint64)
            for k, codes in enumerate(skips):
                for code in codes:
                    skip[k, code // 64] |= np.uint64(1) << np.uint64(code % 64)
            rmax_plan = float(part_rmax[parts].max()) if len(parts) else -1.0
            self.plans.append(Plan(parts, skip, bool(skip.any()), rmax_plan))
        # flattened plan table for vectorised expansion
        counts = np.array([len(p.parts) for p in self.plans], dtype=np.int64)
        self.plan_ptr = np.zeros(len(self.plans) + 1, dtype=np.int64)
        np.cumsum(counts, out=self.plan_ptr[1:])
        self.plan_parts = np.concatenate([p.parts for p in self.plans]) if self.plans else np.zeros(0, dtype=np.int64)
        self.plan_skip = (
            np.concatenate([p.skip for p in self.plans]) if self.plans else np.zeros((0, self.words), np.uint64)
        )
        self.plan_rmax = np.array([p.rmax for p in self.plans], dtype=np.float64)
        self.request_rmax = self.plan_rmax[request_plan] if cp.n_r else np.zeros(0)
        self.any_skip = bool(self.plan_skip.any())

        # ---- sort entries by (partition, row, column)
        keys = self.grid.keys(ent_part, cp.h_phi[ent_h], cp.h_lon[ent_h])
        order = np.argsort(keys, kind="stable")
        self.keys = keys[order]
        self.ent_h = ent_h[order]
        self.entries = len(self.keys)
        # chord² of each helper's radius (for the cheap pre-filter)
        self.h_chord2 = chord2(cp.h_rad)

    # -------------------------------------------------------------------------------------------------
    def search(self, requests: I64, radius: F64) -> tuple[I64, I64, F64]:
        """All eligible pairs ``(request, helper)`` with distance <= radius[k] for request requests[k].

        Returns (request index, helper index, distance km), grouped by request in the order given.
        """
        cp = self.cp
        out_r: list[I64] = []
        out_h: list[I64] = []
        out_d: list[F64] = []
        requests = np.asarray(requests, dtype=np.int64)
        radius = np.minimum(np.asarray(radius, dtype=np.float64), self.request_rmax[requests])
        live = radius >= 0
        requests, radius = requests[live], radius[live]
        if len(requests) == 0 or self.entries == 0:
            return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0)
        # ---- rows and columns of each query
        row_lo, row_hi, col_lo, col_hi = self.grid.ranges(cp.r_phi[requests], cp.r_lon[requests], radius)
        n_rows = np.where((row_hi >= row_lo) & (col_hi >= col_lo), row_hi - row_lo + 1, 0)
        # ---- (query, partition) combinations
        plan = self.request_plan[requests]
        n_parts = self.plan_ptr[plan + 1] - self.plan_ptr[plan]
        qp_q, qp_k = _expand(n_parts * (n_rows > 0))
        slot = self.plan_ptr[plan[qp_q]] + qp_k
        qp_part = self.plan_parts[slot]
        # ---- (query, partition, row) ranges of entries
        qpr_i, qpr_k = _expand(n_rows[qp_q])
        q = qp_q[qpr_i]
        base = (qp_part[qpr_i] * self.rows + row_lo[q] + qpr_k) * self.cols
        start = np.searchsorted(self.keys, base + col_lo[q], side="left")
        end = np.searchsorted(self.keys, base + col_hi[q], side="right")
        counts = end - start
        nonzero = counts > 0
        q, start, counts, slot_of = q[nonzero], start[nonzero], counts[nonzero], slot[qpr_i][nonzero]
        chord_q = chord2(radius)
        # ---- walk the ranges in chunks of about CHUNK_PAIRS pairs
        cumulative = np.cumsum(counts)
        first = 0
        while first < len(counts):
            done_before = int(cumulative[first - 1]) if first else 0
            last = int(np.searchsorted(cumulative, done_before + CHUNK_PAIRS, side="right"))
            last = max(last, first + 1)
            seg, pos = _expand(counts[first:last])
            ent = start[first:last][seg] + pos
            qi = q[first:last][seg]
            ri = requests[qi]
            hi = self.ent_h[ent]
            keep = self._prefilter(ri, hi, chord_q[qi])
            if self.any_skip:
                skips = self.plan_skip[slot_of[first:last][seg]]
                keep &= ~((skips & cp.h_lang[hi]) != 0).any(axis=1)
            idx = np.flatnonzero(keep)
            ri, hi, rho = ri[idx], hi[idx], radius[qi[idx]]
            dist = distances(cp, ri, hi)
            # a search that covers the helper's whole radius leaves rule 2 to decide: NumPy's distance may
            # differ from the spec's (math) by an ulp, and a pair exactly at the radius must not be lost
            ok = ((dist <= rho) | (rho >= cp.h_rad[hi])) & eligible(cp, ri, hi, dist)
            out_r.append(ri[ok])
            out_h.append(hi[ok])
            out_d.append(dist[ok])
            first = last
        if not out_r:
            return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0)
        ri, hi, dist = np.concatenate(out_r), np.concatenate(out_h), np.concatenate(out_d)
        return ri, hi, dist

    def _prefilter(self, ri: I64, hi: I64, chord2_limit: F64) -> Bool:
        """Chord distance within both the search radius and the helper's radius (cheap, never too strict)."""
        cp = self.cp
        diff = cp.r_xyz[ri] - cp.h_xyz[hi]
        squared = np.einsum("ij,ij->i", diff, diff)
        ok: Bool = squared <= np.minimum(chord2_limit, self.h_chord2[hi])
        return ok

    def useful_radius(self, r: int) -> float:
        """Beyond this distance a pair scores <= 0 (never worth assigning) or no helper reaches."""
        return min(float(self.request_rmax[r]), PRIORITY_WEIGHT * int(self.cp.r_prio[r]))


class RequestIndex:
    """The requests of a compiled problem, by (category, priority) and grid cell: the helpers' side of the search.

    A helper with a price ``p`` can only be undercut by a request that scores more than ``p`` with it, and a
    request of priority ``q`` scores ``100 q - distance`` (plus 5 for a preferred helper): so the helper looks
    at each priority within the radius ``100 q - p``, usually only the highest priorities and nearby.  Where
    helpers are scarce their prices are high, and this finds the few pairs that matter without listing the
    many that cannot.
    """

    LEVELS = 5

    def __init__(self, cp: Compiled) -> None:
        self.cp = cp
        rmax = float(cp.h_rad.max()) if cp.n_h else 0.0
        self.grid = Grid(cp.r_phi, np.radians(cp.r_lon), min_cell_km=max(rmax / 16.0, 0.01))
        part = cp.r_cat * self.LEVELS + (np.clip(cp.r_prio, 1, self.LEVELS) - 1)
        keys = self.grid.keys(part, cp.r_phi, cp.r_lon)
        order = np.argsort(keys, kind="stable")
        self.keys = keys[order]
        self.ent_r = order.astype(np.int64)

    def search(
        self, helpers: I64, floor: I64, requests: Bool | None = None, level: int | None = None
    ) -> tuple[I64, I64, F64]:
        """Eligible pairs ``(request, helper)`` scoring at least ``floor[k]`` (integer units of 1e-9 points) with
        helper ``helpers[k]``; only requests where ``requests`` is True when it is given, only requests of
        priority ``level`` when it is given."""
        from .solver import SCALE, integer_scores  # the one definition of integer scores

        cp = self.cp
        helpers = np.asarray(helpers, dtype=np.int64)
        floor = np.asarray(floor, dtype=np.int64)
        n_cat = cp.h_cat_ptr[helpers + 1] - cp.h_cat_ptr[helpers]
        seg, pos = _expand(n_cat * self.LEVELS)
        h = helpers[seg]
        category = cp.h_cat_codes[cp.h_cat_ptr[h] + pos // self.LEVELS]
        levels = pos % self.LEVELS + 1
        radius = np.minimum(cp.h_rad[h], PRIORITY_WEIGHT * levels - floor[seg] / SCALE + 1e-6)
        live = radius >= 0
        if level is not None:
            live &= levels == level
        h, category, levels, radius, need = h[live], category[live], levels[live], radius[live], floor[seg][live]
        empty = np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0)
        if len(h) == 0:
            return empty
        row_lo, row_hi, col_lo, col_hi = self.grid.ranges(cp.h_phi[h], cp.h_lon[h], radius)
        n_rows = np.where((row_hi >= row_lo) & (col_hi >= col_lo), row_hi - row_lo + 1, 0)
        q, k = _expand(n_rows)
        base = ((category[q] * self.LEVELS + levels[q] - 1) * self.grid.rows + row_lo[q] + k) * self.grid.cols
        start = np.searchsorted(self.keys, base + col_lo[q], side="left")
        counts = np.searchsorted(self.keys, base + col_hi[q], side="right") - start
        nonzero = counts > 0
        q, start, counts = q[nonzero], start[nonzero], counts[nonzero]
        limit = chord2(radius)
        out_r, out_h, out_d = [], [], []
        cumulative = np.cumsum(counts)
        first = 0
        while first < len(counts):
            done_before = int(cumulative[first - 1]) if first else 0
            last = max(int(np.searchsorted(cumulative, done_before + CHUNK_PAIRS, side="right")), first + 1)
            seg_c, pos_c = _expand(counts[first:last])
            qi = q[first:last][seg_c]
            ri = self.ent_r[start[first:last][seg_c] + pos_c]
            hi = h[qi]
            diff = cp.r_xyz[ri] - cp.h_xyz[hi]
            keep = np.einsum("ij,ij->i", diff, diff) <= limit[qi]
            if requests is not None:
                keep &= requests[ri]
            idx = np.flatnonzero(keep)
            ri, hi, qi = ri[idx], hi[idx], qi[idx]
            dist = distances(cp, ri, hi)
            ok = ((dist <= radius[qi]) | (radius[qi] >= cp.h_rad[hi])) & eligible(cp, ri, hi, dist)
            ri, hi, dist, qi = ri[ok], hi[ok], dist[ok], qi[ok]
            enough = integer_scores(cp, ri, hi, dist) >= np.maximum(need[qi], 1)
            out_r.append(ri[enough])
            out_h.append(hi[enough])
            out_d.append(dist[enough])
            first = last
        if not out_r:
            return empty
        return np.concatenate(out_r), np.concatenate(out_h), np.concatenate(out_d)
