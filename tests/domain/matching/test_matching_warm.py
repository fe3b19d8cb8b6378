"""Solving again after a few changes (issue 15, part 3): ``resolve(changed, solution.warm)``.

On every regime generator and many seeds: solve cold, apply a random batch of 1–5 changes (a request's
priority, windows, location, languages, preferred or excluded helpers; a request removed or added; a
helper's capacity up, down or to 0, radius, categories, location; a helper removed or added), then resolve
from the previous state.  The answer must be optimal, accepted by the independent checker, and score what a
cold solve scores (and what exhaustive search or ``milp`` finds on small instances).  Chains of five
successive resolves stay optimal.  Resolving the identical problem changes nothing and takes the warm path.

A warm start may fall back to a cold solve (its certificate failed); that is correct but slow, so the
random tests count the fallbacks and fail when more than 2 % of the cases fell back (listing them).
Wrong answers and exceptions are collected per family and reported all together, with seed and changes.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import timedelta
from functools import cache
from typing import Any

import pytest

from domain.matching import Helper, Problem, Request, parse_problem, problem_to_dict, solve
from domain.matching.model import Solution
from domain.matching.warm import WarmStart, resolve
from tests.domain.matching.checker import check_solution, eligible_pairs, parse
from tests.domain.matching.instances import (
    BASE,
    CATEGORIES,
    LANGUAGES,
    clustered_problem,
    dense_problem,
    moved,
    plentiful_problem,
    scarce_problem,
    small_problem,
)
from tests.domain.matching.optimum import brute_force, milp_optimum, search_space

BRUTE_FORCE_LIMIT = 5000
MILP_PAIRS_LIMIT = 3000
"""Reference optimum by exhaustive search or ``milp`` when the instance has at most this many eligible pairs."""
FALLBACK_SHARE = 0.02
"""At most this share of the random cases may fall back to a cold solve."""

Generator = Callable[[int], dict[str, Any]]

FAMILIES: dict[str, tuple[Generator, range]] = {
    "small": (small_problem, range(120)),
    "scarce-0.1": (lambda seed: scarce_problem(seed, 0.1), range(50)),
    "scarce-0.33": (lambda seed: scarce_problem(seed, 0.33), range(50)),
    "clustered": (lambda seed: clustered_problem(seed), range(50)),
    "clustered-ample": (lambda seed: clustered_problem(seed, 2, ratio=1.5), range(40)),
    "plentiful-4": (lambda seed: plentiful_problem(seed), range(40)),
    "dense": (
        lambda seed: dense_problem(
            seed,
            random.Random(seed).randint(5, 40),
            random.Random(seed + 1).randint(10, 120),
            radius_km=(0.3, 1.0, 2.5)[seed % 3],
            preferred_rate=0.3,
            stacked_rate=0.3 if seed % 2 else 0.0,
        ),
        range(40),
    ),
    "medium-scarce": (lambda seed: scarce_problem(seed, 0.2, 300), range(6)),
    "medium-clustered": (lambda seed: clustered_problem(seed, 2, 300), range(6)),
    "medium-plentiful": (lambda seed: plentiful_problem(seed, 3.0, 200), range(4)),
}
CHAIN_FAMILIES = ("small", "scarce-0.33", "clustered", "plentiful-4", "dense", "medium-scarce")
CHAIN_SEEDS = range(12)
CHAIN_LENGTH = 5
COLD_METHODS = ("auto", "paths", "flow")


def tolerance(assigned: int) -> float:
    return 1e-6 * max(1, assigned)


# ----------------------------------------------------------------------------------------------------------
# changes


class Changer:
    """Random changes to a problem, as a coordinator makes them between two rounds (records replaced,
    removed or added; every new id is fresh)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.fresh = 0

    def _id(self, prefix: str) -> str:
        self.fresh += 1
        return f"{prefix}new{self.fresh}"

    def _windows(self, windows: tuple[Any, ...], length: float) -> tuple[Any, ...]:
        rng = self.rng
        if windows and rng.random() < 0.5:  # shift every window
            shift = timedelta(minutes=30 * rng.choice((-4, -2, -1, 1, 2, 4)))
            return tuple((a + shift, b + shift) for a, b in windows)
        day = min((a for a, _ in windows), default=None)
        base = (day or _BASE).replace(hour=0, minute=0)
        out = []
        for _ in range(rng.choice((0, 1, 1, 2))):
            start = base + timedelta(minutes=8 * 60 + 30 * rng.randint(0, 18))
            out.append((start, start + timedelta(minutes=length + rng.choice((0, 60, 120, 240)))))
        return tuple(out)

    def _place(self, lat: float, lon: float) -> tuple[float, float]:
        rng = self.rng
        return moved(lat, lon, rng.uniform(-1.0, 1.0), rng.uniform(-1.0, 1.0))

    def request(self, r: Request, helper_ids: list[str]) -> tuple[Request, str]:
        rng = self.rng
        kind = rng.choice(("priority", "windows", "location", "languages", "preferred", "excluded"))
        pool = [*helper_ids, "h999"]
        if kind == "priority":
            return replace(r, priority=rng.choice([p for p in range(1, 6) if p != r.priority])), kind
        if kind == "windows":
            return replace(r, windows=self._windows(r.windows, r.duration_minutes)), kind
        if kind == "location":
            lat, lon = self._place(r.lat, r.lon)
            return replace(r, lat=lat, lon=lon), kind
        if kind == "languages":
            languages = () if rng.random() < 0.3 else tuple(sorted(rng.sample(LANGUAGES[:3], rng.randint(1, 2))))
            return replace(r, languages=languages), kind
        chosen = tuple(rng.sample(pool, min(len(pool), rng.randint(0, 2))))
        if kind == "preferred":
            return replace(r, preferred_helpers=chosen), kind
        return replace(r, excluded_helpers=chosen), kind

    def helper(self, h: Helper, categories: list[str]) -> tuple[Helper, str]:
        rng = self.rng
        kind = rng.choice(("capacity up", "capacity down", "capacity 0", "radius", "categories", "location"))
        if kind == "capacity up":
            return replace(h, capacity=h.capacity + rng.randint(1, 3)), kind
        if kind == "capacity down":
            return replace(h, capacity=max(0, h.capacity - rng.randint(1, 2))), kind
        if kind == "capacity 0":
            return replace(h, capacity=0), kind
        if kind == "radius":
            return replace(h, max_distance_km=round(h.max_distance_km * rng.uniform(0.2, 2.5), 3)), kind
        if kind == "categories":
            return replace(h, categories=tuple(sorted(rng.sample(categories, rng.randint(1, len(categories)))))), kind
        lat, lon = self._place(h.lat, h.lon)
        return replace(h, lat=lat, lon=lon), kind

    def batch(self, problem: Problem, count: int) -> tuple[Problem, list[str]]:
        """``problem`` with ``count`` random changes, and what they were."""
        rng = self.rng
        requests, helpers = list(problem.requests), list(problem.helpers)
        categories = sorted({r.category for r in requests} | set(CATEGORIES[:2]))
        done: list[str] = []
        for _ in range(count):
            side = rng.random()
            if side < 0.5:  # a request
                what = rng.random()
                if requests and what < 0.6:
                    i = rng.randrange(len(requests))
                    requests[i], kind = self.request(requests[i], [h.id for h in helpers])
                    done.append(f"request {requests[i].id}: {kind}")
                elif requests and what < 0.8:
                    gone = requests.pop(rng.randrange(len(requests)))
                    done.append(f"request {gone.id}: removed")
                else:
                    model = rng.choice(requests) if requests else None
                    new = self.new_request(model, categories)
                    requests.insert(rng.randint(0, len(requests)), new)
                    done.append(f"request {new.id}: added")
            else:  # a helper
                what = rng.random()
                if helpers and what < 0.6:
                    j = rng.randrange(len(helpers))
                    helpers[j], kind = self.helper(helpers[j], categories)
                    done.append(f"helper {helpers[j].id}: {kind}")
                elif helpers and what < 0.8:
                    gone_h = helpers.pop(rng.randrange(len(helpers)))
                    done.append(f"helper {gone_h.id}: removed")
                else:
                    model_h = rng.choice(helpers) if helpers else None
                    new_h = self.new_helper(model_h, categories)
                    helpers.insert(rng.randint(0, len(helpers)), new_h)
                    done.append(f"helper {new_h.id}: added (capacity {new_h.capacity})")
        return Problem(tuple(requests), tuple(helpers)), done

    def new_request(self, model: Request | None, categories: list[str]) -> Request:
        rng = self.rng
        lat, lon = self._place(*(model.lat, model.lon) if model else _CENTRE)
        duration = float(rng.choice((30, 60, 90)))
        return Request(
            id=self._id("r"),
            lat=lat,
            lon=lon,
            category=rng.choice(categories),
            duration_minutes=duration,
            windows=self._windows(model.windows if model else (), duration) or _DAY,
            languages=() if rng.random() < 0.4 else (rng.choice(LANGUAGES[:3]),),
            priority=rng.randint(1, 5),
            requires_vetted=rng.random() < 0.2,
            preferred_helpers=model.preferred_helpers if model and rng.random() < 0.5 else (),
        )

    def new_helper(self, model: Helper | None, categories: list[str]) -> Helper:
        rng = self.rng
        lat, lon = self._place(*(model.lat, model.lon) if model else _CENTRE)
        return Helper(
            id=self._id("h"),
            lat=lat,
            lon=lon,
            categories=tuple(sorted(rng.sample(categories, rng.randint(1, len(categories))))),
            windows=model.windows if model and model.windows else _LONG_DAY,
            languages=tuple(sorted(rng.sample(LANGUAGES[:3], rng.randint(1, 3)))),
            max_distance_km=round(rng.uniform(0.5, 4.0), 3),
            capacity=rng.choice((0, 1, 1, 2, 3)),
            vetted=rng.random() < 0.7,
        )


_CENTRE = (51.0543, 3.7174)
_BASE = BASE  # 2026-11-24 00:00
_DAY = ((_BASE + timedelta(hours=9), _BASE + timedelta(hours=12)),)
_LONG_DAY = ((_BASE + timedelta(hours=7), _BASE + timedelta(hours=18)),)


# ----------------------------------------------------------------------------------------------------------
# checking one resolve


def shown(problem: Problem) -> str:
    return json.dumps(problem_to_dict(problem), separators=(",", ":"))


def wrong(problem: Problem, warm_solution: Solution, *, reference: bool) -> str | None:
    """What is wrong with ``warm_solution`` for ``problem`` (None: nothing): optimal, the checker, the score of
    a cold solve and, when ``reference``, of exhaustive search or ``milp``."""
    if warm_solution.optimal is not True:
        return "optimal is not True"
    data = problem_to_dict(problem)
    instance = parse(data)
    report = check_solution(instance, warm_solution.to_dict())
    if not report.ok:
        return f"checker: {report.errors[:3]}"
    cold = solve(Problem(problem.requests, problem.helpers))
    allowed = tolerance(max(len(cold.assignments), len(warm_solution.assignments)))
    if abs(cold.score - warm_solution.score) > allowed:
        return f"score {warm_solution.score!r}, cold solve {cold.score!r}"
    if reference:
        pairs = eligible_pairs(instance)
        if len(pairs) <= MILP_PAIRS_LIMIT:
            if search_space(instance, pairs) <= BRUTE_FORCE_LIMIT:
                best, how = brute_force(instance, pairs), "exhaustive search"
            else:
                best, how = milp_optimum(instance, pairs)[0], "milp"
            if abs(best - warm_solution.score) > allowed:
                return f"score {warm_solution.score!r}, {how} {best!r}"
    if warm_solution.warm is None:
        return "an optimal solution without a warm state"
    return None


def resolved(problem: Problem, warm: WarmStart) -> tuple[Solution | None, str | None]:
    try:
        return resolve(problem, warm), None
    except Exception as error:  # reported with the seed and the changes
        return None, f"raised {type(error).__name__}: {error}"


def cold_method(seed: int) -> str:
    return COLD_METHODS[seed % len(COLD_METHODS)]


# ----------------------------------------------------------------------------------------------------------
# tests


@dataclass
class Outcome:
    """The random cases of one family: what went wrong, and which fell back to a cold solve."""

    cases: int = 0
    failures: list[str] = field(default_factory=list)
    fallbacks: list[str] = field(default_factory=list)


@cache
def single_batches(family: str) -> Outcome:
    """Per seed: solve cold, one random batch of 1–5 changes, resolve."""
    generate, seeds = FAMILIES[family]
    out = Outcome()
    for seed in seeds:
        problem = parse_problem(generate(seed))
        first = solve(problem, method=cold_method(seed))
        assert first.optimal and first.warm is not None, f"{family} seed {seed}: cold solve not optimal"
        changer = Changer(random.Random(1000 * seed + 7))
        changed, changes = changer.batch(problem, changer.rng.randint(1, 5))
        out.cases += 1
        label = f"{family} seed {seed} (cold method {cold_method(seed)}), changes {changes}"
        solution, error = resolved(changed, first.warm)
        if solution is not None:
            error = wrong(changed, solution, reference=True)
        if error is not None:
            out.failures.append(f"{label}: {error}")
        elif solution is not None and solution.stats.method != "warm":
            out.fallbacks.append(f"{label}: method {solution.stats.method}")
    return out


@cache
def chains(family: str) -> Outcome:
    """Per seed: solve cold, then five times a random batch of 1–5 changes and a resolve from the last state
    (a coordinator editing several times in a row)."""
    generate, _ = FAMILIES[family]
    out = Outcome()
    for seed in CHAIN_SEEDS:
        problem = parse_problem(generate(seed))
        solution = solve(problem, method=cold_method(seed))
        changer = Changer(random.Random(7919 * seed + 3))
        history: list[list[str]] = []
        for step in range(CHAIN_LENGTH):
            assert solution.warm is not None
            problem, changes = changer.batch(problem, changer.rng.randint(1, 5))
            history.append(changes)
            out.cases += 1
            label = f"{family} seed {seed} step {step + 1}, changes so far {history}"
            result, error = resolved(problem, solution.warm)
            if result is not None:
                error = wrong(problem, result, reference=False)
            if error is not None or result is None:
                out.failures.append(f"{label}: {error}")
                break
            if result.stats.method != "warm":
                out.fallbacks.append(f"{label}: method {result.stats.method}")
            solution = result
    return out


@pytest.mark.parametrize("family", list(FAMILIES))
def test_resolve_after_a_few_random_changes_is_the_optimum(family: str) -> None:
    out = single_batches(family)
    assert not out.failures, f"{len(out.failures)} wrong of {out.cases}:\n" + "\n".join(out.failures)


@pytest.mark.parametrize("family", CHAIN_FAMILIES)
def test_chains_of_resolves_stay_optimal(family: str) -> None:
    out = chains(family)
    assert not out.failures, f"{len(out.failures)} chains went wrong:\n" + "\n".join(out.failures)


def test_warm_starts_rarely_fall_back_to_a_cold_solve() -> None:
    """Over all random cases (single batches and chain steps): at most 2 % fall back."""
    outcomes = [single_batches(f) for f in FAMILIES] + [chains(f) for f in CHAIN_FAMILIES]
    cases = sum(o.cases for o in outcomes)
    fallbacks = [line for o in outcomes for line in o.fallbacks]
    if fallbacks:
        print(f"{len(fallbacks)} of {cases} random cases fell back to a cold solve:\n" + "\n".join(fallbacks))
    assert len(fallbacks) <= FALLBACK_SHARE * cases, (
        f"{len(fallbacks)} of {cases} random cases fell back to a cold solve:\n" + "\n".join(fallbacks)
    )


@pytest.mark.parametrize("family", ["small", "scarce-0.1", "clustered", "plentiful-4", "dense", "medium-scarce"])
def test_resolving_the_identical_problem_changes_nothing(family: str) -> None:
    generate, _ = FAMILIES[family]
    for seed in range(8):
        data = generate(seed)
        problem = parse_problem(data)
        first = solve(problem, method=cold_method(seed))
        assert first.warm is not None
        for same in (problem, parse_problem(data)):  # the very object, and an equal problem read again
            again = resolve(same, first.warm)
            assert again.stats.method == "warm", f"{family} seed {seed}"
            assert again.optimal is True
            assert again.assignments == first.assignments, f"{family} seed {seed}"
            assert again.score == first.score


@pytest.mark.parametrize("seed", range(6))
def test_one_changed_request_takes_the_warm_path(seed: int) -> None:
    """The common case: one request's priority changes in a medium scarce or plentiful instance."""
    for data in (scarce_problem(seed, 0.33, 300), plentiful_problem(seed, 2.0, 200)):
        problem = parse_problem(data)
        first = solve(problem)
        requests = list(problem.requests)
        i = seed * 17 % len(requests)
        requests[i] = replace(requests[i], priority=requests[i].priority % 5 + 1)
        changed = Problem(tuple(requests), problem.helpers)
        assert first.warm is not None
        again = resolve(changed, first.warm)
        assert again.stats.method == "warm"
        assert wrong(changed, again, reference=False) is None


@pytest.mark.parametrize("seed", range(10))
def test_removing_everything(seed: int) -> None:
    problem = parse_problem(scarce_problem(seed, 0.33) if seed % 2 else small_problem(seed))
    first = solve(problem)
    assert first.warm is not None
    for requests, helpers in (((), ()), ((), problem.helpers), (problem.requests, ())):
        empty = Problem(requests, helpers)
        solution = resolve(empty, first.warm)
        assert solution.optimal is True
        assert solution.assignments == ()
        assert solution.score == 0
        assert set(solution.unassigned) == {r.id for r in requests}
        # and back again from nothing
        assert solution.warm is not None
        back = resolve(problem, solution.warm)
        assert wrong(problem, back, reference=True) is None, f"seed {seed}"


@pytest.mark.parametrize("seed", range(10))
def test_resolve_from_an_empty_previous_problem(seed: int) -> None:
    problem = parse_problem(clustered_problem(seed) if seed % 2 else small_problem(seed))
    empty = solve(Problem((), ()))
    assert empty.warm is not None
    solution = resolve(problem, empty.warm)
    assert wrong(problem, solution, reference=True) is None, f"seed {seed}"


@pytest.mark.parametrize("seed", range(10))
def test_every_helper_at_capacity_zero(seed: int) -> None:
    problem = parse_problem(scarce_problem(seed, 0.5))
    first = solve(problem)
    assert first.warm is not None
    closed = Problem(problem.requests, tuple(replace(h, capacity=0) for h in problem.helpers))
    solution = resolve(closed, first.warm)
    assert solution.optimal is True
    assert solution.assignments == ()
    assert solution.warm is not None
    reopened = resolve(problem, solution.warm)
    assert wrong(problem, reopened, reference=True) is None, f"seed {seed}"
