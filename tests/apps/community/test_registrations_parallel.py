"""Twenty registrations at the same instant never pass the places (issue 18, item 3; PostgreSQL, the database
suite).

Each registration takes the lock of the event's row first (``registrations.register``): of twenty residents
pressing "Register" at once for an occurrence with five places, exactly five are confirmed and fifteen wait, in
the order they came in; twenty clicks of one resident make one registration; twenty cancellations at once, each
promoting the first one waiting in its own transaction, never confirm more than the places; four workers sending
the reminders at once send each one once.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db.models import Count
from django.utils import timezone

from apps.access.actors import actor_for_user
from apps.community import registrations
from apps.community.models import Event, Initiative, Registration
from apps.people.models import Role
from tests.apps.care.test_lock_order import at_once, needs_postgresql
from tests.apps.wellbeing.conftest import make_person

from .conftest import World

CROWD = 20
DAY = date(2027, 3, 23)


def event_with_places(world: World, capacity: int) -> Event:
    initiative = Initiative.objects.create(
        title="Taalcafé", summary="Praten.", organiser="residents", audience=["everyone"], district=world.district,
        starter=world.starter, status="published", commitment_signed_at=timezone.now(),
    )  # fmt: skip
    return Event.objects.create(
        uid="parallel@example.org", title="Taalcafé", initiative=initiative, district=world.district,
        address="Bevrijdingslaan 1", starts_on=date(2027, 3, 16), start_time=time(14), duration_minutes=120,
        repeat="weekly", repeat_until=date(2027, 4, 27), capacity=capacity,
    )  # fmt: skip


def crowd(world: World) -> list[Any]:
    return [actor_for_user(make_person(f"P{n}", world.district, Role.RESIDENT).user) for n in range(CROWD)]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_registrations_at_once_confirm_exactly_the_places_and_the_rest_wait_in_order(world: World) -> None:
    needs_postgresql()
    event = event_with_places(world, 5)
    actors = crowd(world)
    results = at_once([lambda a=a: registrations.register(actor=a, event=event, day=DAY) for a in actors])
    assert [r for r in results if isinstance(r, Exception)] == []
    rows = list(Registration.objects.filter(event=event, occurs_on=DAY).order_by("created_at", "pk"))
    assert [r.status for r in rows] == ["confirmed"] * 5 + ["waiting"] * 15, "the first five in, the rest wait"
    assert [registrations.position(r) for r in rows[5:]] == list(range(1, 16))
    # one resident clicking twenty times: one registration
    one = actors[0]
    again = at_once([lambda: registrations.register(actor=one, event=event, day=date(2027, 3, 30))] * CROWD)
    assert [r for r in again if isinstance(r, Exception)] == []
    assert Registration.objects.filter(event=event, occurs_on=date(2027, 3, 30)).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_cancellations_at_once_promote_without_passing_the_places(world: World) -> None:
    needs_postgresql()
    event = event_with_places(world, 5)
    actors = crowd(world) + crowd(world)
    for actor in actors:
        registrations.register(actor=actor, event=event, day=DAY)
    by_person = {r.person_id: r.pk for r in Registration.objects.filter(event=event)}
    leaving = actors[:CROWD]  # the five confirmed and fifteen of those waiting cancel at once
    results = at_once([lambda a=a: registrations.cancel(actor=a, pk=by_person[a.person_id]) for a in leaving])
    assert [r for r in results if isinstance(r, Exception)] == []
    counts = dict(Registration.objects.filter(event=event).values_list("status").annotate(n=Count("pk")))
    assert counts == {"cancelled": CROWD, "confirmed": 5, "waiting": 15}
    stayed = Registration.objects.filter(event=event).exclude(status="cancelled").order_by("created_at", "pk")
    assert [r.status for r in stayed] == ["confirmed"] * 5 + ["waiting"] * 15, "the first ones waiting moved up"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_sending_reminders_at_once_send_each_once(world: World) -> None:
    needs_postgresql()
    event = event_with_places(world, 50)
    for actor in crowd(world)[:10]:
        registrations.register(actor=actor, event=event, day=DAY)
    mail.outbox.clear()
    now = datetime(2027, 3, 23, 14, tzinfo=ZoneInfo("Europe/Brussels")) - timedelta(hours=2)
    sent = at_once([lambda: registrations.send_reminders(now=now)] * 4)
    assert sum(int(n) for n in sent) == 10 and len(mail.outbox) == 10  # type: ignore[call-overload]
    assert not Registration.objects.filter(reminded_at__isnull=True).exists()
