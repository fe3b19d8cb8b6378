"""Wellbeing and loneliness: its rows of the URL × role access table, and the report its rows name.

Read by ``tests/apps/access/test_access_table.py``.  "I am worried about a neighbour" is for everyone, signed in
or not.  The reports are for the coordinators of a district: the page rule ``wellbeing.view_reports`` gives 403 to
every other signed-in role and sends a visitor to log in; ``@report`` is a report of the demo coordinator's
district (number 1).  Picking up and opening a case are POST only.
"""

from __future__ import annotations

from typing import Any

from apps.people.models import Person
from apps.places.models import District
from apps.wellbeing.models import WorryReport
from tests.apps.access.access_rows import Rows, everyone, only
from tests.apps.wellbeing.rows_api import ROWS as API
from tests.apps.wellbeing.rows_api import samples as api_samples
from tests.apps.wellbeing.rows_cases import ROWS as CASES
from tests.apps.wellbeing.rows_cases import samples as case_samples
from tests.apps.wellbeing.rows_screening import ROWS as SCREENING
from tests.apps.wellbeing.rows_screening import samples as screening_samples
from tests.apps.wellbeing.rows_signals import ROWS as SIGNALS
from tests.apps.wellbeing.rows_signals import samples as signal_samples

ROWS: Rows = {
    "wellbeing:worried": ({}, everyone(200)),
    "wellbeing:worried_thanks": ({}, everyone(200)),
    "wellbeing:reports": ({}, only({"coordinator"})),
    "wellbeing:report": ({"pk": "@report"}, only({"coordinator"})),
    "wellbeing:report_pick_up": ({"pk": "@report"}, everyone(405)),  # POST only
    "wellbeing:report_open_case": ({"pk": "@report"}, everyone(405)),  # POST only
    # the district view (item 6): counts only, for the coordinators of a district and city staff
    "wellbeing:district": ({}, only({"coordinator", "city_staff"})),
}

ROWS.update(SCREENING)  # screening (item 2): rows_screening.py
ROWS.update(CASES)  # outreach cases (item 4): rows_cases.py
ROWS.update(SIGNALS)  # structural signals (item 5): rows_signals.py
ROWS.update(API)  # the API (item 7): rows_api.py


def samples(district: District, resident: Person) -> dict[str, Any]:
    report = WorryReport.objects.create(district=district, description="De man met de grijze hond", signs=["mail"])
    return {
        "@report": report.pk,
        **screening_samples(district, resident),
        **case_samples(district, resident),
        **signal_samples(district, resident),
        **api_samples(district, resident),
    }
