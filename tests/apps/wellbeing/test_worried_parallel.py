"""Twenty reports at the same instant cannot pass a limit (issue 17, item 3; PostgreSQL, the database suite).

Each report counts itself with one conditional update in its own transaction (``services.rate_take``): of twenty
from one network with a limit of five, exactly five are stored and fifteen refused with ``RateLimited``, never a
database error; of twenty about one address with a limit of three, exactly three are stored.  Two coordinators
pressing "pick up" at once send the reporter exactly one message.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import override_settings

from apps.access.actors import actor_for_user
from apps.people.models import Role
from apps.wellbeing import services
from apps.wellbeing.models import RateBucket, WorryReport
from tests.apps.care.test_lock_order import at_once, needs_postgresql

from .conftest import World, make_person

CROWD = 20


def one_report(world: World, n: int, *, network: str, street: str = "") -> Any:
    data = services.ReportInput(
        district=world.district, street=street or f"Straat{n}", house_number="1", signs=["mail"], noticed=f"n{n}"
    )
    try:
        return services.report_create(data=data, network=network)
    except services.RateLimited as refused:
        return refused


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@override_settings(WELLBEING_REPORTS_PER_NETWORK=5, WELLBEING_REPORTS_PER_ADDRESS=100)
def test_twenty_reports_from_one_network_at_once_store_exactly_the_limit(world: World) -> None:
    needs_postgresql()
    results = at_once([lambda n=n: one_report(world, n, network="net-a") for n in range(CROWD)])
    stored = [r for r in results if isinstance(r, WorryReport)]
    refused = [r for r in results if isinstance(r, services.RateLimited)]
    assert (len(stored), len(refused)) == (5, 15), results
    assert WorryReport.objects.count() == 5
    assert RateBucket.objects.get(scope="report_network").count == 5


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@override_settings(WELLBEING_REPORTS_PER_NETWORK=100, WELLBEING_REPORTS_PER_ADDRESS=3)
def test_twenty_reports_about_one_address_at_once_store_exactly_the_limit(world: World) -> None:
    needs_postgresql()
    results = at_once([lambda n=n: one_report(world, n, network=f"net-{n}", street="Korenmarkt") for n in range(CROWD)])
    assert [r for r in results if isinstance(r, Exception)] == []
    assert sum(isinstance(r, WorryReport) for r in results) == 3 and results.count(None) == CROWD - 3
    assert WorryReport.objects.count() == 3
    assert sorted(RateBucket.objects.filter(scope="report_network").values_list("count", flat=True)) == [1] * CROWD


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_pick_ups_at_once_tell_the_reporter_once(world: World) -> None:
    needs_postgresql()
    report = WorryReport.objects.create(district=world.district, noticed="x", reporter_email="anne@example.org")
    coordinators = [world.coordinator] + [make_person(f"C{n}", world.district, Role.COORDINATOR) for n in range(3)]
    actors = [actor_for_user(c.user) for c in coordinators]
    told: list[Any] = at_once(
        [
            lambda n=n: (
                services.report_pick_up(actor=actors[n % len(actors)], report=report)
                if n % 2
                else services.report_open_case(actor=actors[n % len(actors)], report=report)
            )
            for n in range(CROWD)
        ]
    )
    crashes = [r for r in told if isinstance(r, Exception) and not hasattr(r, "messages")]
    assert crashes == []
    assert len(mail.outbox) == 1
    report.refresh_from_db()
    assert report.reporter_told_at is not None and report.cases.count() <= 1
