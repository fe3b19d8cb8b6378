"""What a Ghent volunteer service sees, as shares: the one source for every generated city.

The engine's benchmark (``bench/matching/generate.py``) and the platform's city-scale filler
(``manage.py fill_city``) draw their requests and helpers from these same shares, so that the
figures of the two benchmarks speak of the same city.  Each pair is (values, probabilities).
"""

from __future__ import annotations

CATEGORY_SHARES: dict[str, float] = {
    "shopping": 0.22,
    "company": 0.20,
    "transport": 0.14,
    "administration": 0.10,
    "digital": 0.10,
    "small_repairs": 0.08,
    "meals": 0.07,
    "gardening": 0.05,
    "walking": 0.04,
}
"""Volunteer categories of the requests (professional ones are referred, never matched)."""

REQUEST_LANGUAGES: list[tuple[list[str], float]] = [
    ([], 0.15),
    (["nl"], 0.47),
    (["nl", "fr"], 0.08),
    (["nl", "en"], 0.05),
    (["fr"], 0.05),
    (["en"], 0.04),
    (["ar"], 0.04),
    (["ar", "nl"], 0.02),
    (["tr"], 0.04),
    (["tr", "nl"], 0.02),
    (["es"], 0.02),
    (["pl"], 0.01),
    (["bg"], 0.01),
]
"""Language sets a request asks for, with their shares (``[]``: any language will do)."""

HELPER_LANGUAGES: dict[str, float] = {
    "nl": 0.92,
    "en": 0.55,
    "fr": 0.35,
    "ar": 0.06,
    "tr": 0.06,
    "es": 0.05,
    "pl": 0.02,
    "bg": 0.02,
}
"""The chance that a helper speaks each language (independently)."""

PRIORITIES: tuple[list[int], list[float]] = ([1, 2, 3, 4, 5], [0.15, 0.25, 0.30, 0.20, 0.10])
CAPACITIES: tuple[list[int], list[float]] = ([1, 2, 3], [0.5, 0.3, 0.2])
DURATIONS: tuple[list[int], list[float]] = ([30, 45, 60, 90, 120], [0.15, 0.15, 0.35, 0.2, 0.15])
"""Minutes a request takes."""

SLOT_PATTERNS: list[tuple[int, int]] = [(8, 12), (9, 13), (13, 17), (14, 18), (17, 21), (18, 21), (9, 17), (10, 16)]
"""Helpers' weekly availability: (start hour, end hour)."""
