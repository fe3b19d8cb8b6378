"""Lending a stock per day: never more than there is, on any day of a booking."""

from __future__ import annotations

from datetime import date

from domain.lending import Booking, add_working_days, free_per_day, main, shortfall


def test_free_per_day_counts_only_the_days_a_booking_holds() -> None:
    bookings = [Booking(date(2027, 5, 1), date(2027, 5, 3), 4), Booking(date(2027, 5, 3), date(2027, 5, 4), 2)]
    free = free_per_day(10, bookings, date(2027, 4, 30), date(2027, 5, 5))
    assert list(free.values()) == [10, 6, 6, 4, 8, 10]


def test_a_booking_fits_only_when_it_fits_on_every_day() -> None:
    bookings = [Booking(date(2027, 5, 3), date(2027, 5, 3), 9)]
    assert shortfall(10, bookings, Booking(date(2027, 5, 1), date(2027, 5, 2), 10)) is None
    assert shortfall(10, bookings, Booking(date(2027, 5, 1), date(2027, 5, 5), 2)) == (date(2027, 5, 3), 1)
    wanted = Booking(date(2027, 5, 1), date(2027, 5, 1), 1)
    assert shortfall(10, [Booking(date(2027, 5, 1), date(2027, 5, 1), 12)], wanted) == (date(2027, 5, 1), 0)


def test_working_days_skip_weekends_and_holidays() -> None:
    friday = date(2027, 4, 30)
    assert add_working_days(friday, 1) == date(2027, 5, 3)
    assert add_working_days(friday, 1, frozenset({date(2027, 5, 3)})) == date(2027, 5, 4)
    assert add_working_days(friday, 10) == date(2027, 5, 14)


def test_the_command_line_prints_the_free_count(capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["5", "2027-05-01", "2027-05-02", "2", "2027-05-02", "2027-05-09", "3"]) == 0
    assert capsys.readouterr().out.split() == ["2027-05-01", "3", "2027-05-02", "0"]
    assert main(["5", "yesterday", "2027-05-02", "2"]) == 2
