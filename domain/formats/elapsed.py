"""How long ago: below a minute it is "just now", never "0 minutes ago"."""

from __future__ import annotations

from datetime import datetime, timedelta

JUST_NOW = timedelta(minutes=1)


def is_just_now(moment: datetime, now: datetime) -> bool:
    """True for a moment less than a minute ago, or slightly in the future (clocks of two servers differ)."""
    return now - moment < JUST_NOW
