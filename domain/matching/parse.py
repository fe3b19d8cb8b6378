"""Reading and checking a problem: JSON file → dict → :class:`Problem`, and Python objects → :class:`Problem`.

Every check names the first offending record and field in one line (``requests[3] (id "r4"): "lat" …``),
in file order: the top level first, then each request, then each helper, fields in the spec's order.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, NoReturn

from .model import Helper, Problem, Request, Window, paused_gc

SUPPORTED_VERSION = 1

_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2})?")
_ZONED_TIME = re.compile(_TIME.pattern + r"(?:Z|[+-][0-9]{2}:?[0-9]{2})")


class ProblemError(ValueError):
    """The problem cannot be used.  ``str(error)`` is one line naming the record and field."""

    def __init__(self, message: str, *, record: str | None = None, field: str | None = None) -> None:
        super().__init__(message)
        self.record = record
        self.field = field


def _show(value: Any) -> str:
    try:
        text = json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


class _Record:
    """Where we are, for error messages: ``requests[3] (id "r4")``.

    The label is written only when a message needs it: a region's 750,000 records would otherwise each
    format one that is never read.
    """

    __slots__ = ("identifier", "index", "kind")

    def __init__(self, kind: str, index: int | None = None, identifier: str | None = None) -> None:
        self.kind, self.index, self.identifier = kind, index, identifier

    @property
    def label(self) -> str:
        label = self.kind if self.index is None else f"{self.kind}[{self.index}]"
        return label if self.identifier is None else f"{label} (id {_show(self.identifier)})"

    def fail(self, field: str | None, message: str) -> NoReturn:
        where = f'{self.label}: "{field}" {message}' if field else f"{self.label}: {message}"
        raise ProblemError(where, record=self.label, field=field)

    def missing(self, field: str) -> NoReturn:
        self.fail(None, f'missing field "{field}"')

    def wrong(self, field: str, expected: str, value: Any) -> NoReturn:
        self.fail(field, f"must be {expected}, got {_kind(value)} {_show(value)}")


def _get(record: Mapping[str, Any], key: str, where: _Record) -> Any:
    try:
        return record[key]
    except KeyError:
        where.missing(key)


def _number(value: Any, field: str, where: _Record) -> float:
    kind = type(value)
    if kind is float:
        if not math.isfinite(value):
            where.wrong(field, "a finite number", value)
        return value  # type: ignore[no-any-return]
    if kind is int:
        try:
            return float(value)
        except OverflowError:  # an integer of hundreds of digits
            where.wrong(field, "a finite number", value)
    where.wrong(field, "a number", value)


def _string(value: Any, field: str, where: _Record) -> str:
    if type(value) is not str:
        where.wrong(field, "a string", value)
    if not value:
        where.fail(field, "must not be empty")
    text: str = value
    return text


def _strings(value: Any, field: str, where: _Record) -> tuple[str, ...]:
    if type(value) is not list:
        where.wrong(field, "a list of strings", value)
    for i, item in enumerate(value):
        if type(item) is not str:
            where.wrong(f"{field}[{i}]", "a string", item)
    return tuple(value)


def _time(value: Any, field: str, where: _Record, cache: dict[str, datetime]) -> datetime:
    if type(value) is not str:
        where.wrong(field, 'a local time "YYYY-MM-DDTHH:MM"', value)
    found = cache.get(value)
    if found is not None:
        return found
    if not _TIME.fullmatch(value):
        if _ZONED_TIME.fullmatch(value):
            where.fail(field, f"is {_show(value)}: local times only, without a time zone")
        where.fail(field, f'is not a local time "YYYY-MM-DDTHH:MM": {_show(value)}')
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        where.fail(field, f"is not a valid date and time: {_show(value)}")
    cache[value] = parsed
    return parsed


def _windows(value: Any, where: _Record, cache: dict[str, datetime]) -> tuple[Window, ...]:
    if type(value) is not list:
        where.wrong("windows", "a list of [start, end] pairs", value)
    windows = []
    for i, pair in enumerate(value):
        if type(pair) is not list or len(pair) != 2:
            where.wrong(f"windows[{i}]", "a [start, end] pair", pair)
        start = _time(pair[0], f"windows[{i}][0]", where, cache)
        end = _time(pair[1], f"windows[{i}][1]", where, cache)
        if end < start:
            where.fail(f"windows[{i}]", f"ends before it starts: {_show(pair)}")
        windows.append((start, end))
    return tuple(windows)


def _lat_lon(record: Mapping[str, Any], where: _Record) -> tuple[float, float]:
    lat = _number(_get(record, "lat", where), "lat", where)
    if not -90.0 <= lat <= 90.0:
        where.fail("lat", f"must be between -90 and 90, got {_show(record['lat'])}")
    lon = _number(_get(record, "lon", where), "lon", where)
    if not -180.0 <= lon <= 180.0:
        where.fail("lon", f"must be between -180 and 180, got {_show(record['lon'])}")
    return lat, lon


def _record_id(record: Any, kind: str, index: int, seen: dict[str, int]) -> tuple[str, _Record]:
    where = _Record(kind, index)
    if type(record) is not dict:
        where.fail(None, f"must be an object, got {_kind(record)} {_show(record)}")
    identifier = _string(_get(record, "id", where), "id", where)
    named = _Record(kind, index, identifier)
    if identifier in seen:
        named.fail("id", f"is a duplicate: {kind}[{seen[identifier]}] has the same id")
    seen[identifier] = index
    return identifier, named


def _request(raw: Any, i: int, seen: dict[str, int], cache: dict[str, datetime]) -> Request:
    identifier, where = _record_id(raw, "requests", i, seen)
    lat, lon = _lat_lon(raw, where)
    category = _string(_get(raw, "category", where), "category", where)
    duration = _number(_get(raw, "duration_minutes", where), "duration_minutes", where)
    if duration < 0:
        where.fail("duration_minutes", f"must be 0 or more, got {_show(raw['duration_minutes'])}")
    windows = _windows(_get(raw, "windows", where), where, cache)
    languages = _strings(_get(raw, "languages", where), "languages", where)
    priority = _get(raw, "priority", where)
    if type(priority) is not int:
        where.wrong("priority", "a whole number from 1 to 5", priority)
    if not 1 <= priority <= 5:
        where.fail("priority", f"must be from 1 to 5, got {priority}")
    vetted = _get(raw, "requires_vetted", where)
    if type(vetted) is not bool:
        where.wrong("requires_vetted", "true or false", vetted)
    preferred = _strings(raw.get("preferred_helpers", []), "preferred_helpers", where)
    excluded = _strings(raw.get("excluded_helpers", []), "excluded_helpers", where)
    return Request(identifier, lat, lon, category, duration, windows, languages, priority, vetted, preferred, excluded)


def _helper(raw: Any, i: int, seen: dict[str, int], cache: dict[str, datetime]) -> Helper:
    identifier, where = _record_id(raw, "helpers", i, seen)
    lat, lon = _lat_lon(raw, where)
    categories = _strings(_get(raw, "categories", where), "categories", where)
    windows = _windows(_get(raw, "windows", where), where, cache)
    languages = _strings(_get(raw, "languages", where), "languages", where)
    radius = _number(_get(raw, "max_distance_km", where), "max_distance_km", where)
    if radius < 0:
        where.fail("max_distance_km", f"must be 0 or more, got {_show(raw['max_distance_km'])}")
    capacity = _get(raw, "capacity", where)
    if type(capacity) is not int:
        where.wrong("capacity", "a whole number", capacity)
    if capacity < 0:
        where.fail("capacity", f"must be 0 or more, got {capacity}")
    vetted = _get(raw, "vetted", where)
    if type(vetted) is not bool:
        where.wrong("vetted", "true or false", vetted)
    return Helper(identifier, lat, lon, categories, windows, languages, radius, capacity, vetted)


def parse_problem(data: Any) -> Problem:
    """Check the JSON form of a problem (as loaded by ``json.load``) and build the :class:`Problem`.

    Raises :class:`ProblemError` naming the first offending record and field.
    """
    with paused_gc():
        return _parse_problem(data)


def _records(raw: list[Any], build: Any, consume: bool) -> tuple[Any, ...]:
    """Build each record; with ``consume``, drop each raw record once built (the list is the parser's own),
    so that a large file's parsed JSON and its records are never both whole in memory."""
    seen: dict[str, int] = {}
    out = []
    for i in range(len(raw)):
        out.append(build(raw[i], i, seen))
        if consume:
            raw[i] = None
    return tuple(out)


def _parse_problem(data: Any, *, consume: bool = False) -> Problem:
    top = _Record("problem")
    if type(data) is not dict:
        top.fail(None, f"must be a JSON object, got {_kind(data)}")
    version = _get(data, "version", top)
    if type(version) is not int:
        top.wrong("version", f"the number {SUPPORTED_VERSION}", version)
    if version != SUPPORTED_VERSION:
        top.fail("version", f"is {version}; this engine reads version {SUPPORTED_VERSION}")
    raw_requests = _get(data, "requests", top)
    if type(raw_requests) is not list:
        top.wrong("requests", "a list", raw_requests)
    raw_helpers = _get(data, "helpers", top)
    if type(raw_helpers) is not list:
        top.wrong("helpers", "a list", raw_helpers)
    cache: dict[str, datetime] = {}
    requests = _records(raw_requests, lambda raw, i, seen: _request(raw, i, seen, cache), consume)
    helpers = _records(raw_helpers, lambda raw, i, seen: _helper(raw, i, seen, cache), consume)
    return Problem(requests=requests, helpers=helpers, version=version)


def loads_problem(text: str | bytes) -> Problem:
    """Parse and check a problem from JSON text."""
    return _parse_owned(_json(text))


def _json(text: str | bytes) -> Any:
    try:
        with paused_gc():
            # NaN and Infinity are let through here, so that the field check names where they are
            return json.loads(text)
    except json.JSONDecodeError as error:
        raise ProblemError(f"bad JSON at line {error.lineno} column {error.colno}: {error.msg}") from None
    except UnicodeDecodeError as error:
        raise ProblemError(f"bad JSON: not UTF-8 text ({error.reason} at byte {error.start})") from None
    except (ValueError, RecursionError) as error:
        raise ProblemError(f"bad JSON: {error}") from None


def _parse_owned(data: Any) -> Problem:
    """Parse JSON that nobody else holds: its records are dropped as they are built."""
    with paused_gc():
        return _parse_problem(data, consume=True)


def load_problem(path: str | Path) -> Problem:
    """Read, parse and check a problem file."""
    try:
        text = Path(path).read_bytes()
    except FileNotFoundError:
        raise ProblemError("file not found") from None
    except IsADirectoryError:
        raise ProblemError("is a directory, not a problem file") from None
    except OSError as error:
        raise ProblemError(f"cannot read the file: {error.strerror or error}") from None
    data = _json(text)
    del text  # the file's bytes are not needed once decoded
    return _parse_owned(data)


# ----------------------------------------------------------------------------------------------------------
# Python objects → problem, and problem → JSON form


def _time_text(value: Any) -> Any:
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            return value.isoformat()  # rejected with "without a time zone"
        text = value.strftime("%Y-%m-%dT%H:%M:%S" if value.second or value.microsecond else "%Y-%m-%dT%H:%M")
        return text if not value.microsecond else text + f".{value.microsecond:06d}"
    return value


def _plain(value: Any) -> Any:
    """Decimal and NumPy numbers (as a database or an array hands them over) become float or int."""
    if isinstance(value, bool) or value is None or isinstance(value, str | int | float):
        return value
    if isinstance(value, Decimal):
        return float(value)
    item = getattr(value, "item", None)
    if callable(item):
        return item()
    return value


def _list(values: Any, convert: Any = _plain) -> Any:
    if isinstance(values, list | tuple | set | frozenset):
        items = sorted(values) if isinstance(values, set | frozenset) else values
        return [convert(v) for v in items]
    return values


def _windows_plain(windows: Any) -> Any:
    if isinstance(windows, list | tuple):
        return [_list(pair, _time_text) if isinstance(pair, list | tuple) else pair for pair in windows]
    return windows


def request_to_dict(request: Request) -> dict[str, Any]:
    return {
        "id": request.id,
        "lat": _plain(request.lat),
        "lon": _plain(request.lon),
        "category": request.category,
        "duration_minutes": _plain(request.duration_minutes),
        "windows": _windows_plain(request.windows),
        "languages": _list(request.languages),
        "priority": _plain(request.priority),
        "requires_vetted": request.requires_vetted,
        "preferred_helpers": _list(request.preferred_helpers),
        "excluded_helpers": _list(request.excluded_helpers),
    }


def helper_to_dict(helper: Helper) -> dict[str, Any]:
    return {
        "id": helper.id,
        "lat": _plain(helper.lat),
        "lon": _plain(helper.lon),
        "categories": _list(helper.categories),
        "windows": _windows_plain(helper.windows),
        "languages": _list(helper.languages),
        "max_distance_km": _plain(helper.max_distance_km),
        "capacity": _plain(helper.capacity),
        "vetted": helper.vetted,
    }


def problem_to_dict(problem: Problem) -> dict[str, Any]:
    """The spec's JSON form of a problem."""
    return {
        "version": problem.version,
        "requests": [request_to_dict(r) for r in problem.requests],
        "helpers": [helper_to_dict(h) for h in problem.helpers],
    }


def make_problem(requests: Iterable[Request], helpers: Iterable[Helper]) -> Problem:
    """Build a checked :class:`Problem` from Python objects (for example rows from a database).

    The same checks as for a file apply (``ProblemError`` on the first bad record).  Lists may be given
    as lists, tuples or sets; numbers as int, float, Decimal or NumPy scalars; windows as naive datetimes.
    """
    data = {
        "version": SUPPORTED_VERSION,
        "requests": [request_to_dict(r) for r in requests],
        "helpers": [helper_to_dict(h) for h in helpers],
    }
    return parse_problem(data)
