"""Every template shows phone numbers, addresses, languages and dates through the one set of formats
(``{% load formats %}``), so a page added later cannot bring back ``+32477503067``, ``12/7/2026``,
``Dinsdag`` in the middle of a Dutch sentence or ``0 minutes ago``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

APPS = Path(__file__).resolve().parents[3] / "apps"
TEMPLATES = sorted(path for path in APPS.glob("*/templates/**/*.html") if "capability_template" not in path.parts)

# a phone number printed without |phone (a tel: link takes |tel); a bare {{ phone }} inside a blocktranslate
# is the variable its "with phone=...|phone" made
RAW_PHONE = re.compile(r"{{\s*[\w.]*\.phone\s*(?:}}|\|(?!phone|tel)[^}]*}})")
# an address put together by hand instead of |address
HAND_ADDRESS = re.compile(r"{{\s*[\w.]*\bstreet\s*}}\s*{{\s*[\w.]*\bhouse_number\s*}}")
# a language code list joined by hand instead of |languages
RAW_LANGUAGES = re.compile(r"languages\|join")
# Django's "x minutes" without "just now", and the humanize filters
TIMESINCE = re.compile(r"\|\s*(?:timesince|timeuntil|naturaltime|naturalday)\b")
# a date format of its own with a weekday (l, D: capitalised in Dutch), a 12-hour clock (P, A, a, g, h) or
# a month number before the day (m/d, n/j): the named formats and the filters say it for each language
OWN_DATE_FORMAT = re.compile(r"\|\s*date:\s*[\"']([^\"']+)[\"']")
NAMED = {"DATE_FORMAT", "DATETIME_FORMAT", "SHORT_DATE_FORMAT", "SHORT_DATETIME_FORMAT", "MONTH_DAY_FORMAT",
         "YEAR_MONTH_FORMAT", "TIME_FORMAT"}  # fmt: skip
MACHINE = {"Y-m-d", "Y-m-d H:i:s", "c"}  # ISO, in URLs, datetime attributes and the auditor's UTC log


def bad_date_format(fmt: str) -> bool:
    if fmt in NAMED or fmt in MACHINE:
        return False
    return bool(re.search(r"(?<!\\)[lDPAagh]", fmt)) or bool(re.search(r"[mn][/.-][dj]", fmt))


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(APPS)))
def test_a_template_shows_values_through_the_formats(path: Path) -> None:
    if not path.exists():
        pytest.skip("removed since the tests were collected")
    text = path.read_text()
    problems = [
        *(f"phone without |phone: {m.group(0)}" for m in RAW_PHONE.finditer(text)),
        *(f"address by hand, use |address: {m.group(0)}" for m in HAND_ADDRESS.finditer(text)),
        *(f"language codes, use |languages: {m.group(0)}" for m in RAW_LANGUAGES.finditer(text)),
        *(f"use |ago (just now): {m.group(0)}" for m in TIMESINCE.finditer(text)),
        *(
            f"date format of its own, use a named format or |day, |day_short, |moment, |clock: {m.group(0)}"
            for m in OWN_DATE_FORMAT.finditer(text)
            if bad_date_format(m.group(1))
        ),
    ]
    assert problems == []


def test_the_guard_catches_what_it_is_for() -> None:
    assert RAW_PHONE.search("{{ person.phone }}") and RAW_PHONE.search('{{ p.phone|default:"–" }}')
    assert not RAW_PHONE.search('{{ p.phone|phone|default:"–" }}') and not RAW_PHONE.search("{{ p.phone|tel }}")
    assert HAND_ADDRESS.search("{{ r.street }} {{ r.house_number }}")
    assert TIMESINCE.search("{{ r.created_at|timesince:now }}")
    assert bad_date_format("l j F Y") and bad_date_format("D j M Y H:i") and bad_date_format("m/d/Y")
    assert bad_date_format("g:i A")
    assert not bad_date_format("j F Y") and not bad_date_format("DATETIME_FORMAT") and not bad_date_format("H:i")
