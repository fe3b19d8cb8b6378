"""City staff triage structural signals (issue 17, item 5): forward (to which department), solved, not
applicable, with who and when; the list per district, status, category and month with the counts per month
and district; the photo only for them.  Residents, helpers and coordinators may not triage, by page or by the
service."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from apps.access.actors import actor_for_user
from apps.people.models import Person, Role
from apps.wellbeing import signals_service as service
from apps.wellbeing.models import Signal

from .conftest import World, client_for, make_person
from .signals_helpers import city_staff, photo_dir, tiny_jpeg, with_exif

pytestmark = pytest.mark.django_db
__all__ = ["photo_dir"]

BRUSSELS = ZoneInfo("Europe/Brussels")


def signal_in(district: Any, category: str = "no_bench", when: datetime | None = None, **fields: Any) -> Signal:
    values: dict[str, Any] = {"address": "Korenmarkt 1", "lat": 51.0545, "lon": 3.7215, **fields}
    if when is not None:
        values["created_at"] = when
    return Signal.objects.create(category=category, district=district, **values)


@pytest.fixture
def staff(world: World) -> Person:
    return city_staff(world.other_district)


def test_city_staff_forward_a_signal_to_a_department_with_who_and_when(world: World, staff: Person) -> None:
    signal = signal_in(world.district)
    client = client_for(staff)
    page = client.get(f"/nl/wellbeing/signals/{signal.pk}/")
    assert page.status_code == 200 and "Geen bank om even te rusten" in page.content.decode()
    answer = client.post(f"/nl/wellbeing/signals/{signal.pk}/", {"status": "forwarded", "forwarded_to": "Dienst Wegen"})
    assert answer.status_code == 302
    signal.refresh_from_db()
    assert (signal.status, signal.forwarded_to, signal.triaged_by) == ("forwarded", "Dienst Wegen", staff)
    assert signal.triaged_at is not None
    shown = client.get(f"/nl/wellbeing/signals/{signal.pk}/").content.decode()
    assert "Doorgestuurd naar een dienst" in shown and "Dienst Wegen" in shown and str(staff) in shown


def test_staff_do_not_see_who_reported_a_signal(world: World, staff: Person) -> None:
    """Triage needs the place, not the person: neither the list nor a signal's page names the reporter."""
    signal = signal_in(world.district, reporter=world.resident)
    client = client_for(staff)
    for url in ("/nl/wellbeing/signals/", f"/nl/wellbeing/signals/{signal.pk}/"):
        page = client.get(url).content.decode()
        assert world.resident.last_name not in page and world.resident.email not in page, url


def test_forwarding_needs_the_department_and_an_unknown_status_is_refused(world: World, staff: Person) -> None:
    signal = signal_in(world.district)
    client = client_for(staff)
    answer = client.post(f"/nl/wellbeing/signals/{signal.pk}/", {"status": "forwarded", "forwarded_to": "  "})
    assert answer.status_code == 400 and "Zeg naar welke dienst het werd doorgestuurd" in answer.content.decode()
    for status in ("new", "deleted", ""):
        assert client.post(f"/nl/wellbeing/signals/{signal.pk}/", {"status": status}).status_code == 400
    answer = client.post(f"/nl/wellbeing/signals/{signal.pk}/", {"status": "solved", "forwarded_to": "x" * 201})
    assert answer.status_code == 400
    signal.refresh_from_db()
    assert (signal.status, signal.forwarded_to, signal.triaged_at) == ("new", "", None)


def test_solved_and_not_applicable_keep_the_department_it_went_to(world: World, staff: Person) -> None:
    signal = signal_in(world.district)
    actor = actor_for_user(staff.user)
    service.signal_triage(actor=actor, signal=signal, status="forwarded", forwarded_to="De Lijn")
    service.signal_triage(actor=actor, signal=signal, status="solved")
    signal.refresh_from_db()
    assert (signal.status, signal.forwarded_to) == ("solved", "De Lijn")


def test_an_administrator_may_triage_too(world: World) -> None:
    admin = make_person("Ada", world.district, Role.ADMINISTRATOR)
    signal = signal_in(world.district)
    answer = client_for(admin).post(f"/nl/wellbeing/signals/{signal.pk}/", {"status": "not_applicable"})
    assert answer.status_code == 302
    assert Signal.objects.get().status == "not_applicable"


@pytest.mark.parametrize("who", ["resident", "helper", "coordinator"])
def test_residents_helpers_and_coordinators_may_not_triage(world: World, who: str) -> None:
    person = getattr(world, who)
    signal = signal_in(world.district, reporter=person)
    client = client_for(person)
    for url in (
        f"/nl/wellbeing/signals/{signal.pk}/",
        "/nl/wellbeing/signals/",
        f"/nl/wellbeing/signals/{signal.pk}/photo/",
    ):
        assert client.get(url).status_code == 403, url
    answer = client.post(f"/nl/wellbeing/signals/{signal.pk}/", {"status": "solved"})
    assert answer.status_code == 403
    with pytest.raises(PermissionDenied):
        service.signal_triage(actor=actor_for_user(person.user), signal=signal, status="solved")
    with pytest.raises(Http404):
        service.signal_for_staff(actor_for_user(person.user), signal.pk)
    signal.refresh_from_db()
    assert (signal.status, signal.triaged_by) == ("new", None), "even about their own signal"


def test_the_list_filters_by_district_status_category_and_month(world: World, staff: Person) -> None:
    november = datetime(2026, 11, 30, 23, 30, tzinfo=BRUSSELS)  # 22:30 UTC: still November in Ghent
    december = datetime(2026, 12, 1, 0, 30, tzinfo=BRUSSELS)  # 23:30 UTC on 30 November: December in Ghent
    a = signal_in(world.district, "no_bench", november, address="Veldstraat 10")
    b = signal_in(world.district, "dark_street", december, address="Kouter 5", status="solved")
    c = signal_in(world.other_district, "no_bench", december, address="Heirnislaan 3")
    client = client_for(staff)

    def listed(**query: str) -> set[int]:
        page = client.get("/nl/wellbeing/signals/", query)
        assert page.status_code == 200
        return {s.pk for s in (a, b, c) if f"/nl/wellbeing/signals/{s.pk}/" in page.content.decode()}

    assert listed() == {a.pk, b.pk, c.pk}
    assert listed(district=world.district.slug) == {a.pk, b.pk}
    assert listed(status="solved") == {b.pk}
    assert listed(category="no_bench") == {a.pk, c.pk}
    assert listed(month="2026-11") == {a.pk}
    assert listed(month="2026-12") == {b.pk, c.pk}
    assert listed(month="2026-12", district=world.district.slug, category="dark_street") == {b.pk}
    for bad in ("2026-13", "november", "0001-01", "2026-11-01\x00"):
        page = client.get("/nl/wellbeing/signals/", {"month": bad})
        assert page.status_code in (200, 400), bad
        if page.status_code == 200:
            assert "Er is een probleem" in page.content.decode(), bad
    page = client.get("/nl/wellbeing/signals/", {"month": "2026-13"}).content.decode()
    assert "Geef de maand als jaar en maand, bijvoorbeeld: 2026-11." in page


def test_counts_per_month_and_district_in_local_time(world: World, staff: Person) -> None:
    november = datetime(2026, 11, 30, 23, 30, tzinfo=BRUSSELS)
    december = datetime(2026, 12, 1, 0, 30, tzinfo=BRUSSELS)
    for when, district in ((november, world.district), (december, world.district), (december, world.district),
                           (december, world.other_district)):  # fmt: skip
        signal_in(district, when=when)
    counted = service.counts_per_month(service.signals_for_staff(actor_for_user(staff.user), service.StaffFilter()))
    assert [(row.month.isoformat(), row.district, row.count) for row in counted] == [
        ("2026-12-01", "Binnenstad", 2),
        ("2026-12-01", "Macharius - Heirnis", 1),
        ("2026-11-01", "Binnenstad", 1),
    ]
    page = client_for(staff).get("/nl/wellbeing/signals/", {"month": "2026-11"}).content.decode()
    assert "december 2026" in page, "the counts keep every month of the same filter"


def test_only_staff_see_the_photo_and_it_is_served_as_stored(world: World, staff: Person, photo_dir: Path) -> None:
    photo = SimpleUploadedFile("bank.jpg", with_exif(tiny_jpeg()), content_type="image/jpeg")
    client_for(world.resident).post(
        "/nl/wellbeing/signals/new/", {"category": "no_bench", "address": "Korenmarkt 1", "photo": photo}
    )
    signal = Signal.objects.get()
    url = f"/nl/wellbeing/signals/{signal.pk}/photo/"
    answer = client_for(staff).get(url)
    assert answer.status_code == 200 and answer["Content-Type"] == "image/jpeg"
    assert answer["X-Content-Type-Options"] == "nosniff" and "no-store" in answer["Cache-Control"]
    assert b"".join(answer.streaming_content) == tiny_jpeg()
    assert f'src="{url}"' in client_for(staff).get(f"/nl/wellbeing/signals/{signal.pk}/").content.decode()
    assert client_for(world.resident).get(url).status_code == 403, "not even the reporter"
    no_photo = signal_in(world.district)
    assert client_for(staff).get(f"/nl/wellbeing/signals/{no_photo.pk}/photo/").status_code == 404
    assert client_for(staff).get("/nl/wellbeing/signals/999999/photo/").status_code == 404
