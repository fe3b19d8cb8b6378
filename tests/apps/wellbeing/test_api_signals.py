"""The API of structural signals (issue 17, item 7): anyone signed in sends one (JSON, no photo) with the form's
rules; the public list per district holds exactly the four fields of the public page; the reporter sees their own;
city staff list, filter and triage, never seeing who reported.

Korenmarkt 1 lies in district 1 (Binnenstad); the point 51.0545, 3.7215 too; 50.85, 4.35 is Brussels, outside.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client, override_settings

from apps.people.models import Person, Role
from apps.wellbeing.models import Signal

from .conftest import World, client_for, make_person
from .signals_helpers import city_staff, photo_dir

pytestmark = pytest.mark.django_db
__all__ = ["photo_dir"]

BRUSSELS = ZoneInfo("Europe/Brussels")
URL = "/api/v1/wellbeing/signals"


def post(client: Client, url: str, body: Any) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def signal_in(district: Any, category: str = "no_bench", **fields: Any) -> Signal:
    values: dict[str, Any] = {"address": "Korenmarkt 1", "lat": 51.0545, "lon": 3.7215, **fields}
    return Signal.objects.create(category=category, district=district, **values)


@pytest.fixture
def staff(world: World) -> Person:
    return city_staff(world.other_district)


# --- sending ---------------------------------------------------------------------------------------------


def test_a_resident_sends_a_signal_by_address_and_sees_it_among_their_own(world: World, photo_dir: Any) -> None:
    client = client_for(world.resident)
    body = {"category": "no_bench", "address": "Korenmarkt 1", "description": "De bank is weg."}
    answer = post(client, URL, body)
    assert answer.status_code == 201, answer.content
    signal = Signal.objects.get()
    assert (signal.district, signal.reporter, signal.address, signal.photo) == (
        world.district, world.resident, "Korenmarkt 1", "",
    )  # fmt: skip
    data = answer.json()
    assert data["id"] == signal.pk and data["category"]["code"] == "no_bench" and data["status"] == "new"
    assert "triaged_by" not in data and "description" not in data
    mine = client.get(f"{URL}/mine").json()
    assert mine["count"] == 1 and mine["items"][0]["id"] == signal.pk


def test_a_signal_by_a_point_gets_its_district_from_the_point(world: World) -> None:
    answer = post(client_for(world.helper), URL, {"category": "dark_street", "lat": 51.0545, "lon": 3.7215})
    assert answer.status_code == 201, answer.content
    assert Signal.objects.get().district == world.district


@pytest.mark.parametrize(
    ("body", "part"),
    [
        ({"category": "nonsense", "address": "Korenmarkt 1"}, "category:"),
        ({"category": "no_bench"}, "address:"),
        ({"category": "no_bench", "address": "Korenmarkt 1", "lat": 51.05, "lon": 3.72}, "address:"),
        ({"category": "no_bench", "lat": 51.05}, "lon:"),
        ({"category": "no_bench", "lat": 50.85, "lon": 4.35}, "lat:"),
        ({"category": "no_bench", "address": "Straat die niet bestaat 1"}, "address:"),
        ({"category": "no_bench", "address": "Korenmarkt 1", "description": "x" * 1001}, ""),
        ({"category": "no_bench", "address": "Korenmarkt\x00 1"}, ""),
        ({"category": "no_bench", "lat": -91, "lon": 3.7}, ""),
    ],
)
def test_bad_input_is_refused_with_a_message_and_stores_nothing(world: World, body: dict[str, Any], part: str) -> None:
    answer = post(client_for(world.resident), URL, body)
    assert answer.status_code == 422, answer.content
    assert part in answer.json()["detail"]
    assert not Signal.objects.exists()


def test_nan_is_refused(world: World) -> None:
    raw = '{"category": "no_bench", "lat": NaN, "lon": 3.7}'
    answer = client_for(world.resident).post(URL, raw, content_type="application/json")
    assert answer.status_code == 422 and not Signal.objects.exists()


@override_settings(WELLBEING_SIGNALS_PER_DAY=1)
def test_the_daily_limit_of_the_page_holds(world: World) -> None:
    client = client_for(world.resident)
    assert post(client, URL, {"category": "no_bench", "address": "Korenmarkt 1"}).status_code == 201
    again = post(client, URL, {"category": "no_lift", "address": "Korenmarkt 1"})
    assert again.status_code == 429 and Signal.objects.count() == 1


def test_a_visitor_must_log_in(world: World) -> None:
    client = Client()
    assert post(client, URL, {"category": "no_bench", "address": "Korenmarkt 1"}).status_code == 401
    assert client.get(f"{URL}/mine").status_code == 401
    assert client.get(URL).status_code == 401
    assert not Signal.objects.exists()


def test_a_person_sees_only_their_own_signals(world: World) -> None:
    signal_in(world.district, reporter=world.helper)
    mine = client_for(world.resident).get(f"{URL}/mine")
    assert mine.status_code == 200 and mine.json() == {"count": 0, "items": []}


# --- public ----------------------------------------------------------------------------------------------


def test_the_public_list_of_a_district_shows_exactly_what_its_page_shows(world: World) -> None:
    signal_in(world.district, reporter=world.resident, description="Mijn buurvrouw Maria kan niet meer buiten",
              address="Sint-Pietersnieuwstraat 33", created_at=datetime(2026, 11, 5, 10, tzinfo=BRUSSELS))  # fmt: skip
    signal_in(world.district, status=Signal.Status.NOT_APPLICABLE)
    answer = Client().get(f"/api/v1/wellbeing/districts/{world.district.pk}/signals", HTTP_ACCEPT_LANGUAGE="nl")
    assert answer.status_code == 200
    data = answer.json()
    assert data["count"] == 1, "a not applicable one is left out, as on the page"
    assert data["items"] == [
        {"category": "Geen bank om even te rusten", "street": "Sint-Pietersnieuwstraat", "month": "2026-11-01",
         "status": "Nieuw"}
    ]  # fmt: skip
    text = answer.content.decode()
    for secret in ("Maria", "33", world.resident.first_name, "51.05", "3.72"):
        assert secret not in text
    page = Client().get(f"/nl/wellbeing/signals/districts/{world.district.slug}/").content.decode()
    assert "Geen bank om even te rusten" in page and "Sint-Pietersnieuwstraat" in page


def test_the_public_counts_and_a_missing_district(world: World) -> None:
    signal_in(world.district)
    counts = {
        row["district"]["id"]: row["signals"] for row in Client().get("/api/v1/wellbeing/districts/signals").json()
    }
    assert counts[world.district.pk] == 1 and counts[world.other_district.pk] == 0
    for bad in ("999999", "-1", "0"):
        assert Client().get(f"/api/v1/wellbeing/districts/{bad}/signals").status_code == 404, bad
    assert Client().get("/api/v1/wellbeing/districts/abc/signals").status_code in {404, 422}


# --- staff -----------------------------------------------------------------------------------------------


def test_staff_list_filter_and_read_a_signal_without_its_reporter(world: World, staff: Person) -> None:
    first = signal_in(world.district, reporter=world.resident, description="De bank is weg")
    signal_in(world.other_district, category="no_lift", reporter=world.resident)
    client = client_for(staff)
    everything = client.get(URL).json()
    assert everything["count"] == 2
    only = client.get(f"{URL}?district_id={world.district.pk}&category_code=no_bench&status=new").json()
    assert [item["id"] for item in only["items"]] == [first.pk]
    one = client.get(f"{URL}/{first.pk}")
    assert one.status_code == 200 and one.json()["description"] == "De bank is weg"
    for answer in (client.get(URL), one):
        text = answer.content.decode()
        assert world.resident.first_name not in text and "reporter" not in text


@pytest.mark.parametrize(
    "query",
    ["district_id=999999", "district_id=-1", "category_code=nonsense", "month=2026-13", "month=abcd", "status=x",
     "limit=101", "month=1999-01"],
)  # fmt: skip
def test_a_bad_filter_is_refused(world: World, staff: Person, query: str) -> None:
    assert client_for(staff).get(f"{URL}?{query}").status_code == 422


def test_staff_triage_and_a_department_is_needed_to_forward(world: World, staff: Person) -> None:
    signal = signal_in(world.district)
    client = client_for(staff)
    refused = post(client, f"{URL}/{signal.pk}/triage", {"status": "forwarded"})
    assert refused.status_code == 422 and "forwarded_to:" in refused.json()["detail"]
    assert post(client, f"{URL}/{signal.pk}/triage", {"status": "new"}).status_code == 422
    signal.refresh_from_db()
    assert signal.status == "new" and signal.triaged_by is None
    answer = post(client, f"{URL}/{signal.pk}/triage", {"status": "forwarded", "forwarded_to": "Dienst Wegen"})
    assert answer.status_code == 200 and answer.json()["forwarded_to"] == "Dienst Wegen"
    signal.refresh_from_db()
    assert (signal.status, signal.triaged_by) == ("forwarded", staff)
    assert post(client, f"{URL}/999999/triage", {"status": "solved"}).status_code == 404


@pytest.mark.parametrize("who", ["resident", "helper", "coordinator"])
def test_other_roles_may_not_list_read_or_triage(world: World, who: str) -> None:
    signal = signal_in(world.district, reporter=getattr(world, who))
    client = client_for(getattr(world, who))
    assert client.get(URL).status_code == 403
    assert client.get(f"{URL}/{signal.pk}").status_code == 403, "not even their own, through the staff's route"
    assert post(client, f"{URL}/{signal.pk}/triage", {"status": "solved"}).status_code == 403
    signal.refresh_from_db()
    assert signal.status == "new"


def test_an_administrator_may_triage(world: World) -> None:
    admin = make_person("Ada", world.district, Role.ADMINISTRATOR)
    signal = signal_in(world.district)
    answer = post(client_for(admin), f"{URL}/{signal.pk}/triage", {"status": "solved"})
    assert answer.status_code == 200 and answer.json()["status"] == "solved"
