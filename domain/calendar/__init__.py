"""Dates and times of events kept in a city's local time (issue 18, item 3), without Django.

An event is a local date and start time, a duration and optionally a weekly repetition until a date, with dates
left out.  Its occurrences are computed in local time first and only then given the zone, so a weekly Tuesday
14:00 stays 14:00 across the changes to and from summer time (the UTC instant moves by an hour instead).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

CITY_ZONE = ZoneInfo("Europe/Brussels")
MAX_WEEKS = 104
"""A weekly series ends within two years (a longer one is a typing mistake; it can be continued later)."""


@dataclass(frozen=True)
class Schedule:
    """When an event happens, in local time."""

    starts_on: date
    start_time: time
    duration_minutes: int
    weekly_until: date | None = None
    skipped: frozenset[date] = field(default_factory=frozenset)

    def dates(self) -> Iterator[date]:
        """Every date it happens, in order (the dates left out are not among them)."""
        last = self.weekly_until or self.starts_on
        day = self.starts_on
        while day <= last:
            if day not in self.skipped:
                yield day
            day += timedelta(days=7)


def local_start(day: date, at: time, zone: ZoneInfo = CITY_ZONE) -> datetime:
    """The aware start of an occurrence: the local wall time on that day.  A wall time that does not exist on the
    day summer time begins (02:30 on the last Sunday of March) is read as the same time one hour later, as a
    clock on the wall shows it (``fold`` is ignored for the gap: ZoneInfo moves it forward)."""
    return datetime.combine(day, at, tzinfo=zone)


def occurrences(schedule: Schedule, since: datetime, until: datetime) -> list[tuple[datetime, datetime]]:
    """The (start, end) of each occurrence that overlaps [since, until), aware, in the city's zone."""
    found = []
    for day in schedule.dates():
        start = local_start(day, schedule.start_time)
        end = start + timedelta(minutes=schedule.duration_minutes)
        if start >= until:
            break
        if end > since:
            found.append((start, end))
    return found


def next_occurrence(schedule: Schedule, after: datetime) -> tuple[datetime, datetime] | None:
    for day in schedule.dates():
        start = local_start(day, schedule.start_time)
        end = start + timedelta(minutes=schedule.duration_minutes)
        if end > after:
            return start, end
    return None


def check(schedule: Schedule) -> list[str]:
    """What is wrong with a schedule, as codes (empty: nothing): ``duration``, ``until_before_start``, ``too_long``."""
    problems = []
    if not 15 <= schedule.duration_minutes <= 24 * 60:
        problems.append("duration")
    if schedule.weekly_until is not None:
        if schedule.weekly_until < schedule.starts_on:
            problems.append("until_before_start")
        elif (schedule.weekly_until - schedule.starts_on).days > MAX_WEEKS * 7:
            problems.append("too_long")
    return problems


def iso_dates(values: Iterable[str]) -> frozenset[date]:
    """Dates written as ISO text (as stored), ignoring what is not one."""
    found = set()
    for value in values:
        try:
            found.add(date.fromisoformat(value))
        except (TypeError, ValueError):
            continue
    return frozenset(found)
