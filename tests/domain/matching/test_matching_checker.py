"""The independent checker is independent, and right on cases worked out by hand."""

from __future__ import annotations

import ast
import math
import sys
from pathlib import Path

import pytest

from domain.matching import parse_problem, problem_to_dict, solve
from tests.domain.matching.checker import (
    check_solution,
    eligible_pairs,
    failing_rules,
    haversine_km,
    longest_overlap_minutes,
    parse,
)
from tests.domain.matching.instances import small_problem
from tests.domain.matching.support import helper, problem, request

CHECKER = Path(__file__).resolve().with_name("checker.py")


def test_the_checker_uses_the_standard_library_only() -> None:
    tree = ast.parse(CHECKER.read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, "no relative imports"
            imported.add((node.module or "").split(".")[0])
    assert imported <= set(sys.stdlib_module_names) | {"__future__"}, imported
    assert not imported & {"domain", "numpy", "scipy", "tests"}


def test_haversine_on_known_distances() -> None:
    assert haversine_km(51.05, 3.72, 51.05, 3.72) == 0.0
    assert haversine_km(0, 0, 1, 0) == pytest.approx(math.pi * 6371.0088 / 180, rel=1e-14)
    assert haversine_km(0, 0, 0, 180) == pytest.approx(math.pi * 6371.0088, rel=1e-14)
    assert haversine_km(90, 0, -90, 0) == pytest.approx(math.pi * 6371.0088, rel=1e-14)
    assert haversine_km(51.05, 179.999, 51.05, -179.999) < 0.15
    assert haversine_km(51.05, 3.72, 51.06, 3.73) == pytest.approx(haversine_km(51.06, 3.73, 51.05, 3.72), rel=1e-15)


def test_windows_are_half_open() -> None:
    data = problem([request(duration_minutes=0)], [helper(windows=[["2026-11-24T12:00", "2026-11-24T13:00"]])])
    instance = parse(data)
    assert longest_overlap_minutes(instance.requests[0], instance.helpers[0]) is None
    data["helpers"][0]["windows"] = [["2026-11-24T11:00", "2026-11-24T13:00"], ["2026-11-24T08:00", "2026-11-24T09:30"]]
    instance = parse(data)
    assert longest_overlap_minutes(instance.requests[0], instance.helpers[0]) == 60.0


def test_the_checker_rules_on_a_hand_made_pair() -> None:
    r = request(languages=["fr"], requires_vetted=True, excluded_helpers=["h1"], category="company")
    h = helper(lat=51.2, vetted=False, windows=[["2026-11-24T13:00", "2026-11-24T14:00"]])
    instance = parse(problem([r], [h]))
    assert failing_rules(instance.requests[0], instance.helpers[0]) == {1, 2, 3, 4, 5, 6}
    assert eligible_pairs(instance) == []


def test_the_checker_rejects_what_is_wrong() -> None:
    data = problem([request("r1"), request("r2", lat=51.051)], [helper("h1"), helper("h2", languages=[], capacity=0)])
    instance = parse(data)
    best = eligible_pairs(instance)
    assert {(p.request, p.helper) for p in best} == {("r1", "h1"), ("r2", "h1"), ("r1", "h2"), ("r2", "h2")}
    one = next(p for p in best if (p.request, p.helper) == ("r2", "h1"))
    good = {"assignments": [{"request": "r2", "helper": "h1"}], "score": one.score, "optimal": True}
    assert check_solution(data, good).ok
    assert check_solution(data, {**good, "score": one.score + 2e-6}).errors[0].startswith("claimed score")
    assert check_solution(data, {**good, "score": one.score + 0.9e-6}).ok  # within 1e-6 for one pair
    twice = [{"request": "r2", "helper": "h1"}, {"request": "r1", "helper": "h1"}]
    assert any("capacity" in e for e in check_solution(data, {**good, "assignments": twice}).errors)
    zero = [{"request": "r2", "helper": "h2"}]
    assert any("capacity 0" in e for e in check_solution(data, {**good, "assignments": zero}).errors)
    again = [{"request": "r2", "helper": "h1"}, {"request": "r2", "helper": "h2"}]
    assert any("already served" in e for e in check_solution(data, {**good, "assignments": again}).errors)
    unknown = [{"request": "r2", "helper": "h7"}]
    assert any("unknown helper" in e for e in check_solution(data, {**good, "assignments": unknown}).errors)
    assert not check_solution(data, {"assignments": "none", "score": 0}).ok
    assert not check_solution(data, {"assignments": [], "score": math.nan}).ok


@pytest.mark.parametrize("seed", range(0, 400, 20))
def test_problem_to_dict_round_trips(seed: int) -> None:
    """The engine's JSON form of a parsed problem is the same problem, for the checker and the engine."""
    data = small_problem(seed)
    again = problem_to_dict(parse_problem(data))
    assert eligible_pairs(parse(again)) == eligible_pairs(parse(data))
    assert solve(parse_problem(again)).to_dict() == solve(parse_problem(data)).to_dict()
