"""What the last round of each set of districts left behind, so that running it again starts from there.

A coordinator runs a round, changes two requests and runs it again: the engine re-solves from the previous
optimum (:func:`domain.matching.warm.resolve`) instead of from nothing, and proves the result exactly like
a cold solve.  The state lives in this process's memory, per set of districts, for the last few sets: a
round run by another worker process, or after a restart, is simply solved cold.  Nothing personal is kept
beyond what the problem itself holds (engine ids, positions, windows, categories), and only in memory.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from domain.matching import Problem, Solution, solve
from domain.matching.warm import WarmStart, resolve

KEPT = 8
"""Sets of districts whose last state is kept (least recently used first out)."""

_lock = threading.Lock()
_states: OrderedDict[tuple[int, ...], WarmStart] = OrderedDict()


def solve_round(district_ids: tuple[int, ...], problem: Problem) -> Solution:
    """The optimum of a round's problem, from the last round of the same districts when there is one."""
    key = tuple(sorted(district_ids))
    with _lock:
        previous = _states.get(key)
    solution = resolve(problem, previous) if previous is not None else solve(problem)
    with _lock:
        if solution.warm is not None:
            _states[key] = solution.warm
            _states.move_to_end(key)
            while len(_states) > KEPT:
                _states.popitem(last=False)
        else:
            _states.pop(key, None)
    return solution


def forget() -> None:
    """Drop every kept state (tests; and an operator who wants the next rounds solved cold)."""
    with _lock:
        _states.clear()
