""" "I am worried about a neighbour", as a neighbour without an account would use it (issue 17, item 3).

The page speaks the language of its address, needs no account, locates the address in its district, stores
exactly what was sent and shows none of it back; bad input gets a message beside its field and stores nothing;
the limits per network and per address hold, one after the other (twenty at once: ``test_worried_parallel.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.test import Client, override_settings

from apps.wellbeing import services
from apps.wellbeing.models import RateBucket, WorryReport

from .conftest import GOOD, World

pytestmark = pytest.mark.django_db

HEADINGS = [
    ("nl", "Ik maak me zorgen over een buur"),
    ("en", "I am worried about a neighbour"),
    ("fr", "Je m’inquiète pour un voisin"),
]


@pytest.mark.parametrize(("language", "heading"), HEADINGS)
def test_the_form_needs_no_account_and_speaks_the_language_of_its_address(language: str, heading: str) -> None:
    page = Client().get(f"/{language}/wellbeing/worried/")
    assert page.status_code == 200
    assert f"<h1>{heading}</h1>" in page.content.decode()


def test_the_public_menu_leads_to_the_form(world: World) -> None:
    for who in ("anonymous", "resident", "coordinator"):
        assert 'href="/nl/wellbeing/worried/"' in world.client(who).get("/nl/").content.decode(), who


def test_an_anonymous_report_about_an_address_lands_in_its_district_and_shows_nothing_back(
    world: World, post_report: Callable[..., Any]
) -> None:
    answer = post_report(address="sint pietersnieuwstraat 33")
    assert answer.status_code == 302 and answer["Location"] == "/nl/wellbeing/worried/thanks/"
    report = WorryReport.objects.get()
    assert (report.street, report.house_number, report.postal_code) == ("Sint-Pietersnieuwstraat", "33", "9000")
    assert report.district == world.district and not report.district_chosen
    assert report.signs == ["mail", "curtains"] and report.noticed == GOOD["noticed"]
    assert (report.reporter_name, report.reporter_phone, report.reporter_email) == ("", "", "")
    assert report.status == "new" and report.picked_up_at is None, "nothing happens on a report alone"
    thanks = Client().get(answer["Location"]).content.decode()
    for sent in ("Pietersnieuwstraat", "brievenbus", "Binnenstad", f"/{report.pk}/", "Gordijnen"):
        assert sent not in thanks


def test_a_description_with_a_chosen_district_and_a_contact(world: World, post_report: Callable[..., Any]) -> None:
    answer = post_report(
        language="fr", address="", description="La dame au chien, coin de la place", district=world.other_district.pk,
        signs=[], noticed="Je ne la vois plus.", name="Anne", phone="0470 12 34 56", email="anne@example.org",
    )  # fmt: skip
    assert answer.status_code == 302
    report = WorryReport.objects.get()
    assert report.district == world.other_district and report.district_chosen
    assert (report.street, report.signs) == ("", [])
    assert (report.reporter_phone, report.reporter_email, report.language) == ("+32470123456", "anne@example.org", "fr")


BAD: list[tuple[str, dict[str, Any], str, str]] = [
    ("nobody", {"address": ""}, "address", "Give an address, or describe who you mean."),
    (
        "no district",
        {"address": "", "description": "de buurman"},
        "district",
        "Choose the district, or give an address.",
    ),
    ("nothing noticed", {"signs": [], "noticed": ""}, "signs", "Tick what you noticed, or tell us in your own words."),
    ("unknown street", {"address": "Nergensstraat 4"}, "address", "We do not know this street in the city."),
    ("no number", {"address": "Korenmarkt"}, "address", "Add the house number after the street name."),
    ("unknown sign", {"signs": ["haunted"]}, "signs", "Select a valid choice."),
    (
        "unknown district",
        {"address": "", "description": "x", "district": "99999"},
        "district",
        "Select a valid choice.",
    ),
    ("huge text", {"noticed": "x" * 1001}, "noticed", "at most 1000 characters"),
    ("huge description", {"description": "x" * 501}, "description", "at most 500 characters"),
    ("NUL", {"noticed": "hallo\x00daar"}, "noticed", "Null characters are not allowed."),
    ("bad phone", {"phone": "12"}, "phone", "This phone number does not exist. Check the digits."),
    ("bad email", {"email": "anne@"}, "email", "Enter a valid email address."),
]


@pytest.mark.parametrize(("case", "fields", "field", "message"), BAD, ids=[case for case, *_ in BAD])
def test_bad_input_gets_a_message_beside_its_field_and_stores_nothing(
    world: World, post_report: Callable[..., Any], case: str, fields: dict[str, Any], field: str, message: str
) -> None:
    page = post_report(language="en", **fields)
    assert page.status_code == 200
    form = page.context["form"]
    assert any(message in error for error in form.errors.get(field, [])), form.errors
    assert 'role="alert"' in page.content.decode(), "the error summary"
    assert WorryReport.objects.count() == 0 and RateBucket.objects.count() == 0


@override_settings(WELLBEING_REPORTS_PER_NETWORK=2, WELLBEING_REPORTS_PER_ADDRESS=10)
def test_a_network_over_its_limit_is_told_and_nothing_is_stored(world: World, post_report: Callable[..., Any]) -> None:
    assert post_report(address="Korenmarkt 1").status_code == 302
    assert post_report(address="Sint-Pietersnieuwstraat 33").status_code == 302
    third = post_report(language="en", address="Sleepstraat 20")
    assert third.status_code == 429
    assert "You have sent as many reports as we accept in one day" in third.content.decode()
    assert WorryReport.objects.count() == 2
    assert list(RateBucket.objects.values_list("scope", "count").order_by("scope")) == [
        ("report_address", 1), ("report_address", 1), ("report_network", 2),
    ]  # fmt: skip
    other_network = post_report(client=Client(REMOTE_ADDR="10.9.8.7"), address="Sleepstraat 20")
    assert other_network.status_code == 302 and WorryReport.objects.count() == 3


@override_settings(WELLBEING_REPORTS_PER_NETWORK=10, WELLBEING_REPORTS_PER_ADDRESS=2)
def test_an_address_over_its_limit_stores_nothing_and_tells_the_sender_nothing(
    world: World, post_report: Callable[..., Any]
) -> None:
    """The same thank-you: "this address was reported often" would say something about the person."""
    answers = [post_report(address=typed) for typed in ("Korenmarkt 1", "korenmarkt 1, 9000 Gent", "KORENMARKT 1")]
    assert [a.status_code for a in answers] == [302, 302, 302]
    assert len({a["Location"] for a in answers}) == 1
    assert WorryReport.objects.count() == 2
    network = RateBucket.objects.get(scope="report_network")
    assert network.count == 3, "the refused one still counts for its network"
    assert post_report(address="Korenmarkt 3").status_code == 302, "another house is another address"
    assert WorryReport.objects.count() == 3


def test_a_description_alone_counts_only_for_the_network(world: World, post_report: Callable[..., Any]) -> None:
    post_report(address="", description="de man met de hond", district=world.district.pk)
    assert list(RateBucket.objects.values_list("scope", flat=True)) == ["report_network"]


def test_the_windows_are_fixed_and_counted_from_the_year_2000() -> None:
    """Worked out by hand: 2000-01-01 is the first window's start, so 9 January at noon lies in the second
    week (from 8 January), and 7 December 2026 at 17:46 in the day that started at midnight UTC."""
    week, day = timedelta(days=7), timedelta(hours=24)
    assert services.window_start(datetime(2000, 1, 9, 12, tzinfo=UTC), week) == datetime(2000, 1, 8, tzinfo=UTC)
    assert services.window_start(datetime(2000, 1, 8, tzinfo=UTC), week) == datetime(2000, 1, 8, tzinfo=UTC)
    assert services.window_start(datetime(2026, 12, 7, 17, 46, tzinfo=UTC), day) == datetime(2026, 12, 7, tzinfo=UTC)


def test_a_limit_counts_again_in_the_next_window(world: World) -> None:
    week = timedelta(days=7)
    monday = datetime(2026, 12, 7, 9, tzinfo=UTC)
    took = [services.rate_take(scope="t", key="k", limit=2, window=week, now=monday) for _ in range(3)]
    assert took == [True, True, False]
    later = monday + week
    assert services.rate_take(scope="t", key="k", limit=2, window=week, now=later)
    assert services.rate_take(scope="t", key="other", limit=2, window=week, now=monday), "another key: its own count"
