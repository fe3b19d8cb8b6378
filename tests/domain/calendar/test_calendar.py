"""domain.calendar: occurrences in the city's local time, across the changes to and from summer time."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from domain.calendar import CITY_ZONE, Schedule, check, iso_dates, next_occurrence, occurrences

TUESDAYS = Schedule(date(2027, 3, 16), time(14, 0), 120, weekly_until=date(2027, 4, 6))


def test_a_weekly_tuesday_at_two_stays_at_two_when_summer_time_starts() -> None:
    found = occurrences(TUESDAYS, datetime(2027, 3, 1, tzinfo=UTC), datetime(2027, 5, 1, tzinfo=UTC))
    assert [start.strftime("%Y-%m-%d %H:%M") for start, _end in found] == [
        "2027-03-16 14:00", "2027-03-23 14:00", "2027-03-30 14:00", "2027-04-06 14:00",
    ]  # fmt: skip
    # summer time began on Sunday 28 March 2027: the same wall time is an hour earlier in UTC
    assert [start.astimezone(UTC).hour for start, _end in found] == [13, 13, 12, 12]
    assert all(end.hour == 16 for _start, end in found)


def test_and_when_it_ends_in_october() -> None:
    autumn = Schedule(date(2027, 10, 26), time(19, 30), 90, weekly_until=date(2027, 11, 2))
    found = occurrences(autumn, datetime(2027, 10, 1, tzinfo=UTC), datetime(2027, 12, 1, tzinfo=UTC))
    assert [s.astimezone(UTC).strftime("%H:%M") for s, _e in found] == ["17:30", "18:30"]
    assert [s.astimezone(CITY_ZONE).strftime("%H:%M") for s, _e in found] == ["19:30", "19:30"]


def test_skipped_dates_and_the_window() -> None:
    skipping = Schedule(TUESDAYS.starts_on, TUESDAYS.start_time, 120, TUESDAYS.weekly_until,
                        skipped=frozenset({date(2027, 3, 23)}))  # fmt: skip
    assert date(2027, 3, 23) not in list(skipping.dates())
    window = occurrences(skipping, datetime(2027, 3, 30, 12, 30, tzinfo=UTC), datetime(2027, 4, 1, tzinfo=UTC))
    assert [s.date() for s, _e in window] == [date(2027, 3, 30)]  # going on at 12:30 UTC (14:30 local)
    assert next_occurrence(skipping, datetime(2027, 3, 17, tzinfo=UTC))[0].date() == date(2027, 3, 30)  # type: ignore[index]
    assert next_occurrence(skipping, datetime(2027, 5, 1, tzinfo=UTC)) is None


def test_a_wall_time_in_the_spring_gap_is_read_as_a_clock_shows_it() -> None:
    once = Schedule(date(2027, 3, 28), time(2, 30), 60)
    start, _end = occurrences(once, datetime(2027, 3, 27, tzinfo=UTC), datetime(2027, 3, 29, tzinfo=UTC))[0]
    assert start.astimezone(UTC) == datetime(2027, 3, 28, 1, 30, tzinfo=UTC)  # 03:30 summer time


def test_check_names_each_problem() -> None:
    assert check(TUESDAYS) == []
    assert check(Schedule(date(2027, 1, 1), time(10), 10)) == ["duration"]
    assert check(Schedule(date(2027, 1, 1), time(10), 60, weekly_until=date(2026, 12, 1))) == ["until_before_start"]
    assert check(Schedule(date(2027, 1, 1), time(10), 60, weekly_until=date(2030, 1, 1))) == ["too_long"]


def test_iso_dates_ignores_what_is_not_a_date() -> None:
    assert iso_dates(["2027-03-23", "nope", "", "2027-02-30"]) == frozenset({date(2027, 3, 23)})
