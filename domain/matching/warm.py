"""Solving again after a few changes: start from the previous optimum instead of from nothing.

A coordinator runs a round, changes two requests and runs it again.  Almost everything the first solve
proved still holds: the pairs it listed between requests and helpers that did not change are still
eligible with the same scores, its bounds still cover what it did not list, and its values and prices are
still feasible on all of that.  :func:`resolve` keeps all of it, lists every pair of what is new or
changed, repairs the values and prices where the changes break them (:meth:`Engine.repair`) and inserts
the few requests that need a helper by shortest augmenting paths.  The certificate is checked from scratch
as in every solve, so a warm start is proven exactly like a cold one; if it ever failed, the problem is
solved cold.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .compiled import F64, I64, Compiled, carried, compile_problem, distances, eligible
from .model import Problem, Solution, paused_gc

if TYPE_CHECKING:
    from .solver import Engine

_INF = float("inf")

REPAIRS = 4
"""Repairs tried before solving cold (each after pricing listed what undercut the previous one)."""


@dataclass(frozen=True, eq=False)
class WarmStart:
    """The state of a proven optimum: its problem, values ``u``, prices ``p``, assignment, listed pairs and bounds."""

    problem: Problem
    u: I64
    p: I64
    match: I64
    arc_r: I64
    arc_h: I64
    arc_s: I64
    limit: F64
    vb: I64


def capture(engine: Engine) -> WarmStart:
    """The state an optimal engine leaves behind (arrays are copies: the engine may go on)."""
    ri, hi, big_s = engine.all_arcs()
    ub = engine.request_bounds()
    # a request whose bound was lowered by pricing keeps that coverage only as "everything listed" or not at all
    limit = np.where(ub <= 0, _INF, np.asarray(engine.limit, dtype=np.float64))
    return WarmStart(
        problem=engine.problem,
        u=np.array(engine.u, dtype=np.int64),
        p=np.array(engine.p, dtype=np.int64),
        match=np.array(engine.match, dtype=np.int64),
        arc_r=ri.copy(),
        arc_h=hi.copy(),
        arc_s=big_s.copy(),
        limit=limit,
        vb=engine.vb.copy(),
    )


def _carry(values: np.ndarray, old: I64, default: float) -> np.ndarray:
    """``values[old[i]]`` where ``old[i] >= 0``, else ``default``."""
    out = np.full(len(old), default, dtype=values.dtype)
    kept = old >= 0
    out[kept] = values[old[kept]]
    return out


def _preferred_pairs(cp: Compiled, fresh_r: np.ndarray, fresh_h: np.ndarray) -> tuple[I64, I64, F64]:
    """The eligible preferred pairs of new or changed requests or helpers.

    The searches above stop where a pair without the preference bonus would score 0 or less; a preferred
    pair scores 5 more, so it can lie up to 5 km beyond.  Like a cold solve, every eligible preferred pair
    is listed, which the bounds of both sides rely on.
    """
    stride = max(cp.n_h, 1)
    pr, ph = cp.pref_keys // stride, cp.pref_keys % stride
    keep = (fresh_r[pr] | fresh_h[ph]) & (cp.h_cap[ph] > 0) if len(pr) else np.zeros(0, dtype=np.bool_)
    pr, ph = pr[keep], ph[keep]
    dist = distances(cp, pr, ph)
    ok = eligible(cp, pr, ph, dist)
    return pr[ok], ph[ok], dist[ok]


def resolve(problem: Problem, warm: WarmStart) -> Solution:
    """The optimum of ``problem``, starting from ``warm`` (the state of a previous, slightly different problem)."""
    from .solver import Engine, _bound, integer_scores, solve

    with paused_gc():
        compile_problem(problem, previous=warm.problem)  # only what changed is read again
        engine = Engine(problem)
        cp = engine.cp
        known = problem._cache.get("carried")
        if known is not None and known[0] is warm.problem:
            _, old_r, new_r, old_h, new_h = known
        else:  # compiled earlier without it
            old_r, new_r = carried(problem.requests, warm.problem.requests)
            old_h, new_h = carried(problem.helpers, warm.problem.helpers)
        keep = (new_r[warm.arc_r] >= 0) & (new_h[warm.arc_h] >= 0)
        ri, hi, big_s = new_r[warm.arc_r[keep]], new_h[warm.arc_h[keep]], warm.arc_s[keep]
        fresh_r = np.flatnonzero((old_r < 0) & (engine.cap_r >= 0))
        fresh_h = np.flatnonzero((old_h < 0) & (cp.h_cap > 0))
        # every pair of what is new or changed (preferred ones included: both searches list all eligible pairs)
        found = [engine.index.search(fresh_r, engine.cap_r[fresh_r])]
        if len(fresh_h):
            from .spatial import RequestIndex

            found.append(RequestIndex(cp).search(fresh_h, np.zeros(len(fresh_h), dtype=np.int64)))
        found.append(_preferred_pairs(cp, old_r < 0, old_h < 0))  # a preferred pair may lie beyond both radii
        for more_r, more_h, more_d in found:
            more_s = integer_scores(cp, more_r, more_h, more_d)
            ri, hi, big_s = np.concatenate([ri, more_r]), np.concatenate([hi, more_h]), np.concatenate([big_s, more_s])
        _, first = np.unique(cp.pair_keys(ri, hi), return_index=True)
        ri, hi, big_s = ri[first], hi[first], big_s[first]
        positive = big_s > 0
        order = np.lexsort((hi[positive], -big_s[positive], ri[positive]))
        engine.arc_r, engine.arc_h, engine.arc_s = ri[positive][order], hi[positive][order], big_s[positive][order]
        engine.arc_ptr = np.searchsorted(engine.arc_r, np.arange(cp.n_r + 1))
        engine.limit = _carry(warm.limit, old_r, _INF)
        finite = np.isfinite(engine.limit)
        engine.ub = np.where(finite, np.maximum(_bound(cp.r_prio, np.where(finite, engine.limit, 0.0)), 0), 0)
        engine.vb = _carry(warm.vb, old_h, 0)
        engine.timer.lap("candidates")
        # the previous values, prices and assignment, where they still apply
        u = _carry(warm.u, old_r, 0)
        p = _carry(warm.p, old_h, 0)
        previous = _carry(warm.match, old_r, -1)
        match = _carry(new_h, previous, -1)
        lost = (previous >= 0) & (match < 0)
        u = np.where(lost, 0, u)
        pending = np.flatnonzero((old_r < 0) | lost)
        engine.method = "warm"
        state = u.tolist(), p.tolist(), match.tolist()
        for _ in range(REPAIRS):
            engine.repair(*state, pending=pending.tolist())
            if engine.certify():
                return engine.solution(True)
            if engine.found is None:
                break
            # pricing found unlisted pairs undercutting the prices: list them, and their requests go again
            found_r = engine.found[0]
            engine.list_found()
            u_now = np.array(engine.u, dtype=np.int64)
            match_now = np.array(engine.match, dtype=np.int64)
            pending = np.unique(found_r)
            u_now[pending] = 0
            match_now[pending] = -1
            state = u_now.tolist(), list(engine.p), match_now.tolist()
    return solve(problem)


__all__ = ["WarmStart", "capture", "resolve"]
