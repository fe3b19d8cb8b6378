"""The district view of wellbeing (issue 17, item 6): counts for the coordinators of a district and city staff,
small counts shown as "<10" and never recoverable from the totals shown beside them."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone, translation

from apps.people.models import Person, Role
from apps.wellbeing.district_view import district_view, quarters_until
from apps.wellbeing.models import OutreachCase, Screening, Signal, WorryReport

from .conftest import World, client_for, make_person

pytestmark = pytest.mark.django_db
BRUSSELS = ZoneInfo("Europe/Brussels")
TODAY = date(2026, 12, 7)


def cells(table: Any) -> list[list[str]]:
    return [[str(cell.text) for cell in row.cells] for row in table.rows]


def cases(world: World, days_open: list[int], **fields: Any) -> None:
    for days in days_open:
        opened = datetime.combine(TODAY - timedelta(days=days), datetime.min.time(), tzinfo=BRUSSELS)
        OutreachCase.objects.create(district=world.district, origin="observation", created_at=opened, **fields)


def screened(world: World, instrument: str, category: str, on: date, person: Person | None = None) -> Screening:
    moment = datetime.combine(on, datetime.min.time(), tzinfo=BRUSSELS).replace(hour=10)
    return Screening.objects.create(
        person=person or make_person("Anna", world.district), instrument=instrument, instrument_version="1",
        answer_format="3", category=category, mode="visit", district=world.district, taken_at=moment,
    )  # fmt: skip


def test_counts_below_ten_are_shown_as_less_than_ten_and_cannot_be_subtracted(world: World) -> None:
    cases(world, [1] * 12 + [10] * 3 + [40] * 20)  # 12 this week, 3 of 1-4 weeks, 20 of 1-3 months, none older
    with translation.override("en"):
        view = district_view(world.district, today=TODAY)
    # the 3 is hidden; alone beside the total it would be 35 − 12 − 20: the 12 goes with it (a hidden 0 would not
    # protect it: counts are never negative, so 0 and 3 could only move one way)
    assert cells(view.cases) == [["Cases", "x", "<10", "20", "0", "35"]]


def test_single_counts_on_their_own(world: World) -> None:
    for _ in range(3):
        WorryReport.objects.create(district=world.district, description="De buurman")
    WorryReport.objects.create(district=world.other_district, description="Elders")
    cases(world, [5] * 11, follow_up_on=TODAY)
    with translation.override("en"):
        view = district_view(world.district, today=TODAY)
    assert view.open_reports == "<10" and view.follow_ups_due == "11"


def test_screened_residents_per_quarter_count_each_person_once_in_their_last_category(world: World) -> None:
    anna = make_person("Anna", world.district)
    screened(world, "djg6", "severely_lonely", date(2026, 10, 5), person=anna)
    screened(world, "djg6", "moderately_lonely", date(2026, 11, 20), person=anna)  # later the same quarter: counts
    for _ in range(11):
        screened(world, "djg6", "not_lonely", date(2026, 11, 3))
    for _ in range(12):
        screened(world, "djg6", "moderately_lonely", date(2026, 8, 3))
    with translation.override("en"):
        view = district_view(world.district, today=TODAY)
    [table] = view.screenings
    assert table.caption.startswith("De Jong Gierveld") or "6" in table.caption
    rows = cells(table)
    assert [row[1:] for row in rows[:2]] == [["0", "0", "0", "0"], ["0", "0", "0", "0"]]  # first half of 2026
    assert rows[2][1:] == ["0", "12 (100%)", "0", "12"]  # July to September
    # October to December: 11 not lonely and Anna once, in her last category (moderately): the 1 is hidden, with
    # the 11 beside it and the two totals of their columns (a cycle: none of them can be worked out)
    assert rows[3][1:] == ["x", "<10", "0", "12"]
    assert rows[4][1:] == ["x", "x", "0", "24"]


def test_the_quarters_end_with_this_one() -> None:
    assert quarters_until(date(2026, 2, 1)) == [(2025, 2), (2025, 3), (2025, 4), (2026, 1)]


def test_signals_by_kind_and_status(world: World) -> None:
    for _ in range(10):
        Signal.objects.create(category="no_bench", district=world.district)
    for _ in range(12):
        Signal.objects.create(category="dark_street", district=world.district, status=Signal.Status.SOLVED)
    Signal.objects.create(category="no_lift", district=world.other_district)
    with translation.override("en"):
        view = district_view(world.district, today=TODAY)
    assert view.signals is not None
    rows = {row[0]: row[1:] for row in cells(view.signals)}
    assert not [name for name in rows if name.startswith("No lift")]  # the one without a lift is elsewhere
    assert len(rows) == 3  # two kinds and the totals
    assert rows["All kinds"][-1] == "22"


@pytest.mark.parametrize(("who", "status"), [("coordinator", 200), ("other_coordinator", 200), ("helper", 403),
                                             ("resident", 403), ("anonymous", 302)])  # fmt: skip
def test_who_may_open_the_view(world: World, who: str, status: int) -> None:
    response = world.client(who).get("/en/wellbeing/district/")
    assert response.status_code == status


def test_a_coordinator_sees_their_own_district_and_cannot_ask_for_another(world: World) -> None:
    cases(world, [1] * 12)
    client = world.client("coordinator")
    page = client.get("/en/wellbeing/district/").content.decode()
    assert world.district.name in page and "12" in page
    assert client.get(f"/en/wellbeing/district/?district={world.other_district.pk}").status_code == 404
    assert client.get("/en/wellbeing/district/?district=NaN").status_code == 404
    assert client.get("/en/wellbeing/district/?district=1%00").status_code in {400, 404}


def test_city_staff_choose_any_district(world: World) -> None:
    official = make_person("Ilse", world.district, Role.CITY_STAFF)
    client = client_for(official)
    page = client.get(f"/en/wellbeing/district/?district={world.other_district.pk}").content.decode()
    assert f"Wellbeing in {world.other_district.name}" in page


def test_the_page_names_no_one(world: World) -> None:
    WorryReport.objects.create(district=world.district, description="De man met de grijze hond", street="Veldstraat")
    screened(world, "ucla3", "lonely", TODAY)
    page = world.client("coordinator").get("/nl/wellbeing/district/").content.decode()
    assert "grijze hond" not in page and "Veldstraat" not in page and "Anna" not in page
    assert timezone.now()  # the page rendered with the clock of the test
