"""One request at a time: the ranked eligible helpers, and why a given helper does or does not fit.

This is what a coordinator on the phone needs.  It evaluates the six rules with the same vectorised
functions as the solver (:mod:`domain.matching.compiled`), over *all* helpers of the problem, so a
suggestion list is complete by construction (no spatial index involved) and still takes a few
milliseconds for 12,000 helpers once the problem is compiled.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np

from .compiled import F64, I64, Compiled, compile_problem, distances, eligible, is_preferred, rule_masks, scores
from .compiled import window_overlaps as _window_overlaps
from .model import RULES, Explanation, Helper, Problem, Request, RuleCheck, Suggestion
from .parse import ProblemError

_DAY_SECONDS = 86400


def moment_of(seconds: int) -> datetime:
    """The inverse of :func:`domain.matching.compiled.seconds_of`."""
    days, rest = divmod(int(seconds), _DAY_SECONDS)
    return datetime.fromordinal(days) + timedelta(seconds=rest)


def find_request(problem: Problem, request_id: str) -> int:
    """Position of a request, or a :class:`ProblemError` that names the id."""
    try:
        return problem.request_index(request_id)
    except KeyError:
        raise ProblemError(f"no request with id {request_id!r} in the problem", field="request") from None


def find_helper(problem: Problem, helper_id: str) -> int:
    """Position of a helper, or a :class:`ProblemError` that names the id."""
    try:
        return problem.helper_index(helper_id)
    except KeyError:
        raise ProblemError(f"no helper with id {helper_id!r} in the problem", field="helper") from None


def _helper_id_rank(problem: Problem, cp: Compiled) -> I64:
    """Rank of each helper's id in string order: the last tie-breaker, cached on the problem."""
    rank = problem._cache.get("helper_id_rank")
    if not isinstance(rank, np.ndarray):
        order = sorted(range(cp.n_h), key=lambda i: problem.helpers[i].id)
        rank = np.empty(cp.n_h, dtype=np.int64)
        rank[np.array(order, dtype=np.int64)] = np.arange(cp.n_h, dtype=np.int64)
        problem._cache["helper_id_rank"] = rank
    return rank


def _when(start: datetime, end: datetime) -> str:
    if start.date() == end.date() or end == datetime.combine(start.date() + timedelta(days=1), datetime.min.time()):
        return f"{start:%a %d %b %H:%M}–{end:%H:%M}"
    return f"{start:%a %d %b %H:%M} – {end:%a %d %b %H:%M}"


def _languages_text(request: Request, helper: Helper) -> str:
    if not request.languages:
        return "any language is fine"
    shared = [code for code in request.languages if code in helper.languages]
    return "speaks " + ", ".join(shared)


def _reasons(request: Request, helper: Helper, distance: float, preferred: bool, window: str) -> tuple[str, ...]:
    reasons = [
        f"helps with {request.category}",
        f"{distance:.1f} km away (travels up to {helper.max_distance_km:g} km)",
        _languages_text(request, helper),
        f"free {window}",
    ]
    if request.requires_vetted:
        reasons.append("vetted, as the request requires")
    if preferred:
        reasons.append("preferred by the person who asked (+5)")
    if helper.capacity == 0:
        reasons.append("but has no places left")
    return tuple(reasons)


def _eligible_pairs(cp: Compiled, ri: I64, hi: I64) -> tuple[I64, I64, F64, F64]:
    """Of the pairs ``(ri[k], hi[k])``, those the six rules allow, with their distance and score.

    One request against every helper (``suggest``) or one helper against every request
    (``fitting_requests``): the solver's own rule and score functions, so the three cannot disagree.
    """
    dist = distances(cp, ri, hi)
    ok = np.flatnonzero(eligible(cp, ri, hi, dist))
    ri, hi, dist = ri[ok], hi[ok], dist[ok]
    return ri, hi, dist, scores(cp, ri, hi, dist)


def suggest(problem: Problem, request_id: str, top: int | None = 10) -> list[Suggestion]:
    """The eligible helpers of one request, best first: score descending, then distance, then helper id.

    ``top=None`` returns all of them.  Helpers whose capacity is 0 are eligible by the spec's six rules
    and are listed (their reasons say they have no places left); the solver never assigns them.
    """
    if top is not None and top < 0:
        raise ProblemError(f"top must be 0 or more, got {top}", field="top")
    r = find_request(problem, request_id)
    cp = compile_problem(problem)
    ri, hi, dist, value = _eligible_pairs(cp, np.full(cp.n_h, r, dtype=np.int64), np.arange(cp.n_h, dtype=np.int64))
    order = np.lexsort((_helper_id_rank(problem, cp)[hi], dist, -value))
    if top is not None:
        order = order[:top]
    ri, hi, dist, value = ri[order], hi[order], dist[order], value[order]
    preferred = is_preferred(cp, ri, hi)
    _, starts, ends = _window_overlaps(cp, ri, hi)
    request = problem.requests[r]
    found: list[Suggestion] = []
    for k, h in enumerate(hi.tolist()):
        helper = problem.helpers[h]
        start, end = moment_of(int(starts[k])), moment_of(int(ends[k]))
        reasons = _reasons(request, helper, float(dist[k]), bool(preferred[k]), _when(start, end))
        found.append(Suggestion(helper.id, float(value[k]), float(dist[k]), bool(preferred[k]), start, end, reasons))
    return found


def _rule_detail(rule: int, ok: bool, request: Request, helper: Helper, distance: float) -> str:
    """Plain words for one rule's outcome, naming the values that decided it."""
    if rule == 1:
        helps = ", ".join(helper.categories) or "nothing"
        if ok:
            return f"helps with {request.category}"
        return f"does not help with {request.category} (helps with: {helps})"
    if rule == 2:
        verdict = "within" if ok else "beyond"
        return f"{distance:.2f} km away, {verdict} the {helper.max_distance_km:g} km the helper travels"
    if rule == 3:
        if ok:
            return _languages_text(request, helper)
        spoken = ", ".join(helper.languages) or "no language listed"
        return f"the request needs {', '.join(request.languages)}; the helper speaks {spoken}"
    if rule == 4:
        if not request.requires_vetted:
            return "no vetting needed"
        return "vetted, as the request requires" if ok else "the request needs a vetted helper; this helper is not"
    if rule == 5:
        return "not excluded" if ok else "excluded by the person who asked"
    minutes = f"{request.duration_minutes:g} minutes"
    return f"a common free time of at least {minutes}" if ok else f"no common free time of {minutes}"


def explain(problem: Problem, request_id: str, helper_id: str) -> Explanation:
    """Each of the six rules for one pair, with its outcome and the values behind it.

    Uses the same rule functions as the solver and :func:`suggest`, so ``eligible`` here is exactly
    whether the solver may use the pair.
    """
    r = find_request(problem, request_id)
    h = find_helper(problem, helper_id)
    cp = compile_problem(problem)
    ri = np.array([r], dtype=np.int64)
    hi = np.array([h], dtype=np.int64)
    dist = distances(cp, ri, hi)
    masks = rule_masks(cp, ri, hi, dist)
    request, helper = problem.requests[r], problem.helpers[h]
    distance = float(dist[0])
    checks = []
    for rule, name in RULES.items():
        ok = bool(masks[rule][0])
        detail = _rule_detail(rule, ok, request, helper, distance)
        if rule == 6 and ok:
            _, starts, ends = _window_overlaps(cp, ri, hi)
            detail += f": {_when(moment_of(int(starts[0])), moment_of(int(ends[0])))}"
        checks.append(RuleCheck(rule, name, ok, detail))
    is_eligible = all(check.ok for check in checks)
    score = float(scores(cp, ri, hi, dist)[0]) if is_eligible else None
    return Explanation(request.id, helper.id, is_eligible, tuple(checks), distance, score)


@dataclass(frozen=True, slots=True)
class Fit:
    """A request that one helper may serve: what a helper's "near me" list shows."""

    request: str
    score: float
    distance_km: float
    overlap_start: datetime
    overlap_end: datetime


def fitting_requests(problem: Problem, helper_id: str) -> list[Fit]:
    """The requests one helper may serve, best first (score, then distance, then request order).

    The helper's view of :func:`suggest`, with the same rule functions over all requests.
    """
    h = find_helper(problem, helper_id)
    cp = compile_problem(problem)
    ri, hi, dist, value = _eligible_pairs(cp, np.arange(cp.n_r, dtype=np.int64), np.full(cp.n_r, h, dtype=np.int64))
    order = np.lexsort((ri, dist, -value))
    ri, hi, dist, value = ri[order], hi[order], dist[order], value[order]
    _, starts, ends = _window_overlaps(cp, ri, hi)
    return [
        Fit(problem.requests[r].id, float(value[k]), float(dist[k]), moment_of(int(starts[k])), moment_of(int(ends[k])))
        for k, r in enumerate(ri.tolist())
    ]


def eligible_helper_counts(problem: Problem) -> dict[str, int]:
    """For every request, how many helpers with a free place may serve it (0: nobody fits)."""
    from .solver import helper_index

    cp = compile_problem(problem)
    index = helper_index(problem)
    requests = np.arange(cp.n_r, dtype=np.int64)
    ri, _, _ = index.search(requests, np.full(cp.n_r, np.inf))
    counts = np.bincount(ri, minlength=cp.n_r)
    return {request.id: int(counts[i]) for i, request in enumerate(problem.requests)}


__all__ = [
    "Fit",
    "eligible_helper_counts",
    "explain",
    "find_helper",
    "find_request",
    "fitting_requests",
    "moment_of",
    "suggest",
]
