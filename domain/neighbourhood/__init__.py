"""Overlaps and gaps of a district's neighbourhood life (issue 18, item 4), without Django.

The coordination view of a district asks two questions of what is published there:

- **overlaps**: two events for the same audience (audiences intersect; "everyone" meets every group) whose times
  overlap, within walking distance of each other; two initiatives with the same theme in the same street (the
  street's name normalised: case, accents, spaces and a house number do not matter) or at the same place;
- **gaps**: an audience with nothing (no initiative and no event in the period), a theme with no initiative, nothing
  for older residents in the evening (no event for them or for everyone starting at ``evening_from`` or later),
  no intergenerational or no intercultural initiative.

Each ``Finding`` has a stable ``key`` (its kind and the ids or codes it is about), so a coordinator's note stays
with it while the findings are computed anew on every visit; ``weight`` orders them (the worst first).  Times are
the city's local time (aware datetimes in its zone, as ``domain.calendar.occurrences`` gives them).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time
from itertools import combinations

EVERYONE = "everyone"
OLDER = "older_residents"
WALKING_METRES = 800
EVENING_FROM = time(17)
EARTH_RADIUS_M = 6_371_008.8

KIND_OVERLAP_EVENTS = "overlap_events"
KIND_OVERLAP_INITIATIVES = "overlap_initiatives"
KIND_GAP_AUDIENCE = "gap_audience"
KIND_GAP_THEME = "gap_theme"
KIND_GAP_EVENING = "gap_evening_older"
KIND_GAP_INTERGENERATIONAL = "gap_intergenerational"
KIND_GAP_INTERCULTURAL = "gap_intercultural"
OVERLAPS = frozenset({KIND_OVERLAP_EVENTS, KIND_OVERLAP_INITIATIVES})

WEIGHTS = {
    KIND_GAP_AUDIENCE: 90,
    KIND_GAP_EVENING: 80,
    KIND_GAP_INTERCULTURAL: 70,
    KIND_GAP_INTERGENERATIONAL: 70,
    KIND_OVERLAP_EVENTS: 50,  # plus the number of times they clash (at most 9)
    KIND_GAP_THEME: 40,
    KIND_OVERLAP_INITIATIVES: 30,
}
"""How bad each kind is: a group of residents left out is worse than two activities that compete."""


@dataclass(frozen=True)
class Point:
    lat: float
    lon: float


@dataclass(frozen=True)
class EventIn:
    """An event of the district with its occurrences in the period (local, aware) and where it is, if known."""

    id: int
    title: str
    audience: frozenset[str]
    occurrences: tuple[tuple[datetime, datetime], ...]
    point: Point | None = None


@dataclass(frozen=True)
class InitiativeIn:
    """A published initiative of the district."""

    id: int
    title: str
    audience: frozenset[str]
    themes: frozenset[str] = frozenset()
    street: str = ""
    place: int | None = None
    point: Point | None = None
    intergenerational: bool = False
    intercultural: bool = False


@dataclass(frozen=True)
class Finding:
    """One overlap or gap: ``about`` names what it is about (ids or codes, in the key's order), ``names`` the same
    in words (titles, labels), ``points`` where it is when it has a place."""

    key: str
    kind: str
    weight: int
    about: tuple[str, ...]
    names: tuple[str, ...]
    points: tuple[Point, ...] = ()
    count: int = 0  # overlapping events: how many times they clash in the period

    @property
    def is_overlap(self) -> bool:
        return self.kind in OVERLAPS

    @property
    def text(self) -> str:
        """The finding in English words (the platform's pages say it in the reader's language)."""
        n = self.names
        if self.kind == KIND_OVERLAP_EVENTS:
            return (f"“{n[0]}” and “{n[1]}” are for the same people at the same time, within walking distance "
                    f"({self.count} times).")  # fmt: skip
        if self.kind == KIND_OVERLAP_INITIATIVES:
            return f"“{n[0]}” and “{n[1]}” have the same theme ({n[2]}) in the same street or place."
        if self.kind == KIND_GAP_AUDIENCE:
            return f"Nothing for {n[0]}: no initiative and no event."
        if self.kind == KIND_GAP_THEME:
            return f"No initiative about {n[0]}."
        if self.kind == KIND_GAP_EVENING:
            return "Nothing for older residents in the evening."
        if self.kind == KIND_GAP_INTERGENERATIONAL:
            return "No initiative where young and old meet."
        return "No initiative where people of different backgrounds meet."


@dataclass(frozen=True)
class Findings:
    """The findings, worst first, and the events left out of the overlaps for want of a location."""

    findings: tuple[Finding, ...]
    without_location: tuple[int, ...] = ()
    keys: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        object.__setattr__(self, "keys", frozenset(f.key for f in self.findings))


def distance_m(a: Point, b: Point) -> float:
    """The distance over the earth's surface (haversine), in metres."""
    phi1, phi2 = math.radians(a.lat), math.radians(b.lat)
    d_phi, d_lambda = phi2 - phi1, math.radians(b.lon - a.lon)
    h = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


HOUSE_NUMBER = re.compile(r"\s+\d+\s*[a-z]?(\s*(bus|/)\s*\w+)?$")


def street_key(street: str) -> str:
    """A street's name as it is compared: "Kongostraat", "kongostraat " and "Kongostraat 12" are one street."""
    text = unicodedata.normalize("NFKD", street).encode("ascii", "ignore").decode("ascii").casefold()
    text = re.sub(r"[\s.,;]+", " ", text).strip()
    return HOUSE_NUMBER.sub("", text).strip()


def audiences_meet(a: frozenset[str], b: frozenset[str]) -> bool:
    """Two activities are for the same people when their groups intersect; "everyone" meets every group."""
    if not a or not b:
        return False
    return EVERYONE in a or EVERYONE in b or bool(a & b)


def clashes(a: Sequence[tuple[datetime, datetime]], b: Sequence[tuple[datetime, datetime]]) -> int:
    """How many occurrences of ``a`` overlap an occurrence of ``b`` in time (touching ends do not overlap)."""
    return sum(1 for start, end in a if any(start < other_end and other_start < end for other_start, other_end in b))


def _pair(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def event_overlaps(events: Iterable[EventIn], walking_metres: float) -> list[Finding]:
    """Pairs of placed events for the same people that happen at the same time within walking distance.

    A sweep over all occurrences in time order, keeping those still going on: each occurrence is compared only with
    the ones it overlaps, so a district with thousands of dates costs their number times how many run at once, not
    the square of the events.  ``count`` is how many occurrences of the first (lower id) clash with the second."""
    placed = {e.id: e for e in events if e.point is not None and e.occurrences}
    timeline = sorted(
        (start, end, event_id) for event_id, event in placed.items() for start, end in event.occurrences
    )
    active: list[tuple[datetime, int, datetime]] = []  # (end, event id, start) of what is still going on
    clashing: dict[tuple[int, int], set[datetime]] = {}
    near: dict[tuple[int, int], bool] = {}
    for start, end, event_id in timeline:
        active = [row for row in active if row[0] > start]
        for _other_end, other_id, other_start in active:
            if other_id == event_id:
                continue
            pair = _pair(event_id, other_id)
            ok = near.get(pair)
            if ok is None:
                first, second = placed[pair[0]], placed[pair[1]]
                assert first.point is not None and second.point is not None
                ok = audiences_meet(first.audience, second.audience) and (
                    distance_m(first.point, second.point) <= walking_metres
                )
                near[pair] = ok
            if ok:
                clashing.setdefault(pair, set()).add(start if pair[0] == event_id else other_start)
        active.append((end, event_id, start))
    found = []
    for (a, b), starts in sorted(clashing.items()):
        first, second = placed[a], placed[b]
        assert first.point is not None and second.point is not None
        count = len(starts)
        found.append(
            Finding(
                key=f"{KIND_OVERLAP_EVENTS}:{a}-{b}", kind=KIND_OVERLAP_EVENTS,
                weight=WEIGHTS[KIND_OVERLAP_EVENTS] + min(count, 9), about=(str(a), str(b)),
                names=(first.title, second.title), points=(first.point, second.point), count=count,
            )
        )  # fmt: skip
    return found


def initiative_overlaps(initiatives: Iterable[InitiativeIn], theme_names: dict[str, str]) -> list[Finding]:
    """Pairs of initiatives with a theme in common at the same place or in the same street: only initiatives that
    share a place or a street are compared (grouped first), so a district of hundreds costs little."""
    rows = sorted(initiatives, key=lambda i: i.id)
    groups: dict[tuple[str, object], list[InitiativeIn]] = {}
    for row in rows:
        if row.place is not None:
            groups.setdefault(("place", row.place), []).append(row)
        street = street_key(row.street)
        if street:
            groups.setdefault(("street", street), []).append(row)
    pairs: set[tuple[int, int]] = set()
    by_id = {row.id: row for row in rows}
    for members in groups.values():
        for first, second in combinations(members, 2):
            if first.themes & second.themes:
                pairs.add(_pair(first.id, second.id))
    found = []
    for a, b in sorted(pairs):
        first, second = by_id[a], by_id[b]
        shared = sorted(first.themes & second.themes)
        points = tuple(p for p in (first.point, second.point) if p is not None)
        found.append(
            Finding(
                key=f"{KIND_OVERLAP_INITIATIVES}:{a}-{b}", kind=KIND_OVERLAP_INITIATIVES,
                weight=WEIGHTS[KIND_OVERLAP_INITIATIVES], about=(str(a), str(b)),
                names=(first.title, second.title, ", ".join(theme_names.get(code, code) for code in shared)),
                points=points,
            )
        )  # fmt: skip
    return found


def gaps(
    initiatives: Sequence[InitiativeIn], events: Sequence[EventIn], *, audiences: Sequence[tuple[str, str]],
    themes: Sequence[tuple[str, str]], evening_from: time = EVENING_FROM,
) -> list[Finding]:  # fmt: skip
    """What the district lacks: ``audiences`` and ``themes`` are (code, name) of every group and theme offered."""
    found = []
    happening = [e for e in events if e.occurrences]
    for code, name in audiences:
        if code == EVERYONE:
            continue
        wanted = frozenset({code})
        if any(audiences_meet(wanted, i.audience) for i in initiatives):
            continue
        if any(audiences_meet(wanted, e.audience) for e in happening):
            continue
        found.append(Finding(key=f"{KIND_GAP_AUDIENCE}:{code}", kind=KIND_GAP_AUDIENCE,
                             weight=WEIGHTS[KIND_GAP_AUDIENCE], about=(code,), names=(name,)))  # fmt: skip
    covered = frozenset(code for i in initiatives for code in i.themes)
    for code, name in themes:
        if code not in covered:
            found.append(Finding(key=f"{KIND_GAP_THEME}:{code}", kind=KIND_GAP_THEME, weight=WEIGHTS[KIND_GAP_THEME],
                                 about=(code,), names=(name,)))  # fmt: skip
    older = frozenset({OLDER})
    evening = any(
        audiences_meet(older, e.audience) and start.time() >= evening_from
        for e in happening
        for start, _end in e.occurrences
    )
    if not evening:
        found.append(Finding(key=KIND_GAP_EVENING, kind=KIND_GAP_EVENING, weight=WEIGHTS[KIND_GAP_EVENING],
                             about=(), names=()))  # fmt: skip
    if not any(i.intergenerational for i in initiatives):
        found.append(Finding(key=KIND_GAP_INTERGENERATIONAL, kind=KIND_GAP_INTERGENERATIONAL,
                             weight=WEIGHTS[KIND_GAP_INTERGENERATIONAL], about=(), names=()))  # fmt: skip
    if not any(i.intercultural for i in initiatives):
        found.append(Finding(key=KIND_GAP_INTERCULTURAL, kind=KIND_GAP_INTERCULTURAL,
                             weight=WEIGHTS[KIND_GAP_INTERCULTURAL], about=(), names=()))  # fmt: skip
    return found


def find(
    initiatives: Sequence[InitiativeIn], events: Sequence[EventIn], *, audiences: Sequence[tuple[str, str]],
    themes: Sequence[tuple[str, str]], walking_metres: float = WALKING_METRES, evening_from: time = EVENING_FROM,
) -> Findings:  # fmt: skip
    """Every overlap and gap, the worst first (then by key, so the order is the same on every visit)."""
    theme_names = dict(themes)
    found = [
        *event_overlaps(events, walking_metres),
        *initiative_overlaps(initiatives, theme_names),
        *gaps(initiatives, events, audiences=audiences, themes=themes, evening_from=evening_from),
    ]
    found.sort(key=lambda f: (-f.weight, f.key))
    without = tuple(sorted(e.id for e in events if e.point is None and e.occurrences))
    return Findings(findings=tuple(found), without_location=without)
