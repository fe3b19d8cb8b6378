"""``suggest`` and ``explain`` against the independent checker: the same eligible helpers, in the spec's order,
and the same failing rules."""

from __future__ import annotations

import itertools
from datetime import timedelta
from functools import cache

import pytest

from domain import matching
from domain.matching import ProblemError, parse_problem
from tests.domain.matching.checker import Instance, Pair, eligible_pairs, failing_rules, parse
from tests.domain.matching.instances import small_problem
from tests.domain.matching.support import helper, problem, request

SEEDS = range(0, 400, 2)
SCORE_EPS = 1e-9


@cache
def case(seed: int) -> tuple[matching.Problem, Instance, list[Pair]]:
    data = small_problem(seed)
    instance = parse(data)
    return parse_problem(data), instance, eligible_pairs(instance)


def assert_ranked(found: list[matching.Suggestion]) -> None:
    """Score descending, then distance ascending, then helper id ascending."""
    for a, b in itertools.pairwise(found):
        if abs(a.score - b.score) > SCORE_EPS:
            assert a.score > b.score, f"{a.helper} ({a.score}) before {b.helper} ({b.score})"
        elif abs(a.distance_km - b.distance_km) > SCORE_EPS:
            assert a.distance_km < b.distance_km, f"equal scores: {a.helper} is farther than {b.helper}"
        else:
            assert a.helper < b.helper, f"equal scores and distances: {a.helper} listed before {b.helper}"


@pytest.mark.parametrize("seed", SEEDS)
def test_suggest_lists_exactly_the_eligible_helpers_in_order(seed: int) -> None:
    engine_problem, instance, pairs = case(seed)
    everyone = len(instance.helpers) + 5
    for r in instance.requests:
        expected = {p.helper: p for p in pairs if p.request == r.id}
        found = matching.suggest(engine_problem, r.id, top=everyone)
        assert [s.helper for s in found if s.helper not in expected] == [], f"seed {seed}, {r.id}: not eligible"
        assert {s.helper for s in found} == set(expected), f"seed {seed}, {r.id}: eligible helpers missing"
        assert len(found) == len(expected)
        assert_ranked(found)
        for s in found:
            pair = expected[s.helper]
            assert s.score == pytest.approx(pair.score, abs=SCORE_EPS)
            assert s.distance_km == pytest.approx(pair.distance_km, abs=SCORE_EPS)
            assert s.preferred is pair.preferred
            assert s.reasons and all(isinstance(reason, str) and reason for reason in s.reasons)
            # the overlap shown is long enough and lies inside a window of each
            h = instance.helper(s.helper)
            assert s.overlap_end - s.overlap_start >= timedelta(minutes=r.duration_minutes)
            assert any(a <= s.overlap_start and s.overlap_end <= b for a, b in r.windows)
            assert any(a <= s.overlap_start and s.overlap_end <= b for a, b in h.windows)
        # top truncates the same ranking; the default is 10
        for top in range(len(found) + 1):
            assert [s.helper for s in matching.suggest(engine_problem, r.id, top=top)] == [
                s.helper for s in found[:top]
            ]
        assert [s.helper for s in matching.suggest(engine_problem, r.id)] == [s.helper for s in found[:10]]


def test_suggest_top_none_lists_all_and_default_is_ten() -> None:
    helpers = [helper(f"h{j:02d}", 51.05 + j * 0.001, 3.72) for j in range(14)]
    data = problem([request()], helpers)
    engine_problem = parse_problem(data)
    everyone = matching.suggest(engine_problem, "r1", top=None)
    assert [s.helper for s in everyone] == [f"h{j:02d}" for j in range(14)]  # nearest first
    assert [s.helper for s in matching.suggest(engine_problem, "r1")] == [f"h{j:02d}" for j in range(10)]


def test_suggest_breaks_ties_by_distance_then_id() -> None:
    here, there = (51.05, 3.72), (51.06, 3.72)
    helpers = [
        helper("hb", *here),
        helper("h-far", *there),
        helper("ha", *here),
        helper("hc", *here),
        helper("h-far-preferred", *there),
        helper("a-far", *there),
    ]
    data = problem([request(preferred_helpers=["h-far-preferred"])], helpers)
    found = matching.suggest(parse_problem(data), "r1", top=None)
    assert [s.helper for s in found] == ["h-far-preferred", "ha", "hb", "hc", "a-far", "h-far"]
    assert [s.preferred for s in found] == [True, False, False, False, False, False]


def test_suggest_and_explain_reject_unknown_ids() -> None:
    engine_problem = parse_problem(problem([request()], [helper()]))
    with pytest.raises(ProblemError) as error:
        matching.suggest(engine_problem, "r404")
    assert "r404" in str(error.value) and "\n" not in str(error.value)
    with pytest.raises(ProblemError) as error:
        matching.explain(engine_problem, "r404", "h1")
    assert "r404" in str(error.value)
    with pytest.raises(ProblemError) as error:
        matching.explain(engine_problem, "r1", "h404")
    assert "h404" in str(error.value)


@pytest.mark.parametrize("seed", SEEDS)
def test_explain_agrees_with_the_checker_on_every_pair(seed: int) -> None:
    engine_problem, instance, pairs = case(seed)
    scores = {(p.request, p.helper): p for p in pairs}
    for r in instance.requests:
        for h in instance.helpers:
            explanation = matching.explain(engine_problem, r.id, h.id)
            expected = failing_rules(r, h)
            assert [c.rule for c in explanation.rules] == [1, 2, 3, 4, 5, 6]
            assert {c.rule for c in explanation.failed} == expected, f"seed {seed}: {r.id}/{h.id}"
            assert explanation.eligible is (not expected)
            assert (explanation.request, explanation.helper) == (r.id, h.id)
            if not expected:
                assert explanation.score == pytest.approx(scores[r.id, h.id].score, abs=SCORE_EPS)
                assert explanation.distance_km == pytest.approx(scores[r.id, h.id].distance_km, abs=SCORE_EPS)


# Each rule broken on its own, and every combination of them, from one eligible pair.
BREAK = {
    1: lambda r, h: h.update(categories=["company", "transport"]),
    2: lambda r, h: h.update(lat=51.05 + 0.05, max_distance_km=3.0),  # about 5.6 km north
    3: lambda r, h: (r.update(languages=["fr", "ar"]), h.update(languages=["nl", "en"])),
    4: lambda r, h: (r.update(requires_vetted=True), h.update(vetted=False)),
    5: lambda r, h: r.update(excluded_helpers=["h0", "h1"]),
    6: lambda r, h: h.update(windows=[["2026-11-24T11:30", "2026-11-24T18:00"]]),  # 30 of the 60 minutes
}


@pytest.mark.parametrize(
    "broken",
    [set(c) for n in range(7) for c in itertools.combinations(range(1, 7), n)],
    ids=lambda s: "+".join(map(str, sorted(s))) or "none",
)
def test_explain_names_exactly_the_broken_rules(broken: set[int]) -> None:
    r, h = request(languages=["nl"]), helper()
    for rule in broken:
        BREAK[rule](r, h)
    data = problem([r], [h])
    instance = parse(data)
    assert failing_rules(instance.requests[0], instance.helpers[0]) == broken  # the construction is right
    engine_problem = parse_problem(data)
    explanation = matching.explain(engine_problem, "r1", "h1")
    assert {c.rule for c in explanation.failed} == broken
    assert explanation.eligible is (not broken)
    assert all(c.ok is (c.rule not in broken) for c in explanation.rules)
    assert all(isinstance(c.name, str) and c.name and isinstance(c.detail, str) and c.detail for c in explanation.rules)
    assert [s.helper for s in matching.suggest(engine_problem, "r1", top=None)] == ([] if broken else ["h1"])
    assert [(a.request, a.helper) for a in matching.solve(engine_problem).assignments] == (
        [] if broken else [("r1", "h1")]
    )
