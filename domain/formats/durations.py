"""A duration as people type and say it: ``45 minutes``, ``1 hour``, ``1.5 hours``, ``1 hour 20 minutes``.

Below an hour it is minutes; a whole or half number of hours is hours (never ``60 minutes`` or ``90
minutes``); anything else is hours and minutes.  The words come from the Django layer.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True)
class Duration:
    """``hours`` is whole or ends in ``.5`` when ``minutes`` is 0; ``minutes`` is what is left below an hour."""

    hours: Decimal
    minutes: int

    @property
    def whole_hours(self) -> bool:
        return self.hours == self.hours.to_integral_value()


def duration_parts(minutes: int | Decimal | float) -> Duration:
    """Minutes (rounded to the minute) split as they are said: 45 → 45 minutes; 60 → 1 hour; 90 → 1.5 hours;
    80 → 1 hour and 20 minutes; 0 → 0 minutes."""
    total = int(Decimal(str(minutes)).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    total = max(total, 0)
    if total < 60:
        return Duration(Decimal(0), total)
    if total % 30 == 0:
        return Duration(Decimal(total) / 60, 0)
    hours, rest = divmod(total, 60)
    return Duration(Decimal(hours), rest)


def hours_to_minutes(hours: Decimal | float | int) -> int:
    """Hours as typed (``1.5``, ``0.75``) in whole minutes."""
    return int((Decimal(str(hours)) * 60).quantize(Decimal(1), rounding=ROUND_HALF_UP))
