"""When a service is open, from its schedules as plain tuples (no Django).

A schedule is ``(kind, byday, opens_at, closes_at, valid_from, valid_to)``, the fields of
``apps.directory.models.Schedule`` that the project reads:

* ``"hours"``: open from ``opens_at`` to ``closes_at`` on the days ``byday`` ("MO,TU,WE"; empty means every
  day), between ``valid_from`` and ``valid_to`` when they are given (summer hours);
* ``"closed"``: closed on the days from ``valid_from`` to ``valid_to`` (a holiday, works); with ``byday``
  only those weekdays of the period;
* ``"appointment"``: by appointment (no hours).

A closure always wins over hours: "open at this moment" is false on a closed day whatever the hours say.
A service with only "by appointment" is neither open nor closed: it is reported as "by appointment".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import Enum

DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
HOURS, CLOSED, APPOINTMENT = "hours", "closed", "appointment"
LOOK_AHEAD_DAYS = 62
"""How far ahead ``next_opening`` looks: beyond two months a service is as good as closed."""

ScheduleTuple = tuple[str, str, time | None, time | None, date | None, date | None]


@dataclass(frozen=True)
class Rule:
    """One schedule, read."""

    kind: str
    days: frozenset[int]
    """Weekdays (Monday 0); empty means every day."""
    opens: time | None = None
    closes: time | None = None
    valid_from: date | None = None
    valid_to: date | None = None

    def covers(self, day: date) -> bool:
        """Whether this rule applies on ``day`` (its period and its weekdays)."""
        if self.valid_from is not None and day < self.valid_from:
            return False
        if self.valid_to is not None and day > self.valid_to:
            return False
        return not self.days or day.weekday() in self.days


def parse_days(byday: str) -> frozenset[int]:
    """ "MO,TU" → {0, 1}; unknown codes are ignored ("1MO" of an RRULE counts as MO)."""
    days = set()
    for code in byday.upper().replace(" ", "").split(","):
        if code[-2:] in DAY_CODES:
            days.add(DAY_CODES.index(code[-2:]))
    return frozenset(days)


def read(schedules: Iterable[ScheduleTuple]) -> list[Rule]:
    """The rules of plain schedule tuples; hours without both times are left out (they say nothing)."""
    rules = []
    for kind, byday, opens_at, closes_at, valid_from, valid_to in schedules:
        if kind == HOURS and (opens_at is None or closes_at is None):
            continue
        if kind not in {HOURS, CLOSED, APPOINTMENT}:
            continue
        rules.append(Rule(kind, parse_days(byday or ""), opens_at, closes_at, valid_from, valid_to))
    return rules


def closed_on(rules: Sequence[Rule], day: date) -> bool:
    """A closure covers this day."""
    return any(rule.kind == CLOSED and rule.covers(day) for rule in rules)


def _end(rule: Rule) -> time:
    """Closing at midnight (00:00), or "before" opening, is read as the end of the day."""
    assert rule.opens is not None and rule.closes is not None
    return time.max if rule.closes <= rule.opens else rule.closes


def hours_on(rules: Sequence[Rule], day: date) -> list[tuple[time, time]]:
    """The opening periods of a day, in order and merged; none on a closed day."""
    if closed_on(rules, day):
        return []
    periods = sorted(
        (rule.opens, _end(rule)) for rule in rules if rule.kind == HOURS and rule.opens and rule.covers(day)
    )
    merged: list[tuple[time, time]] = []
    for opens, closes in periods:
        if merged and opens <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(closes, merged[-1][1]))
        else:
            merged.append((opens, closes))
    return merged


def open_at(rules: Sequence[Rule], moment: datetime) -> bool:
    """Open at this (local) moment."""
    return open_until(rules, moment) is not None


def open_until(rules: Sequence[Rule], moment: datetime) -> time | None:
    """When the period that holds ``moment`` ends, or None when closed at that moment."""
    now = moment.time()
    for opens, closes in hours_on(rules, moment.date()):
        if opens <= now < closes or (closes == time.max and opens <= now):
            return closes
    return None


def open_on(rules: Sequence[Rule], day: date) -> bool:
    """Open at some time of this day."""
    return bool(hours_on(rules, day))


def by_appointment(rules: Sequence[Rule]) -> bool:
    return any(rule.kind == APPOINTMENT for rule in rules)


def has_hours(rules: Sequence[Rule]) -> bool:
    return any(rule.kind == HOURS for rule in rules)


def next_opening(rules: Sequence[Rule], moment: datetime, days: int = LOOK_AHEAD_DAYS) -> datetime | None:
    """The next moment after ``moment`` at which it opens (today later, or a later day), or None."""
    for offset in range(days + 1):
        day = moment.date() + timedelta(days=offset)
        for opens, _closes in hours_on(rules, day):
            start = datetime.combine(day, opens, tzinfo=moment.tzinfo)
            if start > moment:
                return start
    return None


class State(Enum):
    OPEN = "open"
    CLOSED = "closed"
    APPOINTMENT = "appointment"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Status:
    """Open now or not, in a form a page can say in words."""

    state: State
    until: time | None = None
    """Open now: when it closes."""
    next: datetime | None = None
    """Closed now: when it opens next (None when not within two months)."""
    closure: bool = False
    """Closed now because of a closure (a holiday), not merely outside its hours."""
    appointment: bool = False
    """Also (or only) by appointment."""


def status(rules: Sequence[Rule], moment: datetime) -> Status:
    """Open now until when, closed until when, by appointment only, or unknown (no schedules at all)."""
    appointment = by_appointment(rules)
    if not has_hours(rules):
        state = State.APPOINTMENT if appointment else State.UNKNOWN
        return Status(state, closure=closed_on(rules, moment.date()), appointment=appointment)
    until = open_until(rules, moment)
    if until is not None:
        return Status(State.OPEN, until=until, appointment=appointment)
    return Status(
        State.CLOSED,
        next=next_opening(rules, moment),
        closure=closed_on(rules, moment.date()),
        appointment=appointment,
    )


def week(rules: Sequence[Rule], day: date) -> list[tuple[int, list[tuple[time, time]]]]:
    """The regular hours per weekday (Monday first) of the week that holds ``day``, closures not applied.

    For a page that shows a service's usual hours; closures are listed apart.
    """
    regular = [rule for rule in rules if rule.kind == HOURS]
    monday = day - timedelta(days=day.weekday())
    return [(offset, hours_on(regular, monday + timedelta(days=offset))) for offset in range(7)]


def closures_ahead(rules: Sequence[Rule], day: date) -> list[Rule]:
    """Closures that are not over on ``day`` (current and coming), soonest first."""
    ahead = [rule for rule in rules if rule.kind == CLOSED and (rule.valid_to is None or rule.valid_to >= day)]
    return sorted(ahead, key=lambda rule: rule.valid_from or date.min)


def combine(*levels: Sequence[Rule]) -> list[Rule]:
    """The rules of a service at a location from its levels, most specific first (service at the location,
    service, location): the hours and appointments of the first level that has any, and every closure
    of every level (a building closed on a holiday closes every service in it)."""
    closures = [rule for level in levels for rule in level if rule.kind == CLOSED]
    for level in levels:
        regular = [rule for rule in level if rule.kind != CLOSED]
        if regular:
            return regular + closures
    return closures
