"""Structural signals (issue 17, item 5): their rows of the URL × role access table (merged by
``access_table.py``).

What each district reported is public, signed in or not.  Reporting and following one's own signals is for
anyone signed in.  Triage (the list, a signal's page, its photo) is for city staff and administrators, as the
directory's review; every other signed-in role gets 403, a visitor is sent to log in.  ``@signal`` is a signal
of the demo coordinator's district without a photo, so its photo answers 404 to those who may see photos
(``test_signals_triage.py`` serves one).
"""

from __future__ import annotations

from typing import Any

from apps.people.models import Person
from apps.places.models import District
from apps.wellbeing.models import Signal
from tests.apps.access.access_rows import Rows, everyone, only, signed_in

TRIAGE = {"city_staff", "administrator"}

ROWS: Rows = {
    "wellbeing:signals_public": ({}, everyone(200)),
    "wellbeing:signals_district": ({"slug": "@signal_district"}, everyone(200)),
    "wellbeing:signal_new": ({}, signed_in(200)),
    "wellbeing:signals_mine": ({}, signed_in(200)),
    "wellbeing:signals": ({}, only(TRIAGE)),
    "wellbeing:signal": ({"pk": "@signal"}, only(TRIAGE)),
    "wellbeing:signal_photo": ({"pk": "@signal"}, only(TRIAGE, allowed=404)),
}


def samples(district: District, resident: Person) -> dict[str, Any]:
    signal = Signal.objects.create(
        category="no_bench", district=district, address="Korenmarkt 1", reporter=resident, description="Geen bank."
    )
    return {"@signal": signal.pk, "@signal_district": district.slug}
