"""The edges of the rules, one case each: the spec's inequalities are inclusive where it says so, and the
windows are half-open.  Each case is checked three ways: ``explain``, ``suggest`` and the solver."""

from __future__ import annotations

import math
from typing import Any

import pytest

from domain import matching
from domain.matching import parse_problem, solve
from tests.domain.matching.checker import check_solution, eligible_pairs, failing_rules, haversine_km, parse
from tests.domain.matching.instances import distance_variants, exact_radius, small_problem
from tests.domain.matching.optimum import milp_optimum
from tests.domain.matching.support import helper, problem, request


def served(data: dict[str, Any]) -> list[tuple[str, str]]:
    solution = solve(parse_problem(data))
    assert solution.optimal is True
    assert check_solution(data, solution.to_dict()).ok
    return sorted((a.request, a.helper) for a in solution.assignments)


def engine_fails(data: dict[str, Any], rid: str = "r1", hid: str = "h1") -> set[int]:
    return {c.rule for c in matching.explain(parse_problem(data), rid, hid).failed}


def checker_fails(data: dict[str, Any], rid: str = "r1", hid: str = "h1") -> set[int]:
    instance = parse(data)
    return failing_rules(instance.request(rid), instance.helper(hid))


def assert_pair(data: dict[str, Any], *, eligible: bool, rule: int | None = None) -> None:
    """r1/h1 is (not) eligible, for the checker and the engine alike; if not, exactly ``rule`` fails."""
    expected = set() if eligible else {rule}
    assert checker_fails(data) == expected  # the test's own construction
    assert engine_fails(data) == expected
    assert [s.helper for s in matching.suggest(parse_problem(data), "r1", top=None)] == (["h1"] if eligible else [])
    assert served(data) == ([("r1", "h1")] if eligible else [])


# ---- rule 2: distance <= max_distance_km


def test_radius_zero_at_the_very_same_point_is_eligible() -> None:
    assert_pair(problem([request()], [helper(max_distance_km=0.0)]), eligible=True)
    assert_pair(problem([request()], [helper(max_distance_km=0)]), eligible=True)  # an integer 0 too


def test_radius_zero_a_tenth_of_a_metre_away_is_not() -> None:
    assert_pair(problem([request()], [helper(lat=51.05 + 1e-6, max_distance_km=0.0)]), eligible=False, rule=2)


def _points_with_one_distance() -> tuple[tuple[float, float], tuple[float, float], float]:
    """Two points whose haversine distance is the same float however the formula is written."""
    for k in range(1, 500):
        a, b = (51.05, 3.72), (51.05 + k * 0.00137, 3.72 + k * 0.00071)
        d = exact_radius(*a, *b)
        if d is not None and d > 0.5:
            return a, b, d
    raise AssertionError("no such pair of points")


def test_distance_exactly_at_the_radius_is_eligible() -> None:
    (lat1, lon1), (lat2, lon2), d = _points_with_one_distance()
    assert distance_variants(lat1, lon1, lat2, lon2) == {d}
    assert_pair(problem([request(lat=lat1, lon=lon1)], [helper(lat=lat2, lon=lon2, max_distance_km=d)]), eligible=True)


def test_distance_just_beyond_the_radius_is_not() -> None:
    (lat1, lon1), (lat2, lon2), d = _points_with_one_distance()
    below = math.nextafter(d, 0.0)
    data = problem([request(lat=lat1, lon=lon1)], [helper(lat=lat2, lon=lon2, max_distance_km=below)])
    assert_pair(data, eligible=False, rule=2)
    data = problem([request(lat=lat1, lon=lon1)], [helper(lat=lat2, lon=lon2, max_distance_km=d - 1e-9)])
    assert_pair(data, eligible=False, rule=2)


def test_distance_is_the_spec_haversine_with_its_radius() -> None:
    # one degree of latitude: pi * 6371.0088 / 180 km exactly, up to rounding
    data = problem([request(lat=51.0, lon=3.72)], [helper(lat=52.0, lon=3.72, max_distance_km=200.0)])
    explanation = matching.explain(parse_problem(data), "r1", "h1")
    assert explanation.distance_km == pytest.approx(math.pi * 6371.0088 / 180, rel=1e-12)
    assert explanation.distance_km == pytest.approx(haversine_km(51.0, 3.72, 52.0, 3.72), rel=1e-12)
    assert explanation.score == pytest.approx(300 - math.pi * 6371.0088 / 180, abs=1e-9)


# ---- rule 6: some windows overlap by at least duration_minutes, windows half-open


def test_overlap_exactly_the_duration_is_eligible() -> None:
    h = helper(windows=[["2026-11-24T11:00", "2026-11-24T14:00"]])  # request 09:00–12:00, 60 minutes
    assert_pair(problem([request()], [h]), eligible=True)
    h = helper(windows=[["2026-11-24T06:00", "2026-11-24T10:00"]])  # at the start of the request window
    assert_pair(problem([request()], [h]), eligible=True)


def test_overlap_one_minute_short_is_not() -> None:
    h = helper(windows=[["2026-11-24T11:01", "2026-11-24T14:00"]])
    assert_pair(problem([request()], [h]), eligible=False, rule=6)
    h = helper(windows=[["2026-11-24T06:00", "2026-11-24T09:59"]])
    assert_pair(problem([request()], [h]), eligible=False, rule=6)


def test_the_overlap_must_be_in_one_piece() -> None:
    # 30 + 30 minutes in two separate windows do not make the 60 minutes asked
    h = helper(windows=[["2026-11-24T08:00", "2026-11-24T09:30"], ["2026-11-24T11:30", "2026-11-24T13:00"]])
    assert_pair(problem([request()], [h]), eligible=False, rule=6)
    # but any one of several windows is enough
    h = helper(windows=[["2026-11-24T08:00", "2026-11-24T09:30"], ["2026-11-24T10:00", "2026-11-24T11:00"]])
    assert_pair(problem([request()], [h]), eligible=True)


def test_touching_windows_do_not_overlap() -> None:
    # [09:00, 12:00) and [12:00, 15:00) share no minute
    h = helper(windows=[["2026-11-24T12:00", "2026-11-24T15:00"]])
    assert_pair(problem([request(duration_minutes=30)], [h]), eligible=False, rule=6)
    h = helper(windows=[["2026-11-24T06:00", "2026-11-24T09:00"]])
    assert_pair(problem([request(duration_minutes=30)], [h]), eligible=False, rule=6)


def test_touching_windows_do_not_overlap_even_for_a_zero_minute_request() -> None:
    """[a, b) and [b, c) have no instant in common: there is no overlap at all, so not even 0 minutes of one.

    (Likewise an empty window [a, a) overlaps nothing.)"""
    h = helper(windows=[["2026-11-24T12:00", "2026-11-24T15:00"]])
    assert_pair(problem([request(duration_minutes=0)], [h]), eligible=False, rule=6)
    r = request(duration_minutes=0, windows=[["2026-11-24T10:00", "2026-11-24T10:00"]])
    assert_pair(problem([r], [helper()]), eligible=False, rule=6)


def test_a_zero_minute_request_needs_only_a_common_minute() -> None:
    h = helper(windows=[["2026-11-24T11:59", "2026-11-24T15:00"]])
    assert_pair(problem([request(duration_minutes=0)], [h]), eligible=True)


def test_windows_on_different_days_do_not_overlap() -> None:
    h = helper(windows=[["2026-11-25T09:00", "2026-11-25T12:00"]])
    assert_pair(problem([request()], [h]), eligible=False, rule=6)


def test_adjacent_windows_of_one_helper_are_not_merged() -> None:
    # "some window of r and some window of h overlap by at least the duration": one window each
    h = helper(windows=[["2026-11-24T09:00", "2026-11-24T10:00"], ["2026-11-24T10:00", "2026-11-24T11:00"]])
    assert_pair(problem([request(duration_minutes=90)], [h]), eligible=False, rule=6)
    assert_pair(problem([request(duration_minutes=60)], [h]), eligible=True)


# ---- rules 3, 4, 5 and capacity


def test_empty_request_languages_match_any_helper() -> None:
    assert_pair(problem([request(languages=[])], [helper(languages=["tr"])]), eligible=True)
    assert_pair(problem([request(languages=[])], [helper(languages=[])]), eligible=True)
    assert_pair(problem([request(languages=["nl"])], [helper(languages=[])]), eligible=False, rule=3)


def test_one_shared_language_is_enough() -> None:
    assert_pair(problem([request(languages=["ar", "fr", "nl"])], [helper(languages=["en", "nl"])]), eligible=True)


def test_vetting_is_needed_only_when_required() -> None:
    assert_pair(problem([request(requires_vetted=False)], [helper(vetted=False)]), eligible=True)
    assert_pair(problem([request(requires_vetted=True)], [helper(vetted=True)]), eligible=True)
    assert_pair(problem([request(requires_vetted=True)], [helper(vetted=False)]), eligible=False, rule=4)


def test_excluded_helper_is_never_assigned() -> None:
    assert_pair(problem([request(excluded_helpers=["h1"])], [helper()]), eligible=False, rule=5)
    # even when it is also preferred, and is the only helper around
    data = problem([request(excluded_helpers=["h1"], preferred_helpers=["h1"])], [helper()])
    assert_pair(data, eligible=False, rule=5)
    # the next best helper gets the request instead
    data = problem([request(excluded_helpers=["h1"])], [helper("h1"), helper("h2", lat=51.06)])
    assert served(data) == [("r1", "h2")]


def test_absent_preferred_and_excluded_mean_empty() -> None:
    r = request()
    assert "preferred_helpers" not in r and "excluded_helpers" not in r
    assert_pair(problem([r], [helper()]), eligible=True)
    assert solve(parse_problem(problem([r], [helper()]))).score == pytest.approx(300.0, abs=1e-9)


def test_capacity_zero_helper_is_never_assigned() -> None:
    data = problem([request("r1"), request("r2", priority=5)], [helper(capacity=0)])
    assert served(data) == []
    # it is eligible by the six rules (so explain says so), it just has no place
    assert engine_fails(data) == set()
    data = problem([request("r1"), request("r2")], [helper("h1", capacity=0), helper("h2", lat=51.07)])
    assert [h for _, h in served(data)] == ["h2"]


def test_capacity_is_respected_and_the_highest_priority_wins() -> None:
    requests = [request("r1", priority=2), request("r2", priority=5), request("r3", priority=4)]
    data = problem(requests, [helper(capacity=2)])
    assert served(data) == [("r2", "h1"), ("r3", "h1")]


# ---- the objective


def test_preferred_bonus_changes_the_optimum() -> None:
    near, far = helper("h-near", lat=51.05 + 0.009), helper("h-far", lat=51.05 + 0.036)  # about 1 km and 4 km
    far["max_distance_km"] = 5.0
    assert served(problem([request()], [near, far])) == [("r1", "h-near")]
    assert served(problem([request(preferred_helpers=["h-far"])], [near, far])) == [("r1", "h-far")]
    solution = solve(parse_problem(problem([request(preferred_helpers=["h-far"])], [near, far])))
    d = haversine_km(51.05, 3.72, 51.05 + 0.036, 3.72)
    assert solution.score == pytest.approx(300 - d + 5, abs=1e-9)


def test_preferred_bonus_decides_between_two_requests() -> None:
    # one helper, two requests of equal priority: the one that prefers the helper gets it, though farther
    data = problem(
        [request("r1", lat=51.05), request("r2", lat=51.06, preferred_helpers=["h1"])],
        [helper(lat=51.051)],
    )
    assert served(data) == [("r2", "h1")]


def test_a_preferred_helper_that_does_not_exist_is_harmless() -> None:
    data = problem([request(preferred_helpers=["h99", "h1", "h1"], excluded_helpers=["nobody"])], [helper()])
    solution = solve(parse_problem(data))
    assert [(a.request, a.helper) for a in solution.assignments] == [("r1", "h1")]
    assert solution.score == pytest.approx(305.0, abs=1e-9)  # the bonus counts once


def test_a_pair_with_a_negative_score_is_left_out() -> None:
    # 200 km at priority 1 scores 100 - 200 < 0: assigning it would lower the total
    far = helper(lat=51.05 + 1.8, max_distance_km=500.0)
    data = problem([request(priority=1)], [far])
    assert engine_fails(data) == set()
    assert served(data) == []
    assert solve(parse_problem(data)).score == 0.0


def test_the_exact_optimum_beats_the_greedy_choice() -> None:
    # greedy takes r1–h1 first (the best single pair) and leaves r2 without anyone;
    # the optimum gives h1 to r2 and h2 to r1
    r1, r2 = request("r1", lat=51.05), request("r2", lat=51.05 + 0.018, category="company")
    h1 = helper("h1", lat=51.05 + 0.0045, categories=["shopping", "company"])  # 0.5 km from r1, 1.5 km from r2
    h2 = helper("h2", lat=51.05 - 0.009)  # 1 km from r1, shopping only
    data = problem([r1, r2], [h1, h2])
    assert served(data) == [("r1", "h2"), ("r2", "h1")]
    instance = parse(data)
    best = milp_optimum(instance, eligible_pairs(instance))[0]
    exact, baseline = solve(parse_problem(data)), matching.greedy(parse_problem(data))
    assert exact.score == pytest.approx(best, abs=1e-9)
    assert [(a.request, a.helper) for a in baseline.assignments] == [("r1", "h1")]
    assert check_solution(instance, baseline.to_dict()).ok
    assert baseline.score < exact.score - 290


def test_an_empty_problem_has_an_empty_optimal_solution() -> None:
    for data in (problem([], []), problem([request()], []), problem([], [helper()])):
        solution = solve(parse_problem(data))
        assert solution.to_dict() == {"assignments": [], "score": 0.0, "optimal": True}


def test_a_request_and_a_helper_may_share_an_id() -> None:
    # ids are unique within requests and within helpers, not across them
    data = problem([request("x"), request("y")], [helper("x"), helper("y", lat=51.06)])
    assert served(data) == [("x", "x"), ("y", "y")] or served(data) == [("x", "y"), ("y", "x")]
    assert engine_fails(data, "x", "x") == set()


# ---- the whole sphere: no special case for the antimeridian or the poles


@pytest.mark.parametrize(
    ("centre", "other"),
    [
        ((51.05, 179.999), (51.05, -179.999)),  # across the antimeridian, 140 m
        ((89.9995, 0.0), (89.9995, 180.0)),  # across the north pole, 111 m
        ((-90.0, 0.0), (-90.0, 77.0)),  # the south pole, written two ways: the same point
        ((0.0, -0.0005), (0.0, 0.0005)),  # across the equator's zero meridian
    ],
)
def test_pairs_across_the_antimeridian_and_the_poles(centre: tuple[float, float], other: tuple[float, float]) -> None:
    d = haversine_km(*centre, *other)
    assert d < 0.2
    data = problem([request(lat=centre[0], lon=centre[1])], [helper(lat=other[0], lon=other[1], max_distance_km=0.2)])
    assert_pair(data, eligible=True)


@pytest.mark.parametrize("centre", [(51.05, 179.995), (89.995, 0.0), (-89.999, 10.0), (0.0, 0.0)])
@pytest.mark.parametrize("seed", range(0, 200, 5))
def test_random_instances_around_the_antimeridian_and_the_poles(centre: tuple[float, float], seed: int) -> None:
    data = small_problem(seed, centre)
    instance = parse(data)
    pairs = eligible_pairs(instance)
    solution = solve(parse_problem(data))
    assert check_solution(instance, solution.to_dict()).ok
    assert solution.optimal is True
    best = milp_optimum(instance, pairs)[0]
    assert solution.score == pytest.approx(best, abs=1e-6 * max(1, len(solution.assignments)))
    engine_problem = parse_problem(data)
    for r in instance.requests:
        expected = {p.helper for p in pairs if p.request == r.id}
        assert {s.helper for s in matching.suggest(engine_problem, r.id, top=None)} == expected
