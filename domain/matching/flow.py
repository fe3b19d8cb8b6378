"""The restricted problem solved as a min-cost flow (OR-Tools), and the least dual prices of its optimum.

Where helpers are scarce, the shortest-augmenting-path method meets long alternating paths at every step:
most requests compete for full helpers.  There the listed pairs are handed to OR-Tools' min-cost flow (a
cost-scaling push–relabel method in C++, exact on integers), and the dual prices are recovered from its
flow by :func:`least_prices`.  The solver's certificate then checks those prices from scratch, so the
flow is trusted for nothing: a wrong flow fails the certificate, it never becomes ``"optimal": true``.
"""

from __future__ import annotations

import numpy as np

from .compiled import I64

UNMATCHED = -1


class FlowFailed(RuntimeError):
    """OR-Tools did not return an optimal flow (for example costs out of its range on a huge network): the
    solver then falls back to augmenting paths, which are exact too."""


def flow_optimum(n_r: int, capacity: I64, ri: I64, hi: I64, big_s: I64) -> I64:
    """A maximum-weight b-matching of the listed pairs: the helper of each request, or -1.

    The network: source → request (capacity 1), request → helper (capacity 1, cost ``-S``), helper → sink
    (its capacity), and source → sink at cost 0, so leaving a request out costs nothing.  Costs are the
    integer scores, so the optimum is exact.
    """
    from ortools.graph.python import min_cost_flow  # type: ignore[import-untyped]  # 0.2 s: only when needed

    match = np.full(n_r, UNMATCHED, dtype=np.int64)
    if n_r == 0 or len(ri) == 0:
        return match
    # only the requests and helpers of some listed pair enter the network
    requests, r_node = np.unique(ri, return_inverse=True)
    helpers, h_node = np.unique(hi, return_inverse=True)
    n_req, n_hel = len(requests), len(helpers)
    source, sink = n_req + n_hel, n_req + n_hel + 1
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(
        np.full(n_req, source, dtype=np.int64),
        np.arange(n_req, dtype=np.int64),
        np.ones(n_req, dtype=np.int64),
        np.zeros(n_req, dtype=np.int64),
    )
    pair_arcs = flow.add_arcs_with_capacity_and_unit_cost(
        r_node.astype(np.int64), n_req + h_node.astype(np.int64), np.ones(len(ri), dtype=np.int64), -big_s
    )
    flow.add_arcs_with_capacity_and_unit_cost(
        n_req + np.arange(n_hel, dtype=np.int64),
        np.full(n_hel, sink, dtype=np.int64),
        capacity[helpers].astype(np.int64),
        np.zeros(n_hel, dtype=np.int64),
    )
    flow.add_arc_with_capacity_and_unit_cost(source, sink, n_req, 0)
    flow.set_node_supply(source, n_req)
    flow.set_node_supply(sink, -n_req)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise FlowFailed(f"min-cost flow: {status}")
    used = np.flatnonzero(flow.flows(pair_arcs) > 0)
    match[ri[used]] = hi[used]
    return match


def least_prices(n_h: int, ri: I64, hi: I64, big_s: I64, match: I64) -> tuple[I64, I64]:
    """The least helper prices ``p`` (and the request values ``u`` they imply) for a matching of the pairs.

    Complementary slackness fixes ``u[r] = S(r, match[r]) - p[match[r]]`` for a matched request and ``u[r] = 0``
    for an unmatched one.  Dual feasibility on the pairs then reads, for each listed pair (r, h):

    * r unmatched: ``p[h] >= S(r, h)``, a lower bound on ``p[h]``;
    * r matched to h0 != h: ``p[h] >= p[h0] + S(r, h) - S(r, h0)``, a difference constraint.

    The least ``p >= 0`` satisfying these is a longest-path value, computed by Bellman–Ford passes over the
    constraints of the prices that changed in the previous pass (vectorised).  It exists when the matching is
    optimal for the pairs (a cycle that keeps raising prices is an improving exchange); the passes stop after
    ``n_h + 1`` rounds in any case.  The caller's certificate checks everything else (``u >= 0``; ``p = 0``
    where a helper has room).
    """
    n_r = len(match)
    p = np.zeros(n_h, dtype=np.int64)
    own = match[ri]
    unmatched = own < 0
    if unmatched.any():
        np.maximum.at(p, hi[unmatched], big_s[unmatched])
    s_own = np.zeros(n_r, dtype=np.int64)
    matched_pair = own == hi
    s_own[ri[matched_pair]] = big_s[matched_pair]
    other = ~unmatched & ~matched_pair
    src, dst = own[other], hi[other]
    weight = big_s[other] - s_own[ri[other]]
    order = np.argsort(src, kind="stable")
    src, dst, weight = src[order], dst[order], weight[order]
    ptr = np.searchsorted(src, np.arange(n_h + 1))
    changed = np.flatnonzero(ptr[1:] > ptr[:-1])
    passes = 0
    while len(changed) and passes <= n_h:
        passes += 1
        counts = ptr[changed + 1] - ptr[changed]
        total = int(counts.sum())
        if total == 0:
            break
        starts = np.repeat(ptr[changed] - np.cumsum(counts) + counts, counts)
        arcs = starts + np.arange(total, dtype=np.int64)
        candidate = p[src[arcs]] + weight[arcs]
        before = p[dst[arcs]]
        np.maximum.at(p, dst[arcs], candidate)
        raised = dst[arcs][p[dst[arcs]] > before]
        changed = np.unique(raised)
    u = np.zeros(n_r, dtype=np.int64)
    matched = match >= 0
    u[matched] = s_own[matched] - p[match[matched]]
    return u, p


__all__ = ["UNMATCHED", "FlowFailed", "flow_optimum", "least_prices"]
