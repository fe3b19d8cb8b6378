"""Opening hours from plain schedule tuples: hours, closures that win, by appointment, the next opening."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime, time

from domain.directory import opening
from domain.directory.opening import State, combine, read, status

WEEKDAYS = ("hours", "MO,TU,WE,TH,FR", time(9), time(12), None, None)
AFTERNOONS = ("hours", "MO,WE", time(13), time(17), None, None)
CHRISTMAS = ("closed", "", None, None, date(2026, 12, 24), date(2026, 12, 26))
MONDAY = date(2026, 12, 7)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute))


def test_open_inside_hours_and_closed_outside() -> None:
    rules = read([WEEKDAYS, AFTERNOONS])
    assert opening.open_at(rules, at(MONDAY, 10))
    assert not opening.open_at(rules, at(MONDAY, 12))  # closing time itself is closed
    assert opening.open_at(rules, at(MONDAY, 14))
    assert not opening.open_at(rules, at(date(2026, 12, 8), 14))  # Tuesday: mornings only
    assert not opening.open_at(rules, at(date(2026, 12, 12), 10))  # Saturday
    assert opening.hours_on(rules, MONDAY) == [(time(9), time(12)), (time(13), time(17))]


def test_a_closure_wins_over_hours() -> None:
    rules = read([WEEKDAYS, CHRISTMAS])
    thursday_christmas_eve = date(2026, 12, 24)
    assert not opening.open_at(rules, at(thursday_christmas_eve, 10))
    assert not opening.open_on(rules, thursday_christmas_eve)
    assert opening.open_on(rules, date(2026, 12, 28))
    found = status(rules, at(thursday_christmas_eve, 10))
    assert found.state is State.CLOSED and found.closure
    assert found.next == at(date(2026, 12, 28), 9)


def test_a_closure_on_some_weekdays_of_a_period() -> None:
    rules = read([WEEKDAYS, ("closed", "FR", None, None, date(2026, 7, 1), date(2026, 8, 31))])
    assert not opening.open_on(rules, date(2026, 7, 3))  # a Friday in July
    assert opening.open_on(rules, date(2026, 7, 2))


def test_summer_hours_only_in_their_period() -> None:
    rules = read([("hours", "SA", time(10), time(14), date(2026, 6, 1), date(2026, 8, 31))])
    assert opening.open_on(rules, date(2026, 6, 6))
    assert not opening.open_on(rules, date(2026, 12, 12))


def test_by_appointment_is_neither_open_nor_closed() -> None:
    rules = read([("appointment", "", None, None, None, None)])
    found = status(rules, at(MONDAY, 10))
    assert found.state is State.APPOINTMENT and found.appointment
    assert not opening.open_at(rules, at(MONDAY, 10))
    assert status(read([]), at(MONDAY, 10)).state is State.UNKNOWN


def test_open_now_says_until_when_and_closed_says_when_next() -> None:
    rules = read([WEEKDAYS])
    assert status(rules, at(MONDAY, 10)) == opening.Status(State.OPEN, until=time(12))
    assert status(rules, at(MONDAY, 18)).next == at(date(2026, 12, 8), 9)
    assert status(rules, at(date(2026, 12, 12), 8)).next == at(date(2026, 12, 14), 9)  # Saturday → Monday


def test_closing_at_midnight_is_the_end_of_the_day() -> None:
    rules = read([("hours", "", time(18), time(0), None, None)])
    assert opening.open_at(rules, at(MONDAY, 23, 30))
    assert not opening.open_at(rules, at(MONDAY, 1))


def test_hours_without_times_and_unknown_kinds_are_ignored() -> None:
    assert read([("hours", "MO", None, None, None, None), ("holiday", "", None, None, None, None)]) == []
    assert opening.parse_days("1MO, tu,XX") == frozenset({0, 1})


def test_the_most_specific_level_gives_the_hours_and_every_level_its_closures() -> None:
    here = read([("hours", "MO", time(9), time(11), None, None)])
    service = read([WEEKDAYS])
    building = read([("hours", "", time(8), time(20), None, None), CHRISTMAS])
    rules = combine(here, service, building)
    assert opening.hours_on(rules, MONDAY) == [(time(9), time(11))]
    assert not opening.open_on(rules, date(2026, 12, 24))
    assert opening.hours_on(combine([], service, building), date(2026, 12, 8)) == [(time(9), time(12))]


def test_week_and_closures_ahead() -> None:
    rules = read([WEEKDAYS, CHRISTMAS, ("closed", "", None, None, date(2026, 1, 1), date(2026, 1, 1))])
    week = dict(opening.week(rules, date(2026, 12, 24)))
    assert week[3] == [(time(9), time(12))] and week[6] == []  # the usual Thursday, closures not applied
    assert [rule.valid_from for rule in opening.closures_ahead(rules, MONDAY)] == [date(2026, 12, 24)]


def test_the_command_line_says_open_or_closed() -> None:
    run = [sys.executable, "-m", "domain.directory", "open"]
    out = subprocess.run([*run, "2026-12-24T10:00", "hours MO,TH 09:00 17:00", "closed - - - 2026-12-24 2026-12-26"],
                         capture_output=True, text=True)  # fmt: skip
    assert out.stdout.strip() == "closed (closure); opens 2026-12-28 09:00"
