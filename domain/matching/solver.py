"""The exact solver: candidate pairs found lazily, a primal–dual augmenting-path method, and a certificate.

The model (see ``docs/matching.md``): maximise ``sum score(r,h) x[r,h]`` subject to ``sum_h x[r,h] <= 1``,
``sum_r x[r,h] <= capacity(h)``, ``x >= 0`` over the eligible pairs.  Its dual: minimise
``sum_r u[r] + sum_h capacity(h) p[h]`` with ``u[r] + p[h] >= score(r,h)``, ``u, p >= 0``.  The matrix is
totally unimodular, so an integral ``x`` and a feasible ``(u, p)`` with equal objective prove optimality.

Scores are handled as integers: ``S = round(score * 10**9)``.  All dual arithmetic is exact (Python and
NumPy int64 integers).  A solution optimal for the integer scores is within 1e-9 per assigned pair of the
optimum of the real scores (each score moves by at most 0.5e-9 when rounded).

The method:

1. **Candidates.**  For each request, all eligible helpers within a radius ``L[r]`` that is doubled until
   it holds ``k`` of them (or reaches the farthest helper radius, or the distance beyond which the score
   is <= 0), keeping the nearest ``keep`` and all preferred ones.  Every eligible pair *not* listed then has
   ``distance >= L[r]`` and no preference bonus, so its integer score is below ``ub[r] = round((100
   priority - L[r]) 10**9) + 1``.
2. **Easy part at once.**  Each request's best candidate, up to each helper's capacity: ``u[r] = S``,
   ``p = 0``.  This is a feasible dual with complementary slackness on what is assigned.
3. **The rest by shortest augmenting paths** (successive shortest paths with potentials, as in the
   Hungarian method): each remaining request searches, by Dijkstra over reduced costs ``u[r] + p[h] - S``
   (all >= 0), for the cheapest way in: a helper with a free place, or leaving some request out.  A request
   whose unlisted pairs could be cheaper than what the search has reached (``d[r] + u[r] - ub[r]``) has
   its radius doubled on the spot, so unlisted pairs always stay dual feasible.
4. **Certificate.**  Check, vectorised and in integers, that ``u, p >= 0``; that ``u[r] + p[h] >= S`` on
   every listed pair; that ``u[r] >= ub[r]`` for every request with unlisted pairs; that assigned pairs are
   tight, unassigned requests have ``u = 0`` and helpers with room have ``p = 0``.  Then the primal and dual
   objectives are equal and the assignment is optimal: ``optimal = true`` is this proof, nothing else.
"""

from __future__ import annotations

import heapq
import math
import time
from dataclasses import dataclass, field

import numpy as np

from .compiled import F64, I64, Compiled, compile_problem, distances, eligible, haversine_km, is_preferred, scores
from .flow import FlowFailed, flow_optimum, least_prices
from .model import PREFERRED_BONUS, PRIORITY_WEIGHT, Assignment, Problem, Solution, SolveStats, paused_gc
from .spatial import HelperIndex, RequestIndex
from .warm import capture

SCALE = 10**9
"""Integer score units per score point."""

DEFAULT_K = 8
"""Eligible candidates sought per request before the solve (more are found on demand)."""

_INF = float("inf")
_REQ, _HELPER, _DROP, _EXPAND = 0, 1, 2, 3

NO_BOUND = 1 << 62
"""A helper's bound when no pairs were listed from its side: no price reaches it."""

METHODS = ("auto", "paths", "flow")
"""``paths``: shortest augmenting paths (fast where helpers are plentiful); ``flow``: min-cost flow over the
listed pairs with pricing (fast where they are scarce); ``auto``: paths, switching to flow when the paths
grow long (see :meth:`Engine.over_budget`)."""


CONTESTED_SHARE = 0.4
"""When the easy part leaves more than this share of the requests, demand is contested somewhere (clustered
where places are few) and the flow method takes over at once; below it, augmenting paths are quick."""

REPAIR_PER_PATH = 150
"""Listed pairs that one augmenting path in Python costs about as much time as the flow solver needs for (both
measured on this project's benchmark): fewer requests to repair than pairs / this, and they are repaired."""


class _OverBudget(Exception):
    """The augmenting paths grew long: helpers are scarce, the flow method takes over."""


def helper_index(problem: Problem) -> HelperIndex:
    """The spatial index of a problem's helpers, built once and cached on the problem."""
    index = problem._cache.get("helper_index_grid")
    if not isinstance(index, HelperIndex):
        index = HelperIndex(compile_problem(problem))
        problem._cache["helper_index_grid"] = index
    return index


def integer_scores(cp: Compiled, ri: I64, hi: I64, dist: F64) -> I64:
    return np.rint(scores(cp, ri, hi, dist) * SCALE).astype(np.int64)


def _bound(prio: I64, radius: F64) -> I64:
    """``round((100 priority - radius) 10**9) + 1``: above any unlisted pair farther than ``radius``."""
    bonus = np.zeros(len(radius))
    with np.errstate(invalid="ignore"):
        value = np.rint((PRIORITY_WEIGHT * prio - radius + bonus) * SCALE)
    value = np.where(np.isfinite(value), value, -1.0)
    return value.astype(np.int64) + 1


@dataclass
class _Timer:
    seconds: dict[str, float] = field(default_factory=dict)
    last: float = field(default_factory=time.perf_counter)

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.seconds[name] = self.seconds.get(name, 0.0) + now - self.last
        self.last = now


class Engine:
    """One solve.  Attributes are plain lists (fast in the Python loop) and NumPy arrays (vectorised parts)."""

    def __init__(self, problem: Problem, *, k: int = DEFAULT_K, keep: int | None = None) -> None:
        self.timer = _Timer()
        self.problem = problem
        self.cp = compile_problem(problem)
        self.timer.lap("compile")
        self.index = helper_index(problem)
        self.timer.lap("index")
        self.k = max(1, k)
        self.keep = max(self.k, keep if keep is not None else 2 * self.k)
        cp = self.cp
        self.cap_r = np.minimum(self.index.request_rmax, PRIORITY_WEIGHT * cp.r_prio) if cp.n_r else np.zeros(0)
        self.expansions = 0
        self.augmentations = 0
        self.relaxations = 0
        self.rounds = 0
        self.priced = 0
        self.method = "paths"
        self.budget: tuple[int, int] | None = None
        self.found: tuple[I64, I64, I64, tuple[str, I64, I64]] | None = None
        self.vb = np.full(cp.n_h, NO_BOUND, dtype=np.int64)
        self.added: list[tuple[I64, I64, I64]] = []
        self._request_index: RequestIndex | None = None

    # ------------------------------------------------------------------------------------------------
    # 1. candidates

    def candidates(self) -> None:
        cp, index = self.cp, self.index
        n_r = cp.n_r
        limit = np.full(n_r, _INF)
        todo = np.flatnonzero(self.cap_r >= 0)
        rho = index.cell_km
        got_r: list[I64] = []
        got_h: list[I64] = []
        got_d: list[F64] = []
        while len(todo):
            radius = np.minimum(rho, self.cap_r[todo])
            ri, hi, dist = index.search(todo, radius)
            count = np.bincount(ri, minlength=n_r)[todo]
            finished = (count >= self.k) | (radius >= self.cap_r[todo])
            is_finished = np.zeros(n_r, dtype=np.bool_)
            is_finished[todo[finished]] = True
            take = is_finished[ri]
            got_r.append(ri[take])
            got_h.append(hi[take])
            got_d.append(dist[take])
            limit[todo[finished]] = np.where(radius[finished] >= self.cap_r[todo[finished]], _INF, radius[finished])
            todo = todo[~finished]
            rho *= 2.0
        ri = np.concatenate(got_r) if got_r else np.zeros(0, np.int64)
        hi = np.concatenate(got_h) if got_h else np.zeros(0, np.int64)
        dist = np.concatenate(got_d) if got_d else np.zeros(0)
        # keep the nearest `keep` of each request; the first dropped one bounds the rest
        order = np.lexsort((hi, dist, ri))
        ri, hi, dist = ri[order], hi[order], dist[order]
        starts = np.searchsorted(ri, ri, side="left")
        rank = np.arange(len(ri)) - starts
        cut = rank == self.keep
        limit[ri[cut]] = dist[cut]
        inside = rank < self.keep
        self._set_lists(ri[inside], hi[inside], dist[inside], limit)
        self.timer.lap("candidates")

    def _set_lists(self, ri: I64, hi: I64, dist: F64, limit: F64, *, ordered: bool = True) -> None:
        """The listed pairs (each once in ``ri, hi``), with every eligible preferred pair added, and the
        requests' bounds from ``limit`` (all eligible pairs of a request nearer than its limit are among
        ``ri, hi``).  ``ordered``: by request, best first (what the paths need); the flow needs no order."""
        cp = self.cp
        n_r = cp.n_r
        # preferred helpers: always listed when eligible (those already found are taken out first)
        if len(cp.pref_keys):
            found = is_preferred(cp, ri, hi)
            ri, hi, dist = ri[~found], hi[~found], dist[~found]
            pr = cp.pref_keys // max(cp.n_h, 1)
            ph = cp.pref_keys % max(cp.n_h, 1)
            ok = cp.h_cap[ph] > 0
            pr, ph = pr[ok], ph[ok]
            pd = distances(cp, pr, ph)
            ok = eligible(cp, pr, ph, pd)
            ri = np.concatenate([ri, pr[ok]])
            hi = np.concatenate([hi, ph[ok]])
            dist = np.concatenate([dist, pd[ok]])
        big_s = integer_scores(cp, ri, hi, dist)
        positive = big_s > 0
        ri, hi, big_s = ri[positive], hi[positive], big_s[positive]
        if ordered:
            order = np.lexsort((hi, -big_s, ri))
            ri, hi, big_s = ri[order], hi[order], big_s[order]
        self.arc_r, self.arc_h, self.arc_s = ri, hi, big_s
        self.arc_ptr = np.searchsorted(self.arc_r, np.arange(n_r + 1)) if ordered else np.zeros(0, np.int64)
        self.limit = limit
        self.ub = np.where(np.isfinite(limit), _bound(cp.r_prio, np.where(np.isfinite(limit), limit, 0.0)), 0)
        self.ub = np.maximum(self.ub, 0)

    def helper_candidates(self, contest: int = 2) -> None:
        """Where helpers are scarce, list from the helpers' side: each helper's requests of the highest
        priorities, level by level, down to the level where the places run out over the whole problem, and
        further until it has ``contest`` times its places (or all levels); and every preferred pair.  Nothing
        is listed from the requests' side (their bound is above any score).

        A helper that listed every request of priority ``q`` and above has no unlisted pair scoring above
        ``100 (q - 1)``: that is its bound ``vb``.  Contested by such requests, its price ends above it (the
        requests of the level where places run out are the ones left over, and they set the prices), so the
        lower priorities never need listing; where it is not, pricing lists what is missing.
        """
        cp = self.cp
        if self._request_index is None:
            self._request_index = RequestIndex(cp)
        search = self._request_index.search
        waiting = np.flatnonzero(cp.h_cap > 0)
        listed = np.zeros(cp.n_h, dtype=np.int64)
        got: list[tuple[I64, I64, F64]] = []
        # the priority at which places run out over the whole problem: every helper lists at least down to it
        by_level = np.bincount(np.clip(cp.r_prio, 1, RequestIndex.LEVELS), minlength=RequestIndex.LEVELS + 1)
        at_least = np.cumsum(by_level[::-1])[::-1]
        places = int(cp.h_cap.sum())
        marginal = max([q for q in range(1, RequestIndex.LEVELS + 1) if at_least[q] >= places], default=1)
        for level in range(RequestIndex.LEVELS, 0, -1):
            if len(waiting) == 0:
                break
            ri, hi, dist = search(waiting, np.zeros(len(waiting), dtype=np.int64), level=level)
            got.append((ri, hi, dist))
            listed += np.bincount(hi, minlength=cp.n_h)
            enough = (listed[waiting] >= contest * cp.h_cap[waiting]) & (level <= marginal)
            self.vb[waiting[enough]] = round(PRIORITY_WEIGHT * (level - 1) * SCALE)
            waiting = waiting[~enough]
        self.vb[waiting] = 0  # every level listed
        ri = np.concatenate([g[0] for g in got]) if got else np.zeros(0, np.int64)
        hi = np.concatenate([g[1] for g in got]) if got else np.zeros(0, np.int64)
        dist = np.concatenate([g[2] for g in got]) if got else np.zeros(0)
        self._set_lists(ri, hi, dist, np.where(self.cap_r >= 0, 0.0, _INF), ordered=False)
        self.timer.lap("candidates")

    # ------------------------------------------------------------------------------------------------
    # 2. the easy part

    def prepass(self) -> None:
        cp = self.cp
        n_r, n_h = cp.n_r, cp.n_h
        u = np.zeros(n_r, dtype=np.int64)
        match = np.full(n_r, -1, dtype=np.int64)
        load = np.zeros(n_h, dtype=np.int64)
        has = self.arc_ptr[1:] > self.arc_ptr[:-1]
        first = self.arc_ptr[:-1][has]
        r_best = np.flatnonzero(has)
        h_best, s_best = self.arc_h[first], self.arc_s[first]
        fine = s_best >= self.ub[r_best]
        r_best, h_best, s_best = r_best[fine], h_best[fine], s_best[fine]
        order = np.lexsort((r_best, -s_best, h_best))
        r_best, h_best, s_best = r_best[order], h_best[order], s_best[order]
        rank = np.arange(len(h_best)) - np.searchsorted(h_best, h_best, side="left")
        take = rank < cp.h_cap[h_best]
        match[r_best[take]] = h_best[take]
        u[r_best[take]] = s_best[take]
        np.add.at(load, h_best[take], 1)
        self.u = u.tolist()
        self.p = [0] * n_h
        self.match = match.tolist()
        self.load = load.tolist()
        members: dict[int, list[int]] = {}
        for r, h in zip(r_best[take].tolist(), h_best[take].tolist(), strict=True):
            members.setdefault(h, []).append(r)
        self.members = members
        self.prepass_assigned = int(take.sum())
        # the rest, most valuable first
        rest = np.flatnonzero((match < 0) & (has | (self.ub > 0)))
        best = np.zeros(n_r, dtype=np.int64)
        best[has] = self.arc_s[self.arc_ptr[:-1][has]]
        self.queue = rest[np.lexsort((rest, -best[rest], -cp.r_prio[rest]))].tolist()
        self.timer.lap("prepass")

    # ------------------------------------------------------------------------------------------------
    # 3. shortest augmenting paths

    def _arcs(self, r: int) -> tuple[list[int], list[int]]:
        found = self.extra.get(r)
        if found is not None:
            return found
        lo, hi = self.ptr[r], self.ptr[r + 1]
        return self.base_h[lo:hi], self.base_s[lo:hi]

    def _expand(self, r: int) -> list[tuple[int, int]]:
        """Double request r's radius; list the new eligible pairs; return them as (helper, S)."""
        self.expansions += 1
        old = float(self.limit[r])
        cap = float(self.cap_r[r])
        radius = min(max(2.0 * old, old + self.index.cell_km), cap)
        ri, hi, dist = self.index.search(np.array([r], dtype=np.int64), np.array([radius]))
        big_s = integer_scores(self.cp, ri, hi, dist)
        hs, ss = self._arcs(r)
        present = set(hs)
        new = [(h, s) for h, s in zip(hi.tolist(), big_s.tolist(), strict=True) if s > 0 and h not in present]
        hs, ss = list(hs), list(ss)
        hs.extend(h for h, _ in new)
        ss.extend(s for _, s in new)
        self.extra[r] = (hs, ss)
        if radius >= cap:
            self.limit[r] = _INF
            self.ub_list[r] = 0
        else:
            self.limit[r] = radius
            bound = int(_bound(self.cp.r_prio[r : r + 1], np.array([radius]))[0])
            self.ub_list[r] = max(bound, 0)
        return new

    def augment_all(self) -> None:
        self.base_h = self.arc_h.tolist()
        self.base_s = self.arc_s.tolist()
        self.ptr = self.arc_ptr.tolist()
        self.extra: dict[int, tuple[list[int], list[int]]] = {}
        self.ub_list = self.ub.tolist()
        self.ub_expand = self.ub_list
        self.cap_h = self.cp.h_cap.tolist()
        for r in self.queue:
            self._insert(r)
            if self.budget is not None and self.over_budget():
                self.timer.lap("augment")
                raise _OverBudget
        self.timer.lap("augment")

    def repair(self, u: list[int], p: list[int], match: list[int], pending: list[int]) -> None:
        """From a state that was optimal before a few changes, the optimum after them.

        ``u``, ``p`` and ``match`` are the previous values, prices and assignment carried over to this problem:
        ``pending`` are the requests that are new, changed or lost their helper (unassigned, value 0); a new
        or changed helper starts with the least price that keeps its listed pairs with the other requests
        feasible.  Then each pending request is inserted by a shortest augmenting path (:meth:`_insert`),
        most urgent first, and each helper left with room but a positive price is filled, or its price
        lowered, by a shortest path from the helper's side (:meth:`_fill`).  Both keep every listed pair
        feasible and every assigned pair tight, so the state ends optimal on the listed pairs; the
        certificate's pricing checks the rest.
        """
        cp = self.cp
        ri, hi, big_s = self.all_arcs()
        order = np.lexsort((hi, -big_s, ri))
        self.arc_r, self.arc_h, self.arc_s, self.added = ri[order], hi[order], big_s[order], []
        self.arc_ptr = np.searchsorted(self.arc_r, np.arange(cp.n_r + 1))
        self.base_h, self.base_s = self.arc_h.tolist(), self.arc_s.tolist()
        self.ptr = self.arc_ptr.tolist()
        self.extra = {}
        self.ub_list = self.request_bounds().tolist()
        self.ub_expand = [0] * cp.n_r  # unlisted pairs: the certificate's pricing checks them afterwards
        self.cap_h = cp.h_cap.tolist()
        by_helper = np.argsort(self.arc_h, kind="stable")
        self.into_ptr = np.searchsorted(self.arc_h[by_helper], np.arange(cp.n_h + 1)).tolist()
        self.into_r, self.into_s = self.arc_r[by_helper].tolist(), self.arc_s[by_helper].tolist()
        # prices that keep the listed pairs of settled requests feasible
        settled = np.ones(cp.n_r, dtype=np.bool_)
        settled[pending] = False
        u_a, p_a = np.array(u, dtype=np.int64), np.array(p, dtype=np.int64)
        short = settled[self.arc_r] & (u_a[self.arc_r] + p_a[self.arc_h] < self.arc_s)
        np.maximum.at(p_a, self.arc_h[short], self.arc_s[short] - u_a[self.arc_r[short]])
        load = [0] * cp.n_h
        members: dict[int, list[int]] = {}
        for r, h in enumerate(match):
            if h >= 0:
                load[h] += 1
                members.setdefault(h, []).append(r)
        self.u, self.p, self.match, self.load, self.members = u, p_a.tolist(), match, load, members
        for r in sorted(pending, key=lambda r: (-int(cp.r_prio[r]), r)):
            if match[r] < 0:
                self._insert(r)
        for h in range(cp.n_h):
            while load[h] < self.cap_h[h] and self.p[h] > 0:
                self._fill(h)
        self.timer.lap("repair")

    def _fill(self, h0: int) -> None:
        """Helper h0 has room and a positive price: bring in a request, or lower its price, the cheapest way.

        Dijkstra from the helper's side over reduced costs ``u[r] + p[h] - S >= 0``: from a helper to each
        request that could move in; from an assigned request to the helper it would leave (at no cost).  It
        ends at an unassigned request that joins (each request on the path moves one helper up), or at a
        helper that keeps a free place with its price lowered to 0.  Prices of settled helpers fall and values
        of settled requests rise by what the search had left to go, which keeps every listed pair feasible
        and makes the path tight.
        """
        u, p, match, load, members = self.u, self.p, self.match, self.load, self.members
        into_ptr, into_r, into_s = self.into_ptr, self.into_r, self.into_s
        fin_h: dict[int, int] = {}
        fin_r: dict[int, int] = {}
        tent_h: dict[int, int] = {h0: 0}
        tent_r: dict[int, int] = {}
        into: dict[int, int] = {}  # request -> the helper it would move into
        leaving: dict[int, int] = {}  # helper -> the request that leaves it
        heap: list[tuple[int, int]] = [(0, h0 * 4 + _HELPER)]
        push, pop = heapq.heappush, heapq.heappop
        while True:
            key, code = pop(heap)
            kind, x = code & 3, code >> 2
            if kind == _HELPER:
                if x in fin_h:
                    continue
                fin_h[x] = key
                push(heap, (key + p[x], x * 4 + _DROP))  # leave a place free here, price to 0
                for r in members.get(x, ()):  # its members share its potential: their pairs stay tight
                    if r not in fin_r and key < tent_r.get(r, key + 1):
                        tent_r[r] = key
                        push(heap, (key, r * 4 + _REQ))
                px = p[x]
                for k in range(into_ptr[x], into_ptr[x + 1]):
                    r = into_r[k]
                    if match[r] == x or r in fin_r:
                        continue
                    nd = key + u[r] + px - into_s[k]
                    if nd < tent_r.get(r, nd + 1):
                        tent_r[r] = nd
                        into[r] = x
                        push(heap, (nd, r * 4 + _REQ))
            elif kind == _REQ:
                if x in fin_r:
                    continue
                fin_r[x] = key
                own = match[x]
                if own < 0:
                    push(heap, (key + u[x], x * 4 + _EXPAND))  # take this unassigned request
                elif own not in fin_h and key < tent_h.get(own, key + 1):
                    tent_h[own] = key
                    leaving[own] = x
                    push(heap, (key, own * 4 + _HELPER))
            else:
                break
        delta = key
        for h, d in fin_h.items():
            if d < delta:
                p[h] -= delta - d
        for r, d in fin_r.items():
            if d < delta:
                u[r] += delta - d
        self.augmentations += 1
        if kind == _EXPAND:  # the unassigned request x joins; each request on the path moves up one helper
            r = x
        else:  # a place stays free at helper x
            if x == h0:
                return
            r = leaving[x]
            members[x].remove(r)
            load[x] -= 1
            match[r] = -1
        while True:
            h = into[r]
            old = match[r]
            match[r] = h
            members.setdefault(h, []).append(r)
            load[h] += 1
            if old >= 0:
                members[old].remove(r)
                load[old] -= 1
            if h == h0:
                return
            r = leaving[h]

    def over_budget(self) -> bool:
        """Whether the augmenting paths have done more work than the flow method would need.

        Where helpers are plentiful, a path ends after a few steps and requests rarely widen their search.
        Where they are scarce, most requests end unassigned, each of them must widen its search to its whole
        radius, and each path wanders through many full helpers: then the work per request grows and
        this says so, early (the budget is a few times the listed pairs).
        """
        assert self.budget is not None
        max_expansions, max_relaxations = self.budget
        return self.expansions > max_expansions or self.relaxations > max_relaxations

    def _insert(self, r0: int) -> None:
        """One Dijkstra from request r0, kept in one piece: this loop is where the solver spends its time."""
        u, p, match, load, members = self.u, self.p, self.match, self.load, self.members
        cap_h, ub = self.cap_h, self.ub_expand
        hs, ss = self._arcs(r0)
        best = 0
        for h, s in zip(hs, ss, strict=True):
            if s - p[h] > best:
                best = s - p[h]
        u[r0] = max(best, ub[r0])
        fin_r: dict[int, int] = {}
        fin_h: dict[int, int] = {}
        tent_r: dict[int, int] = {r0: 0}
        tent_h: dict[int, int] = {}
        pred_h: dict[int, int] = {}
        pred_r: dict[int, int] = {}
        heap: list[tuple[int, int]] = [(0, r0 * 4 + _REQ)]
        push, pop = heapq.heappush, heapq.heappop
        relaxations = 0
        while True:
            key, code = pop(heap)
            kind, x = code & 3, code >> 2
            if kind == _REQ:
                if x in fin_r:
                    continue
                fin_r[x] = key
                ux = u[x]
                push(heap, (key + ux, x * 4 + _DROP))
                if ub[x] > 0:
                    push(heap, (key + ux - ub[x], x * 4 + _EXPAND))
                own = match[x]
                base = key + ux
                hs, ss = self._arcs(x)
                relaxations += len(hs)
                for h, s in zip(hs, ss, strict=True):
                    if h == own or h in fin_h:
                        continue
                    nd = base + p[h] - s
                    if nd < tent_h.get(h, nd + 1):
                        tent_h[h] = nd
                        pred_h[h] = x
                        push(heap, (nd, h * 4 + _HELPER))
            elif kind == _HELPER:
                if x in fin_h:
                    continue
                fin_h[x] = key
                if load[x] < cap_h[x]:
                    terminal_helper = x
                    break
                for r in members[x]:
                    if r not in fin_r and key < tent_r.get(r, key + 1):
                        tent_r[r] = key
                        pred_r[r] = x
                        push(heap, (key, r * 4 + _REQ))
            elif kind == _DROP:
                terminal_helper = -1
                dropped = x
                break
            else:  # _EXPAND
                if ub[x] <= 0:
                    continue
                new = self._expand(x)
                base = fin_r[x] + u[x]
                own = match[x]
                relaxations += len(new)
                for h, s in new:
                    if h == own or h in fin_h:
                        continue
                    nd = base + p[h] - s
                    if nd < tent_h.get(h, nd + 1):
                        tent_h[h] = nd
                        pred_h[h] = x
                        push(heap, (nd, h * 4 + _HELPER))
                if ub[x] > 0:
                    push(heap, (fin_r[x] + u[x] - ub[x], x * 4 + _EXPAND))
        delta = key
        self.relaxations += relaxations
        # dual update: potentials of everything settled before the terminal
        for r, d in fin_r.items():
            if d < delta:
                u[r] -= delta - d
        for h, d in fin_h.items():
            if d < delta:
                p[h] += delta - d
        # augment along the path
        if terminal_helper < 0:
            if dropped == r0:
                return
            h = match[dropped]
            members[h].remove(dropped)
            match[dropped] = -1
            load[h] -= 1
            terminal_helper = h
        self.augmentations += 1
        h = terminal_helper
        while True:
            r = pred_h[h]
            old = match[r]
            match[r] = h
            members.setdefault(h, []).append(r)
            load[h] += 1
            if old < 0:
                return
            members[old].remove(r)
            load[old] -= 1
            h = old

    def all_arcs(self) -> tuple[I64, I64, I64]:
        """Every listed pair: the first lists, the widened searches of the paths and the pairs pricing added."""
        ri, hi, big_s = self.arc_r, self.arc_h, self.arc_s
        extra = getattr(self, "extra", None)
        if extra:
            replaced = np.zeros(self.cp.n_r, dtype=np.bool_)
            replaced[list(extra)] = True
            keep = ~replaced[ri]
            parts_r, parts_h, parts_s = [ri[keep]], [hi[keep]], [big_s[keep]]
            for r, (hs, ss) in extra.items():
                parts_r.append(np.full(len(hs), r, dtype=np.int64))
                parts_h.append(np.array(hs, dtype=np.int64))
                parts_s.append(np.array(ss, dtype=np.int64))
            ri, hi, big_s = np.concatenate(parts_r), np.concatenate(parts_h), np.concatenate(parts_s)
        if self.added:
            ri = np.concatenate([ri, *(a[0] for a in self.added)])
            hi = np.concatenate([hi, *(a[1] for a in self.added)])
            big_s = np.concatenate([big_s, *(a[2] for a in self.added)])
        return ri, hi, big_s

    def listed_count(self) -> int:
        """How many pairs are listed (as :meth:`all_arcs` would give them, without building them)."""
        extra = getattr(self, "extra", None) or {}
        replaced = sum(int(self.arc_ptr[r + 1] - self.arc_ptr[r]) for r in extra) if extra else 0
        return (
            len(self.arc_r) - replaced + sum(len(hs) for hs, _ in extra.values()) + sum(len(a[0]) for a in self.added)
        )

    def request_bounds(self) -> I64:
        return np.array(getattr(self, "ub_list", self.ub), dtype=np.int64)

    # ------------------------------------------------------------------------------------------------
    # 3b. where helpers are scarce: min-cost flow over the listed pairs, least prices, pricing

    def flow_rounds(self) -> bool:
        """Solve the listed pairs as a min-cost flow and price the result; while pricing finds unlisted pairs
        that undercut the prices, list them (and what else it searched) and repair the solution from where it
        is, by augmenting paths for the few requests concerned, or, when they are many, solve the flow again.
        Returns whether the certificate holds (it always should: each step is exact and pricing only adds
        pairs)."""
        self.method = "flow"
        self.rounds = 1
        self._solve_flow()
        while True:
            if self.certify():
                return True
            if self.found is None:
                return False
            found_r, found_h, found_s, _ = self.found
            u, p = np.array(self.u, dtype=np.int64), np.array(self.p, dtype=np.int64)
            match = np.array(self.match, dtype=np.int64)
            pending = np.unique(found_r[u[found_r] + p[found_h] < found_s])
            self.list_found()
            self.rounds += 1
            if len(pending) * REPAIR_PER_PATH < self.listed_count():
                u[pending], match[pending] = 0, -1
                self.repair(u.tolist(), p.tolist(), match.tolist(), pending.tolist())
            else:
                self._solve_flow()

    def _solve_flow(self) -> None:
        cp = self.cp
        ri, hi, big_s = self.all_arcs()
        match = flow_optimum(cp.n_r, cp.h_cap, ri, hi, big_s)
        self.timer.lap("flow")
        u, p = least_prices(cp.n_h, ri, hi, big_s, match)
        self.u, self.p, self.match = u.tolist(), p.tolist(), match.tolist()
        self.timer.lap("prices")

    def price(self, u: I64, p: I64) -> bool:
        """Search the unlisted pairs that no bound covers; True when none violates ``u[r] + p[h] >= S(r, h)``.

        A request whose value is at least its bound (``u >= ub``) has no unlisted pair scoring above its value;
        a helper whose price is at least its bound (``p >= vb``) has none above its price.  Only a pair of an
        uncovered request and an uncovered helper can violate, and only if it scores more than ``u[r] + p[h]``.
        Such pairs are searched from the cheaper side: from each uncovered request, all helpers scoring at least
        ``u[r]`` (within ``100 priority - u[r]``); or from each uncovered helper, all requests scoring at least
        ``p[h]`` (per priority, within ``100 priority - p[h]``).  What was searched is kept for the next round
        (``found``): all of it is then listed and the searched side's bounds drop to the values, so that the
        next round covers it without searching again.
        """
        cp = self.cp
        requests = u < self.request_bounds()
        helpers = (p < self.vb) & (cp.h_cap > 0)
        self.found = None
        if not requests.any() or not helpers.any():
            return True
        r_ids, h_ids = np.flatnonzero(requests), np.flatnonzero(helpers)
        r_radius = np.minimum(self.cap_r[r_ids], PRIORITY_WEIGHT * cp.r_prio[r_ids] - u[r_ids] / SCALE + 1e-6)
        levels = np.arange(1, RequestIndex.LEVELS + 1)
        h_radius = np.minimum(cp.h_rad[h_ids][:, None], PRIORITY_WEIGHT * levels[None, :] - p[h_ids][:, None] / SCALE)
        # the pairs each side would look at, up to the same factor (area of the map / pi)
        uncovered_by_level = np.bincount(np.clip(cp.r_prio[r_ids], 1, 5), minlength=6)[1:]
        from_requests = float(np.square(np.maximum(r_radius, 0.0)).sum()) * len(h_ids)
        from_helpers = float((np.square(np.maximum(h_radius, 0.0)) * uncovered_by_level).sum())
        if from_requests <= from_helpers:
            ri, hi, dist = self.index.search(r_ids, r_radius)
            whole = r_radius >= self.cap_r[r_ids]  # the whole useful radius: every pair that can score is listed
            side = ("requests", r_ids, np.where(whole, 0, _bound(cp.r_prio[r_ids], np.maximum(r_radius, 0.0))))
            uncovered = helpers[hi]
        else:
            if self._request_index is None:
                self._request_index = RequestIndex(cp)
            ri, hi, dist = self._request_index.search(h_ids, p[h_ids])
            side = ("helpers", h_ids, p[h_ids])
            uncovered = requests[ri]
        self.priced += len(ri)
        big_s = integer_scores(cp, ri, hi, dist)
        self.found = (ri, hi, big_s, side)
        return not bool((uncovered & (u[ri] + p[hi] < big_s)).any())

    def list_found(self) -> None:
        """List the pairs the last search found (those not listed yet) and lower the searched side's bounds."""
        assert self.found is not None
        ri, hi, big_s, (side, ids, bounds) = self.found
        self.found = None
        if side == "requests":
            ub = self.request_bounds()
            ub[ids] = np.minimum(ub[ids], np.maximum(bounds, 0))
            self.ub_list = ub.tolist()
        else:
            self.vb[ids] = np.minimum(self.vb[ids], bounds)
        old_r, old_h, _ = self.all_arcs()
        known = np.sort(self.cp.pair_keys(old_r, old_h))
        keys = self.cp.pair_keys(ri, hi)
        pos = np.minimum(np.searchsorted(known, keys), max(len(known) - 1, 0))
        new = known[pos] != keys if len(known) else np.ones(len(keys), dtype=np.bool_)
        if new.any():
            self.added.append((ri[new], hi[new], big_s[new]))

    # ------------------------------------------------------------------------------------------------
    # 4. certificate

    def certify(self) -> bool:
        """The dual certificate, checked from scratch on the final state (integers, exact).

        Listed pairs are checked one by one; unlisted pairs are covered by a bound (``u >= ub`` on the
        request's side or ``p >= vb`` on the helper's) or, where neither holds, searched and checked by
        :meth:`price`.
        """
        cp = self.cp
        u = np.array(self.u, dtype=np.int64)
        p = np.array(self.p, dtype=np.int64)
        match = np.array(self.match, dtype=np.int64)
        load = np.bincount(match[match >= 0], minlength=cp.n_h)
        ri, hi, big_s = self.all_arcs()
        checks = [
            bool((u >= 0).all()),
            bool((p >= 0).all()),
            bool((load <= cp.h_cap).all()),
            bool((u[ri] + p[hi] >= big_s).all()),  # dual feasible on listed pairs
            bool((u[match < 0] == 0).all()),
            bool((p[load < cp.h_cap] == 0).all()),
        ]
        assigned = np.flatnonzero(match >= 0)
        if len(assigned):
            keys = cp.pair_keys(ri, hi)
            order = np.argsort(keys)
            want = cp.pair_keys(assigned, match[assigned])
            pos = np.searchsorted(keys[order], want)
            pos = np.minimum(pos, len(keys) - 1)
            listed = keys[order][pos] == want
            checks.append(bool(listed.all()))
            if listed.all():
                s_assigned = big_s[order][pos]
                checks.append(bool((u[assigned] + p[match[assigned]] == s_assigned).all()))
                primal = int(s_assigned.sum())
                dual = int(u.sum()) + int((p * cp.h_cap).sum())
                checks.append(primal == dual)
        if all(checks):
            checks.append(self.price(u, p) is True)  # ... and on unlisted pairs
        self.timer.lap("certificate")
        return all(checks)

    # ------------------------------------------------------------------------------------------------

    def solution(self, optimal: bool) -> Solution:
        problem, cp = self.problem, self.cp
        pairs: list[Assignment] = []
        unassigned: list[str] = []
        values: list[float] = []
        for r, h in enumerate(self.match):
            request = problem.requests[r]
            if h < 0:
                unassigned.append(request.id)
                continue
            helper = problem.helpers[h]
            dist = haversine_km(request.lat, request.lon, helper.lat, helper.lon)
            bonus = PREFERRED_BONUS if helper.id in request.preferred_helpers else 0.0
            value = PRIORITY_WEIGHT * request.priority - dist + bonus
            values.append(value)
            pairs.append(Assignment(request.id, helper.id, value, dist))
        self.timer.lap("solution")
        stats = SolveStats(
            candidate_pairs=self.listed_count(),
            expansions=self.expansions,
            augmentations=self.augmentations,
            method=self.method,
            rounds=self.rounds,
            priced_pairs=self.priced,
            seconds=dict(self.timer.seconds),
        )
        del cp
        warm = capture(self) if optimal else None
        return Solution(tuple(pairs), math.fsum(values), optimal, tuple(unassigned), stats, warm=warm)


def solve(problem: Problem, *, k: int = DEFAULT_K, method: str = "auto") -> Solution:
    """An optimal assignment of helpers to requests (maximum-weight b-matching), with its proof.

    ``Solution.optimal`` is True only when the dual certificate checks; ``Solution.score`` is the sum of
    the assigned pairs' scores computed with the spec's formula.  ``method`` is one of :data:`METHODS`.
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}, got {method!r}")
    try:
        return _solve(problem, k, method)
    except FlowFailed:
        if method == "flow":
            raise
        return _solve(problem, k, "paths")  # exact too, only slower where helpers are scarce


def _solve(problem: Problem, k: int, method: str) -> Solution:
    with paused_gc():
        engine = Engine(problem, k=k)
        scarce = int(engine.cp.h_cap.sum()) < engine.cp.n_r  # fewer places than requests
        if method == "flow" or (method == "auto" and scarce):
            engine.helper_candidates()
            return engine.solution(engine.flow_rounds())
        engine.candidates()
        engine.prepass()
        if method == "auto" and len(engine.queue) > CONTESTED_SHARE * engine.cp.n_r:
            return engine.solution(engine.flow_rounds())  # contested (demand clustered where places are few)
        if method == "auto":
            listed = len(engine.arc_r) + engine.cp.n_r
            engine.budget = (engine.cp.n_r // 20 + 50, 4 * listed + 1000)
        try:
            engine.augment_all()
        except _OverBudget:
            return engine.solution(engine.flow_rounds())
        return engine.solution(engine.certify())


__all__ = ["METHODS", "NO_BOUND", "SCALE", "Engine", "helper_index", "integer_scores", "is_preferred", "solve"]
