"""Issue 12, item 2: one's own home address and travel distance change a few times a day at most, and
every change is written down for the auditor (``apps/people/places.py``).

The limit is counted in the database under a lock on the person: twenty changes sent at the same
moment (PostgreSQL, one connection each) let exactly the allowed number through.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import time, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from apps.access.activity import activity_report
from apps.access.models import AccessLogEntry
from apps.care import services
from apps.care.models import HelperOffer
from apps.people import services as people_services
from apps.people.models import Person, PlaceChange, Role
from apps.people.places import per_day
from apps.places.models import District

from .conftest import CareWorld, actor, clock, grant, make_person

NUMBERS = (1, 10, 11, *range(100, 117))
ADDRESSES = [f"Aaigemstraat {n}" for n in NUMBERS]
"""Twenty addresses of the register, a few doors apart: a move within one street counts too."""
SLOTS = [services.Slot(weekday=day, start=time(9), end=time(17)) for day in range(7)]


@pytest.fixture(autouse=True)
def in_dutch() -> Iterator[None]:
    with translation.override("nl"):
        yield


def reach(offer: HelperOffer, km: str, by: Person | None = None) -> HelperOffer:
    return services.offer_save(
        actor=actor(by or offer.person), person=offer.person, kind=offer.kind, categories=list(offer.categories.all()),
        slots=SLOTS, max_distance_km=Decimal(km), requests_per_week=offer.requests_per_week,
        languages=offer.languages, via="/test",
    )  # fmt: skip


def own_changes(person: Person, kind: str) -> int:
    return PlaceChange.objects.filter(person=person, kind=kind, actor_person_id=person.pk).count()


def fresh(offer: HelperOffer) -> HelperOffer:
    return HelperOffer.objects.select_related("person").get(pk=offer.pk)


@pytest.mark.django_db
def test_a_helper_changes_their_reach_five_times_a_day_then_is_told_when_again(care_world: CareWorld) -> None:
    offer = care_world.offer
    PlaceChange.objects.all().delete()  # signing up was the first; start from none
    limit = per_day(PlaceChange.Kind.REACH)
    assert limit == 5
    for n in range(limit):
        reach(fresh(offer), f"{n + 3}.0")
    with pytest.raises(ValidationError) as refused:
        reach(fresh(offer), "1.0")
    assert refused.value.code == "limit"
    (message,) = refused.value.messages
    assert message.startswith("U hebt de voorbije 24 uur al 5 keer gewijzigd hoe ver u wilt gaan.")
    assert "opnieuw wijzigen vanaf" in message
    assert fresh(offer).max_distance_km == Decimal("7.0"), "the refused change changed nothing"
    # other parts of the offer still change freely: only the reach is limited
    services.offer_save(
        actor=actor(offer.person), person=offer.person, kind=HelperOffer.Kind.STUDENT,
        categories=list(offer.categories.all()), slots=SLOTS, max_distance_km=Decimal("7.0"), requests_per_week=2,
        languages=offer.languages,
    )  # fmt: skip
    # a day after the first change, one more is allowed
    with clock(timezone.now() + timedelta(hours=24, minutes=1)):
        reach(fresh(offer), "1.0")
    assert own_changes(offer.person, PlaceChange.Kind.REACH) == limit + 1


@pytest.mark.django_db
def test_each_change_is_recorded_with_coarse_values_for_the_auditor(
    care_world: CareWorld, client_for: Callable[[Person], Client]
) -> None:
    helper = care_world.helper
    PlaceChange.objects.all().delete()
    reach(fresh(care_world.offer), "3.5")
    people_services.person_update(actor=actor(helper), person=helper, address="Aaigemstraat 10", via="/nl/me/")
    home, distance = PlaceChange.objects.filter(person=helper).order_by("-at", "-pk")
    assert (distance.kind, distance.before, distance.after) == ("reach", "2.0 km", "3.5 km")
    assert home.kind == "home" and home.after == "22 Stationsbuurt-Noord, 9000"
    assert home.before.startswith(f"{care_world.district.number} ") and "straat" not in home.before
    assert (home.actor_person_id, home.actor_user_id, home.via) == (helper.pk, helper.user_id, "/nl/me/")
    # one's own change is not in the access log ("who read my data" would list oneself)
    assert not AccessLogEntry.objects.filter(record_type="people.PlaceChange", subject_person_id=helper.pk).exists()
    # the auditor's activity view counts them per account and day
    report = activity_report(since=timezone.localdate(), until=timezone.localdate())
    counted = {
        (row.user_id, cell.count)
        for row in report.rows
        for source, cell in zip(report.kinds, row.cells, strict=True)
        if source.kind == "place_changes" and cell.count
    }
    assert counted == {(helper.user_id, 2)}
    # and lists them one by one, old and new, for the account the activity view pointed at
    auditor = make_person("Audrey", care_world.district)
    grant(auditor, Role.AUDITOR)
    page = client_for(auditor).get(reverse("people:place_changes"), {"account": helper.user_id})
    text = page.content.decode()
    assert page.status_code == 200
    for value in ("2.0 km", "3.5 km", "22 Stationsbuurt-Noord, 9000", home.before):
        assert value in text
    assert "Aaigemstraat" not in text, "never the street"
    visit = AccessLogEntry.objects.filter(record_type="people.PlaceChange", actor_user_id=auditor.user_id).get()
    assert visit.record_id.endswith(f"account={helper.user_id}")
    # a helper may not see that page
    assert client_for(helper).get(reverse("people:place_changes")).status_code in (403, 404)


@pytest.mark.django_db
def test_own_address_three_times_a_day_on_the_profile_page_and_the_api(
    care_world: CareWorld, client_for: Callable[[Person], Client]
) -> None:
    helper = care_world.helper
    client = client_for(helper)
    assert per_day(PlaceChange.Kind.HOME) == 3
    for address in ADDRESSES[:3]:
        response = client.patch("/api/v1/me", {"address": address}, content_type="application/json")
        assert response.status_code == 200, response.content
    response = client.patch("/api/v1/me", {"address": ADDRESSES[3]}, content_type="application/json")
    assert response.status_code == 429
    assert response.json()["detail"].startswith("U hebt uw adres de voorbije 24 uur al 3 keer gewijzigd.")
    form = {"first_name": helper.first_name, "last_name": helper.last_name, "email": helper.email,
            "languages": ["nl"], "contact_preference": "email", "address": ADDRESSES[4]}  # fmt: skip
    page = client.post(reverse("people:my_profile"), form)
    assert page.status_code == 200, page
    assert "Is het dringend? Bel dan uw coördinator." in page.content.decode()
    helper.refresh_from_db()
    assert (helper.street, helper.house_number) == ("Aaigemstraat", "11"), "the refused changes changed nothing"


@pytest.mark.django_db
def test_the_api_refuses_a_sixth_reach_with_429(care_world: CareWorld, client_for: Callable[[Person], Client]) -> None:
    PlaceChange.objects.all().delete()
    client = client_for(care_world.helper)
    body: dict[str, Any] = {
        "kind": "neighbour", "categories": ["shopping"], "slots": [{"weekday": 0, "start": "09:00", "end": "17:00"}],
        "requests_per_week": 1, "languages": ["nl"],
    }  # fmt: skip
    codes = [
        client.put("/api/v1/care/offer", {**body, "max_distance_km": 1.0 + n}, content_type="application/json")
        for n in range(6)
    ]
    assert [r.status_code for r in codes] == [200] * 5 + [429]
    assert codes[-1].json()["detail"].startswith("U hebt de voorbije 24 uur al 5 keer gewijzigd")


@pytest.mark.django_db
def test_a_coordinator_correcting_an_address_on_the_phone_is_recorded_never_refused(care_world: CareWorld) -> None:
    resident = care_world.resident
    grant(care_world.coordinator, Role.COORDINATOR, District.objects.get(number=22))  # where the street lies
    for address in ADDRESSES[:5]:
        people_services.person_update(actor=care_world.coordinator_actor, person=resident, address=address)
    changes = PlaceChange.objects.filter(person=resident, kind="home")
    assert changes.count() == 5
    assert set(changes.values_list("actor_person_id", flat=True)) == {care_world.coordinator.pk}
    # someone else's change of where a person lives is also in the access log, which the person reads
    logged = AccessLogEntry.objects.filter(record_type="people.PlaceChange", subject_person_id=resident.pk)
    assert logged.count() == 5 and set(logged.values_list("actor_user_id", flat=True)) == {
        care_world.coordinator.user_id
    }
    last = changes.order_by("-at", "-pk").first()
    assert last is not None and logged.filter(record_id=f"{last.pk} home 22 → 22").exists()


def race(calls: list[Callable[[], Any]]) -> list[Any]:
    """The calls at the same moment, one thread (so one database connection) each."""
    barrier = threading.Barrier(len(calls), timeout=60)
    results: list[Any] = [None] * len(calls)

    def run(index: int) -> None:
        try:
            with translation.override("nl"):
                barrier.wait()
                results[index] = calls[index]()
        except Exception as error:  # every outcome, a crash included, is asserted by the test
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "no thread hangs (no deadlock)"
    return results


def needs_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions need the PostgreSQL server of the database suite")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_address_changes_at_once_let_exactly_three_through(care_world: CareWorld) -> None:
    needs_postgresql()
    helper = care_world.helper
    me = actor(helper)
    calls = [
        (lambda a=a: people_services.person_update(actor=me, person=Person.objects.get(pk=helper.pk), address=a))
        for a in ADDRESSES
    ]
    results = race(calls)
    passed = [r for r in results if isinstance(r, Person)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert [r for r in results if r not in passed and r not in refused] == [], "only clear refusals, no crash"
    assert len(passed) == settings.PLACE_CHANGES_PER_DAY["home"] == 3
    assert {r.code for r in refused} == {"limit"} and len(refused) == 17
    assert own_changes(helper, "home") == 3


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_reach_changes_at_once_let_exactly_five_through(care_world: CareWorld) -> None:
    needs_postgresql()
    offer = care_world.offer
    PlaceChange.objects.all().delete()
    calls = [(lambda n=n: reach(fresh(offer), f"{3 + n / 10:.1f}")) for n in range(20)]
    results = race(calls)
    passed = [r for r in results if isinstance(r, HelperOffer)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert [r for r in results if r not in passed and r not in refused] == [], "only clear refusals, no crash"
    assert len(passed) == 5 and {r.code for r in refused} == {"limit"}
    assert own_changes(offer.person, "reach") == 5
    assert PlaceChange.objects.filter(kind="reach").values("before").distinct().count() == 5, "each saw the last"
