"""The helper's side of the engine, against the independent checker: ``fitting_requests`` lists exactly the
requests a helper may serve, and ``eligible_helper_counts`` counts exactly the helpers with a free place."""

from __future__ import annotations

import itertools

import pytest

from domain import matching
from domain.matching import ProblemError, parse_problem
from tests.domain.matching.checker import eligible_pairs, parse
from tests.domain.matching.instances import dense_problem, small_problem

SEEDS = range(1, 300, 3)
EPS = 1e-9


@pytest.mark.parametrize("seed", SEEDS)
def test_fitting_requests_are_exactly_the_eligible_ones_best_first(seed: int) -> None:
    data = small_problem(seed)
    instance = parse(data)
    pairs = eligible_pairs(instance)
    problem = parse_problem(data)
    order = {r.id: i for i, r in enumerate(instance.requests)}
    for h in instance.helpers:
        expected = {p.request: p for p in pairs if p.helper == h.id}
        found = matching.fitting_requests(problem, h.id)
        assert {f.request for f in found} == set(expected), f"seed {seed}, {h.id}"
        for f in found:
            assert f.score == pytest.approx(expected[f.request].score, abs=EPS)
            assert f.distance_km == pytest.approx(expected[f.request].distance_km, abs=EPS)
        for a, b in itertools.pairwise(found):
            if abs(a.score - b.score) > EPS:
                assert a.score > b.score
            elif abs(a.distance_km - b.distance_km) > EPS:
                assert a.distance_km < b.distance_km
            else:
                assert order[a.request] < order[b.request]


@pytest.mark.parametrize("seed", SEEDS)
def test_eligible_helper_counts_count_only_helpers_with_a_free_place(seed: int) -> None:
    data = small_problem(seed)
    instance = parse(data)
    capacity = {h.id: h.capacity for h in instance.helpers}
    pairs = eligible_pairs(instance)
    counts = matching.eligible_helper_counts(parse_problem(data))
    for r in instance.requests:
        expected = sum(1 for p in pairs if p.request == r.id and capacity[p.helper] > 0)
        assert counts[r.id] == expected, f"seed {seed}, {r.id}"


def test_counts_on_a_dense_district_agree_with_the_checker() -> None:
    data = dense_problem(7, 120, 300)
    instance = parse(data)
    capacity = {h.id: h.capacity for h in instance.helpers}
    counts = matching.eligible_helper_counts(parse_problem(data))
    expected = dict.fromkeys((r.id for r in instance.requests), 0)
    for p in eligible_pairs(instance):
        if capacity[p.helper] > 0:
            expected[p.request] += 1
    assert counts == expected


def test_an_unknown_helper_is_a_clear_error() -> None:
    problem = parse_problem(small_problem(3))
    with pytest.raises(ProblemError, match="no helper with id 'nobody'"):
        matching.fitting_requests(problem, "nobody")
