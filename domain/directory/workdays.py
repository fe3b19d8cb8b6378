"""Working days in Belgium: Monday to Friday, the ten public holidays excepted.

A referral's answer is due a number of working days after it was sent (``REFERRAL_ANSWER_WORKING_DAYS``): an
organisation's office is closed at weekends and on public holidays, so a referral sent on the Thursday before
Easter is not late on Easter Monday.  Pure Python, no Django: tested on its own (``mypy --strict``).

The holidays are the ten legal ones (wet van 4 januari 1974): New Year, Easter Monday, 1 May, Ascension
(Easter + 39 days), Whit Monday (Easter + 50), 21 July, 15 August, 1 November, 11 November and Christmas.  A
holiday on a Saturday or Sunday gives no day in lieu here: which day replaces it is each employer's choice.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

FIXED_HOLIDAYS = ((1, 1), (5, 1), (7, 21), (8, 15), (11, 1), (11, 11), (12, 25))
"""(month, day) of the holidays that fall on the same date every year."""

EASTER_OFFSETS = (1, 39, 50)
"""Days after Easter Sunday: Easter Monday, Ascension, Whit Monday."""


def easter(year: int) -> date:
    """Easter Sunday of a Gregorian year (the anonymous Gregorian algorithm, Meeus/Jones/Butcher)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month, day = divmod(h + el - 7 * m + 114, 31)
    return date(year, month, day + 1)


@lru_cache(maxsize=64)
def public_holidays(year: int) -> frozenset[date]:
    """The ten Belgian public holidays of a year."""
    sunday = easter(year)
    fixed = {date(year, month, day) for month, day in FIXED_HOLIDAYS}
    return frozenset(fixed | {sunday + timedelta(days=offset) for offset in EASTER_OFFSETS})


def is_working_day(day: date) -> bool:
    """Monday to Friday and not a public holiday."""
    return day.weekday() < 5 and day not in public_holidays(day.year)


def add_working_days(start: date, days: int) -> date:
    """The day that is ``days`` working days after ``start`` (``start`` itself is not counted).

    ``add_working_days(thursday, 1)`` is Friday, or the Monday after when that Friday is a holiday; from a
    Saturday, one working day is the Monday.  ``days=0`` gives ``start`` unchanged; a negative number counts
    back the same way.
    """
    step = 1 if days >= 0 else -1
    left = abs(days)
    day = start
    while left:
        day += timedelta(days=step)
        if is_working_day(day):
            left -= 1
    return day


def working_days_between(start: date, end: date) -> int:
    """How many working days lie after ``start`` up to and including ``end`` (negative when ``end`` is earlier).

    The inverse of :func:`add_working_days` on working days: ``working_days_between(d, add_working_days(d, n))``
    is ``n``.  Whole weeks are counted at once, so a span of years costs a few steps per holiday.
    """
    if end < start:
        return -working_days_between(end, start)
    span = (end - start).days
    weeks, rest = divmod(span, 7)
    count = weeks * 5
    for offset in range(1, rest + 1):
        if (start + timedelta(days=offset)).weekday() < 5:
            count += 1
    for year in range(start.year, end.year + 1):
        count -= sum(1 for holiday in public_holidays(year) if start < holiday <= end and holiday.weekday() < 5)
    return count
