"""The certificate refuses what is not proven: a state that is optimal on the listed pairs but beaten by a pair
nobody listed must not become ``"optimal": true``, whichever side (request or helper) was meant to cover it."""

from __future__ import annotations

from typing import Any

import numpy as np

from domain.matching import parse_problem
from domain.matching.solver import NO_BOUND, Engine, integer_scores
from tests.domain.matching.support import helper, problem, request


def _engine_with_only_the_far_pair() -> Engine:
    """One request; a helper 2 km away (listed, assigned) and a helper at its door (not listed)."""
    data = problem(
        [request("r1", priority=5)],
        [helper("far", lat=51.068), helper("near", lat=51.0501)],
    )
    engine = Engine(parse_problem(data))
    cp = engine.cp
    ri, hi = np.array([0]), np.array([0])
    dist = np.array([engine.index.search(ri, np.array([10.0]))[2].max()])
    engine._set_lists(ri, hi, dist, np.array([0.0]))  # nothing listed from the request's side: no cover
    s_far = int(integer_scores(cp, ri, hi, dist)[0])
    engine.u, engine.p, engine.match = [s_far], [0, 0], [0]
    return engine


def test_a_better_unlisted_pair_fails_the_certificate_when_no_bound_covers_it() -> None:
    engine = _engine_with_only_the_far_pair()
    assert engine.vb.tolist() == [NO_BOUND, NO_BOUND]
    assert engine.certify() is False
    assert engine.found is not None  # pricing found the pair at the door


def test_the_engine_never_claims_a_suboptimal_state() -> None:
    """Through the real flow: the proven optimum takes the helper at the door."""
    from domain.matching import solve

    data = problem([request("r1", priority=5)], [helper("far", lat=51.068), helper("near", lat=51.0501)])
    for method in ("auto", "paths", "flow"):
        solution = solve(parse_problem(data), method=method)
        assert solution.optimal is True
        assert [(a.request, a.helper) for a in solution.assignments] == [("r1", "near")]


def test_when_the_flow_solver_fails_the_engine_falls_back_to_augmenting_paths(monkeypatch: Any) -> None:
    """OR-Tools may refuse a network (costs out of its range on a huge one): the answer is still exact."""
    from domain.matching import flow, solve, solver
    from tests.domain.matching.instances import scarce_problem

    data = scarce_problem(3, 0.2)
    expected = solve(parse_problem(data), method="paths")

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise flow.FlowFailed("min-cost flow: BAD_COST_RANGE")

    monkeypatch.setattr(solver, "flow_optimum", refuse)
    solution = solve(parse_problem(data))
    assert solution.optimal is True and solution.stats.method == "paths"
    assert solution.score == expected.score
