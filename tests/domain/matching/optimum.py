"""Reference optima of a b-matching over the checker's eligible pairs: exhaustive search, MILP and LP.

None of this uses the engine: the pairs and their scores come from the independent checker.
"""

from __future__ import annotations

import math
from collections import defaultdict

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from scipy.sparse import coo_array

from tests.domain.matching.checker import Instance, Pair


def search_space(instance: Instance, pairs: list[Pair]) -> int:
    """How many assignments exhaustive search enumerates at most: prod over requests of (choices + 1)."""
    degree: dict[str, int] = defaultdict(int)
    for pair in pairs:
        degree[pair.request] += 1
    return math.prod(d + 1 for d in degree.values())


def brute_force(instance: Instance, pairs: list[Pair]) -> float:
    """The best total score over every feasible assignment (each request: one of its helpers, or none)."""
    by_request: dict[str, list[Pair]] = defaultdict(list)
    for pair in pairs:
        by_request[pair.request].append(pair)
    order = list(by_request.values())
    room = {h.id: h.capacity for h in instance.helpers}
    best = 0.0

    def walk(i: int, total: list[float]) -> None:
        nonlocal best
        if i == len(order):
            value = math.fsum(total)
            best = max(best, value)
            return
        walk(i + 1, total)  # this request stays unassigned
        for pair in order[i]:
            if room[pair.helper] > 0:
                room[pair.helper] -= 1
                total.append(pair.score)
                walk(i + 1, total)
                total.pop()
                room[pair.helper] += 1

    walk(0, [])
    return best


def _model(instance: Instance, pairs: list[Pair]) -> tuple[np.ndarray, coo_array, np.ndarray]:
    r_row = {r.id: i for i, r in enumerate(instance.requests)}
    h_row = {h.id: len(instance.requests) + j for j, h in enumerate(instance.helpers)}
    n_rows = len(instance.requests) + len(instance.helpers)
    k = np.arange(len(pairs))
    rows = np.concatenate([[r_row[p.request] for p in pairs], [h_row[p.helper] for p in pairs]]).astype(np.int64)
    cols = np.concatenate([k, k])
    matrix = coo_array((np.ones(2 * len(pairs)), (rows, cols)), shape=(n_rows, len(pairs)))
    upper = np.array([1.0] * len(instance.requests) + [float(h.capacity) for h in instance.helpers])
    scores = np.array([p.score for p in pairs])
    return scores, matrix, upper


def milp_optimum(instance: Instance, pairs: list[Pair]) -> tuple[float, list[Pair]]:
    """The integer optimum by SciPy's ``milp`` (HiGHS), and the pairs it chooses."""
    if not pairs:
        return 0.0, []
    scores, matrix, upper = _model(instance, pairs)
    result = milp(
        c=-scores,
        constraints=LinearConstraint(matrix.tocsr(), -np.inf, upper),
        integrality=np.ones(len(pairs)),
        bounds=Bounds(0, 1),
    )
    assert result.status == 0, result.message
    chosen = [p for p, x in zip(pairs, result.x, strict=True) if x > 0.5]
    return math.fsum(p.score for p in chosen), chosen


def lp_optimum(instance: Instance, pairs: list[Pair]) -> tuple[float, list[Pair], float]:
    """The LP relaxation by ``linprog(method="highs")``: (its optimum, the pairs at 1, the largest
    distance of any x from {0, 1}).  The constraint matrix is totally unimodular, so a vertex optimum is
    integral and the LP optimum is the integer optimum."""
    if not pairs:
        return 0.0, [], 0.0
    scores, matrix, upper = _model(instance, pairs)
    result = linprog(c=-scores, A_ub=matrix.tocsr(), b_ub=upper, bounds=(0, 1), method="highs")
    assert result.status == 0, result.message
    fractional = float(np.max(np.minimum(result.x, 1 - result.x)))
    chosen = [p for p, x in zip(pairs, result.x, strict=True) if x > 0.5]
    return float(-result.fun), chosen, fractional
