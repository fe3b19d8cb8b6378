"""The plain data of the matching engine: a problem in, a solution (or suggestions) out.

Everything here is an immutable dataclass with no behaviour beyond small conveniences, so
that the Django app can build a :class:`Problem` from its database rows and the command
line can build one from a file, and both hand it to the same :func:`domain.matching.solve`.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

EARTH_RADIUS_KM = 6371.0088
"""The Earth radius of the spec's haversine distance."""

PREFERRED_BONUS = 5.0
"""Score bonus when the helper is one of the request's ``preferred_helpers``."""

PRIORITY_WEIGHT = 100.0
"""Score per priority point of the request."""


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while building or solving a large problem.

    Parsing creates millions of small objects and none of them form cycles; with the collector running,
    each new generation of them is scanned again and again (at region scale, reading the file takes
    7 s instead of 2 s).  Reference counting still frees everything as usual.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


Window = tuple[datetime, datetime]
"""A half-open local time window ``[start, end)``; naive datetimes (no time zone)."""

RULES: dict[int, str] = {
    1: "category",
    2: "distance",
    3: "language",
    4: "vetting",
    5: "not excluded",
    6: "time window",
}
"""The six eligibility rules of the spec, by number."""


@dataclass(frozen=True, slots=True)
class Request:
    """A request for help, as in the spec's ``requests`` list."""

    id: str
    lat: float
    lon: float
    category: str
    duration_minutes: float
    windows: tuple[Window, ...]
    languages: tuple[str, ...] = ()
    priority: int = 3
    requires_vetted: bool = False
    preferred_helpers: tuple[str, ...] = ()
    excluded_helpers: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Helper:
    """A volunteer helper, as in the spec's ``helpers`` list."""

    id: str
    lat: float
    lon: float
    categories: tuple[str, ...]
    windows: tuple[Window, ...]
    languages: tuple[str, ...]
    max_distance_km: float
    capacity: int = 1
    vetted: bool = False


@dataclass(frozen=True, eq=False)
class Problem:
    """Requests and helpers.  Build one with :func:`domain.matching.make_problem` (checked) or
    :func:`domain.matching.parse_problem` (from the JSON form); both reject bad data."""

    requests: tuple[Request, ...]
    helpers: tuple[Helper, ...]
    version: int = 1
    # Lazily built numeric arrays and the helper index (see ``compiled.py``); never compared or printed.
    _cache: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def request_index(self, request_id: str) -> int:
        """Position of a request by id; ``KeyError`` if there is none."""
        index: dict[str, int] | None = self._cache.get("request_index")
        if index is None:
            index = {request.id: i for i, request in enumerate(self.requests)}
            self._cache["request_index"] = index
        return index[request_id]

    def helper_index(self, helper_id: str) -> int:
        """Position of a helper by id; ``KeyError`` if there is none."""
        index: dict[str, int] | None = self._cache.get("helper_index")
        if index is None:
            index = {helper.id: i for i, helper in enumerate(self.helpers)}
            self._cache["helper_index"] = index
        return index[helper_id]


@dataclass(frozen=True, slots=True)
class Assignment:
    """One matched pair, with the score and distance it contributes."""

    request: str
    helper: str
    score: float
    distance_km: float


@dataclass(frozen=True, slots=True)
class SolveStats:
    """How the solver got there: sizes, iterations and where the time went (seconds)."""

    candidate_pairs: int = 0
    expansions: int = 0
    augmentations: int = 0
    method: str = ""
    rounds: int = 0
    priced_pairs: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Solution:
    """The solver's answer.  ``optimal`` is True only when a dual certificate proves it."""

    assignments: tuple[Assignment, ...]
    score: float
    optimal: bool
    unassigned: tuple[str, ...] = ()
    stats: SolveStats = field(default_factory=SolveStats)
    warm: Any = field(default=None, repr=False, compare=False)
    """What the next solve of a slightly changed problem starts from (``domain.matching.warm.WarmStart``)."""

    def to_dict(self) -> dict[str, Any]:
        """The spec's solution JSON: assignments, score, optimal."""
        return {
            "assignments": [{"request": a.request, "helper": a.helper} for a in self.assignments],
            "score": self.score,
            "optimal": self.optimal,
        }


@dataclass(frozen=True, slots=True)
class Suggestion:
    """An eligible helper for one request, as a coordinator sees it."""

    helper: str
    score: float
    distance_km: float
    preferred: bool
    overlap_start: datetime
    overlap_end: datetime
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RuleCheck:
    """The outcome of one of the six eligibility rules for one pair."""

    rule: int
    name: str
    ok: bool
    detail: str


@dataclass(frozen=True, slots=True)
class Explanation:
    """Why a helper may or may not serve a request: each rule with its outcome."""

    request: str
    helper: str
    eligible: bool
    rules: tuple[RuleCheck, ...]
    distance_km: float
    score: float | None

    @property
    def failed(self) -> tuple[RuleCheck, ...]:
        return tuple(check for check in self.rules if not check.ok)
