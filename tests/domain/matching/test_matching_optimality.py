"""The engine's optimum, checked from outside: feasibility and score by the independent checker, and the
optimum against exhaustive search, SciPy's ``milp`` (small instances) and the LP bound (medium instances)."""

from __future__ import annotations

import json
import random
from functools import cache

import pytest

from domain import matching
from domain.matching import parse_problem, solve
from tests.domain.matching.checker import Instance, Pair, check_solution, eligible_pairs, parse
from tests.domain.matching.instances import dense_problem, small_problem
from tests.domain.matching.optimum import brute_force, lp_optimum, milp_optimum, search_space

SMALL_SEEDS = range(400)
BRUTE_FORCE_LIMIT = 5000


def tolerance(pairs: int) -> float:
    return 1e-6 * max(1, pairs)


@cache
def small(seed: int) -> tuple[dict[str, object], Instance, list[Pair]]:
    data = small_problem(seed)
    instance = parse(data)
    return data, instance, eligible_pairs(instance)


def shown(data: dict[str, object]) -> str:
    return json.dumps(data, separators=(",", ":"))


@pytest.mark.parametrize("seed", SMALL_SEEDS)
def test_solve_is_feasible_and_optimal_on_small_random_instances(seed: int) -> None:
    data, instance, pairs = small(seed)
    solution = solve(parse_problem(data))
    claimed = solution.to_dict()
    report = check_solution(instance, claimed)
    assert report.ok, f"seed {seed}: {report.errors}\nproblem: {shown(data)}\nsolution: {claimed}"
    assert solution.optimal is True, f"seed {seed}: optimal is False\nproblem: {shown(data)}"
    if search_space(instance, pairs) <= BRUTE_FORCE_LIMIT:
        best, how = brute_force(instance, pairs), "exhaustive search"
    else:
        best, how = milp_optimum(instance, pairs)[0], "milp"
    assert solution.score == pytest.approx(best, abs=tolerance(len(solution.assignments))), (
        f"seed {seed}: engine {solution.score!r}, {how} {best!r}\nproblem: {shown(data)}\nsolution: {claimed}"
    )
    # each assignment reports its own score and distance as the spec computes them
    by_pair = {(p.request, p.helper): p for p in pairs}
    for a in solution.assignments:
        assert a.score == pytest.approx(by_pair[a.request, a.helper].score, abs=1e-9)
        assert a.distance_km == pytest.approx(by_pair[a.request, a.helper].distance_km, abs=1e-9)


def test_the_random_instances_exercise_the_boundaries_and_contention() -> None:
    """Guard on the generator: the 400 instances are not trivial."""
    exhaustive = contested = unassigned_eligible = 0
    for seed in SMALL_SEEDS:
        _, instance, pairs = small(seed)
        exhaustive += search_space(instance, pairs) <= BRUTE_FORCE_LIMIT
        helpers_wanted: dict[str, set[str]] = {}
        for p in pairs:
            helpers_wanted.setdefault(p.helper, set()).add(p.request)
        capacity = {h.id: h.capacity for h in instance.helpers}
        contested += any(len(rs) > capacity[h] for h, rs in helpers_wanted.items())
        unassigned_eligible += any(capacity[p.helper] == 0 for p in pairs)
    assert exhaustive >= 300
    assert contested >= 100
    assert unassigned_eligible >= 20


@pytest.mark.parametrize("seed", range(0, 400, 7))
def test_exhaustive_search_and_milp_agree(seed: int) -> None:
    """The two references check each other, where both are cheap."""
    _, instance, pairs = small(seed)
    if search_space(instance, pairs) > BRUTE_FORCE_LIMIT:
        pytest.skip("too many assignments to enumerate")
    best, chosen = milp_optimum(instance, pairs)
    assert brute_force(instance, pairs) == pytest.approx(best, abs=1e-9)
    claimed = {"assignments": [{"request": p.request, "helper": p.helper} for p in chosen], "score": best}
    assert check_solution(instance, claimed).ok


@pytest.mark.parametrize("seed", range(0, 400, 3))
def test_greedy_is_feasible_and_never_better_than_solve(seed: int) -> None:
    data, instance, _ = small(seed)
    problem = parse_problem(data)
    baseline, exact = matching.greedy(problem), solve(problem)
    report = check_solution(instance, baseline.to_dict())
    assert report.ok, f"seed {seed}: {report.errors}\nproblem: {shown(data)}"
    assert baseline.optimal is False
    assert baseline.score <= exact.score + tolerance(len(exact.assignments))


@pytest.mark.parametrize("seed", range(120))
def test_solve_matches_milp_when_requests_have_many_candidates(seed: int) -> None:
    """5–40 requests among 10–120 helpers packed together: more eligible helpers per request than the solver
    lists at first, ties in distance, preferred helpers farther away, scarce or ample capacity."""
    rng = random.Random(seed)
    data = dense_problem(
        seed,
        rng.randint(5, 40),
        rng.randint(10, 120),
        radius_km=rng.choice((0.3, 1.0, 2.5)),
        capacities=rng.choice(((1,), (0, 1, 1, 2, 3), (1, 2), (3,))),
        preferred_rate=rng.choice((0.0, 0.3, 0.8)),
        stacked_rate=rng.choice((0.0, 0.3)),
    )
    instance = parse(data)
    pairs = eligible_pairs(instance)
    engine_problem = parse_problem(data)
    solution = solve(engine_problem)
    report = check_solution(instance, solution.to_dict())
    assert report.ok, f"seed {seed}: {report.errors}"
    assert solution.optimal is True
    best = milp_optimum(instance, pairs)[0]
    assert solution.score == pytest.approx(best, abs=tolerance(len(solution.assignments))), f"seed {seed}"
    for r in instance.requests[:3]:
        expected = {p.helper for p in pairs if p.request == r.id}
        assert {s.helper for s in matching.suggest(engine_problem, r.id, top=None)} == expected
    # what was cached on the problem by solve, greedy and suggest does not change a second solve
    matching.greedy(engine_problem)
    assert solve(engine_problem).to_dict() == solution.to_dict()


@pytest.mark.parametrize(
    ("seed", "n_requests", "n_helpers", "radius_km"),
    [
        (1, 300, 900, 1.5),  # ample supply, dense in one district
        (2, 400, 120, 1.5),  # scarce supply: most helpers are contested
        (3, 600, 1200, 1.0),  # denser still
    ],
)
def test_medium_instances_reach_the_lp_bound(seed: int, n_requests: int, n_helpers: int, radius_km: float) -> None:
    data = dense_problem(seed, n_requests, n_helpers, radius_km=radius_km)
    instance = parse(data)
    pairs = eligible_pairs(instance)
    assert len(pairs) > 3000
    bound, lp_pairs, fractional = lp_optimum(instance, pairs)
    assert fractional < 1e-6  # total unimodularity: the LP vertex is integral
    lp_solution = {"assignments": [{"request": p.request, "helper": p.helper} for p in lp_pairs], "score": bound}
    assert check_solution(instance, lp_solution).ok

    problem = parse_problem(data)
    solution = solve(problem)
    report = check_solution(instance, solution.to_dict())
    assert report.ok, report.errors
    assert solution.optimal is True
    assert solution.score == pytest.approx(bound, abs=tolerance(len(solution.assignments)))

    baseline = matching.greedy(problem)
    assert check_solution(instance, baseline.to_dict()).ok
    assert baseline.optimal is False
    assert baseline.score <= solution.score + tolerance(len(solution.assignments))
