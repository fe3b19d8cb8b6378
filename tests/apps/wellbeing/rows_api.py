"""The wellbeing API (issue 17, item 7): its rows of the URL × role access table (merged by ``access_table.py``).

The same answers as the pages (``rows_signals.py``, ``rows_cases.py``, ``rows_screening.py``, ``access_table.py``)
except that a visitor gets 401 instead of the login page.  "I am worried about a neighbour" and the public signals
are for everyone.  A URL whose path also answers another method is read with GET here (``POST /wellbeing/signals``
shares its path with the staff's list); what is POST only answers 405.
"""

from __future__ import annotations

from typing import Any

from apps.people.models import Person
from apps.places.models import District
from tests.apps.access.access_rows import Rows, everyone, only, signed_in

TRIAGE = {"city_staff", "administrator"}
RESIDENT_ACCOUNTS = {"resident", "helper", "initiative_starter", "centre_committee"}

ROWS: Rows = {
    "api:wellbeing_worried_form": ({}, everyone(200)),
    "api:wellbeing_worried_send": ({}, everyone(200)),  # the GET of the same path
    "api:wellbeing_reports": ({}, only({"coordinator"}, anonymous=401)),
    "api:wellbeing_report": ({"report_id": "@report"}, only({"coordinator"}, anonymous=401)),
    "api:wellbeing_report_pick_up": ({"report_id": "@report"}, everyone(405)),  # POST only
    "api:wellbeing_report_open_case": ({"report_id": "@report"}, everyone(405)),  # POST only
    "api:wellbeing_signals": ({}, only(TRIAGE, anonymous=401)),
    "api:wellbeing_signal_send": ({}, only(TRIAGE, anonymous=401)),  # the GET of the same path: the staff's list
    "api:wellbeing_my_signals": ({}, signed_in(200, anonymous=401)),
    "api:wellbeing_signal": ({"signal_id": "@signal"}, only(TRIAGE, anonymous=401)),
    "api:wellbeing_signal_triage": ({"signal_id": "@signal"}, everyone(405)),  # POST only
    "api:wellbeing_public_counts": ({}, everyone(200)),
    "api:wellbeing_public_signals": ({"district_id": "@api_district"}, everyone(200)),
    "api:wellbeing_cases": ({}, only({"coordinator"}, anonymous=401)),
    "api:wellbeing_case": ({"case_id": "@case"}, only({"coordinator"}, anonymous=401)),
    "api:wellbeing_my_screenings": ({}, only(RESIDENT_ACCOUNTS, anonymous=401)),
    "api:wellbeing_person_screenings": (
        {"person_id": "@resident"},
        only({"coordinator"}, others=404, anonymous=401),
    ),
    "api:wellbeing_screening": ({"screening_id": "@screening"}, only({"coordinator"}, others=404, anonymous=401)),
}


def samples(district: District, resident: Person) -> dict[str, Any]:
    return {"@api_district": district.pk}
