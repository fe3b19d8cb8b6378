"""Twenty "close" or "assign" at the same instant on one outreach case (issue 17, item 4; PostgreSQL, the database
suite).

Every write locks the case's row and asks the rule again on the locked row: of twenty closes exactly one closes it
(with its outcome), nineteen are refused with "This case is closed.", never a database error; of twenty assigns
between two colleagues and an outsider, the case ends assigned to one of the colleagues and the outsider is refused
every time.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from apps.access.actors import actor_for_user
from apps.people.models import Role
from apps.wellbeing import cases
from apps.wellbeing.models import ContactAttempt, OutreachCase
from tests.apps.care.test_lock_order import at_once, needs_postgresql

from .conftest import World, make_person

CROWD = 20
OUTCOMES = ["moved", "deceased"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_closes_at_once_close_exactly_once(world: World) -> None:
    needs_postgresql()
    case = OutreachCase.objects.create(district=world.district, assigned_to=world.coordinator, origin="observation")
    ContactAttempt.objects.create(case=case, channel="phone", outcome="reached")
    actor = actor_for_user(world.coordinator.user)
    results = at_once(
        [lambda n=n: cases.case_close(actor=actor, case=case, outcome=OUTCOMES[n % 2]) for n in range(CROWD)]
    )
    closed = [r for r in results if isinstance(r, OutreachCase)]
    refused = [r for r in results if isinstance(r, ValidationError) and r.code == "closed"]
    assert (len(closed), len(refused)) == (1, CROWD - 1), results
    case.refresh_from_db()
    assert case.status == "closed" and case.outcome == closed[0].outcome


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_assigns_at_once_end_with_a_colleague_and_never_the_outsider(world: World) -> None:
    needs_postgresql()
    lotte = make_person("Lotte", world.district, Role.COORDINATOR)
    lead = make_person("Leen", world.district, Role.COORDINATOR)
    cases.TeamLead.objects.create(person=lead, district=world.district)
    case = OutreachCase.objects.create(district=world.district, assigned_to=world.coordinator, origin="observation")
    actor = actor_for_user(lead.user)  # the lead may assign whoever holds it
    targets = [world.coordinator, lotte, world.other_coordinator]
    results = at_once([lambda n=n: cases.case_assign(actor=actor, case=case, to=targets[n % 3]) for n in range(CROWD)])
    crashes = [r for r in results if isinstance(r, Exception) and not isinstance(r, ValidationError)]
    assert crashes == []
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(refused) == len(range(2, CROWD, 3)) and all(r.code == "assignee" for r in refused)
    case.refresh_from_db()
    assert case.assigned_to in (world.coordinator, lotte)
