"""How values are written for people to read: plain Python, no Django.

Phone numbers, addresses, durations and "how long ago" are decided here; the words themselves (in
Dutch, English or French) are chosen by the Django layer (``apps/core/formats.py``), which passes
the result of these functions through gettext.
"""

from .addresses import one_line_address
from .durations import Duration, duration_parts, hours_to_minutes
from .elapsed import is_just_now
from .phones import national_phone, phone_search_keys, phone_terms

__all__ = [
    "Duration",
    "duration_parts",
    "hours_to_minutes",
    "is_just_now",
    "national_phone",
    "one_line_address",
    "phone_search_keys",
    "phone_terms",
]
