"""Working days in Belgium (``domain/directory/workdays.py``), worked out by hand around Easter and year ends.

Calendar used (checked against a printed calendar): Easter 2026 is Sunday 5 April, so Easter Monday is
6 April, Ascension Thursday 14 May and Whit Monday 25 May; 1 May 2026 is a Friday, 21 July a Tuesday;
Christmas 2026 is a Friday and New Year 2027 a Friday.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from domain.directory.workdays import (
    add_working_days,
    easter,
    is_working_day,
    public_holidays,
    working_days_between,
)


@pytest.mark.parametrize(
    ("year", "sunday"),
    [
        (2024, date(2024, 3, 31)),
        (2025, date(2025, 4, 20)),
        (2026, date(2026, 4, 5)),
        (2027, date(2027, 3, 28)),
        (2038, date(2038, 4, 25)),  # the latest possible date
        (2285, date(2285, 3, 22)),  # the earliest possible date
        (1961, date(1961, 4, 2)),
        (2000, date(2000, 4, 23)),
    ],
)
def test_easter_sunday_by_the_anonymous_gregorian_algorithm(year: int, sunday: date) -> None:
    assert easter(year) == sunday
    assert easter(year).weekday() == 6


def test_the_ten_public_holidays_of_2026() -> None:
    assert sorted(public_holidays(2026)) == [
        date(2026, 1, 1), date(2026, 4, 6), date(2026, 5, 1), date(2026, 5, 14), date(2026, 5, 25),
        date(2026, 7, 21), date(2026, 8, 15), date(2026, 11, 1), date(2026, 11, 11), date(2026, 12, 25),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        (date(2026, 4, 2), 1, date(2026, 4, 3)),  # Thursday before Easter: Good Friday is a working day
        (date(2026, 4, 3), 1, date(2026, 4, 7)),  # Friday → (weekend, Easter Monday) → Tuesday
        (date(2026, 3, 30), 5, date(2026, 4, 7)),  # Tue 31, Wed 1, Thu 2, Fri 3, (Mon 6 Easter) Tue 7
        (date(2026, 5, 13), 1, date(2026, 5, 15)),  # Ascension Thursday skipped
        (date(2026, 5, 22), 1, date(2026, 5, 26)),  # weekend and Whit Monday skipped
        (date(2026, 4, 30), 1, date(2026, 5, 4)),  # 1 May on a Friday
        (date(2026, 7, 20), 1, date(2026, 7, 22)),  # 21 July on a Tuesday
        (date(2026, 12, 24), 1, date(2026, 12, 28)),  # Christmas on a Friday
        (date(2026, 12, 31), 1, date(2027, 1, 4)),  # New Year on a Friday, across the year end
        (date(2026, 12, 24), 5, date(2027, 1, 4)),  # Mon 28, Tue 29, Wed 30, Thu 31, (Fri 1 Jan) Mon 4
        (date(2027, 3, 26), 1, date(2027, 3, 30)),  # Easter 2027 is 28 March: Monday 29 skipped
        (date(2026, 12, 5), 1, date(2026, 12, 7)),  # from a Saturday, one working day is Monday
        (date(2026, 12, 7), 0, date(2026, 12, 7)),
        (date(2026, 4, 7), -1, date(2026, 4, 3)),  # counting back over Easter Monday
    ],
)
def test_adding_working_days(start: date, days: int, due: date) -> None:
    assert add_working_days(start, days) == due


@pytest.mark.parametrize(
    ("start", "end", "count"),
    [
        (date(2026, 12, 24), date(2027, 1, 4), 5),
        (date(2026, 4, 2), date(2026, 4, 7), 2),  # Good Friday and Tuesday
        (date(2026, 12, 7), date(2026, 12, 7), 0),
        (date(2026, 12, 7), date(2026, 12, 14), 5),
        (date(2026, 12, 14), date(2026, 12, 7), -5),
        (date(2026, 1, 1), date(2026, 12, 31), 260 - 7),  # 52 whole weeks; 7 holidays after 1 Jan on weekdays
    ],
)
def test_counting_working_days_between_two_dates(start: date, end: date, count: int) -> None:
    assert working_days_between(start, end) == count


def test_counting_is_the_inverse_of_adding_for_every_day_of_three_years() -> None:
    day = date(2025, 12, 1)
    while day < date(2028, 2, 1):
        for days in (0, 1, 5, 12):
            due = add_working_days(day, days)
            assert working_days_between(day, due) == days
            assert is_working_day(due) or days == 0
        day += timedelta(days=1)


def test_weekends_and_holidays_are_not_working_days() -> None:
    assert not is_working_day(date(2026, 12, 5))  # Saturday
    assert not is_working_day(date(2026, 11, 11))  # Armistice, a Wednesday
    assert is_working_day(date(2026, 12, 7))
