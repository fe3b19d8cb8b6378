"""Cases found in review: pairs exactly at the radius where NumPy and ``math`` disagree by an ulp, an output
path that is the problem itself, integers too large for a float, NaN claims and the solution file's mode."""

from __future__ import annotations

import json
import math
import os
import random
import stat
from pathlib import Path

import numpy as np

from domain.matching import parse_problem, solve, suggest
from tests.domain.matching.checker import check_solution, haversine_km, parse
from tests.domain.matching.support import helper, problem, request, run_cli


def _numpy_distance(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The engine's vectorised formula, for one pair."""
    phi1, phi2 = np.radians(np.array([lat1])), np.radians(np.array([lat2]))
    d_lambda = np.radians(np.array([lon2 - lon1]))
    a = np.sin((phi2 - phi1) / 2) ** 2 + np.cos(phi1) * np.cos(phi2) * np.sin(d_lambda / 2) ** 2
    return float(2 * 6371.0088 * np.arcsin(np.sqrt(a))[0])


def _points_where_numpy_and_math_disagree(count: int) -> list[tuple[float, float, float, float, float]]:
    """(lat1, lon1, lat2, lon2, math distance) where NumPy's distance is above the spec's."""
    rng = random.Random(11)
    found: list[tuple[float, float, float, float, float]] = []
    while len(found) < count:
        lat1, lon1 = rng.uniform(50.5, 51.5), rng.uniform(2.5, 5.5)
        lat2, lon2 = lat1 + rng.uniform(-0.03, 0.03), lon1 + rng.uniform(-0.03, 0.03)
        exact = haversine_km(lat1, lon1, lat2, lon2)
        if _numpy_distance(lat1, lon1, lat2, lon2) > exact:
            found.append((lat1, lon1, lat2, lon2, exact))
    return found


def test_a_helper_exactly_at_its_radius_is_assigned_even_where_numpy_rounds_up() -> None:
    for lat1, lon1, lat2, lon2, exact in _points_where_numpy_and_math_disagree(5):
        data = problem([request(lat=lat1, lon=lon1)], [helper(lat=lat2, lon=lon2, max_distance_km=exact)])
        solution = solve(parse_problem(data))
        assert [(a.request, a.helper) for a in solution.assignments] == [("r1", "h1")]
        assert solution.optimal
        result = check_solution(parse(data), solution.to_dict())
        assert result.ok, result.errors
        assert [s.helper for s in suggest(parse_problem(data), "r1", top=5)] == ["h1"]


def test_output_path_that_is_the_problem_file_is_refused_and_the_problem_kept(tmp_path: Path) -> None:
    path = tmp_path / "problem.json"
    text = json.dumps(problem([request(), request()], [helper()]))  # duplicate id: a bad problem
    path.write_text(text)
    code, _, err = run_cli("match", "solve", str(path), "-o", str(path))
    assert code == 2
    assert "is the problem file itself" in err
    assert path.read_text() == text


def test_a_good_problem_is_not_overwritten_by_its_own_solution_either(tmp_path: Path) -> None:
    path = tmp_path / "problem.json"
    text = json.dumps(problem([request()], [helper()]))
    path.write_text(text)
    code, _, err = run_cli("match", "solve", str(path), "-o", str(tmp_path / "." / "problem.json"))
    assert code == 2 and err.count("\n") == 1
    assert path.read_text() == text


def test_an_integer_too_large_for_a_number_is_bad_input(tmp_path: Path) -> None:
    path = tmp_path / "problem.json"
    path.write_text(json.dumps(problem([request()], [helper()])).replace('"lat": 51.05', '"lat": ' + "9" * 400, 1))
    code, _, err = run_cli("match", "solve", str(path), "-o", str(tmp_path / "out.json"))
    assert code == 2
    assert 'requests[0] (id "r1")' in err and '"lat"' in err and "finite number" in err
    assert not (tmp_path / "out.json").exists()


def test_a_huge_capacity_is_valid_and_solves() -> None:
    data = problem([request("r1"), request("r2")], [helper(capacity=10**30)])
    solution = solve(parse_problem(data))
    assert len(solution.assignments) == 2 and solution.optimal


def test_a_time_with_a_zone_says_so(tmp_path: Path) -> None:
    path = tmp_path / "problem.json"
    path.write_text(json.dumps(problem([request(windows=[["2026-11-24T09:00+01:00", "2026-11-24T12:00"]])], [])))
    code, _, err = run_cli("match", "solve", str(path))
    assert code == 2
    assert "without a time zone" in err


def test_check_rejects_a_nan_score(tmp_path: Path) -> None:
    problem_path, solution_path = tmp_path / "problem.json", tmp_path / "solution.json"
    problem_path.write_text(json.dumps(problem([request()], [helper()])))
    solution_path.write_text('{"assignments": [{"request": "r1", "helper": "h1"}], "score": NaN, "optimal": true}')
    code, _, err = run_cli("match", "check", str(problem_path), str(solution_path))
    assert code == 1
    assert "score" in err
    assert math.isnan(json.loads(solution_path.read_text())["score"])


def test_the_solution_file_gets_the_usual_file_mode(tmp_path: Path) -> None:
    problem_path, solution_path = tmp_path / "problem.json", tmp_path / "solution.json"
    problem_path.write_text(json.dumps(problem([request()], [helper()])))
    previous = os.umask(0o022)
    try:
        code, _, _ = run_cli("match", "solve", str(problem_path), "-o", str(solution_path))
    finally:
        os.umask(previous)
    assert code == 0
    assert stat.S_IMODE(solution_path.stat().st_mode) == 0o644
