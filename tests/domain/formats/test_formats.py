"""The Django-free formats: phone numbers, addresses, durations and "just now"."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from domain.formats import (
    Duration,
    duration_parts,
    hours_to_minutes,
    is_just_now,
    national_phone,
    one_line_address,
    phone_search_keys,
    phone_terms,
)

# --- phone numbers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("+32477503067", "0477 50 30 67"),  # mobile
        ("+3292251234", "09 225 12 34"),  # Ghent zone number
        ("+3225123456", "02 512 34 56"),  # Brussels
        ("+3250123456", "050 12 34 56"),  # Bruges: a zone of two digits after the 0
        ("+32 9 266 11 11", "09 266 11 11"),  # stored with spaces (a place's number)
        ("0477 50 30 67", "0477 50 30 67"),  # stored nationally
        ("+33612345678", "+33 6 12 34 56 78"),  # foreign: international, so it can be dialled
        ("+31201234567", "+31 20 123 4567"),
    ],
)
def test_phone_numbers_are_shown_as_a_belgian_reads_them(stored: str, shown: str) -> None:
    assert national_phone(stored) == shown


@pytest.mark.parametrize("stored", ["12", "+32 12", "call the neighbour", "0477 50 30", "+3200000000"])
def test_a_number_that_is_not_valid_is_shown_as_stored(stored: str) -> None:
    assert national_phone(stored) == stored


def test_an_empty_number_stays_empty() -> None:
    assert national_phone("") == ""
    assert national_phone("  ") == "  "


@pytest.mark.parametrize(
    "typed",
    ["+32 477 50.30.67", "0477/503067", "0032477503067", "0477 50 30 67", "0477-50-30-67", "+32477503067",
     "0032 (0)477 50 30 67".replace("(0)", "")],
)
def test_every_way_of_typing_a_belgian_number_gives_the_same_keys(typed: str) -> None:
    assert phone_search_keys(typed) == ["+32477503067", "0477503067"]


def test_the_beginning_of_a_number_gives_beginnings() -> None:
    assert phone_search_keys("0477 50") == ["+3247750", "047750"]


def test_a_foreign_number_gives_its_international_form_only() -> None:
    assert phone_search_keys("+33 6 12 34 56 78") == ["+33612345678"]
    assert phone_search_keys("0033612345678") == ["+33612345678"]


def test_digits_without_a_leading_zero_or_plus_are_searched_as_they_are() -> None:
    assert phone_search_keys("503067") == ["503067"]
    assert phone_search_keys("abc") == []


@pytest.mark.parametrize(
    ("query", "numbers", "words"),
    [
        ("0477 50 30 67", ["0477 50 30 67"], []),
        ("Peeters 0477/503067", ["0477/503067"], ["Peeters"]),
        ("+32 477 50.30.67 Peeters", ["+32 477 50.30.67"], ["Peeters"]),
        ("Kanunnikstraat 48", [], ["Kanunnikstraat", "48"]),
        ("48 0477", ["0477"], ["48"]),
        ("0477 +32 9 225 12 34", ["0477", "+32 9 225 12 34"], []),
        ("Jan", [], ["Jan"]),
        ("0", [], ["0"]),
    ],
)
def test_a_query_is_split_into_numbers_and_words(query: str, numbers: list[str], words: list[str]) -> None:
    assert phone_terms(query) == (numbers, words)


# --- addresses ------------------------------------------------------------------------------------


def test_an_address_reads_street_number_postcode_municipality() -> None:
    assert one_line_address("Kanunnikstraat", "48", "9000", "Gent") == "Kanunnikstraat 48, 9000 Gent"


def test_missing_parts_are_left_out_with_their_comma() -> None:
    assert one_line_address("Kanunnikstraat", "48") == "Kanunnikstraat 48"
    assert one_line_address("", "", "9000", "Gent") == "9000 Gent"
    assert one_line_address("Kanunnikstraat", "", "9000") == "Kanunnikstraat, 9000"
    assert one_line_address("") == ""


# --- durations ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("minutes", "parts"),
    [
        (0, Duration(Decimal(0), 0)),
        (1, Duration(Decimal(0), 1)),
        (45, Duration(Decimal(0), 45)),
        (59, Duration(Decimal(0), 59)),
        (60, Duration(Decimal(1), 0)),
        (61, Duration(Decimal(1), 1)),
        (80, Duration(Decimal(1), 20)),
        (90, Duration(Decimal("1.5"), 0)),
        (120, Duration(Decimal(2), 0)),
        (150, Duration(Decimal("2.5"), 0)),
        (Decimal("44.6"), Duration(Decimal(0), 45)),
        (-5, Duration(Decimal(0), 0)),
    ],
)
def test_durations_are_split_as_they_are_said(minutes: int | Decimal, parts: Duration) -> None:
    assert duration_parts(minutes) == parts


def test_whole_hours_are_told_apart_from_half_hours() -> None:
    assert duration_parts(60).whole_hours
    assert not duration_parts(90).whole_hours


@pytest.mark.parametrize(("hours", "minutes"), [(Decimal("1.5"), 90), (Decimal("0.25"), 15), (1, 60), (0.75, 45)])
def test_hours_as_typed_become_minutes(hours: Decimal | int | float, minutes: int) -> None:
    assert hours_to_minutes(hours) == minutes


# --- just now -------------------------------------------------------------------------------------


def test_less_than_a_minute_ago_is_just_now() -> None:
    now = datetime(2026, 12, 7, 14, 57, tzinfo=UTC)
    assert is_just_now(now, now)
    assert is_just_now(now - timedelta(seconds=59), now)
    assert is_just_now(now + timedelta(seconds=5), now)
    assert not is_just_now(now - timedelta(minutes=1), now)
