"""Outreach cases (issue 17, item 4): their rows of the URL × role access table (merged by ``access_table.py``).

The pages of cases (worklist, call list, a new case, one case) are for a coordinator (``wellbeing.view_cases``):
every other signed-in role gets 403, a visitor is sent to log in.  ``@case`` is a case of the demo coordinator's
district assigned to the demo coordinator.  A case about a known person (``@resident``, of that district) is
for a coordinator who coordinates them: others get the answer of a missing id (404).  Everything done on a case,
and opening one from a screening, is POST only.  The page of team leads is for administrators.
"""

from __future__ import annotations

from typing import Any

from apps.people.demo import DEMO_ACCOUNTS
from apps.people.models import Person, Role
from apps.places.models import District
from apps.wellbeing.models import OutreachCase
from apps.wellbeing.views_cases import ACTIONS
from tests.apps.access.access_rows import Rows, everyone, only

ROWS: Rows = {
    "wellbeing:cases": ({}, only({"coordinator"})),
    "wellbeing:case_new": ({}, only({"coordinator"})),
    "wellbeing:case_calls": ({}, only({"coordinator"})),
    "wellbeing:cases_closed": ({}, only({"coordinator"})),
    "wellbeing:cases_team": ({}, only({"coordinator"})),
    "wellbeing:case": ({"pk": "@case"}, only({"coordinator"})),
    "wellbeing:case_new_for_person": ({"person_pk": "@resident"}, only({"coordinator"}, others=404)),
    "wellbeing:case_from_screening": ({"screening_pk": "@case_screening"}, everyone(405)),  # POST only
    **{f"wellbeing:case_{action}": ({"pk": "@case"}, everyone(405)) for action in ACTIONS},  # POST only
    # administrators mark a coordinator as team lead
    "wellbeing:team_leads": ({}, only({"administrator"})),
    "wellbeing:team_lead_withdraw": ({"pk": 1}, everyone(405)),  # POST only
}


def samples(district: District, resident: Person) -> dict[str, Any]:
    account = next(a for a in DEMO_ACCOUNTS if a.role == Role.COORDINATOR)
    coordinator = Person.objects.get(user__username=account.email)
    case = OutreachCase.objects.create(
        district=district, assigned_to=coordinator, origin=OutreachCase.Origin.OBSERVATION, created_by=coordinator,
        notes="De dame op nummer 12",
    )  # fmt: skip
    return {"@case": case.pk, "@case_screening": 1}
