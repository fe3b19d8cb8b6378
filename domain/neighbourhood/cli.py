"""``python -m domain.neighbourhood``: the overlaps and gaps of a district, from JSON on stdin to JSON on stdout.

    python -m domain.neighbourhood < district.json

The input is one JSON object::

    {"walking_metres": 800, "evening_from": "17:00",
     "audiences": ["children", "older_residents"],          # codes, or [code, name] pairs
     "themes": [["food", "Eating together"]],               # likewise
     "initiatives": [{"id": 1, "title": "Soup", "audience": ["everyone"], "themes": ["food"],
                      "street": "Kongostraat", "place": null, "lat": null, "lon": null,
                      "intergenerational": false, "intercultural": false}],
     "events": [{"id": 7, "title": "Coffee", "audience": ["older_residents"], "lat": 51.05, "lon": 3.72,
                 "occurrences": [["2026-12-08T14:00:00+01:00", "2026-12-08T16:00:00+01:00"]]}]}

Times are the city's local time with their offset.  The output: ``{"findings": [{"key", "kind", "text",
"weight", "about", "points": [[lat, lon], ...]}], "without_location": [event ids]}``, the worst first.  Input it
cannot read exits 2 with one line on stderr and prints nothing on stdout.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime, time
from typing import Any, TextIO

from . import EVENING_FROM, WALKING_METRES, EventIn, InitiativeIn, Point, find

MAX_BYTES = 16 * 1024 * 1024
PROG = "python -m domain.neighbourhood"


class UsageError(Exception):
    """Input the command refuses: the message is the one line printed on stderr."""


def _point(row: dict[str, Any]) -> Point | None:
    lat, lon = row.get("lat"), row.get("lon")
    if lat is None or lon is None:
        return None
    if not isinstance(lat, int | float) or not isinstance(lon, int | float):
        raise UsageError(f"item {row.get('id')!r}: lat and lon must be numbers")
    return Point(float(lat), float(lon))


def _codes(value: Any, what: str) -> frozenset[str]:
    if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
        raise UsageError(f"{what} must be a list of codes")
    return frozenset(value)


def _named(value: Any, what: str) -> list[tuple[str, str]]:
    if not isinstance(value, list):
        raise UsageError(f"{what} must be a list")
    found = []
    for item in value:
        if isinstance(item, str):
            found.append((item, item))
        elif isinstance(item, list) and len(item) == 2 and all(isinstance(part, str) for part in item):
            found.append((item[0], item[1]))
        else:
            raise UsageError(f"{what}: each item is a code or a [code, name] pair")
    return found


def _id(row: Any, what: str) -> int:
    if not isinstance(row, dict):
        raise UsageError(f"each of {what} must be an object")
    value = row.get("id")
    if not isinstance(value, int) or isinstance(value, bool):
        raise UsageError(f"each of {what} needs a whole number as id")
    return value


def _moment(text: Any, what: str) -> datetime:
    try:
        found = datetime.fromisoformat(text)
    except (TypeError, ValueError) as error:
        raise UsageError(f"{what}: {text!r} is not a date and time") from error
    if found.tzinfo is None:
        raise UsageError(f"{what}: {text!r} needs its offset (+01:00)")
    return found


def _initiative(row: Any) -> InitiativeIn:
    pk = _id(row, "initiatives")
    place = row.get("place")
    if place is not None and (not isinstance(place, int) or isinstance(place, bool)):
        raise UsageError(f"initiative {pk}: place must be a whole number")
    return InitiativeIn(
        id=pk, title=str(row.get("title", pk)), audience=_codes(row.get("audience", []), f"initiative {pk}: audience"),
        themes=_codes(row.get("themes", []), f"initiative {pk}: themes"), street=str(row.get("street") or ""),
        place=place, point=_point(row), intergenerational=bool(row.get("intergenerational")),
        intercultural=bool(row.get("intercultural")),
    )  # fmt: skip


def _event(row: Any) -> EventIn:
    pk = _id(row, "events")
    times = row.get("occurrences", [])
    if not isinstance(times, list) or not all(isinstance(pair, list) and len(pair) == 2 for pair in times):
        raise UsageError(f"event {pk}: occurrences must be a list of [start, end] pairs")
    occurrences = tuple((_moment(a, f"event {pk}"), _moment(b, f"event {pk}")) for a, b in times)
    return EventIn(id=pk, title=str(row.get("title", pk)), occurrences=occurrences, point=_point(row),
                   audience=_codes(row.get("audience", []), f"event {pk}: audience"))  # fmt: skip


def findings_json(data: Any) -> dict[str, Any]:
    """The findings of one district's input as a JSON-ready object; ``UsageError`` for input it cannot read."""
    if not isinstance(data, dict):
        raise UsageError("the input must be one JSON object")
    walking = data.get("walking_metres", WALKING_METRES)
    if not isinstance(walking, int | float) or isinstance(walking, bool) or walking < 0:
        raise UsageError("walking_metres must be a number of metres")
    try:
        evening = time.fromisoformat(data.get("evening_from", EVENING_FROM.isoformat()))
    except (TypeError, ValueError) as error:
        raise UsageError("evening_from must be a time such as 17:00") from error
    initiatives = [_initiative(row) for row in _list(data, "initiatives")]
    events = [_event(row) for row in _list(data, "events")]
    result = find(
        initiatives, events, audiences=_named(data.get("audiences", []), "audiences"),
        themes=_named(data.get("themes", []), "themes"), walking_metres=float(walking), evening_from=evening,
    )  # fmt: skip
    return {
        "findings": [
            {"key": f.key, "kind": f.kind, "text": f.text, "weight": f.weight, "about": list(f.about),
             "points": [[p.lat, p.lon] for p in f.points]}
            for f in result.findings
        ],
        "without_location": list(result.without_location),
    }  # fmt: skip


def _list(data: dict[str, Any], name: str) -> list[Any]:
    value = data.get(name, [])
    if not isinstance(value, list):
        raise UsageError(f"{name} must be a list")
    return value


def main(argv: list[str], stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    source, target = stdin or sys.stdin, stdout or sys.stdout
    if argv:
        print(f"{PROG}: takes no arguments; give the district as JSON on stdin", file=sys.stderr)
        return 2
    text = source.read(MAX_BYTES + 1)
    try:
        if len(text) > MAX_BYTES:
            raise UsageError("the input is larger than 16 MB")
        try:
            data = json.loads(text)
        except (json.JSONDecodeError, RecursionError) as error:
            raise UsageError(f"the input is not JSON: {error}") from error
        result = findings_json(data)
    except UsageError as error:
        print(f"{PROG}: {error}", file=sys.stderr)
        return 2
    json.dump(result, target, ensure_ascii=False, indent=2)
    target.write("\n")
    return 0
