"""Time a helper has already given away: the one rule of "two visits of one helper never overlap".

A planned visit takes the helper's time from its start to its end, ``[start, end)``: a visit that ends at
10:00 and one that starts at 10:00 do not overlap.  The platform asks the same two functions when a helper
plans a visit (``overlapping``: is this time still free?) and when it builds the engine's helpers
(``free_windows``: the weekly free time minus the visits already planned), so that what a helper may plan
and what the engine offers them can never disagree.

Plain Python without Django: the times are naive wall-clock times (the engine's form) or aware datetimes,
as long as one call does not mix the two.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

Span = tuple[datetime, datetime]
"""A half-open span of time ``[start, end)``."""


def overlaps(a: Span, b: Span) -> bool:
    """Whether two half-open spans share an instant (touching ends do not)."""
    return a[0] < b[1] and b[0] < a[1]


def overlapping(span: Span, taken: Iterable[Span]) -> Span | None:
    """The first of ``taken`` (by start) that overlaps ``span``; None when the span is free."""
    found = [other for other in taken if overlaps(span, other)]
    return min(found) if found else None


def free_windows(windows: Iterable[Span], taken: Iterable[Span]) -> tuple[Span, ...]:
    """``windows`` with every taken span cut out, in order of start; pieces of no length are left out."""
    busy = sorted(t for t in taken if t[1] > t[0])
    free: list[Span] = []
    for start, end in sorted(windows):
        for busy_start, busy_end in busy:
            if busy_end <= start:
                continue
            if busy_start >= end:
                break
            if busy_start > start:
                free.append((start, busy_start))
            start = max(start, busy_end)
            if start >= end:
                break
        if end > start:
            free.append((start, end))
    return tuple(free)
