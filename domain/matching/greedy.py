"""The greedy baseline: repeatedly take the highest-scoring eligible pair that is still free.

It is what a careful coordinator would do by hand (most urgent first, nearest helper first), and it is
here so that the value of the exact solver shows as a number in the benchmarks.  It is never optimal
by proof (``optimal`` is False) and is not used by the platform.

It reuses the exact solver's candidate lists: each request keeps a pointer into its helpers by score;
a request whose listed helpers are all full has its search radius widened (the unlisted pairs are
farther, so they score lower), exactly as the solver does.
"""

from __future__ import annotations

import heapq
import time

from .model import Problem, Solution
from .solver import Engine


def greedy(problem: Problem) -> Solution:
    """A feasible assignment by the greedy rule (ties: request order, then helper order)."""
    started = time.perf_counter()
    engine = Engine(problem)
    engine.candidates()
    engine.base_h = engine.arc_h.tolist()
    engine.base_s = engine.arc_s.tolist()
    engine.ptr = engine.arc_ptr.tolist()
    engine.extra = {}
    engine.ub_list = engine.ub.tolist()
    cap = engine.cp.h_cap.tolist()
    load = [0] * engine.cp.n_h
    match = [-1] * engine.cp.n_r
    cursor = [0] * engine.cp.n_r
    heap: list[tuple[int, int]] = []

    def push_next(r: int) -> None:
        """Queue request r's best helper with room, widening its search while unlisted pairs might be better."""
        while True:
            hs, ss = engine._arcs(r)
            k = cursor[r]
            while k < len(hs) and load[hs[k]] >= cap[hs[k]]:
                k += 1
            cursor[r] = k
            best = ss[k] if k < len(hs) else 0
            if engine.ub_list[r] > best:
                engine._expand(r)
                pairs = sorted(zip(*engine._arcs(r), strict=True), key=lambda pair: (-pair[1], pair[0]))
                engine.extra[r] = ([h for h, _ in pairs], [s for _, s in pairs])
                cursor[r] = 0
                continue
            if k < len(hs):
                heapq.heappush(heap, (-ss[k], r))
            return

    for r in range(engine.cp.n_r):
        push_next(r)
    while heap:
        _, r = heapq.heappop(heap)
        hs, _ = engine._arcs(r)
        h = hs[cursor[r]]
        if load[h] >= cap[h]:
            push_next(r)
            continue
        match[r] = h
        load[h] += 1
    engine.match = match
    engine.timer.seconds["greedy"] = time.perf_counter() - started
    result = engine.solution(optimal=False)
    return Solution(result.assignments, result.score, False, result.unassigned, result.stats)


__all__ = ["greedy"]
