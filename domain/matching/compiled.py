"""A problem as NumPy arrays, and the six eligibility rules as vectorised functions over pairs.

These rule functions are the one definition of eligibility: the solver, the suggestions and the
explanations all call :func:`rule_masks` / :func:`eligible`.  The solver's spatial index only decides
which pairs to *look at*; whether a pair is eligible is always decided here.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import numpy.typing as npt

from .model import EARTH_RADIUS_KM, PREFERRED_BONUS, PRIORITY_WEIGHT, Helper, Problem, Request

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
U64 = npt.NDArray[np.uint64]
Bool = npt.NDArray[np.bool_]

BOUNDARY_EPS = 1e-9
"""Pairs whose NumPy distance is this close (relative) to a radius are re-measured with ``math``."""

_DAY_SECONDS = 86400


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The spec's distance, with the standard library (the reference for boundary cases)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi, d_lambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def seconds_of(moment: datetime) -> int:
    """Seconds since 0001-01-01 of a naive datetime (exact integer arithmetic)."""
    return (moment.toordinal() * _DAY_SECONDS) + moment.hour * 3600 + moment.minute * 60 + moment.second


def _bitsets(sets: list[tuple[str, ...]], codes: dict[str, int]) -> U64:
    """Sets of codes → one row of 64-bit words per set (bit ``c`` set when code ``c`` is in the set)."""
    words = max(1, (len(codes) + 63) // 64)
    out = np.zeros((len(sets), words), dtype=np.uint64)
    if not sets:
        return out
    lengths = np.fromiter((len(s) for s in sets), dtype=np.int64, count=len(sets))
    flat = np.fromiter((codes[item] for s in sets for item in s), dtype=np.int64, count=int(lengths.sum()))
    rows = np.repeat(np.arange(len(sets)), lengths)
    np.bitwise_or.at(out, (rows, flat // 64), np.left_shift(np.uint64(1), (flat % 64).astype(np.uint64)))
    return out


def _csr(sets: list[tuple[str, ...]], codes: dict[str, int]) -> tuple[I64, I64]:
    counts = np.fromiter((len(s) for s in sets), dtype=np.int64, count=len(sets))
    ptr = np.zeros(len(sets) + 1, dtype=np.int64)
    np.cumsum(counts, out=ptr[1:])
    flat = np.fromiter((codes[item] for s in sets for item in s), dtype=np.int64, count=int(ptr[-1]))
    return ptr, flat


def _windows(windows_list: list[tuple[tuple[datetime, datetime], ...]]) -> tuple[I64, I64, I64]:
    cache: dict[datetime, int] = {}

    def sec(moment: datetime) -> int:
        value = cache.get(moment)
        if value is None:
            value = cache[moment] = seconds_of(moment)
        return value

    counts = np.fromiter((len(w) for w in windows_list), dtype=np.int64, count=len(windows_list))
    ptr = np.zeros(len(windows_list) + 1, dtype=np.int64)
    np.cumsum(counts, out=ptr[1:])
    total = int(ptr[-1])
    starts = np.fromiter((sec(a) for w in windows_list for a, _ in w), dtype=np.int64, count=total)
    ends = np.fromiter((sec(b) for w in windows_list for _, b in w), dtype=np.int64, count=total)
    return ptr, starts, ends


SLOT_SECONDS = 7200
"""Width of a slot of the window pre-filter (two hours)."""

SLOT_WORDS = 2
"""Slots are counted modulo 64 * SLOT_WORDS (about ten days of two-hour slots)."""


def _slot_masks(wptr: I64, starts: I64, ends: I64) -> U64:
    """For each record, the two-hour slots (modulo ten days) that its windows touch, as bits.

    Two windows that overlap share an instant, so their records share that instant's slot: records whose
    masks share no bit have no overlap at all.  The converse does not hold (slots wrap around after ten
    days, and a shared slot is not a long enough overlap), so this only spares the exact rule work.
    """
    n = len(wptr) - 1
    total_bits = 64 * SLOT_WORDS
    out = np.zeros((n, SLOT_WORDS), dtype=np.uint64)
    if len(starts) == 0:
        return out
    owner = np.repeat(np.arange(n, dtype=np.int64), wptr[1:] - wptr[:-1])
    first = starts // SLOT_SECONDS
    count = np.where(ends > starts, (ends - 1) // SLOT_SECONDS - first + 1, 0)
    count = np.minimum(count, total_bits)
    for step in range(int(count.max(initial=0))):
        live = np.flatnonzero(count > step)
        bit = (first[live] + step) % total_bits
        np.bitwise_or.at(out, (owner[live], bit // 64), np.left_shift(np.uint64(1), (bit % 64).astype(np.uint64)))
    return out


def _unit_vectors(phi: F64, lam: F64) -> F64:
    cos_phi = np.cos(phi)
    return np.stack([cos_phi * np.cos(lam), cos_phi * np.sin(lam), np.sin(phi)], axis=1)


@dataclass(eq=False)
class Compiled:
    """Column arrays of a problem.  Requests are indexed 0..n_r-1, helpers 0..n_h-1 in file order."""

    n_r: int
    n_h: int
    # requests
    r_lat: F64
    r_lon: F64
    r_phi: F64
    r_xyz: F64
    r_cat: I64
    r_lang: U64
    r_lang_any: Bool
    r_prio: I64
    r_vet: Bool
    r_dur: F64  # seconds
    r_wptr: I64
    r_ws: I64
    r_we: I64
    r_slots: U64
    # helpers
    h_lat: F64
    h_lon: F64
    h_phi: F64
    h_xyz: F64
    h_cats: U64
    h_lang: U64
    h_rad: F64
    h_cap: I64
    h_vet: Bool
    h_wptr: I64
    h_ws: I64
    h_we: I64
    h_slots: U64
    # preferred / excluded pairs as sorted keys r * n_h + h
    pref_keys: I64
    excl_keys: I64
    # category and language codes of each helper, and language codes of each request, as CSR lists
    h_cat_ptr: I64
    h_cat_codes: I64
    h_lang_ptr: I64
    h_lang_codes: I64
    r_lang_ptr: I64
    r_lang_codes: I64
    categories: dict[str, int]
    languages: dict[str, int]

    def pair_keys(self, ri: I64, hi: I64) -> I64:
        return ri * np.int64(max(self.n_h, 1)) + hi


Rows = dict[str, np.ndarray]
"""Per-record arrays of one side (requests or helpers); ``*ptr`` arrays are CSR pointers into the next field."""

_CSR_FIELDS = {"wptr": ("ws", "we"), "lang_ptr": ("lang_codes",), "cat_ptr": ("cat_codes",)}


def _codes(
    requests: tuple[Request, ...], helpers: tuple[Helper, ...], categories: dict[str, int], languages: dict[str, int]
) -> None:
    """Give every category and language a code (in order of first appearance; existing codes kept)."""
    for request in requests:
        categories.setdefault(request.category, len(categories))
    for helper in helpers:
        for category in helper.categories:
            categories.setdefault(category, len(categories))
    for request in requests:
        for language in request.languages:
            languages.setdefault(language, len(languages))
    for helper in helpers:
        for language in helper.languages:
            languages.setdefault(language, len(languages))


def _request_rows(requests: tuple[Request, ...], categories: dict[str, int], languages: dict[str, int]) -> Rows:
    n = len(requests)
    langs = [r.languages for r in requests]
    lang_ptr, lang_codes = _csr(langs, languages)
    wptr, ws, we = _windows([r.windows for r in requests])
    return {
        "lat": np.fromiter((r.lat for r in requests), dtype=np.float64, count=n),
        "lon": np.fromiter((r.lon for r in requests), dtype=np.float64, count=n),
        "cat": np.fromiter((categories[r.category] for r in requests), dtype=np.int64, count=n),
        "lang": _bitsets(langs, languages),
        "lang_any": np.fromiter((not x for x in langs), dtype=np.bool_, count=n),
        "prio": np.fromiter((r.priority for r in requests), dtype=np.int64, count=n),
        "vet": np.fromiter((r.requires_vetted for r in requests), dtype=np.bool_, count=n),
        "dur": np.fromiter((r.duration_minutes for r in requests), dtype=np.float64, count=n) * 60.0,
        "wptr": wptr,
        "ws": ws,
        "we": we,
        "lang_ptr": lang_ptr,
        "lang_codes": lang_codes,
    }


def _helper_rows(helpers: tuple[Helper, ...], categories: dict[str, int], languages: dict[str, int]) -> Rows:
    n = len(helpers)
    langs = [h.languages for h in helpers]
    cats = [h.categories for h in helpers]
    cat_ptr, cat_codes = _csr(cats, categories)
    lang_ptr, lang_codes = _csr(langs, languages)
    wptr, ws, we = _windows([h.windows for h in helpers])
    return {
        "lat": np.fromiter((h.lat for h in helpers), dtype=np.float64, count=n),
        "lon": np.fromiter((h.lon for h in helpers), dtype=np.float64, count=n),
        "cats": _bitsets(cats, categories),
        "lang": _bitsets(langs, languages),
        "rad": np.fromiter((h.max_distance_km for h in helpers), dtype=np.float64, count=n),
        "capacity": np.fromiter((min(h.capacity, 1 << 62) for h in helpers), dtype=np.int64, count=n),
        "vet": np.fromiter((h.vetted for h in helpers), dtype=np.bool_, count=n),
        "wptr": wptr,
        "ws": ws,
        "we": we,
        "cat_ptr": cat_ptr,
        "cat_codes": cat_codes,
        "lang_ptr": lang_ptr,
        "lang_codes": lang_codes,
    }


def _gather(old: Rows, fresh: Rows, source: I64) -> Rows:
    """Rows in a new order: ``source[i]`` is a row of ``old`` (>= 0) or ``-1 - k`` for row ``k`` of ``fresh``."""
    n_old = len(old["lat"])
    pick = np.where(source >= 0, source, n_old - 1 - source)
    out: Rows = {}
    for name, values in old.items():
        if name in _CSR_FIELDS or any(name in v for v in _CSR_FIELDS.values()):
            continue
        extra = fresh[name]
        if values.ndim == 2 and values.shape[1] != extra.shape[1]:  # bitsets grew a word
            width = max(values.shape[1], extra.shape[1])
            values = np.pad(values, ((0, 0), (0, width - values.shape[1])))
            extra = np.pad(extra, ((0, 0), (0, width - extra.shape[1])))
        out[name] = np.concatenate([values, extra])[pick]
    for pointer, fields in _CSR_FIELDS.items():
        if pointer not in old:
            continue
        ptr = np.concatenate([old[pointer][:-1], fresh[pointer] + old[pointer][-1]])
        ptr = np.append(ptr, old[pointer][-1] + fresh[pointer][-1])
        counts = ptr[pick + 1] - ptr[pick]
        new_ptr = np.zeros(len(pick) + 1, dtype=np.int64)
        np.cumsum(counts, out=new_ptr[1:])
        starts = np.repeat(ptr[pick] - new_ptr[:-1], counts) + np.arange(int(new_ptr[-1]), dtype=np.int64)
        out[pointer] = new_ptr
        for field in fields:
            out[field] = np.concatenate([old[field], fresh[field]])[starts]
    return out


def compile_problem(problem: Problem, previous: Problem | None = None) -> Compiled:
    """The arrays of a problem, built once and cached on it.

    With ``previous`` (an already compiled problem that shares most records), the records that are equal in
    both (same id, same fields) are copied from its arrays and only the others are read: a re-solve after a
    few changes does not pay for reading every record again.
    """
    cached = problem._cache.get("compiled")
    if isinstance(cached, Compiled):
        return cached
    requests, helpers = problem.requests, problem.helpers
    old_rows = previous._cache.get("rows") if previous is not None else None
    if previous is not None and isinstance(old_rows, tuple):
        old_r, new_r = carried(requests, previous.requests)
        old_h, new_h = carried(helpers, previous.helpers)
        problem._cache["carried"] = (previous, old_r, new_r, old_h, new_h)
        old_cp = previous._cache["compiled"]
        categories, languages = dict(old_cp.categories), dict(old_cp.languages)
        fresh_requests = tuple(requests[i] for i in np.flatnonzero(old_r < 0).tolist())
        fresh_helpers = tuple(helpers[i] for i in np.flatnonzero(old_h < 0).tolist())
        _codes(fresh_requests, fresh_helpers, categories, languages)
        r_source, h_source = old_r.copy(), old_h.copy()
        r_source[old_r < 0] = -1 - np.arange(len(fresh_requests))
        h_source[old_h < 0] = -1 - np.arange(len(fresh_helpers))
        rr = _gather(old_rows[0], _request_rows(fresh_requests, categories, languages), r_source)
        hr = _gather(old_rows[1], _helper_rows(fresh_helpers, categories, languages), h_source)
    else:
        categories, languages = {}, {}
        _codes(requests, helpers, categories, languages)
        rr = _request_rows(requests, categories, languages)
        hr = _helper_rows(helpers, categories, languages)
    compiled = _compiled(problem, rr, hr, categories, languages)
    problem._cache["compiled"] = compiled
    problem._cache["rows"] = (rr, hr)
    return compiled


def carried(new: Sequence[Request | Helper], old: Sequence[Request | Helper]) -> tuple[I64, I64]:
    """For each new record, the index of the same record (same id, same fields) in ``old``, or -1; and the
    inverse map from old indexes to new ones (-1: gone or changed)."""
    where = {record.id: i for i, record in enumerate(old)}
    old_of_new = np.full(len(new), -1, dtype=np.int64)
    for i, record in enumerate(new):
        j = where.get(record.id, -1)
        if j >= 0 and (old[j] is record or old[j] == record):
            old_of_new[i] = j
    new_of_old = np.full(len(old), -1, dtype=np.int64)
    kept = np.flatnonzero(old_of_new >= 0)
    new_of_old[old_of_new[kept]] = kept
    return old_of_new, new_of_old


def _compiled(problem: Problem, rr: Rows, hr: Rows, categories: dict[str, int], languages: dict[str, int]) -> Compiled:
    requests = problem.requests
    n_r, n_h = len(requests), len(problem.helpers)
    helper_ids = {h.id: i for i, h in enumerate(problem.helpers)}
    pref: list[int] = []
    excl: list[int] = []
    stride = max(n_h, 1)
    for i, request in enumerate(requests):
        if request.preferred_helpers:
            pref.extend(i * stride + helper_ids[x] for x in request.preferred_helpers if x in helper_ids)
        if request.excluded_helpers:
            excl.extend(i * stride + helper_ids[x] for x in request.excluded_helpers if x in helper_ids)
    r_phi, h_phi = np.radians(rr["lat"]), np.radians(hr["lat"])
    words = max(1, (len(languages) + 63) // 64)
    category_words = max(1, (len(categories) + 63) // 64)
    return Compiled(
        n_r=n_r,
        n_h=n_h,
        r_lat=rr["lat"],
        r_lon=rr["lon"],
        r_phi=r_phi,
        r_xyz=_unit_vectors(r_phi, np.radians(rr["lon"])),
        r_cat=rr["cat"],
        r_lang=np.pad(rr["lang"], ((0, 0), (0, words - rr["lang"].shape[1]))),
        r_lang_any=rr["lang_any"],
        r_prio=rr["prio"],
        r_vet=rr["vet"],
        r_dur=rr["dur"],
        r_wptr=rr["wptr"],
        r_slots=_slot_masks(rr["wptr"], rr["ws"], rr["we"]),
        r_ws=rr["ws"],
        r_we=rr["we"],
        h_lat=hr["lat"],
        h_lon=hr["lon"],
        h_phi=h_phi,
        h_xyz=_unit_vectors(h_phi, np.radians(hr["lon"])),
        h_cats=np.pad(hr["cats"], ((0, 0), (0, category_words - hr["cats"].shape[1]))),
        h_lang=np.pad(hr["lang"], ((0, 0), (0, words - hr["lang"].shape[1]))),
        h_rad=hr["rad"],
        # no helper can serve more requests than there are: clamping keeps huge capacities exact in int64
        h_cap=np.minimum(hr["capacity"], n_r),
        h_vet=hr["vet"],
        h_wptr=hr["wptr"],
        h_slots=_slot_masks(hr["wptr"], hr["ws"], hr["we"]),
        h_ws=hr["ws"],
        h_we=hr["we"],
        pref_keys=np.unique(np.array(pref, dtype=np.int64)),
        excl_keys=np.unique(np.array(excl, dtype=np.int64)),
        h_cat_ptr=hr["cat_ptr"],
        h_cat_codes=hr["cat_codes"],
        h_lang_ptr=hr["lang_ptr"],
        h_lang_codes=hr["lang_codes"],
        r_lang_ptr=rr["lang_ptr"],
        r_lang_codes=rr["lang_codes"],
        categories=categories,
        languages=languages,
    )


# ----------------------------------------------------------------------------------------------------------
# Distances and scores


def distances(cp: Compiled, ri: I64, hi: I64) -> F64:
    """The spec's haversine distance (km) of each pair, vectorised, same formula as :func:`haversine_km`."""
    phi1, phi2 = cp.r_phi[ri], cp.h_phi[hi]
    d_phi = phi2 - phi1
    d_lambda = np.radians(cp.h_lon[hi] - cp.r_lon[ri])
    a = np.sin(d_phi / 2) ** 2 + np.cos(phi1) * np.cos(phi2) * np.sin(d_lambda / 2) ** 2
    np.clip(a, 0.0, 1.0, out=a)
    result: F64 = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(a))
    return result


def scores(cp: Compiled, ri: I64, hi: I64, dist: F64) -> F64:
    """``100 * priority - distance + 5 if preferred``, per pair."""
    bonus = np.where(is_preferred(cp, ri, hi), PREFERRED_BONUS, 0.0)
    result: F64 = PRIORITY_WEIGHT * cp.r_prio[ri] - dist + bonus
    return result


def _member(keys: I64, sorted_keys: I64) -> Bool:
    if len(sorted_keys) == 0 or len(keys) == 0:
        return np.zeros(len(keys), dtype=np.bool_)
    pos = np.searchsorted(sorted_keys, keys)
    pos[pos == len(sorted_keys)] = 0
    found: Bool = sorted_keys[pos] == keys
    return found


def is_preferred(cp: Compiled, ri: I64, hi: I64) -> Bool:
    return _member(cp.pair_keys(ri, hi), cp.pref_keys)


# ----------------------------------------------------------------------------------------------------------
# The six rules, vectorised over pairs (ri[k], hi[k])


def rule_category(cp: Compiled, ri: I64, hi: I64) -> Bool:
    cat = cp.r_cat[ri]
    words = cp.h_cats[hi, cat // 64]
    found: Bool = ((words >> (cat % 64).astype(np.uint64)) & np.uint64(1)) != 0
    return found


def rule_distance(cp: Compiled, ri: I64, hi: I64, dist: F64) -> Bool:
    """``distance <= max_distance_km``; pairs within 1e-9 of the radius are re-measured with ``math``."""
    radius = cp.h_rad[hi]
    ok: Bool = dist <= radius
    near = np.flatnonzero(np.abs(dist - radius) <= BOUNDARY_EPS * np.maximum(radius, 1.0))
    for k in near.tolist():
        r, h = int(ri[k]), int(hi[k])
        exact = haversine_km(float(cp.r_lat[r]), float(cp.r_lon[r]), float(cp.h_lat[h]), float(cp.h_lon[h]))
        ok[k] = exact <= cp.h_rad[h]
    return ok


def rule_language(cp: Compiled, ri: I64, hi: I64) -> Bool:
    shared = (cp.r_lang[ri] & cp.h_lang[hi]) != 0
    ok: Bool = cp.r_lang_any[ri] | shared.any(axis=1)
    return ok


def rule_vetting(cp: Compiled, ri: I64, hi: I64) -> Bool:
    ok: Bool = ~cp.r_vet[ri] | cp.h_vet[hi]
    return ok


def rule_not_excluded(cp: Compiled, ri: I64, hi: I64) -> Bool:
    ok: Bool = ~_member(cp.pair_keys(ri, hi), cp.excl_keys)
    return ok


def window_overlaps(cp: Compiled, ri: I64, hi: I64) -> tuple[Bool, I64, I64]:
    """Rule 6 per pair, with the start and end of the first overlap long enough (when there is one)."""
    n = len(ri)
    ok = np.zeros(n, dtype=np.bool_)
    first_start = np.zeros(n, dtype=np.int64)
    first_end = np.zeros(n, dtype=np.int64)
    if n == 0:
        return ok, first_start, first_end
    r_count = cp.r_wptr[ri + 1] - cp.r_wptr[ri]
    h_count = cp.h_wptr[hi + 1] - cp.h_wptr[hi]
    combos = r_count * h_count
    total = int(combos.sum())
    if total == 0:
        return ok, first_start, first_end
    pair = np.repeat(np.arange(n, dtype=np.int64), combos)
    offsets = np.zeros(n, dtype=np.int64)
    np.cumsum(combos[:-1], out=offsets[1:])
    local = np.arange(total, dtype=np.int64) - offsets[pair]
    hc = h_count[pair]
    rw = cp.r_wptr[ri][pair] + local // hc
    hw = cp.h_wptr[hi][pair] + local % hc
    start = np.maximum(cp.r_ws[rw], cp.h_ws[hw])
    end = np.minimum(cp.r_we[rw], cp.h_we[hw])
    # [start, end) windows: they overlap only if they share an instant, even for a zero-minute request
    good = ((end - start) >= cp.r_dur[ri][pair]) & (end > start)
    hits = np.flatnonzero(good)
    if len(hits):
        # the first good combination of each pair (hits are in pair order)
        hit_pairs = pair[hits]
        first = np.ones(len(hits), dtype=np.bool_)
        first[1:] = hit_pairs[1:] != hit_pairs[:-1]
        chosen = hits[first]
        ok[pair[chosen]] = True
        first_start[pair[chosen]] = start[chosen]
        first_end[pair[chosen]] = end[chosen]
    return ok, first_start, first_end


def rule_window(cp: Compiled, ri: I64, hi: I64) -> Bool:
    return window_overlaps(cp, ri, hi)[0]


def rule_masks(cp: Compiled, ri: I64, hi: I64, dist: F64) -> dict[int, Bool]:
    """Each of the six rules for each pair (rule number → boolean array)."""
    return {
        1: rule_category(cp, ri, hi),
        2: rule_distance(cp, ri, hi, dist),
        3: rule_language(cp, ri, hi),
        4: rule_vetting(cp, ri, hi),
        5: rule_not_excluded(cp, ri, hi),
        6: rule_window(cp, ri, hi),
    }


def eligible(cp: Compiled, ri: I64, hi: I64, dist: F64) -> Bool:
    """All six rules hold.  Cheap rules first; the window rule only on the pairs still in."""
    ok = rule_category(cp, ri, hi)
    ok &= rule_vetting(cp, ri, hi)
    ok &= rule_language(cp, ri, hi)
    keep = np.flatnonzero(ok)
    if len(keep) == 0:
        return ok
    sub_r, sub_h = ri[keep], hi[keep]
    sub_ok = rule_distance(cp, sub_r, sub_h, dist[keep])
    sub_ok &= rule_not_excluded(cp, sub_r, sub_h)
    inner = np.flatnonzero(sub_ok)
    if len(inner):
        ir, ih = sub_r[inner], sub_h[inner]
        share = ((cp.r_slots[ir] & cp.h_slots[ih]) != 0).any(axis=1)
        sub_ok[inner] = share
        inner = inner[share]
    if len(inner):
        sub_ok[inner] = rule_window(cp, sub_r[inner], sub_h[inner])
    ok[keep] = sub_ok
    return ok
