"""The offline address finder: forgiving about how people type, never guessing silently."""

from __future__ import annotations

import csv
import random
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.geo.addresses import CrabGeocoder, NoteKind, Reason, street_key

DATA = Path(__file__).resolve().parents[3] / "data" / "gent"


@cache
def finder() -> CrabGeocoder:
    return CrabGeocoder.from_csv(DATA / "addresses-crab2014.csv")


@pytest.mark.parametrize(
    ("typed", "street", "number", "postcode"),
    [
        ("Sint-Pietersnieuwstraat 33, 9000 Gent", "Sint-Pietersnieuwstraat", "33", "9000"),
        ("sint pietersnieuwstr 33", "Sint-Pietersnieuwstraat", "33", "9000"),
        ("ST-PIETERSNIEUWSTR. 33", "Sint-Pietersnieuwstraat", "33", "9000"),
        ("Korenmarkt 1", "Korenmarkt", "1", "9000"),
        ("Overpoortstr 49", "Overpoortstraat", "49", "9000"),
        ("Lubeckstraat 3", "Lübeckstraat", "3", "9000"),
        ("Kerkstraat 1 9050", "Kerkstraat", "1", "9050"),
    ],
)
def test_finds_addresses_as_people_type_them(typed: str, street: str, number: str, postcode: str) -> None:
    result = finder().find(typed)
    assert result.address is not None, result
    assert (result.address.street, result.address.house_number, result.address.postcode) == (street, number, postcode)
    assert result.understood is None


def test_a_typo_is_found_and_said() -> None:
    result = finder().find("Korenmrakt 1")
    assert result.address is not None and result.address.street == "Korenmarkt"
    assert result.understood == "Korenmarkt"


def test_a_number_missing_from_the_2014_register_is_estimated_between_neighbours_and_said() -> None:
    result = finder().find("Sint-Pietersnieuwstr 12")
    assert result.address is not None
    assert (result.address.street, result.address.house_number) == ("Sint-Pietersnieuwstraat", "12")
    assert result.note is not None and result.note.kind is NoteKind.INTERPOLATED
    assert (result.note.lower, result.note.upper) == ("6", "18")
    six, eighteen = (
        finder().find("Sint-Pietersnieuwstraat 6").address,
        finder().find("Sint-Pietersnieuwstraat 18").address,
    )
    assert six and eighteen
    assert min(six.lat, eighteen.lat) <= result.address.lat <= max(six.lat, eighteen.lat)


def test_a_box_number_is_kept_and_said() -> None:
    result = finder().find("Sint-Pietersnieuwstraat 33 bus 3")
    assert result.address is not None and result.address.house_number == "33"
    assert result.note is not None and result.note.kind is NoteKind.BOX and result.note.typed == "3"


def test_an_unknown_street_gives_the_closest_names_not_a_guess() -> None:
    result = finder().find("Nergensstraat 4")
    assert result.address is None
    assert result.reason is Reason.UNKNOWN_STREET
    assert 1 <= len(result.suggestions) <= 5


def test_an_unknown_house_number_far_from_any_gives_the_nearest_numbers() -> None:
    result = finder().find("Korenmarkt 999")
    assert result.address is None and result.reason is Reason.UNKNOWN_NUMBER
    assert all(s.startswith("Korenmarkt ") for s in result.suggestions)


def test_a_street_in_the_wrong_postcode() -> None:
    result = finder().find("Korenmarkt 1, 9050 Gentbrugge")
    assert result.address is None and result.reason is Reason.STREET_NOT_IN_POSTCODE
    assert result.suggestions == ["Korenmarkt, 9000"]


def test_without_a_house_number() -> None:
    result = finder().find("Korenmarkt")
    assert result.reason is Reason.NO_HOUSE_NUMBER
    assert "Korenmarkt" in result.suggestions


def test_abbreviations_expand() -> None:
    assert street_key("Kortrijksestwg") == street_key("Kortrijksesteenweg")
    assert street_key("Graaf van Vlaanderenpl") == street_key("Graaf van Vlaanderenplein")
    assert street_key("St.-Baafsplein") == street_key("Sint-Baafsplein")


def test_every_sampled_register_address_is_found_exactly() -> None:
    with open(DATA / "addresses-crab2014.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in random.Random(7).sample(rows, 500):
        result = finder().find(f"{row['street']} {row['housenumber']} {row['postcode']}")
        assert result.address is not None, row
        assert (result.address.street, result.address.house_number.upper()) == (
            row["street"],
            row["housenumber"].upper(),
        )


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_junk_never_crashes(text: str) -> None:
    result = finder().find(text)
    assert result.found or result.reason is not None


def test_suggestions_are_the_same_whatever_the_hash_seed() -> None:
    import os
    import subprocess
    import sys

    outputs = {
        subprocess.run(
            [sys.executable, "-m", "cityofpeople.cli", "address", "find", "Nergensstraat 4"],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
            check=False,
        ).stderr
        for seed in ("1", "2", "3")
    }
    assert len(outputs) == 1
    assert "did you mean" in outputs.pop()
