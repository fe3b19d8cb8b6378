"""Migration care 0004 gives every existing request a shown position: one per house, within the ring."""

from __future__ import annotations

import random
import secrets

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from apps.people.models import Person
from apps.places.models import District
from domain.geo import shown

BEFORE = [("care", "0003_care_request_status_category_index")]


@pytest.mark.django_db(transaction=True)
def test_existing_requests_get_a_shown_position_one_per_house(monkeypatch: pytest.MonkeyPatch) -> None:
    # The migration draws from the operating system's random source; two independent draws for one house
    # land on the same grid point about once in 60.  A seeded source (whose draws differ) makes the check
    # below about *which* requests share a draw, not about luck.
    monkeypatch.setattr(secrets, "SystemRandom", lambda: random.Random(11))
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        old = executor.loader.project_state(BEFORE).apps
        if not District.objects.exists():
            call_command("load_districts", verbosity=0)
        district = District.objects.order_by("number").first()
        assert district is not None
        houses = [(district.interior_lat, district.interior_lon), (district.interior_lat + 0.01, district.interior_lon)]
        category = old.get_model("care", "CareCategory").objects.create(
            code="shopping", name_nl="Boodschappen", name_en="Shopping", name_fr="Courses"
        )
        request_model = old.get_model("care", "CareRequest")
        people = [
            Person.objects.create(first_name=f"P{n}", last_name="Test", lat=lat, lon=lon, district=district)
            for n, (lat, lon) in enumerate([houses[0], houses[1], houses[0]])
        ]
        # two requests of one person at one house, one elsewhere, and a neighbour's at the same coordinates
        for person, (lat, lon) in zip(
            [people[0], people[0], people[1], people[2]], [houses[0], houses[0], houses[1], houses[0]], strict=True
        ):
            request_model.objects.create(
                person_id=person.pk, category=category, street="Straat", lat=lat, lon=lon, district_id=district.pk
            )
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    from apps.care.models import CareRequest

    rows = list(CareRequest.objects.order_by("pk").values_list("lat", "lon", "shown_lat", "shown_lon"))
    assert len(rows) == 4
    first, same_house, elsewhere, other_person = rows
    assert first[2:] == same_house[2:], "one person's two requests from one house share one shown position"
    assert elsewhere[2:] != first[2:]
    assert other_person[2:] != first[2:], "another person at the same coordinates gets a shown position of their own"
    low = shown.guaranteed_distance_m(settings.CARE_SHOWN_OFFSET_MIN_M, settings.CARE_SHOWN_GRID_M)
    high = settings.CARE_SHOWN_OFFSET_MAX_M + settings.CARE_SHOWN_GRID_M / 2**0.5
    for lat, lon, shown_lat, shown_lon in rows:
        assert low - 0.01 <= shown.ground_m(lat, lon, shown_lat, shown_lon) <= high + 0.01
