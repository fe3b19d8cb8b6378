"""Overlaps and gaps of a district (``domain.neighbourhood``), its map and its command line, without Django."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from domain.neighbourhood import (
    EventIn,
    InitiativeIn,
    Point,
    audiences_meet,
    clashes,
    distance_m,
    find,
    street_key,
)
from domain.neighbourhood.cli import main
from domain.neighbourhood.drawing import Marker, Pair, draw

ROOT = Path(__file__).resolve().parents[3]
ZONE = ZoneInfo("Europe/Brussels")
HERE = Point(51.0543, 3.7174)
AUDIENCES = [("everyone", "Everyone"), ("children", "Children"), ("older_residents", "Older residents")]
THEMES = [("food", "Eating together"), ("language", "Language")]


def north(metres: float) -> Point:
    return Point(HERE.lat + metres / 111_320, HERE.lon)


def tuesday(hour: int, minutes: int = 120) -> tuple[tuple[datetime, datetime], ...]:
    start = datetime(2026, 12, 15, hour, tzinfo=ZONE)
    return ((start, start + timedelta(minutes=minutes)),)


def older(pk: int, point: Point | None, hour: int = 14) -> EventIn:
    return EventIn(pk, f"Event {pk}", frozenset({"older_residents"}), tuesday(hour), point)


def keys(initiatives: list[InitiativeIn], events: list[EventIn], walking: float = 800) -> list[str]:
    found = find(initiatives, events, audiences=AUDIENCES, themes=THEMES, walking_metres=walking)
    return [f.key for f in found.findings]


def test_the_distance_is_in_metres() -> None:
    assert 295 < distance_m(HERE, north(300)) < 305


def test_two_events_for_the_same_people_at_the_same_time_nearby_overlap() -> None:
    assert "overlap_events:1-2" in keys([], [older(1, HERE), older(2, north(300))])
    assert not any(k.startswith("overlap_events") for k in keys([], [older(1, HERE), older(2, north(2000))]))
    assert "overlap_events:1-2" in keys([], [older(2, north(2000)), older(1, HERE)], walking=2500), "the setting"
    assert not any(k.startswith("overlap_events") for k in keys([], [older(1, HERE), older(2, north(300), 17)]))


def test_everyone_meets_every_group_and_other_groups_do_not_meet() -> None:
    assert audiences_meet(frozenset({"everyone"}), frozenset({"children"}))
    assert not audiences_meet(frozenset({"children"}), frozenset({"older_residents"}))
    children = EventIn(2, "Play", frozenset({"children"}), tuesday(14), north(100))
    assert not any(k.startswith("overlap_events") for k in keys([], [older(1, HERE), children]))


def test_touching_times_do_not_clash() -> None:
    assert clashes(tuesday(14, 60), tuesday(15, 60)) == 0
    assert clashes(tuesday(14, 61), tuesday(15, 60)) == 1


def test_an_event_without_a_location_is_left_out_and_counted() -> None:
    found = find([], [older(1, HERE), older(2, None)], audiences=AUDIENCES, themes=THEMES)
    assert found.without_location == (2,)
    assert not any(f.kind == "overlap_events" for f in found.findings)


def test_two_initiatives_with_a_theme_in_one_street_or_place_overlap() -> None:
    soup = InitiativeIn(1, "Soup", frozenset({"everyone"}), frozenset({"food"}), street="Kongostraat")
    meal = InitiativeIn(2, "Meal", frozenset({"everyone"}), frozenset({"food"}), street="kongostraat ")
    talk = InitiativeIn(3, "Talk", frozenset({"everyone"}), frozenset({"language"}), street="Kongostraat")
    there = InitiativeIn(4, "Cook", frozenset({"everyone"}), frozenset({"food"}), place=9, point=HERE)
    also = InitiativeIn(5, "Bake", frozenset({"everyone"}), frozenset({"food"}), place=9, point=HERE)
    found = keys([soup, meal, talk, there, also], [])
    assert "overlap_initiatives:1-2" in found and "overlap_initiatives:4-5" in found
    assert not any(k.startswith("overlap_initiatives:1-3") or k.startswith("overlap_initiatives:3") for k in found)


@pytest.mark.parametrize(
    ("typed", "key"),
    [("Kongostraat", "kongostraat"), (" kongostraat ", "kongostraat"), ("Kongostraat 12", "kongostraat"),
     ("Sint-Pietersplein 3 bus 2", "sint-pietersplein"), ("Rue de l'Église", "rue de l'eglise")],
)  # fmt: skip
def test_a_street_is_compared_by_its_name(typed: str, key: str) -> None:
    assert street_key(typed) == key


def test_the_gaps_and_how_they_go() -> None:
    found = keys([], [])
    assert {"gap_audience:children", "gap_audience:older_residents", "gap_theme:food", "gap_theme:language",
            "gap_evening_older", "gap_intergenerational", "gap_intercultural"} <= set(found)  # fmt: skip
    assert "gap_audience:everyone" not in found
    assert found[0].startswith("gap_audience"), "a group left out is the worst"
    club = InitiativeIn(1, "Club", frozenset({"everyone"}), frozenset({"food"}), intergenerational=True,
                        intercultural=True)  # fmt: skip
    evening = EventIn(2, "Evening", frozenset({"everyone"}), tuesday(19), None)
    assert set(keys([club], [evening])) == {"gap_theme:language"}


def test_an_afternoon_event_does_not_fill_the_evening() -> None:
    assert "gap_evening_older" in keys([], [older(1, HERE, 16)])
    assert "gap_evening_older" not in keys([], [older(1, HERE, 17)])
    assert "gap_evening_older" in keys([], [EventIn(1, "Kids", frozenset({"children"}), tuesday(18), None)])


def test_the_order_and_keys_are_stable() -> None:
    events = [older(2, north(300)), older(1, HERE)]
    assert keys([], events) == keys([], list(reversed(events)))


def test_the_map_is_well_formed_svg_with_its_shapes() -> None:
    square = [[3.71, 51.05], [3.73, 51.05], [3.73, 51.06], [3.71, 51.06], [3.71, 51.05]]
    svg = draw(
        {"type": "Polygon", "coordinates": [square]},
        [Marker("initiative", HERE, "Soup & <bread>"), Marker("event", north(300), "Coffee")],
        [Pair(1, HERE, north(300), "1. Overlap")], title="Map of Binnenstad", desc="Two markers & one overlap.",
    )  # fmt: skip
    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    assert root.get("role") == "img" and root.find(f"{ns}title") is not None and root.find(f"{ns}desc") is not None
    assert len(root.findall(f"{ns}rect")) == 1 and len(root.findall(f"{ns}circle")) == 1
    assert len(root.findall(f"{ns}line")) == 1 and root.find(f"{ns}g/{ns}text").text == "1"  # type: ignore[union-attr]


def run(data: object) -> tuple[int, str]:
    out = io.StringIO()
    code = main([], stdin=io.StringIO(json.dumps(data) if not isinstance(data, str) else data), stdout=out)
    return code, out.getvalue()


def test_the_command_line_prints_the_findings_as_json() -> None:
    data = {
        "audiences": ["children", ["older_residents", "Older residents"]], "themes": [["food", "Food"]],
        "initiatives": [
            {"id": 1, "title": "Soup", "audience": ["everyone"], "themes": ["food"], "street": "Kongostraat"},
            {"id": 2, "title": "Meal", "audience": ["everyone"], "themes": ["food"], "street": "kongostraat"},
        ],
        "events": [{"id": 7, "title": "A", "audience": ["older_residents"], "lat": HERE.lat, "lon": HERE.lon,
                    "occurrences": [["2026-12-15T14:00:00+01:00", "2026-12-15T16:00:00+01:00"]]},
                   {"id": 8, "title": "B", "audience": ["older_residents"], "lat": north(300).lat, "lon": HERE.lon,
                    "occurrences": [["2026-12-15T15:00:00+01:00", "2026-12-15T16:00:00+01:00"]]},
                   {"id": 9, "title": "C", "audience": ["everyone"],
                    "occurrences": [["2026-12-15T19:00:00+01:00", "2026-12-15T20:00:00+01:00"]]}],
    }  # fmt: skip
    code, out = run(data)
    assert code == 0
    result = json.loads(out)
    found = {f["key"]: f for f in result["findings"]}
    assert "overlap_events:7-8" in found and len(found["overlap_events:7-8"]["points"]) == 2
    assert "overlap_initiatives:1-2" in found and "gap_evening_older" not in found
    assert result["without_location"] == [9]


@pytest.mark.parametrize(
    "data",
    ["not json", "[]", {"events": "no"}, {"events": [{"id": "x"}]}, {"walking_metres": -1},
     {"events": [{"id": 1, "occurrences": [["2026-12-15T14:00:00", "2026-12-15T15:00:00"]]}]},
     {"initiatives": [{"id": 1, "audience": "everyone"}]}],
)  # fmt: skip
def test_input_it_cannot_read_exits_2_and_prints_nothing(data: object, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(data)
    assert (code, out) == (2, "")
    assert capsys.readouterr().err.count("\n") == 1


def test_it_runs_as_a_module() -> None:
    done = subprocess.run([sys.executable, "-m", "domain.neighbourhood"], input="{}", capture_output=True, text=True,
                          cwd=ROOT, check=False, timeout=60)  # fmt: skip
    assert done.returncode == 0 and json.loads(done.stdout)["findings"]


def test_evening_time_can_be_set() -> None:
    found = find([], [older(1, HERE, 16)], audiences=AUDIENCES, themes=THEMES, evening_from=time(16))
    assert "gap_evening_older" not in found.keys
