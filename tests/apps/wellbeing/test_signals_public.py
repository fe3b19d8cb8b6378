"""The public page of a district's signals (issue 17, item 5): anyone, no account; per signal the category, the
street without its house number, the month and the status — never the reporter, the words, the photo, the
house number, the point or the day."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import translation

from apps.wellbeing import signals_service as service
from apps.wellbeing.models import Signal

from .conftest import World

pytestmark = pytest.mark.django_db

WHEN = datetime(2026, 10, 14, 9, 41, tzinfo=ZoneInfo("Europe/Brussels"))


@pytest.fixture
def signals(world: World) -> list[Signal]:
    common = {"district": world.district, "reporter": world.resident, "created_at": WHEN, "lat": 51.046937,
              "lon": 3.727884}  # fmt: skip
    return [
        Signal.objects.create(category="no_bench", address="Sint-Pietersnieuwstraat 33", photo="abc123.jpg",
                              description="Mevrouw Janssens van nummer 35 kan nergens rusten", **common),
        Signal.objects.create(category="dark_street", address="Kouter 29B", status="forwarded",
                              forwarded_to="Dienst Openbare Verlichting", triaged_by=world.coordinator, **common),
        Signal.objects.create(category="shop_closed", address="Veldstraat 1", status="not_applicable",
                              description="Ongepast", **common),
        Signal.objects.create(category="no_lift", address="", **common),
        Signal.objects.create(category="no_bench", address="Heirnislaan 3", **{**common,
                              "district": world.other_district}),
    ]  # fmt: skip


@pytest.mark.parametrize("language", ["nl", "en", "fr"])
def test_the_page_shows_category_street_month_and_status_without_an_account(
    world: World, signals: list[Signal], language: str
) -> None:
    page = Client().get(f"/{language}/wellbeing/signals/districts/{world.district.slug}/")
    assert page.status_code == 200
    text = page.content.decode()
    label = {"nl": "Geen bank om even te rusten", "en": "No bench to rest on", "fr": "Pas de banc pour se reposer"}
    month = {"nl": "oktober 2026", "en": "October 2026", "fr": "octobre 2026"}
    assert label[language] in text and month[language] in text
    assert "Sint-Pietersnieuwstraat" in text and "Kouter" in text


def test_nothing_that_identifies_a_person_or_a_reporter(world: World, signals: list[Signal]) -> None:
    page = Client().get(f"/nl/wellbeing/signals/districts/{world.district.slug}/").content.decode()
    text = page[page.index("<main") : page.index("</main>")]
    for secret in (
        "Sint-Pietersnieuwstraat 33", "Kouter 29B", " 33<", "29B",  # house numbers
        "Janssens", "nummer 35", "Ongepast",  # what reporters wrote
        world.resident.first_name, world.resident.last_name, world.coordinator.last_name,  # reporter, staff
        "Dienst Openbare Verlichting",  # a department is staff's working note
        "abc123", "<img", "/photo/",  # no photo
        "51.046937", "51,046937", "3.727884",  # no point
        "14 oktober", "9:41", "09:41",  # no day or time: the month only
        "Veldstraat",  # not applicable: left out
        "Heirnislaan",  # another district
        f"/wellbeing/signals/{signals[0].pk}/",  # no link to the staff's page
    ):  # fmt: skip
        assert secret not in text, secret
    assert "Doorgestuurd naar een dienst" in text and "(geen straat gegeven)" in text


def test_the_public_rows_are_read_from_four_columns_only(world: World, signals: list[Signal]) -> None:
    with translation.override("en"):
        rows = service.public_signals(world.district)
    assert [(row.category, row.street, row.month.isoformat(), row.status) for row in rows] == [
        ("No lift, or a lift that does not work", "", "2026-10-01", "New"),
        ("A dark street", "Kouter", "2026-10-01", "Forwarded to a department"),
        ("No bench to rest on", "Sint-Pietersnieuwstraat", "2026-10-01", "New"),
    ], "newest first (all sent at one moment: the last stored first); not applicable left out"
    assert set(vars(rows[0])) == {"category", "street", "month", "status"}


@pytest.mark.parametrize(
    ("stored", "street"),
    [
        ("Sint-Pietersnieuwstraat 33", "Sint-Pietersnieuwstraat"),
        ("Kouter 29B", "Kouter"),
        ("Hoogpoort 1/3", "Hoogpoort"),
        ("Burgstraat 12-14", "Burgstraat"),
        ("Dok-Noord", "Dok-Noord"),
        ("Sint-Pietersplein", "Sint-Pietersplein"),
        ("", ""),
    ],
)
def test_the_street_is_the_address_without_its_house_number(stored: str, street: str) -> None:
    assert service.street_of(stored) == street


def test_the_index_lists_every_district_with_its_count_and_the_menu_links_to_it(
    world: World, signals: list[Signal]
) -> None:
    text = Client().get("/nl/wellbeing/signals/districts/").content.decode()
    assert f'href="/nl/wellbeing/signals/districts/{world.district.slug}/"' in text
    row = text[text.index(f"/signals/districts/{world.district.slug}/") :]
    assert '<td data-label="Signalen" class="numeric">3</td>' in row[: row.index("</tr>")]
    assert 'href="/nl/wellbeing/signals/districts/"' in Client().get("/nl/").content.decode()


def test_an_unknown_district_is_not_found() -> None:
    assert Client().get("/nl/wellbeing/signals/districts/atlantis/").status_code == 404


def test_the_open_dataset_holds_what_the_public_pages_show_and_nothing_more(
    world: World, signals: list[Signal]
) -> None:
    answer = Client().get("/open-data/wellbeing/signals.csv")
    assert answer.status_code == 200
    lines = answer.content.decode().splitlines()
    assert lines[0] == "district_number,district,category,category_nl,category_en,category_fr,street,month,status"
    assert lines[1:] == [
        "1,Binnenstad,no_lift,"
        '"Geen lift, of een lift die niet werkt","No lift, or a lift that does not work",'
        '"Pas d’ascenseur, ou un ascenseur en panne",,2026-10,new',
        "1,Binnenstad,dark_street,Een donkere straat,A dark street,Une rue sombre,Kouter,2026-10,forwarded",
        "1,Binnenstad,no_bench,Geen bank om even te rusten,No bench to rest on,Pas de banc pour se reposer,"
        "Sint-Pietersnieuwstraat,2026-10,new",
        "3,Macharius - Heirnis,no_bench,Geen bank om even te rusten,No bench to rest on,"
        "Pas de banc pour se reposer,Heirnislaan,2026-10,new",
    ]
    listed = Client().get("/nl/open-data/").content.decode()
    assert "/open-data/wellbeing/signals.csv" in listed
