"""Screening (issue 17, item 2): its rows of the URL × role access table (merged by ``access_table.py``).

Taking a screening with a person and reading their screenings are for a coordinator who coordinates the person
(``@resident``, of the demo coordinator's district); everyone else signed in gets the answer of a missing id (404),
a visitor is sent to log in.  ``@screening`` is one of ``@resident``, who consented to questions about wellbeing,
taken by the demo coordinator (a coordinator who neither took it nor follows the person sees nothing).
"My wellbeing" (filling it in for oneself, one's own results) is for a resident's account, not a work account.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from apps.people.demo import DEMO_ACCOUNTS
from apps.people.models import Consent, Person, Purpose, Role
from apps.places.models import District
from apps.wellbeing.models import Screening
from tests.apps.access.access_rows import Rows, only

RESIDENT_ACCOUNTS = {"resident", "helper", "initiative_starter", "centre_committee"}

ROWS: Rows = {
    "wellbeing:screen_person": ({"person_pk": "@resident"}, only({"coordinator"}, others=404)),
    "wellbeing:person_screenings": ({"person_pk": "@resident"}, only({"coordinator"}, others=404)),
    "wellbeing:screening": ({"pk": "@screening"}, only({"coordinator"}, others=404)),
    "wellbeing:screen_me": ({}, only(RESIDENT_ACCOUNTS)),
    "wellbeing:my_screenings": ({}, only(RESIDENT_ACCOUNTS)),
}


def samples(district: District, resident: Person) -> dict[str, Any]:
    account = next(a for a in DEMO_ACCOUNTS if a.role == Role.COORDINATOR)
    coordinator = Person.objects.get(user__username=account.email)
    consent = Consent.objects.filter(
        person=resident, purpose=Purpose.WELLBEING_SCREENING, withdrawn_at__isnull=True
    ).first() or Consent.objects.create(
        person=resident, purpose=Purpose.WELLBEING_SCREENING, method=Consent.Method.PHONE, text_version="2026-11",
        given_at=timezone.now(),
    )  # fmt: skip
    screening = Screening.objects.create(
        person=resident, instrument="djg6", instrument_version="djg6-1", answer_format="3", language="nl",
        answers=dict.fromkeys(["3", "4", "7", "8", "9", "10"], "no"), total=3, category="moderately_lonely",
        emotional=0, emotional_category="not_lonely", social=3, social_category="lonely", mode="phone",
        consent=consent, district=district, taken_by=coordinator,
    )  # fmt: skip
    return {"@screening": screening.pk}
