"""Lending out a stock of things per day, without ever lending more than there is (issue 18, item 2).

A booking holds ``quantity`` of one material on every day from ``first`` to ``last`` (both included).  What is
free on a day is the stock minus the bookings that hold that day; a new booking fits when it fits on every one
of its days.  Pure: the caller serialises the writes (the app locks the material's row), this module counts.

Also the working days a service level counts: a first answer "within 10 working days" skips Saturdays and Sundays
and the holidays the caller passes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Booking:
    first: date
    last: date
    quantity: int


def days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def free_per_day(stock: int, bookings: Iterable[Booking], first: date, last: date) -> dict[date, int]:
    """How many are free on each day from ``first`` to ``last``: one pass over the bookings, one over the days
    (a difference array), so a year of bookings costs no more than its length."""
    span = (last - first).days + 1
    change = [0] * (span + 1)
    for booking in bookings:
        start = max((booking.first - first).days, 0)
        end = min((booking.last - first).days, span - 1)
        if start > end:
            continue
        change[start] += booking.quantity
        change[end + 1] -= booking.quantity
    free: dict[date, int] = {}
    held = 0
    for offset in range(span):
        held += change[offset]
        free[first + timedelta(days=offset)] = stock - held
    return free


def shortfall(stock: int, bookings: Iterable[Booking], wanted: Booking) -> tuple[date, int] | None:
    """The first day the wanted booking does not fit and how many are free that day; ``None`` when it fits."""
    free = free_per_day(stock, bookings, wanted.first, wanted.last)
    for day, count in free.items():
        if count < wanted.quantity:
            return day, max(count, 0)
    return None


def add_working_days(start: date, count: int, holidays: frozenset[date] = frozenset()) -> date:
    """The date ``count`` working days after ``start`` (Monday to Friday, not a holiday)."""
    day = start
    left = count
    while left > 0:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in holidays:
            left -= 1
    return day


def main(argv: list[str] | None = None) -> int:
    """``python -m domain.lending STOCK FIRST LAST QTY [FIRST LAST QTY ...]``: the free count per day of a stock
    with the bookings given, for the first booking's days."""
    import sys

    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) < 4 or (len(args) - 1) % 3:
        sys.stderr.write("usage: python -m domain.lending STOCK FIRST LAST QTY [FIRST LAST QTY ...]\n")
        return 2
    try:
        stock = int(args[0])
        bookings = [
            Booking(date.fromisoformat(args[i]), date.fromisoformat(args[i + 1]), int(args[i + 2]))
            for i in range(1, len(args), 3)
        ]
    except ValueError as error:
        sys.stderr.write(f"not a number or a date (YYYY-MM-DD): {error}\n")
        return 2
    window = bookings[0]
    for day, count in free_per_day(stock, bookings, window.first, window.last).items():
        sys.stdout.write(f"{day.isoformat()} {count}\n")
    return 0
