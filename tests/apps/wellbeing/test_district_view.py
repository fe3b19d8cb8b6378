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
    # no total beside them (cases change column every day: two days' totals could be subtracted): the 3 is "<10"
    assert cells(view.cases) == [["Cases", "12", "<10", "20", "0"]]


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
    screened(world, "djg6", "severely_lonely", date(2027, 1, 10))  # this quarter: not over, not shown
    with translation.override("en"):
        view = district_view(world.district, today=date(2027, 1, 15))
    [table] = view.screenings
    rows = cells(table)
    assert [row[0] for row in rows] == ["January 2026 to March 2026", "April 2026 to June 2026",
                                        "July 2026 to September 2026", "October 2026 to December 2026"]  # fmt: skip
    assert [row[1:] for row in rows[:2]] == [["0", "0", "0", "0"], ["0", "0", "0", "0"]]
    assert rows[2][1:] == ["0", "12 (100%)", "0", "12"]
    # 11 not lonely and Anna once, in her last category (moderately): the 1 is hidden with the 11 beside it
    assert rows[3][1:] == ["x", "<10", "0", "12"]


def test_two_days_in_a_row_show_the_same_quarters_the_same_way(world: World) -> None:
    """What an attacker subtracted before: a window of quarters with column totals, protected anew every day."""
    for quarter_month, counts in ((2, (3, 20, 14)), (5, (12, 15, 11)), (8, (13, 14, 12)), (11, (11, 16, 15))):
        for category, count in zip(("not_lonely", "moderately_lonely", "severely_lonely"), counts, strict=True):
            for _ in range(count):
                screened(world, "djg6", category, date(2026, quarter_month, 3))
    with translation.override("en"):
        before = cells(district_view(world.district, today=date(2026, 12, 31)).screenings[0])
        after = cells(district_view(world.district, today=date(2027, 1, 1)).screenings[0])
    assert before[1:] == after[:3]  # the quarters both days show are shown alike
    assert before[1][1] == after[0][1] == "<10"  # the 3 of January to March stays hidden, both days
    assert after[3][1:] == ["11 (26%)", "16 (38%)", "15 (36%)", "42"]


def test_the_quarters_are_the_last_four_that_are_over() -> None:
    assert quarters_until(date(2026, 2, 1)) == [(2025, 1), (2025, 2), (2025, 3), (2025, 4)]
    assert quarters_until(date(2026, 12, 31)) == [(2025, 4), (2026, 1), (2026, 2), (2026, 3)]


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
