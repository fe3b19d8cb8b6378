"""An independent checker for care-matching problems and solutions (``docs``: ``shared/specs/matching-problem.md``).

Standard library only, and deliberately written from the spec text alone: it does not import the
engine (``domain.matching``) nor NumPy, so that an error in the engine cannot hide in shared code.

- :func:`parse` reads a problem in the spec's JSON form (as a dict) into plain records;
- :func:`rule_outcomes` / :func:`failing_rules` evaluate the six eligibility rules for one pair;
- :func:`eligible_pairs` enumerates every eligible pair with its distance and score;
- :func:`check_solution` checks a solution dict: only eligible pairs, each request at most once, each
  helper at most ``capacity`` times, no unknown ids, and the claimed score equal to the recomputed one
  within ``1e-6`` per assigned pair.

Command line: ``python tests/domain/matching/checker.py PROBLEM.json SOLUTION.json`` prints ``ok ...`` and
exits 0, or prints one line per problem found and exits 1 (2 when a file cannot be read).
"""

from __future__ import annotations

import json
import math
import sys
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

EARTH_RADIUS_KM = 6371.0088
PREFERRED_BONUS = 5.0
SCORE_TOLERANCE_PER_PAIR = 1e-6
RULE_NAMES = {1: "category", 2: "distance", 3: "language", 4: "vetting", 5: "not excluded", 6: "time window"}


class CheckerError(ValueError):
    """The problem or solution is not in the spec's form (the checker does not guess)."""


@dataclass(frozen=True)
class Req:
    id: str
    lat: float
    lon: float
    category: str
    duration_minutes: float
    windows: tuple[tuple[datetime, datetime], ...]
    languages: frozenset[str]
    priority: int
    requires_vetted: bool
    preferred: frozenset[str]
    excluded: frozenset[str]


@dataclass(frozen=True)
class Hlp:
    id: str
    lat: float
    lon: float
    categories: frozenset[str]
    windows: tuple[tuple[datetime, datetime], ...]
    languages: frozenset[str]
    max_distance_km: float
    capacity: int
    vetted: bool


@dataclass(frozen=True)
class Instance:
    requests: tuple[Req, ...]
    helpers: tuple[Hlp, ...]

    def request(self, request_id: str) -> Req:
        for r in self.requests:
            if r.id == request_id:
                return r
        raise KeyError(request_id)

    def helper(self, helper_id: str) -> Hlp:
        for h in self.helpers:
            if h.id == helper_id:
                return h
        raise KeyError(helper_id)


@dataclass(frozen=True)
class Pair:
    request: str
    helper: str
    distance_km: float
    score: float
    preferred: bool


@dataclass
class CheckResult:
    errors: list[str] = field(default_factory=list)
    score: float = 0.0
    pairs: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


# ----------------------------------------------------------------------------------------------------------
# the spec's formulas


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """``d = 2R asin(sqrt(sin^2(dphi/2) + cos(phi1) cos(phi2) sin^2(dlambda/2)))`` with R = 6371.0088 km."""
    phi1 = math.radians(lat1)
    phi2 = math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, a)))


def longest_overlap_minutes(r: Req, h: Hlp) -> float | None:
    """The longest non-empty intersection of a request window and a helper window, in minutes.

    Windows are half-open ``[start, end)``: ``[a, b)`` and ``[b, c)`` share no instant, so they do not
    overlap at all (``None``), whatever the duration asked.
    """
    best: float | None = None
    for rs, re_ in r.windows:
        for hs, he in h.windows:
            start, end = max(rs, hs), min(re_, he)
            if end > start:
                minutes = (end - start).total_seconds() / 60.0
                best = minutes if best is None else max(best, minutes)
    return best


def rule_outcomes(r: Req, h: Hlp) -> dict[int, bool]:
    """Each of the six rules of the spec, by number, for helper ``h`` serving request ``r``."""
    overlap = longest_overlap_minutes(r, h)
    return {
        1: r.category in h.categories,
        2: haversine_km(r.lat, r.lon, h.lat, h.lon) <= h.max_distance_km,
        3: not r.languages or bool(r.languages & h.languages),
        4: (not r.requires_vetted) or h.vetted,
        5: h.id not in r.excluded,
        6: overlap is not None and overlap >= r.duration_minutes,
    }


def failing_rules(r: Req, h: Hlp) -> set[int]:
    return {rule for rule, ok in rule_outcomes(r, h).items() if not ok}


def is_eligible(r: Req, h: Hlp) -> bool:
    # cheap rules first (same result as ``not failing_rules``, only faster on big instances)
    if r.category not in h.categories or h.id in r.excluded:
        return False
    if r.requires_vetted and not h.vetted:
        return False
    if r.languages and not (r.languages & h.languages):
        return False
    if haversine_km(r.lat, r.lon, h.lat, h.lon) > h.max_distance_km:
        return False
    overlap = longest_overlap_minutes(r, h)
    return overlap is not None and overlap >= r.duration_minutes


def pair_score(r: Req, h: Hlp) -> float:
    """``100 * priority - distance + (5 if preferred)``."""
    bonus = PREFERRED_BONUS if h.id in r.preferred else 0.0
    return 100.0 * r.priority - haversine_km(r.lat, r.lon, h.lat, h.lon) + bonus


def eligible_pairs(instance: Instance) -> list[Pair]:
    """Every eligible pair, requests in file order, then helpers in file order."""
    out = []
    for r in instance.requests:
        for h in instance.helpers:
            if is_eligible(r, h):
                d = haversine_km(r.lat, r.lon, h.lat, h.lon)
                pref = h.id in r.preferred
                out.append(Pair(r.id, h.id, d, 100.0 * r.priority - d + (PREFERRED_BONUS if pref else 0.0), pref))
    return out


# ----------------------------------------------------------------------------------------------------------
# reading


def _need(record: dict[str, Any], key: str, where: str) -> Any:
    if not isinstance(record, dict) or key not in record:
        raise CheckerError(f'{where}: missing "{key}"')
    return record[key]


def _time(text: Any, where: str) -> datetime:
    if not isinstance(text, str):
        raise CheckerError(f"{where}: time is not a string")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as error:
        raise CheckerError(f"{where}: bad time {text!r}") from error
    if moment.tzinfo is not None:
        raise CheckerError(f"{where}: time zone not allowed: {text!r}")
    return moment


def _windows(raw: Any, where: str) -> tuple[tuple[datetime, datetime], ...]:
    if not isinstance(raw, list):
        raise CheckerError(f"{where}: windows is not a list")
    out = []
    for pair in raw:
        if not isinstance(pair, list) or len(pair) != 2:
            raise CheckerError(f"{where}: window is not a [start, end] pair")
        start, end = _time(pair[0], where), _time(pair[1], where)
        if end < start:
            raise CheckerError(f"{where}: window ends before it starts")
        out.append((start, end))
    return tuple(out)


def _strs(raw: Any, where: str) -> frozenset[str]:
    if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
        raise CheckerError(f"{where}: not a list of strings")
    return frozenset(raw)


def _num(raw: Any, where: str) -> float:
    if isinstance(raw, bool) or not isinstance(raw, int | float) or not math.isfinite(raw):
        raise CheckerError(f"{where}: not a finite number")
    return float(raw)


def parse(problem: dict[str, Any]) -> Instance:
    """The spec's problem dict → an :class:`Instance` (basic shape checks only)."""
    requests, helpers = [], []
    seen: set[str] = set()
    for i, raw in enumerate(_need(problem, "requests", "problem")):
        where = f"requests[{i}]"
        rid = _need(raw, "id", where)
        if not isinstance(rid, str) or rid in seen:
            raise CheckerError(f"{where}: bad or duplicate id")
        seen.add(rid)
        priority = _need(raw, "priority", where)
        if type(priority) is not int or not 1 <= priority <= 5:
            raise CheckerError(f"{where}: priority must be an integer 1..5")
        requests.append(
            Req(
                id=rid,
                lat=_num(_need(raw, "lat", where), where),
                lon=_num(_need(raw, "lon", where), where),
                category=_need(raw, "category", where),
                duration_minutes=_num(_need(raw, "duration_minutes", where), where),
                windows=_windows(_need(raw, "windows", where), where),
                languages=_strs(_need(raw, "languages", where), where),
                priority=priority,
                requires_vetted=bool(_need(raw, "requires_vetted", where)),
                preferred=_strs(raw.get("preferred_helpers", []), where),
                excluded=_strs(raw.get("excluded_helpers", []), where),
            )
        )
    seen = set()
    for i, raw in enumerate(_need(problem, "helpers", "problem")):
        where = f"helpers[{i}]"
        hid = _need(raw, "id", where)
        if not isinstance(hid, str) or hid in seen:
            raise CheckerError(f"{where}: bad or duplicate id")
        seen.add(hid)
        capacity = _need(raw, "capacity", where)
        if type(capacity) is not int or capacity < 0:
            raise CheckerError(f"{where}: capacity must be an integer >= 0")
        helpers.append(
            Hlp(
                id=hid,
                lat=_num(_need(raw, "lat", where), where),
                lon=_num(_need(raw, "lon", where), where),
                categories=_strs(_need(raw, "categories", where), where),
                windows=_windows(_need(raw, "windows", where), where),
                languages=_strs(_need(raw, "languages", where), where),
                max_distance_km=_num(_need(raw, "max_distance_km", where), where),
                capacity=capacity,
                vetted=bool(_need(raw, "vetted", where)),
            )
        )
    return Instance(tuple(requests), tuple(helpers))


# ----------------------------------------------------------------------------------------------------------
# checking a solution


def check_solution(problem: dict[str, Any] | Instance, solution: Any) -> CheckResult:
    """Feasibility and score of a solution dict ``{"assignments": [...], "score": x, "optimal": b}``."""
    instance = problem if isinstance(problem, Instance) else parse(problem)
    result = CheckResult()
    if not isinstance(solution, dict):
        result.errors.append("solution is not a JSON object")
        return result
    assignments = solution.get("assignments")
    if not isinstance(assignments, list):
        result.errors.append('solution has no "assignments" list')
        return result
    claimed = solution.get("score")
    if isinstance(claimed, bool) or not isinstance(claimed, int | float) or not math.isfinite(claimed):
        result.errors.append('solution has no finite number "score"')
    if "optimal" in solution and not isinstance(solution["optimal"], bool):
        result.errors.append('"optimal" is not true or false')
    requests = {r.id: r for r in instance.requests}
    helpers = {h.id: h for h in instance.helpers}
    served: dict[str, int] = {}
    load: dict[str, int] = {}
    values: list[float] = []
    for k, item in enumerate(assignments):
        if (
            not isinstance(item, dict)
            or not isinstance(item.get("request"), str)
            or not isinstance(item.get("helper"), str)
        ):
            result.errors.append(f"assignments[{k}]: not an object with string request and helper")
            continue
        rid, hid = item["request"], item["helper"]
        if rid not in requests:
            result.errors.append(f"assignments[{k}]: unknown request {rid!r}")
            continue
        if hid not in helpers:
            result.errors.append(f"assignments[{k}]: unknown helper {hid!r}")
            continue
        r, h = requests[rid], helpers[hid]
        failed = failing_rules(r, h)
        if failed:
            names = ", ".join(f"{n} ({RULE_NAMES[n]})" for n in sorted(failed))
            result.errors.append(f"assignments[{k}]: {hid} may not serve {rid}: rule {names} fails")
        if rid in served:
            result.errors.append(f"assignments[{k}]: request {rid} is already served (assignments[{served[rid]}])")
        served.setdefault(rid, k)
        load[hid] = load.get(hid, 0) + 1
        if load[hid] == h.capacity + 1:
            result.errors.append(f"assignments[{k}]: helper {hid} is over its capacity {h.capacity}")
        values.append(pair_score(r, h))
    result.pairs = len(values)
    result.score = math.fsum(values)
    if isinstance(claimed, int | float) and not isinstance(claimed, bool) and math.isfinite(claimed):
        tolerance = SCORE_TOLERANCE_PER_PAIR * max(1, result.pairs)
        if not abs(claimed - result.score) <= tolerance:
            result.errors.append(f"claimed score {claimed!r} but the assignments score {result.score!r}")
    return result


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python checker.py PROBLEM.json SOLUTION.json", file=sys.stderr)
        return 2
    try:
        with open(argv[0], encoding="utf-8") as f:
            instance = parse(json.load(f))
        with open(argv[1], encoding="utf-8") as f:
            solution = json.load(f)
    except (OSError, ValueError) as error:
        print(f"cannot read: {error}", file=sys.stderr)
        return 2
    result = check_solution(instance, solution)
    if result.ok:
        print(f"ok: feasible, {result.pairs} pairs, score {result.score!r}")
        return 0
    for line in result.errors:
        print(line)
    return 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
