"""Twenty signals of one person at the same instant cannot pass their daily limit, and twenty triages of one
signal at once end in one consistent state (issue 17, item 5; PostgreSQL, the database suite).

Each signal counts itself with one conditional update in its own transaction (``services.rate_take``): with a
limit of five, exactly five are stored and fifteen refused with ``RateLimited``, never a database error.  A
triage locks the signal's row, so the last one wins whole: its status, department, who and when together.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import override_settings

from apps.access.actors import actor_for_user
from apps.people.models import Role
from apps.wellbeing import signals_service as service
from apps.wellbeing.models import RateBucket, Signal
from tests.apps.care.test_lock_order import at_once, needs_postgresql

from .conftest import World, make_person

CROWD = 20


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@override_settings(WELLBEING_SIGNALS_PER_DAY=5)
def test_twenty_signals_of_one_person_at_once_store_exactly_the_limit(world: World) -> None:
    needs_postgresql()
    actor = actor_for_user(world.resident.user)
    place = service.place_from_address("Korenmarkt 1")

    def one(n: int) -> Any:
        try:
            return service.signal_create(actor=actor, data=service.SignalInput(category="no_bench", place=place))
        except service.RateLimited as refused:
            return refused

    results = at_once([lambda n=n: one(n) for n in range(CROWD)])
    stored = [r for r in results if isinstance(r, Signal)]
    refused = [r for r in results if isinstance(r, service.RateLimited)]
    assert (len(stored), len(refused)) == (5, 15), results
    assert Signal.objects.count() == 5
    assert RateBucket.objects.get(scope=service.SIGNAL_PERSON).count == 5


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_triages_at_once_leave_one_whole_decision(world: World) -> None:
    needs_postgresql()
    staff = [make_person(f"S{n}", world.district, Role.CITY_STAFF) for n in range(4)]
    actors = [actor_for_user(person.user) for person in staff]
    signal = Signal.objects.create(category="dark_street", district=world.district, address="Kouter 1")
    choices = [("forwarded", "Dienst Wegen"), ("solved", ""), ("not_applicable", ""), ("forwarded", "De Lijn")]
    results = at_once(
        [
            lambda n=n: service.signal_triage(
                actor=actors[n % 4], signal=signal, status=choices[n % 4][0], forwarded_to=choices[n % 4][1]
            )
            for n in range(CROWD)
        ]
    )
    assert [r for r in results if isinstance(r, Exception)] == []
    signal.refresh_from_db()
    assert signal.status in {"forwarded", "solved", "not_applicable"} and signal.triaged_at is not None
    assert signal.triaged_by in staff
    if signal.status == "forwarded":
        assert signal.forwarded_to in {"Dienst Wegen", "De Lijn"}
